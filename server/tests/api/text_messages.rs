//! Text messages: a number is used only once its owner typed back the code texted to
//! it; a notice chosen by SMS reaches that number through the provider, and the
//! provider's signed delivery report moves it on (delivered, or bounced for a phone
//! that never took it). A failing provider is retried, then failed for admins to send
//! again; the REST adapter speaks the shape of a common SMS API; unsigned reports are
//! refused.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicBool, Ordering},
};

use axum::{Router, extract::State, http::HeaderMap, routing::post};
use domain::{
    Error, Services,
    notifications::{deliveries::MAX_ATTEMPTS, sms},
    users::{phone, profile},
};
use reqwest::StatusCode;
use sqlx::PgPool;
use types::{
    ErrorCode, Locale, Role, UserId,
    profile::{NotificationChannel, NotificationKind as Topic, Preferences},
};

use crate::{
    checkout::{customer, products},
    helpers::{PASSWORD, TestApp, services, spawn_app_with},
    notifications::{dispatch, paid_order},
};

/// The SMS delivery of `user`'s newest notice: (status, provider reference, last error).
async fn text_delivery(pool: &PgPool, user: UserId) -> Option<(String, Option<String>, Option<String>)> {
    sqlx::query_as(
        "select status, provider_ref, last_error from notice_deliveries
         where user_id = $1 and channel = 'sms' order by created_at desc limit 1",
    )
    .bind(user.0)
    .fetch_optional(pool)
    .await
    .expect("delivery")
}

/// The code in the newest text to `number` the sandbox carried.
async fn sandbox_code(pool: &PgPool, number: &str) -> String {
    let body: String =
        sqlx::query_scalar("select body from sms_sandbox where to_number = $1 order by created_at desc limit 1")
            .bind(number)
            .fetch_one(pool)
            .await
            .expect("a text");
    body.split(|c: char| !c.is_ascii_digit()).find(|part| part.len() == 6).expect("a six-digit code").to_owned()
}

/// Texts for order updates on, besides the defaults.
async fn wants_texts(services: &Services, user: UserId) {
    let mut choices = Preferences::defaults(Locale::En);
    choices.enabled.push((Topic::OrderUpdates, NotificationChannel::Sms));
    profile::update_preferences(services, user, choices).await.expect("preferences");
}

async fn prove(services: &Services, user: UserId, number: &str, code: impl AsyncFnOnce(&str) -> String) {
    phone::start(services, user, number, Locale::En).await.expect("code sent");
    let e164 = sms::e164(number).expect("a number");
    phone::confirm(services, user, &code(&e164).await).await.expect("confirmed");
}

fn wrong(code: &str) -> String {
    let n: u32 = code.parse().expect("digits");
    format!("{:06}", (n + 1) % 1_000_000)
}

#[tokio::test]
async fn a_proven_number_gets_the_notices_chosen_by_text_and_reports_move_them_on() {
    let services = services().await;
    let pool = &services.pool;
    let channel = services.sms.clone().expect("the sandbox is the provider in development");
    let items = products(&services, &[20]).await;
    let buyer = customer(pool, 1).await;
    wants_texts(&services, buyer).await;

    let refused = phone::start(&services, buyer, "0151 2345678", Locale::En).await;
    assert!(matches!(&refused, Err(Error::Validation(f)) if f[0].field == "phone"), "{refused:?}");
    phone::start(&services, buyer, "+49 151 2345 6789", Locale::En).await.expect("sent");
    let again = phone::start(&services, buyer, "+49 151 2345 6789", Locale::En).await;
    assert!(matches!(again, Err(Error::RateLimited { .. })), "a minute between codes: {again:?}");
    let code = sandbox_code(pool, "+4915123456789").await;
    let bad = phone::confirm(&services, buyer, &wrong(&code)).await;
    assert!(matches!(&bad, Err(Error::Validation(f)) if f[0].code == ErrorCode::CodeWrong), "{bad:?}");
    // Before the number is proven, a notice chosen by text goes nowhere by text.
    paid_order(&services, buyer, items[0].0).await;
    dispatch(&services).await;
    assert_eq!(text_delivery(pool, buyer).await, None, "no text to an unproven number");

    phone::confirm(&services, buyer, &code).await.expect("the right code");
    let status = phone::status(&services, buyer).await.expect("status");
    assert_eq!((status.number.as_deref(), status.pending), (Some("+4915123456789"), None));

    let (number, _) = paid_order(&services, buyer, items[0].0).await;
    dispatch(&services).await;
    let (state, sid, _) = text_delivery(pool, buyer).await.expect("texted");
    assert_eq!(state, "sent");
    let sid = sid.expect("the provider's id");
    let body: String = sqlx::query_scalar("select body from sms_sandbox where sid = $1")
        .bind(&sid)
        .fetch_one(pool)
        .await
        .expect("text");
    assert!(body.starts_with("OpenAero: Order ") && body.contains(&number), "{body}");

    sqlx::query("update sms_sandbox set report_due_at = now()").execute(pool).await.expect("due");
    assert!(sms::sandbox::report_due(&services, &channel).await.expect("reported") >= 1);
    assert_eq!(text_delivery(pool, buyer).await.expect("texted").0, "delivered");

    // A phone that never takes the text: the network reports it undelivered.
    let away = customer(pool, 2).await;
    wants_texts(&services, away).await;
    prove(&services, away, "+1 555 010 9999", async |n| sandbox_code(pool, n).await).await;
    paid_order(&services, away, items[0].0).await;
    dispatch(&services).await;
    sqlx::query("update sms_sandbox set report_due_at = now()").execute(pool).await.expect("due");
    sms::sandbox::report_due(&services, &channel).await.expect("reported");
    let (state, _, error) = text_delivery(pool, away).await.expect("texted");
    assert_eq!((state.as_str(), error.as_deref()), ("bounced", Some("provider error 30003")));

    phone::remove(&services, buyer).await.expect("forgotten");
    assert_eq!(phone::status(&services, buyer).await.expect("status").number, None);
}

/// One request the stand-in API saw: its path, `Authorization` header and form.
type Seen = (String, Option<String>, Vec<(String, String)>);

/// A stand-in for a Twilio-shaped SMS API on loopback: records each request, and
/// answers 500 while `failing`.
#[derive(Clone, Default)]
struct FakeApi {
    seen: Arc<Mutex<Vec<Seen>>>,
    failing: Arc<AtomicBool>,
}

async fn messages(
    State(api): State<FakeApi>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, String) {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let form = url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    api.seen.lock().expect("lock").push((uri.path().to_owned(), auth, form));
    if api.failing.load(Ordering::SeqCst) {
        (StatusCode::INTERNAL_SERVER_ERROR, r#"{"code":20500,"message":"Internal Server Error"}"#.to_owned())
    } else {
        let n = api.seen.lock().expect("lock").len();
        (StatusCode::CREATED, format!(r#"{{"sid":"SMfake{n}","status":"queued"}}"#))
    }
}

async fn fake_api() -> (FakeApi, String) {
    let api = FakeApi::default();
    let router =
        Router::new().route("/2010-04-01/Accounts/{account}/Messages.json", post(messages)).with_state(api.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    (api, format!("http://{address}"))
}

async fn report(app: &TestApp, params: &[(&str, &str)], signature: &str) -> StatusCode {
    app.client
        .post(app.url(sms::REPORTS_PATH))
        .header(sms::reports::SIGNATURE_HEADER, signature)
        .form(params)
        .send()
        .await
        .expect("report")
        .status()
}

#[tokio::test]
async fn the_rest_provider_is_asked_as_its_api_expects_retried_when_it_fails_and_its_signed_reports_taken() {
    let (api, base) = fake_api().await;
    let app = spawn_app_with(&[
        ("OPENAERO_SMS_PROVIDER", "rest"),
        ("OPENAERO_SMS_API_URL", &base),
        ("OPENAERO_SMS_ACCOUNT", "AC0123456789"),
        ("OPENAERO_SMS_TOKEN", "sms-auth-token-for-tests"),
        ("OPENAERO_SMS_FROM", "+15005550006"),
    ])
    .await;
    let services = &app.services;
    let pool = &services.pool;
    let (admin, _) =
        domain::users::register::create_verified(services, "Ada", "ada@example.com", PASSWORD, &[Role::Admin])
            .await
            .expect("admin");
    let items = products(services, &[20]).await;
    let buyer = customer(pool, 1).await;
    wants_texts(services, buyer).await;
    let fake = api.clone();
    prove(services, buyer, "+44 7700 900123", async move |_| {
        let seen = fake.seen.lock().expect("lock");
        let body = seen.last().expect("the code's text").2.iter().find(|(k, _)| k == "Body").expect("Body").1.clone();
        body.split(|c: char| !c.is_ascii_digit()).find(|p| p.len() == 6).expect("a code").to_owned()
    })
    .await;
    {
        let seen = api.seen.lock().expect("lock");
        let (path, auth, form) = &seen[0];
        assert_eq!(path, "/2010-04-01/Accounts/AC0123456789/Messages.json");
        use base64::Engine;
        let basic = base64::engine::general_purpose::STANDARD.encode("AC0123456789:sms-auth-token-for-tests");
        assert_eq!(auth.as_deref(), Some(format!("Basic {basic}").as_str()));
        let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        assert_eq!(field("To"), Some("+447700900123"));
        assert_eq!(field("From"), Some("+15005550006"));
        assert_eq!(field("StatusCallback"), Some("http://openaero.test/webhooks/sms"));
    }

    api.failing.store(true, Ordering::SeqCst);
    paid_order(services, buyer, items[0].0).await;
    for attempt in 1..=MAX_ATTEMPTS {
        sqlx::query("update event_deliveries set next_attempt_at = now() where status = 'pending'")
            .execute(pool)
            .await
            .expect("due");
        app.dispatch().await;
        let (state, _, error) = text_delivery(pool, buyer).await.expect("queued");
        assert_eq!(state, if attempt < MAX_ATTEMPTS { "queued" } else { "failed" }, "attempt {attempt}");
        assert!(error.is_some_and(|e| e.contains("500")), "attempt {attempt}");
    }
    api.failing.store(false, Ordering::SeqCst);
    let id: uuid::Uuid = sqlx::query_scalar("select id from notice_deliveries where user_id = $1 and channel = 'sms'")
        .bind(buyer.0)
        .fetch_one(pool)
        .await
        .expect("id");
    domain::notifications::deliveries::resend(services, admin, types::ids::NoticeDeliveryId(id)).await.expect("resend");
    app.dispatch().await;
    let (state, sid, _) = text_delivery(pool, buyer).await.expect("sent");
    assert_eq!(state, "sent");
    let sid = sid.expect("the provider's id");

    let url = format!("{}{}", services.settings.base_url, sms::REPORTS_PATH);
    let params = [("MessageSid", sid.as_str()), ("MessageStatus", "delivered")];
    let owned: Vec<(String, String)> = params.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let forged = sms::reports::sign(b"not-the-token", &url, &owned);
    assert_eq!(report(&app, &params, &forged).await, StatusCode::FORBIDDEN);
    assert_eq!(report(&app, &params, "").await, StatusCode::FORBIDDEN);
    assert_eq!(text_delivery(pool, buyer).await.expect("sent").0, "sent", "an unsigned report changes nothing");
    let signature = sms::reports::sign(b"sms-auth-token-for-tests", &url, &owned);
    assert_eq!(report(&app, &params, &signature).await, StatusCode::OK);
    assert_eq!(text_delivery(pool, buyer).await.expect("sent").0, "delivered");
    assert_eq!(
        report(&app, &params, &signature).await,
        StatusCode::OK,
        "a repeated report is fine and changes nothing"
    );
}

#[tokio::test]
async fn the_phone_forms_are_for_the_signed_in_only() {
    let app = crate::helpers::spawn_app().await;
    for (endpoint, form) in [
        ("account/phone", vec![]),
        ("account/phone/start", vec![("phone", "+4915123456789")]),
        ("account/phone/confirm", vec![("code", "123456")]),
        ("account/phone/remove", vec![]),
    ] {
        assert_eq!(app.call(endpoint, &form).await.status(), StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    let texts: i64 =
        sqlx::query_scalar("select count(*) from sms_sandbox").fetch_one(&app.services.pool).await.expect("n");
    assert_eq!(texts, 0);
}

//! Each notice's delivery per channel: in the app at once, by mail through the outbox
//! with its Message-ID; once however often the event is heard; a failing provider is
//! retried, then failed where admins find it and send it again; a person sees their
//! own. Security notices, payout requests, low stock, expiring certificates and the
//! review queue's hourly digest reach who they must.

use chrono::DurationRound;
use domain::{
    RequestMeta, Services,
    events::dispatcher,
    ledger::payouts::{self, MINIMUM_PAYOUT_MINOR},
    notifications::{deliveries::MAX_ATTEMPTS, mail::Mailer},
    users::profile,
};
use reqwest::StatusCode;
use sqlx::PgPool;
use types::{
    Locale, Role, UserId,
    notifications::{DeliveryPage, DeliveryStatus},
    profile::{NotificationChannel, NotificationKind as Topic, Preferences},
};

use crate::{
    checkout::{customer, products},
    helpers::{PASSWORD, new_client, services, spawn_app_with},
    notification_centre::person,
    notifications::{dispatch, mail_to, notices, paid_order},
    orders::maker_user,
};

/// A person's deliveries: (channel, status, attempts, provider reference, last error).
type Row = (String, String, i32, Option<String>, Option<String>);

async fn deliveries(pool: &PgPool, user: UserId) -> Vec<Row> {
    sqlx::query_as(
        "select channel, status, attempts, provider_ref, last_error from notice_deliveries
         where user_id = $1 order by created_at, channel",
    )
    .bind(user.0)
    .fetch_all(pool)
    .await
    .expect("deliveries")
}

#[tokio::test]
async fn a_notice_is_delivered_in_the_app_and_by_mail_with_its_message_id_once_however_often_heard() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[20]).await;
    let maker = maker_user(pool, items[0].1).await;
    let buyer = customer(pool, 1).await;
    paid_order(&services, buyer, items[0].0).await;
    dispatch(&services).await;

    let sent = deliveries(pool, maker).await;
    let states: Vec<(&str, &str, i32)> = sent.iter().map(|d| (d.0.as_str(), d.1.as_str(), d.2)).collect();
    assert_eq!(states, [("email", "sent", 1), ("in_app", "delivered", 1)]);
    let message_id = sent[0].3.as_deref().expect("the mail's Message-ID");
    assert!(message_id.starts_with('<') && message_id.ends_with("@openaero.local>"), "{message_id}");

    // Every event heard again: nothing is queued or sent twice.
    sqlx::query("update event_deliveries set status = 'pending', next_attempt_at = now(), locked_until = null")
        .execute(pool)
        .await
        .expect("redeliver");
    dispatch(&services).await;
    assert_eq!(deliveries(pool, maker).await, sent);
    assert_eq!(mail_to(pool, maker).await.len(), 1);
}

/// Signs a new browser in as `email`.
async fn signed_in(app: &crate::helpers::TestApp, email: &str) -> reqwest::Client {
    let client = new_client();
    let r = app.call_as(&client, "account/login", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    client
}

#[tokio::test]
async fn a_failing_mail_provider_is_retried_then_failed_and_an_admin_finds_it_and_sends_it_again() {
    // SMTP points at a closed port, so every mail fails.
    let app = spawn_app_with(&[("OPENAERO_SMTP_URL", "smtp://127.0.0.1:9")]).await;
    let services = &app.services;
    let pool = &services.pool;
    domain::users::register::create_verified(services, "Ada", "ada@example.com", PASSWORD, &[Role::Admin])
        .await
        .expect("admin");
    let items = products(services, &[5]).await;
    let buyer = customer(pool, 1).await;
    paid_order(services, buyer, items[0].0).await;

    for attempt in 1..=MAX_ATTEMPTS {
        // Due now instead of after the backoff.
        sqlx::query("update event_deliveries set next_attempt_at = now() where status = 'pending'")
            .execute(pool)
            .await
            .expect("due");
        app.dispatch().await;
        let mail = deliveries(pool, buyer).await.into_iter().find(|d| d.0 == "email").expect("queued");
        assert_eq!(mail.2, attempt);
        let expected = if attempt < MAX_ATTEMPTS { "queued" } else { "failed" };
        assert_eq!(mail.1, expected, "attempt {attempt}");
        assert!(mail.4.as_deref().is_some_and(|e| e.contains("SMTP")), "{:?}", mail.4);
    }
    // The notice itself reached the app; the outbox is done with the mail (not dead).
    assert!(notices(pool).await.iter().any(|n| n.0 == buyer && n.1 == "order_paid"));
    assert!(dispatcher::list_dead(services, 10).await.expect("dead").is_empty());

    // Admins find it by person and status; nobody else may look or resend.
    let buyer_email: String =
        sqlx::query_scalar("select email from users where id = $1").bind(buyer.0).fetch_one(pool).await.expect("email");
    let admin = signed_in(&app, "ada@example.com").await;
    let search = [("filter[person]", &buyer_email[..8]), ("filter[status]", "failed")];
    let r = app.call_as(&admin, "admin/deliveries", &search).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page: DeliveryPage = r.json().await.expect("page");
    assert_eq!(page.items.len(), 1, "{page:?}");
    let failed = &page.items[0];
    assert_eq!(
        (failed.user, failed.channel, failed.status),
        (buyer, NotificationChannel::Email, DeliveryStatus::Failed)
    );
    assert_eq!(failed.attempts, MAX_ATTEMPTS);

    let (someone, _) = person(&app, "Bo", "bo@example.com").await;
    for (endpoint, form) in
        [("admin/deliveries", vec![]), ("admin/deliveries/resend", vec![("id", failed.id.to_string())])]
    {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(app.call_as(&someone, endpoint, &form).await.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }

    // The provider is back: the admin sends it again, once.
    let id = failed.id.to_string();
    assert_eq!(app.call_as(&admin, "admin/deliveries/resend", &[("id", &id)]).await.status(), StatusCode::OK);
    let again = app.call_as(&admin, "admin/deliveries/resend", &[("id", &id)]).await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "a queued delivery is on its way already");
    let fixed = Services {
        mailer: Mailer::store_only("OpenAero <no-reply@openaero.local>").expect("mailer"),
        ..services.clone()
    };
    dispatch(&fixed).await;
    let mail = deliveries(pool, buyer).await.into_iter().find(|d| d.0 == "email").expect("mail");
    assert_eq!((mail.1.as_str(), mail.2, mail.4), ("sent", 1, None));
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'notice_delivery.resend'")
        .fetch_one(pool)
        .await
        .expect("audit");
    assert_eq!(audited, 1);

    // A person sees what was sent to them, and only that.
    let r = app.call_as(&someone, "account/deliveries", &[]).await;
    let own: DeliveryPage = r.json().await.expect("page");
    assert!(own.items.iter().all(|d| d.email == "bo@example.com"), "{own:?}");
    assert!(!own.items.iter().any(|d| d.user == buyer));
}

#[tokio::test]
async fn a_changed_password_is_told_in_the_app_and_by_mail_whatever_the_preferences() {
    let services = services().await;
    let pool = &services.pool;
    let (user, _) = domain::users::register::create_verified(&services, "Ada", "ada@example.com", PASSWORD, &[])
        .await
        .expect("user");
    let mut none = Preferences::defaults(Locale::En);
    none.enabled.clear();
    profile::update_preferences(&services, user, none).await.expect("preferences");
    dispatch(&services).await;
    domain::users::auth::change_password(&services, user, PASSWORD, "Osprey-dive-9021", &RequestMeta::default())
        .await
        .expect("changed");
    dispatch(&services).await;

    assert!(notices(pool).await.iter().any(|n| n.0 == user && n.1 == "password_changed" && n.2 == "/account/security"));
    let mail = mail_to(pool, user).await;
    assert!(mail.iter().any(|(subject, _)| subject.ends_with("Your OpenAero password was changed")), "{mail:?}");
    let kept = profile::get_preferences(&mut pool.acquire().await.expect("conn"), user).await.expect("read");
    assert!(!kept.is_on(Topic::OrderUpdates, NotificationChannel::Email), "the other choices stand");
}

#[tokio::test]
async fn a_payout_request_is_told_to_finance_admins_not_to_the_maker_who_asked() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[20]).await;
    let maker = maker_user(pool, items[0].1).await;
    let (finance, _) =
        domain::users::register::create_verified(&services, "Fin", "fin@example.com", PASSWORD, &[Role::Admin])
            .await
            .expect("admin");
    let buyer = customer(pool, 1).await;
    let (_, part) = paid_order(&services, buyer, items[0].0).await;
    let meta = RequestMeta::default();
    domain::commerce::orders::fulfil::ship(&services, maker, &part, "DHL", "JD1", &meta).await.expect("ship");
    domain::commerce::orders::fulfil::deliver(&services, maker, &part, &meta).await.expect("deliver");
    sqlx::query("update sub_order_history set at = now() - interval '8 days' where status = 'delivered'")
        .execute(pool)
        .await
        .expect("hold passes");
    domain::commerce::orders::fulfil::release_due(&services).await.expect("release");
    payouts::request(pool, maker, MINIMUM_PAYOUT_MINOR, &meta).await.expect("requested");
    dispatch(&services).await;

    let told = notices(pool).await;
    assert!(told.contains(&(finance, "payout_requested".into(), "/admin/payouts".into())), "{told:?}");
    assert!(!told.iter().any(|n| n.0 == maker && n.1 == "payout_requested"), "{told:?}");
    let mail = mail_to(pool, finance).await;
    assert!(mail.iter().any(|(subject, _)| subject.contains("Payout to decide: ")), "{mail:?}");
}

/// The params of `user`'s notices of `kind`, oldest first.
async fn params_of(pool: &PgPool, user: UserId, kind: &str) -> Vec<serde_json::Value> {
    sqlx::query_scalar("select params from notifications where user_id = $1 and kind = $2 order by created_at")
        .bind(user.0)
        .bind(kind)
        .fetch_all(pool)
        .await
        .expect("params")
}

#[tokio::test]
async fn a_sale_that_leaves_few_tells_the_maker_how_many_are_left() {
    let services = services().await;
    let pool = &services.pool;
    // Two of each are bought: 5 leaves 3 (few), 20 leaves 18.
    let items = products(&services, &[5, 20]).await;
    let (scarce, plenty) = (maker_user(pool, items[0].1).await, maker_user(pool, items[1].1).await);
    let buyer = customer(pool, 1).await;
    paid_order(&services, buyer, items[0].0).await;
    paid_order(&services, buyer, items[1].0).await;
    dispatch(&services).await;

    let told = params_of(pool, scarce, "stock_low").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["stock"], "3");
    assert!(notices(pool).await.contains(&(scarce, "stock_low".into(), format!("/creator/products/{}", items[0].0))));
    if scarce != plenty {
        assert!(params_of(pool, plenty, "stock_low").await.is_empty(), "18 left is plenty");
    }
    let mail = mail_to(pool, scarce).await;
    assert!(mail.iter().any(|(subject, _)| subject.ends_with(": only 3 left")), "{mail:?}");
}

#[tokio::test]
async fn a_maker_is_warned_30_and_7_days_before_a_certificate_expires_once_each() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[5, 5]).await;
    let maker = maker_user(pool, items[0].1).await;
    let now = chrono::Utc::now();
    let certify = |product: types::ids::ProductId, expires_in_days: i64| {
        sqlx::query(
            "insert into certifications (id, product_id, level, body, granted_at, expires_at)
             values ($1, $2, 'standard', 'OpenAero Labs', $3 - interval '300 days', $3 + make_interval(days => $4))",
        )
        .bind(uuid::Uuid::new_v4())
        .bind(product.0)
        .bind(now)
        .bind(expires_in_days as i32)
    };
    certify(items[0].0, 20).execute(pool).await.expect("certificate");
    // The second product's old certificate was renewed: its expiry is no news.
    certify(items[1].0, 10).execute(pool).await.expect("old certificate");
    certify(items[1].0, 375).execute(pool).await.expect("renewal");

    let expiring = domain::catalog::expiry_notices::warn_expiring;
    assert_eq!(expiring(&services, now).await.expect("warn"), 1);
    assert_eq!(expiring(&services, now + chrono::Duration::hours(1)).await.expect("again"), 1);
    let told = params_of(pool, maker, "certificate_expiring").await;
    assert_eq!(told.iter().map(|p| p["days"].as_str().unwrap_or_default()).collect::<Vec<_>>(), ["30"], "once");

    // Two weeks on, five days are left: the last warning.
    expiring(&services, now + chrono::Duration::days(15)).await.expect("warn");
    let told = params_of(pool, maker, "certificate_expiring").await;
    assert_eq!(told.iter().map(|p| p["days"].as_str().unwrap_or_default()).collect::<Vec<_>>(), ["30", "7"]);
    dispatch(&services).await;
    let mail = mail_to(pool, maker).await;
    assert_eq!(mail.iter().filter(|(subject, _)| subject.contains("Certificate expires in")).count(), 2, "{mail:?}");
}

#[tokio::test]
async fn reviewers_get_one_digest_an_hour_of_what_came_into_the_queue() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[5, 5, 5]).await;
    let (reviewer, _) =
        domain::users::register::create_verified(&services, "Rae", "rae@example.com", PASSWORD, &[Role::Reviewer])
            .await
            .expect("reviewer");
    let shopper = customer(pool, 1).await;
    let hour = chrono::Utc::now().duration_trunc(chrono::TimeDelta::hours(1)).expect("hour");
    for (product, creator) in &items {
        sqlx::query(
            "insert into review_items (id, kind, subject_id, creator_id, title, submitted_at)
             values ($1, 'product_submission', $2, $3, 'A drone', $4 - interval '20 minutes')",
        )
        .bind(uuid::Uuid::new_v4())
        .bind(product.0)
        .bind(creator.0)
        .bind(hour)
        .execute(pool)
        .await
        .expect("item");
    }
    let digest = domain::review::digest::send_due;
    // Within the hour nothing is told; after it, once however often it is looked at.
    assert_eq!(digest(&services, hour - chrono::Duration::minutes(5)).await.expect("digest"), 0);
    assert_eq!(digest(&services, hour + chrono::Duration::minutes(5)).await.expect("digest"), 3);
    assert_eq!(digest(&services, hour + chrono::Duration::minutes(15)).await.expect("digest"), 3);
    let told = params_of(pool, reviewer, "review_digest").await;
    assert_eq!(told.len(), 1, "one digest, not one per item: {told:?}");
    assert_eq!(told[0]["count"], "3");
    assert!(params_of(pool, shopper, "review_digest").await.is_empty(), "only reviewers");
    dispatch(&services).await;
    let mail = mail_to(pool, reviewer).await;
    assert!(mail.iter().any(|(subject, _)| subject.contains("Review queue: 3 new items")), "{mail:?}");
}

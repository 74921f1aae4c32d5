//! The account's webhooks pages, without JavaScript: an endpoint is registered, its
//! signing secret shown once, its (empty) delivery log opened, switched off and
//! removed; nobody else can open it.

use reqwest::StatusCode;
use types::{TextEnum, webhooks::WebhookEvent};

use crate::helpers::{PASSWORD, new_client, spawn_app};

fn select_texts(html: &str, selector: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).expect("selector");
    document.select(&selector).map(|e| e.text().collect::<String>().trim().to_owned()).collect()
}

fn attr(html: &str, selector: &str, name: &str) -> Option<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).expect("selector");
    document.select(&selector).next().and_then(|e| e.value().attr(name).map(str::to_owned))
}

const RECEIVER: &str = "http://127.0.0.1:9/hook";

#[tokio::test]
async fn a_maker_adds_a_webhook_sees_its_secret_once_switches_it_off_and_removes_it() {
    let app = spawn_app().await;
    let demo = |prefix: &str| {
        server::cli::DEMO_ACCOUNTS.iter().find(|(email, _, _)| email.starts_with(prefix)).expect("a demo account")
    };
    let (email, name, roles) = demo("creator@");
    domain::users::register::create_verified(&app.services, name, email, PASSWORD, roles).await.expect("account");
    assert_eq!(app.login(email, PASSWORD).await.status(), StatusCode::OK);

    let shipped = WebhookEvent::ALL.iter().position(|e| *e == WebhookEvent::SubOrderShipped).expect("an event");
    let shipped_field = format!("events[{shipped}]");

    // Without an event the form comes back with the address as typed.
    let r = app.post_form("account/webhooks/create", "/account/webhooks", &[("url", RECEIVER)]).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(location.contains("__err="), "{location}");
    let refused = app.get_html(location.trim_start_matches(&app.address)).await;
    assert_eq!(attr(&refused, "#field-url", "value").as_deref(), Some(RECEIVER), "the address is kept");
    assert!(select_texts(&refused, "#field-events-error").iter().any(|e| !e.is_empty()), "{refused}");

    let form = [("url", RECEIVER), ("description", "Warehouse"), (shipped_field.as_str(), "sub_order.shipped")];
    let r = app.post_form("account/webhooks/create", "/account/webhooks", &form).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(location.ends_with("/account/webhooks?created=1"), "{location}");

    let html = app.get_html(location.trim_start_matches(&app.address)).await;
    let secret = attr(&html, "#new-webhook-secret", "value").expect("the secret is shown");
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert!(html.contains("Copy it now: it will not be shown again."), "{html}");
    assert!(html.contains("OpenAero-Signature: t="), "how to check a signature: {html}");
    let kept: i64 = sqlx::query_scalar(
        "select count(*) from tower_sessions.session where position(convert_to($1, 'UTF8') in data) > 0",
    )
    .bind(&secret)
    .fetch_one(&app.services.pool)
    .await
    .expect("query");
    assert_eq!(kept, 0, "once shown, the secret is no longer in the session");

    let again = app.get_html("/account/webhooks").await;
    assert!(!again.contains(&secret), "the secret is shown once, not on a reload");
    assert!(!again.contains("Copy it now"), "{again}");
    assert!(again.contains(RECEIVER), "the endpoint is listed: {again}");
    assert!(again.contains("<code>sub_order.shipped</code>"), "with its events: {again}");
    assert!(select_texts(&again, "td .badge").contains(&"On".to_owned()), "and on: {again}");
    let page = attr(&again, "a[href^='/account/webhooks/']", "href").expect("a link to its deliveries");

    // Someone else gets the not-found page for it.
    let (other_email, other_name, other_roles) = demo("customer@");
    domain::users::register::create_verified(&app.services, other_name, other_email, PASSWORD, other_roles)
        .await
        .expect("account");
    let other = new_client();
    let login = app.call_as(&other, "account/login", &[("email", other_email), ("password", PASSWORD)]).await;
    assert_eq!(login.status(), StatusCode::OK);
    let theirs = other.get(app.url(&page)).header("accept", "text/html").send().await.expect("get");
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let theirs = theirs.text().await.expect("body");
    assert!(theirs.contains("Page not found"), "{theirs}");
    assert_eq!(select_texts(&theirs, "h1").len(), 1, "inside the account's frame, under its heading: {theirs}");
    assert!(!theirs.contains(RECEIVER), "{theirs}");
    let r =
        app.call_as(&other, "account/webhooks/disable", &[("id", page.rsplit('/').next().unwrap_or_default())]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "nor switches it off");

    let detail = app.get_html(&page).await;
    assert!(detail.contains(RECEIVER), "{detail}");
    assert!(detail.contains("No deliveries yet."), "{detail}");
    let id =
        attr(&detail, "form[action$='/account/webhooks/disable'] input[name=id]", "value").expect("a switch-off form");

    let r = app.post_form("account/webhooks/disable", &page, &[("id", &id)]).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(!location.contains("__err="), "{location}");
    let off = app.get_html(&page).await;
    assert!(off.contains("The endpoint is off"), "{off}");
    assert_eq!(select_texts(&off, "dd .badge"), ["Off"], "{off}");
    assert!(off.contains("Switch on"), "it can be switched on again: {off}");
    let listed = app.get_html("/account/webhooks").await;
    assert!(select_texts(&listed, "td .badge").contains(&"Off".to_owned()), "{listed}");

    let r = app.post_form("account/webhooks/delete", &page, &[("id", &id)]).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(location.ends_with("/account/webhooks?removed=1"), "{location}");
    let after = app.get_html(location.trim_start_matches(&app.address)).await;
    assert!(after.contains("The endpoint was removed"), "{after}");
    assert!(!after.contains(RECEIVER), "{after}");
    assert!(after.contains("You have no webhook endpoints yet."), "{after}");
    assert_eq!(app.get_page(&page).await.status(), StatusCode::NOT_FOUND, "its page is gone too");
}

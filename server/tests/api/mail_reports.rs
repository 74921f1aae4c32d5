//! The mail provider's reports: a signed report moves a mail's delivery on (delivered,
//! bounced); an address that bounced for good gets no more mail and its owner is told
//! in the app; one whose owner complained gets only security mail; an unsigned report
//! changes nothing.

use std::collections::BTreeMap;

use domain::{
    commerce::payments::signature,
    users::notices::{self, Notice},
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;
use types::{UserId, notifications::NotificationKind};

use crate::{
    checkout::{customer, products},
    helpers::{TestApp, new_client, spawn_app, spawn_app_with},
    notifications::{notices, paid_order},
    orders::maker_user,
};

const SECRET: &str = "mail-reports-secret-0123456789";

/// The newest mail delivery of `user`: (status, reference, last error).
async fn latest_mail(pool: &PgPool, user: UserId) -> Option<(String, Option<String>, Option<String>)> {
    sqlx::query_as(
        "select status, provider_ref, last_error from notice_deliveries
         where user_id = $1 and channel = 'email' order by created_at desc limit 1",
    )
    .bind(user.0)
    .fetch_optional(pool)
    .await
    .expect("delivery")
}

/// The delivery of the mail `reference` names: (status, last error).
async fn delivery(pool: &PgPool, reference: &str) -> (String, Option<String>) {
    sqlx::query_as("select status, last_error from notice_deliveries where provider_ref = $1")
        .bind(reference)
        .fetch_one(pool)
        .await
        .expect("delivery")
}

async fn report(app: &TestApp, body: Value, secret: &str) -> reqwest::Response {
    let body = serde_json::to_vec(&body).expect("json");
    new_client()
        .post(app.url("/webhooks/mail"))
        .header("content-type", "application/json")
        .header("openaero-signature", signature::sign(secret.as_bytes(), chrono::Utc::now(), &body))
        .body(body)
        .send()
        .await
        .expect("report")
}

#[tokio::test]
async fn provider_reports_move_deliveries_on_and_stop_mail_to_addresses_that_bounced_or_complained() {
    let app = spawn_app_with(&[("OPENAERO_MAIL_REPORTS_SECRET", SECRET)]).await;
    let services = &app.services;
    let pool = &services.pool;
    let items = products(services, &[20]).await;
    let maker = maker_user(pool, items[0].1).await;
    let buyer = customer(pool, 1).await;
    paid_order(services, buyer, items[0].0).await;
    app.dispatch().await;
    let (_, buyer_mail, _) = latest_mail(pool, buyer).await.expect("the buyer's mail");
    let buyer_mail = buyer_mail.expect("a Message-ID");
    let (_, maker_mail, _) = latest_mail(pool, maker).await.expect("the maker's mail");
    let maker_mail = maker_mail.expect("a Message-ID");

    // Unsigned, or signed with another key: refused, nothing moves.
    let forged =
        report(&app, json!({ "message_id": buyer_mail, "event": "delivered" }), "not-the-secret-at-all-0000").await;
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert_eq!(delivery(pool, &buyer_mail).await.0, "sent");

    let r = report(&app, json!({ "message_id": buyer_mail, "event": "delivered" }), SECRET).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.expect("json")["applied"], 1);
    assert_eq!(delivery(pool, &buyer_mail).await.0, "delivered");

    // The maker's address is gone: a batch with an unknown id too.
    let batch = json!([
        { "message_id": maker_mail, "event": "bounced", "permanent": true, "detail": "550 5.1.1 user unknown" },
        { "message_id": "<someone-else@mail.example>", "event": "delivered" },
    ]);
    let r = report(&app, batch, SECRET).await;
    assert_eq!(r.json::<Value>().await.expect("json"), json!({ "applied": 1, "ignored": 0, "unknown": 1 }));
    let (status, error) = delivery(pool, &maker_mail).await;
    assert_eq!((status.as_str(), error.as_deref()), ("bounced", Some("550 5.1.1 user unknown")));
    assert!(notices(pool).await.iter().any(|n| n.0 == maker && n.1 == "mail_bounced"), "told in the app");

    // The buyer marks a mail as spam.
    let r = report(&app, json!({ "message_id": buyer_mail, "event": "complained" }), SECRET).await;
    assert_eq!(r.json::<Value>().await.expect("json")["applied"], 1);

    // The next sale: the maker's mail is not sent (and says why), the buyer's order
    // mail is not sent, both still see it in the app.
    let before: i64 = sqlx::query_scalar("select count(*) from outgoing_mail").fetch_one(pool).await.expect("count");
    paid_order(services, buyer, items[0].0).await;
    app.dispatch().await;
    let (status, _, error) = latest_mail(pool, maker).await.expect("mail");
    assert_eq!(status, "failed");
    assert!(error.is_some_and(|e| e.contains("bounced")));
    let buyer_latest = latest_mail(pool, buyer).await.expect("mail");
    assert_eq!(buyer_latest.1.as_deref(), Some(buyer_mail.as_str()), "no new order mail to the buyer");
    let after: i64 = sqlx::query_scalar("select count(*) from outgoing_mail").fetch_one(pool).await.expect("count");
    assert_eq!(after, before, "nothing mailed");
    let sales = notices(pool).await.iter().filter(|n| n.0 == maker && n.1 == "sale_to_ship").count();
    assert_eq!(sales, 2);

    // Security mail still reaches one who complained.
    let notice = Notice {
        user: buyer,
        kind: NotificationKind::PasswordChanged,
        params: BTreeMap::new(),
        link: "/account/security".into(),
    };
    notices::send(services, "test:security", notice).await.expect("send");
    app.dispatch().await;
    assert_eq!(latest_mail(pool, buyer).await.expect("mail").0, "sent");
}

#[tokio::test]
async fn without_a_secret_no_reports_are_taken() {
    let app = spawn_app().await;
    let r = report(&app, json!({ "message_id": "<x@y>", "event": "delivered" }), SECRET).await;
    assert!(!r.status().is_success(), "{}", r.status());
}

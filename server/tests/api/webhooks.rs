//! Outgoing webhooks against real receivers on loopback: a signed delivery that
//! verifies with the documented scheme, only to those entitled to it; a failing
//! receiver retried, marked failed, sent again on request, and switched off after
//! days with its owner told.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, body::Bytes, extract::State, http::HeaderMap, http::StatusCode as AxumStatus, routing::post};
use domain::webhooks::delivery::ATTEMPTS;
use reqwest::StatusCode;
use serde_json::{Value, json};
use types::api::Scope;

use crate::{
    checkout::{GOOD, customer, fill, order_number, place, products},
    helpers::{TestApp, spawn_app, spawn_app_with},
    public_api::{maker_of, token},
};

/// What a receiver was sent: the signature header and the body.
type Received = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A receiver on loopback that answers every delivery with `status`.
async fn receiver(status: u16) -> (String, Received) {
    let received: Received = Arc::default();
    let app = Router::new()
        .route(
            "/hook",
            post(|State((seen, status)): State<(Received, u16)>, headers: HeaderMap, body: Bytes| async move {
                let signature = headers
                    .get(domain::webhooks::SIGNATURE_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                seen.lock().expect("lock").push((signature, body.to_vec()));
                AxumStatus::from_u16(status).unwrap_or(AxumStatus::OK)
            }),
        )
        .with_state((received.clone(), status));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

async fn register(app: &TestApp, secret: &str, url: &str, events: &[&str]) -> Value {
    let response = app
        .client
        .post(app.url("/api/v1/webhook_endpoints"))
        .bearer_auth(secret)
        .json(&json!({ "url": url, "events": events, "description": "warehouse" }))
        .send()
        .await
        .expect("register");
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("json")
}

/// An endpoint with its delivery log, as its owner reads it.
async fn log(app: &TestApp, secret: &str, id: &str) -> Value {
    app.client
        .get(app.url(&format!("/api/v1/webhook_endpoints/{id}")))
        .bearer_auth(secret)
        .send()
        .await
        .expect("log")
        .json()
        .await
        .expect("json")
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen within ten seconds");
}

/// An order of the first maker's product, paid and dispatched; returns its part's number.
async fn paid_order(app: &TestApp, product: types::ids::ProductId) -> String {
    let buyer = customer(&app.services.pool, 1).await;
    fill(&app.services, buyer, &[(product, 1)]).await;
    let number = order_number(&place(&app.services, buyer, GOOD).await.expect("placed"));
    app.dispatch().await;
    sqlx::query_scalar("select s.number from sub_orders s join order_groups g on g.id = s.group_id where g.number = $1")
        .bind(number)
        .fetch_one(&app.services.pool)
        .await
        .expect("part")
}

async fn ship(app: &TestApp, secret: &str, part: &str) {
    let shipped = app
        .client
        .post(app.url(&format!("/api/v1/maker/sub_orders/{part}/ship")))
        .bearer_auth(secret)
        .json(&json!({ "carrier": "DHL", "tracking_number": "JD 7" }))
        .send()
        .await
        .expect("ship");
    assert_eq!(shipped.status(), StatusCode::OK);
    // The outbox tells the webhook fan-out, as the dispatcher would.
    app.dispatch().await;
}

#[tokio::test]
async fn a_maker_hears_of_their_own_shipment_signed_and_another_maker_hears_nothing() {
    let app = spawn_app().await;
    let items = products(&app.services, &[5, 5]).await;
    let (seller, other) = (maker_of(&app, items[0].1).await, maker_of(&app, items[1].1).await);
    let part = paid_order(&app, items[0].0).await;

    let seller_token = token(&app, seller, &[Scope::WebhooksWrite, Scope::OrdersFulfil]).await;
    let (url, received) = receiver(200).await;
    let endpoint = register(&app, &seller_token, &url, &["sub_order.shipped"]).await;
    let signing = endpoint["secret"].as_str().expect("secret").to_owned();
    assert!(signing.starts_with("whsec_"));
    let other_token = token(&app, other, &[Scope::WebhooksWrite]).await;
    let (other_url, other_received) = receiver(200).await;
    register(&app, &other_token, &other_url, &["sub_order.shipped", "order.paid"]).await;

    ship(&app, &seller_token, &part).await;
    wait_until("a delivery", || !received.lock().expect("lock").is_empty()).await;
    let (signature, body) = received.lock().expect("lock")[0].clone();
    domain::commerce::payments::signature::verify(signing.as_bytes(), &signature, &body, chrono::Utc::now())
        .expect("the signature verifies with the endpoint's secret");
    let payload: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(payload["type"], "sub_order.shipped");
    assert_eq!(payload["data"]["sub_orders"], json!([part]));
    assert_eq!(payload["data"]["carrier"], "DHL");
    assert!(payload["data"].get("order").is_none(), "a maker is told of their part, not the whole order");

    // The log says so.
    let id = endpoint["id"].as_str().expect("id");
    let sent = log(&app, &seller_token, id).await;
    assert_eq!(sent["deliveries"][0]["status"], "succeeded");
    assert_eq!(sent["deliveries"][0]["response_status"], 200);

    // Another maker's endpoint is not told of this sale; nor can they read the log.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(other_received.lock().expect("lock").is_empty(), "nothing about another maker's order");
    let foreign = app
        .client
        .get(app.url(&format!("/api/v1/webhook_endpoints/{id}")))
        .bearer_auth(&other_token)
        .send()
        .await
        .expect("log");
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_failing_receiver_is_retried_marked_failed_sent_again_and_switched_off_after_days() {
    let app = spawn_app().await;
    let pool = &app.services.pool;
    let items = products(&app.services, &[5]).await;
    let seller = maker_of(&app, items[0].1).await;
    let part = paid_order(&app, items[0].0).await;
    let secret = token(&app, seller, &[Scope::WebhooksWrite, Scope::OrdersFulfil]).await;
    let (url, received) = receiver(500).await;
    let endpoint = register(&app, &secret, &url, &["sub_order.shipped"]).await;
    let id = endpoint["id"].as_str().expect("id").to_owned();

    ship(&app, &secret, &part).await;
    wait_until("a first attempt", || !received.lock().expect("lock").is_empty()).await;
    let delivery = || async {
        sqlx::query_as::<_, (uuid::Uuid, String, i32, Option<i32>, Option<bool>)>(
            "select id, status, attempts, response_status, next_attempt_at > now() + interval '30 seconds'
             from webhook_deliveries",
        )
        .fetch_one(pool)
        .await
        .expect("delivery")
    };
    let mut first = delivery().await;
    for _ in 0..50 {
        if first.2 == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        first = delivery().await;
    }
    assert_eq!(
        (first.1.as_str(), first.2, first.3, first.4),
        ("pending", 1, Some(500), Some(true)),
        "retried in a minute"
    );

    // Many failures later (their waits passed), the last attempt.
    sqlx::query("update webhook_deliveries set attempts = $1, next_attempt_at = now()")
        .bind(ATTEMPTS - 1)
        .execute(pool)
        .await
        .expect("later");
    wait_until("the last attempt", || received.lock().expect("lock").len() >= 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let last = delivery().await;
    assert_eq!((last.1.as_str(), last.2), ("failed", ATTEMPTS));

    // "Send again" tries once more, at once; the endpoint has been failing for days now,
    // so this failure switches it off and tells its owner.
    sqlx::query("update webhook_endpoints set failing_since = now() - interval '4 days'")
        .execute(pool)
        .await
        .expect("days");
    let again = app
        .client
        .post(app.url(&format!("/api/v1/webhook_endpoints/{id}/deliveries/{}/send_again", last.0)))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("send again");
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    wait_until("the attempt sent again", || received.lock().expect("lock").len() >= 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let off = log(&app, &secret, &id).await;
    assert_eq!(off["enabled"], false, "{off}");
    assert_eq!(off["disabled_reason"], "failing");
    let told: i64 =
        sqlx::query_scalar("select count(*) from notifications where user_id = $1 and kind = 'webhook_disabled'")
            .bind(seller.0)
            .fetch_one(pool)
            .await
            .expect("notified");
    assert_eq!(told, 1);
    app.dispatch().await;
    let mail = crate::notifications::mail_to(pool, seller).await;
    assert!(mail.iter().any(|(subject, _)| subject.contains("Webhook switched off: http")), "and by mail: {mail:?}");

    // Switched on again, it is sent to once more.
    let on = app
        .client
        .post(app.url(&format!("/api/v1/webhook_endpoints/{id}/enable")))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("enable");
    assert_eq!(on.json::<Value>().await.expect("json")["enabled"], true);
}

#[tokio::test]
async fn rotating_the_data_keys_reseals_every_signing_secret_and_deliveries_keep_their_signature() {
    use crate::creators::{OLD_DATA_KEY, key_ring, new_data_key};
    // A rotation's first step: every instance knows the new key, the old one still seals.
    let app = spawn_app_with(&[("OPENAERO_DATA_KEYS", &format!("{OLD_DATA_KEY},{}", new_data_key()))]).await;
    let items = products(&app.services, &[5]).await;
    let seller = maker_of(&app, items[0].1).await;
    let part = paid_order(&app, items[0].0).await;
    let seller_token = token(&app, seller, &[Scope::WebhooksWrite, Scope::OrdersFulfil]).await;
    let (url, received) = receiver(200).await;
    let endpoint = register(&app, &seller_token, &url, &["sub_order.shipped"]).await;
    let signing = endpoint["secret"].as_str().expect("secret").to_owned();

    // Then `openaero rotate-data-keys` with the new key first.
    let mut services = app.services.clone();
    services.data_keys = key_ring(&format!("{},{OLD_DATA_KEY}", new_data_key()));
    assert_eq!(domain::webhooks::endpoints::rotate(&services).await.expect("rotate"), 1);
    assert_eq!(domain::webhooks::endpoints::rotate(&services).await.expect("again"), 0);
    let (id, key_id, sealed): (uuid::Uuid, String, Vec<u8>) =
        sqlx::query_as("select id, secret_key_id, secret_sealed from webhook_endpoints")
            .fetch_one(&app.services.pool)
            .await
            .expect("row");
    assert_eq!(key_id, "k2");
    // The old key may go: the new one alone opens the secret, and it is the same secret.
    let sealed = domain::crypto::Sealed { key_id, bytes: sealed };
    assert_eq!(key_ring(&new_data_key()).open(&sealed, id.as_bytes()).expect("open"), signing);

    // Deliveries go on, signed as before.
    ship(&app, &seller_token, &part).await;
    wait_until("a delivery", || !received.lock().expect("lock").is_empty()).await;
    let (signature, body) = received.lock().expect("lock")[0].clone();
    domain::commerce::payments::signature::verify(signing.as_bytes(), &signature, &body, chrono::Utc::now())
        .expect("signed with the endpoint's unchanged secret");
}

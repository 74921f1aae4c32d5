use std::collections::HashMap;
use types::TextEnum;

use domain::events::{EventType, dispatcher};
use reqwest::StatusCode;
use types::ErrorCode;

use crate::helpers::{PASSWORD, app_error, services, spawn_app, spawn_app_on, spawn_app_with};

#[tokio::test]
async fn events_are_shaped_as_designed_and_written_with_the_change() {
    let app = spawn_app().await;
    let response = app.register("Ada", "ada@example.com").await;
    let request_id = response.headers()["x-request-id"].to_str().expect("ascii").to_owned();
    let (event_type, aggregate_type, data, metadata): (String, String, serde_json::Value, serde_json::Value) =
        sqlx::query_as("select event_type, aggregate_type, data, metadata from outbox_events")
            .fetch_one(&app.services.pool)
            .await
            .expect("one event");
    assert_eq!(event_type, EventType::UserRegistered.as_str());
    assert_eq!(aggregate_type, "user");
    assert_eq!(data["email"], "ada@example.com");
    assert_eq!(metadata["correlation_id"], request_id.as_str());
    assert_eq!(metadata["source"], "openaero");
    let deliveries: Vec<String> =
        sqlx::query_scalar("select handler from event_deliveries where status = 'pending' order by handler")
            .fetch_all(&app.services.pool)
            .await
            .expect("deliveries");
    assert_eq!(deliveries, ["account_mail", "analytics"], "one delivery per handler that hears it");
}

#[tokio::test]
async fn a_refused_change_leaves_no_event() {
    let app = spawn_app().await;
    let r = app
        .call(
            "account/register",
            &[("name", "Ada"), ("email", "bad"), ("password", PASSWORD), ("password_confirm", PASSWORD)],
        )
        .await;
    assert_eq!(app_error(r).await.code, ErrorCode::InvalidInput);
    let events: i64 =
        sqlx::query_scalar("select count(*) from outbox_events").fetch_one(&app.services.pool).await.expect("count");
    assert_eq!(events, 0);
}

#[tokio::test]
async fn failing_deliveries_back_off_then_go_dead_and_an_admin_can_retry_them() {
    // SMTP points at a closed port, so every send fails.
    let mut services = services().await;
    services.mailer =
        domain::notifications::mail::Mailer::smtp("smtp://127.0.0.1:9", "OpenAero <no-reply@openaero.test>", true)
            .expect("mailer");
    let (user, _) = domain::users::register::create_verified(&services, "Ada", "ada@example.com", PASSWORD, &[])
        .await
        .expect("user");
    domain::users::auth::request_password_reset(&services, "ada@example.com", &Default::default())
        .await
        .expect("reset");

    for attempt in 1..=dispatcher::MAX_ATTEMPTS {
        // Make the delivery due now instead of waiting out the backoff.
        sqlx::query("update event_deliveries set next_attempt_at = now() where status = 'pending'")
            .execute(&services.pool)
            .await
            .expect("due");
        assert!(dispatcher::run_once(&services).await.expect("run") >= 1, "attempt {attempt}");
        let (status, attempts, wait): (String, i32, f64) = sqlx::query_as(
            "select status, attempts, extract(epoch from next_attempt_at - now())::float8 from event_deliveries
             where event_id = (select id from outbox_events where event_type = 'user.password_reset.requested')",
        )
        .fetch_one(&services.pool)
        .await
        .expect("delivery");
        assert_eq!(attempts, attempt);
        if attempt < dispatcher::MAX_ATTEMPTS {
            assert_eq!(status, "pending");
            let expected = dispatcher::backoff(attempt).as_secs_f64();
            assert!((wait - expected).abs() < 2.0, "attempt {attempt}: waits {wait}s, expected {expected}s");
        } else {
            assert_eq!(status, "dead");
        }
    }
    let dead = dispatcher::list_dead(&services, 10).await.expect("dead");
    let reset = dead.iter().find(|d| d.event_type == "user.password_reset.requested").expect("listed");
    assert!(reset.last_error.as_deref().is_some_and(|e| e.contains("SMTP")), "{:?}", reset.last_error);

    dispatcher::retry_dead(&services, user, reset.event_id, &reset.handler).await.expect("retry");
    let status: String = sqlx::query_scalar("select status from event_deliveries where event_id = $1")
        .bind(reset.event_id.0)
        .fetch_one(&services.pool)
        .await
        .expect("status");
    assert_eq!(status, "pending");
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'event_delivery.retry'")
        .fetch_one(&services.pool)
        .await
        .expect("audit");
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn two_instances_deliver_each_event_exactly_once() {
    // Behind our proxy, so the 30 sign-ups come from 30 addresses (one address signing
    // up that many accounts at once would be slowed down).
    let first = spawn_app_with(&[("OPENAERO_TRUSTED_PROXIES", "127.0.0.1")]).await;
    let second = spawn_app_on(&first.database_url, &[("OPENAERO_DISPATCHER", "true")]).await;
    let third = spawn_app_on(&first.database_url, &[("OPENAERO_DISPATCHER", "true")]).await;
    // 30 registrations through the first instance; the dispatchers of the other two
    // instances share the deliveries.
    for i in 0..30 {
        let email = format!("pilot{i}@example.com");
        let r = first
            .client
            .post(first.url("/api/account/register"))
            .header("accept", "application/json")
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .form(&[("name", "Pilot"), ("email", &email), ("password", PASSWORD), ("password_confirm", PASSWORD)])
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), StatusCode::OK);
    }
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let pending: i64 = sqlx::query_scalar("select count(*) from event_deliveries where status <> 'delivered'")
            .fetch_one(&first.services.pool)
            .await
            .expect("count");
        if pending == 0 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{pending} deliveries still pending");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mails: Vec<(String, i64)> =
        sqlx::query_as("select to_address, count(*) from outgoing_mail group by to_address")
            .fetch_all(&first.services.pool)
            .await
            .expect("mails");
    let mails: HashMap<String, i64> = mails.into_iter().collect();
    assert_eq!(mails.len(), 30);
    assert!(mails.values().all(|n| *n == 1), "{mails:?}");
    let tokens: i64 =
        sqlx::query_scalar("select count(*) from user_tokens").fetch_one(&first.services.pool).await.expect("n");
    assert_eq!(tokens, 30, "one verification link per user: no delivery ran twice");
    drop((second, third));
}

#[tokio::test]
async fn a_delivery_whose_instance_died_is_taken_over_when_its_lease_ends() {
    let app = spawn_app().await;
    app.register("Ada", "ada@example.com").await;
    // Another instance claimed it and died: the lease is held but nothing happens.
    sqlx::query("update event_deliveries set locked_until = now() + interval '1 hour', attempts = 1")
        .execute(&app.services.pool)
        .await
        .expect("claim");
    assert_eq!(dispatcher::run_once(&app.services).await.expect("run"), 0, "a held lease is respected");
    sqlx::query("update event_deliveries set locked_until = now() - interval '1 second'")
        .execute(&app.services.pool)
        .await
        .expect("expire lease");
    assert_eq!(dispatcher::run_once(&app.services).await.expect("run"), 2, "the mail and the analytics");
    assert!(app.last_mail_to("ada@example.com").await.is_some());
}

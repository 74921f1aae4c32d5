//! Rate limits at the edge: 429 with `Retry-After` past the limit, per client address
//! (or session), and store-wide however many instances share the load.

use std::time::{Duration, Instant};

use domain::throttle::rate::Limit;
use reqwest::{Response, StatusCode};
use server::edge_limits::{PER_SESSION, SEARCH, UPLOADS, WEBHOOKS};
use types::ErrorCode;

use crate::helpers::{TestApp, app_error, new_client, spawn_app, spawn_app_on, spawn_app_with};

/// Behind a proxy on this machine, so each test picks the client address it sends.
const PROXIED: &[(&str, &str)] = &[("OPENAERO_TRUSTED_PROXIES", "127.0.0.1")];

fn retry_after(response: &Response) -> u64 {
    response.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds")
}

/// Sends `request` `times` times and checks that no more were let through than
/// `limit` allows over the time it took: how many were, and the first refusal.
pub(crate) async fn hammer(
    limit: Limit,
    times: usize,
    request: impl Fn(usize) -> reqwest::RequestBuilder,
) -> (usize, Response) {
    let (started, mut through, mut refused) = (Instant::now(), 0, None);
    for n in 0..times {
        let response = request(n).send().await.expect("request");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            refused.get_or_insert(response);
        } else {
            through += 1;
        }
    }
    let most = f64::from(limit.burst) + limit.per_second * started.elapsed().as_secs_f64() + 1.0;
    assert!((through as f64) <= most, "{through} let through, the limit allows {most:.0}");
    let refused = refused.expect("a refusal");
    assert!(retry_after(&refused) >= 1);
    (through, refused)
}

/// Most of a burst goes through before refusals start.
fn most_of_the_burst(through: usize, limit: Limit) {
    assert!(through + 2 >= limit.burst as usize, "only {through} of a burst of {}", limit.burst);
}

async fn wait_for_instances(apps: &[&TestApp]) {
    let deadline = Instant::now() + Duration::from_secs(12);
    while apps.iter().any(|app| app.services.rate_limits.instances() != apps.len() as u32) {
        assert!(Instant::now() < deadline, "the instances did not see each other");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn searches_past_the_limit_wait_and_the_limit_holds_across_two_instances() {
    let first = spawn_app_with(PROXIED).await;
    let second = spawn_app_on(&first.database_url, PROXIED).await;
    wait_for_instances(&[&first, &second]).await;

    // One visitor searching as fast as a script can, through both instances in turn.
    let (through, refused) = hammer(SEARCH, 3 * SEARCH.burst as usize, |n| {
        let app = if n % 2 == 0 { &first } else { &second };
        app.client
            .get(app.url("/search?q=drone"))
            .header("accept", "text/html")
            .header("x-forwarded-for", "203.0.113.7")
    })
    .await;
    most_of_the_burst(through, SEARCH);
    assert!((1..=2).contains(&retry_after(&refused)));
    assert!(refused.text().await.expect("body").contains("Too many requests"), "a page for a browser");

    // Another visitor searches as usual, and the first may again after waiting.
    let other = first.client.get(first.url("/search?q=drone")).header("x-forwarded-for", "198.51.100.20");
    assert_eq!(other.send().await.expect("search").status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let again = second.client.get(second.url("/search?q=drone")).header("x-forwarded-for", "203.0.113.7");
    assert_eq!(again.send().await.expect("search").status(), StatusCode::OK);
}

#[tokio::test]
async fn server_functions_are_limited_per_session_uploads_and_webhooks_per_address() {
    let app = spawn_app().await;
    // A session that calls a server function in a loop is slowed down…
    app.verified_user("Mei", "mei@example.com").await;
    let (through, refused) = hammer(PER_SESSION, 2 * PER_SESSION.burst as usize, |_| {
        app.client.post(app.url("/api/cart/count")).header("accept", "application/json")
    })
    .await;
    most_of_the_burst(through, PER_SESSION);
    let error = app_error(refused).await;
    assert_eq!((error.code, error.retry_after_secs.is_some()), (ErrorCode::TooManyAttempts, true));
    // …while somebody else at the same address is not.
    let neighbour = new_client();
    let call = neighbour.post(app.url("/api/cart/count")).header("accept", "application/json");
    assert_eq!(call.send().await.expect("call").status(), StatusCode::OK);

    // Uploads and webhooks are counted per address before anything else is done.
    let (through, _) = hammer(UPLOADS, 2 * UPLOADS.burst as usize, |_| {
        new_client().post(app.url("/api/files/uploads")).json(&serde_json::json!({"name": "a.pdf", "size": 10}))
    })
    .await;
    most_of_the_burst(through, UPLOADS);
    let (through, _) = hammer(WEBHOOKS, 2 * WEBHOOKS.burst as usize, |_| {
        new_client().post(app.url("/webhooks/payments/sandbox")).body("{}")
    })
    .await;
    most_of_the_burst(through, WEBHOOKS);
}

#[tokio::test]
async fn an_instance_that_stops_leaves_the_others_its_share() {
    let first = spawn_app().await;
    let mut second = spawn_app_on(&first.database_url, &[]).await;
    wait_for_instances(&[&first, &second]).await;
    second.stop().await.expect("joined").expect("served");
    wait_for_instances(&[&first]).await;
}

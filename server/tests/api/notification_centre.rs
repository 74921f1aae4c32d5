//! The notification centre and the live stream behind the bell: an open page hears a
//! new notice at once, whichever instance wrote it, and only its reader's; the centre
//! pages, filters, marks read and deletes, each only the reader's own.

use std::{collections::BTreeMap, time::Duration};

use reqwest::{Client, Response, StatusCode};
use sqlx::PgPool;
use types::{
    UserId,
    notifications::{LiveState, NotificationKind, NotificationList},
};

use crate::helpers::{PASSWORD, TestApp, new_client, spawn_app, spawn_app_on};

const LIVE: &str = "/notifications/live";

/// Writes a notice the way the domain does, on a connection of its own (as another
/// instance would).
async fn notify(pool: &PgPool, user: UserId, kind: NotificationKind, title: &str) {
    let params = BTreeMap::from([("title".to_owned(), title.to_owned())]);
    let mut conn = pool.acquire().await.expect("conn");
    domain::notifications::in_app::notify(&mut conn, user, kind, &params, "/creator/products").await.expect("notify");
}

/// A browser of its own, registered, verified and signed in (one browser, so no
/// new-sign-in notice); returns it with the user's id.
pub(crate) async fn person(app: &TestApp, name: &str, email: &str) -> (Client, UserId) {
    let client = new_client();
    let form = [("name", name), ("email", email), ("password", PASSWORD), ("password_confirm", PASSWORD)];
    assert_eq!(app.call_as(&client, "account/register", &form).await.status(), 200);
    app.dispatch().await;
    let token = app.link_token(email, "/verify-email").await;
    assert_eq!(app.call_as(&client, "account/verify-email", &[("token", &token)]).await.status(), 200);
    assert_eq!(app.call_as(&client, "account/login", &[("email", email), ("password", PASSWORD)]).await.status(), 200);
    let mut conn = app.services.pool.acquire().await.expect("conn");
    let email = types::Email::parse(email).expect("email");
    (client, domain::users::find_id_by_email(&mut conn, &email).await.expect("query").expect("user"))
}

/// An open event stream, read event by event.
struct Stream {
    response: Response,
    buffer: String,
}

impl Stream {
    async fn open(app: &TestApp, client: &Client) -> Stream {
        let response = client
            .get(app.url(LIVE))
            .header("accept", "text/event-stream")
            .header("accept-encoding", "gzip, br")
            .send()
            .await
            .expect("stream");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        assert!(response.headers().get("content-encoding").is_none(), "a compressed stream would be held back");
        assert_eq!(response.headers()["x-accel-buffering"], "no");
        Stream { response, buffer: String::new() }
    }

    /// The next state sent within `within`; keep-alive comments are skipped.
    async fn next(&mut self, within: Duration) -> Option<LiveState> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) {
                    assert!(event.contains("event: notifications"), "{event}");
                    return Some(serde_json::from_str(data).expect("a LiveState"));
                }
            }
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Ok(Ok(Some(chunk))) => self.buffer.push_str(std::str::from_utf8(&chunk).expect("utf-8")),
                // Timed out, or the stream ended.
                _ => return None,
            }
        }
    }
}

#[tokio::test]
async fn an_open_page_hears_its_readers_new_notices_from_any_instance_within_two_seconds() {
    let one = spawn_app().await;
    let two = spawn_app_on(&one.database_url, &[]).await;
    let (bob, bob_id) = person(&one, "Bob Maker", "bob@openaero.test").await;
    let (alice, alice_id) = person(&one, "Alice Buyer", "alice@openaero.test").await;
    assert_eq!(new_client().get(two.url(LIVE)).send().await.expect("anonymous").status(), StatusCode::UNAUTHORIZED);

    // Alice's page is served by the second instance; what happens is written by others.
    let mut stream = Stream::open(&two, &alice).await;
    let first = stream.next(Duration::from_secs(2)).await.expect("the state at once");
    assert_eq!(first, LiveState { unread: 0, newest: None });
    let writer = PgPool::connect(&one.database_url).await.expect("another connection");

    notify(&writer, bob_id, NotificationKind::SubmissionApproved, "Bob's secret prototype").await;
    notify(&writer, alice_id, NotificationKind::SubmissionApproved, "Kestrel X1").await;
    let heard = stream.next(Duration::from_secs(2)).await.expect("told within 2 s");
    assert_eq!(heard.unread, 1, "{heard:?}");
    let newest = heard.newest.expect("the new notice");
    assert!(newest.text.contains("Kestrel X1"), "{}", newest.text);
    assert!(!newest.read);
    assert_eq!(newest.link, "/creator/products");

    // Read on the first instance (as in another tab): the page follows.
    let read = one.call_as(&alice, "account/notifications/read", &[("id", &newest.id.to_string())]).await;
    assert_eq!(read.status(), StatusCode::OK);
    let after = stream.next(Duration::from_secs(2)).await.expect("told it was read");
    assert_eq!(after.unread, 0);
    assert!(after.newest.is_some_and(|n| n.read));

    // Bob's stream shows Bob's notice, and Alice's never reached it.
    let mut bobs = Stream::open(&one, &bob).await;
    let state = bobs.next(Duration::from_secs(2)).await.expect("state");
    assert_eq!(state.unread, 1);
    assert!(state.newest.is_some_and(|n| n.text.contains("Bob's secret prototype")));
}

#[tokio::test]
async fn an_open_stream_ends_when_the_instance_shuts_down_so_a_restart_is_not_held_up() {
    let mut app = spawn_app().await;
    let (client, _) = person(&app, "Alice Buyer", "alice@openaero.test").await;
    let mut stream = Stream::open(&app, &client).await;
    assert!(stream.next(Duration::from_secs(2)).await.is_some());

    let server = app.stop();
    let stopped = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(stopped.is_ok(), "the server waited for the open stream");
    assert_eq!(stream.next(Duration::from_secs(2)).await, None, "the stream ended");
}

async fn page(app: &TestApp, client: &Client, query: &[(&str, &str)]) -> NotificationList {
    let response = app.call_as(client, "account/notifications", query).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("a page")
}

#[tokio::test]
async fn the_centre_pages_filters_marks_read_and_deletes_only_the_readers_own() {
    let app = spawn_app().await;
    let (bob, bob_id) = person(&app, "Bob Maker", "bob@openaero.test").await;
    let (alice, alice_id) = person(&app, "Alice Buyer", "alice@openaero.test").await;
    let pool = &app.services.pool;
    for i in 0..33 {
        notify(pool, alice_id, NotificationKind::SubmissionApproved, &format!("Drone {i}")).await;
    }
    notify(pool, alice_id, NotificationKind::PayoutPaid, "payout").await;
    notify(pool, alice_id, NotificationKind::PayoutApproved, "payout").await;
    notify(pool, bob_id, NotificationKind::SubmissionApproved, "Bob's").await;

    let first = page(&app, &alice, &[]).await;
    assert_eq!((first.items.len(), first.unread), (30, 35));
    let older = first.older.expect("a second page").to_string();
    let second = page(&app, &alice, &[("before", &older)]).await;
    assert_eq!(second.items.len(), 5);
    assert_eq!(second.older, None);
    assert!(second.items.iter().all(|n| !first.items.iter().any(|m| m.id == n.id)), "no notice on both pages");
    assert!(first.items.iter().chain(&second.items).all(|n| n.params["title"] != "Bob's"));

    let payouts = page(&app, &alice, &[("topic", "payouts")]).await;
    assert_eq!(payouts.items.len(), 2);
    assert!(payouts.items.iter().all(|n| n.kind.topic() == types::profile::NotificationKind::Payouts));

    // Marking one read, and the unread filter.
    let one = payouts.items[0].id.to_string();
    assert_eq!(app.call_as(&alice, "account/notifications/read", &[("id", &one)]).await.status(), 200);
    let unread = page(&app, &alice, &[("unread", "true"), ("topic", "payouts")]).await;
    assert_eq!(unread.items.len(), 1);
    assert_eq!(unread.unread, 34);

    // Deleting: one's own goes; another's is not found and stays, and cannot be marked read.
    assert_eq!(app.call_as(&alice, "account/notifications/delete", &[("id", &one)]).await.status(), 200);
    assert_eq!(page(&app, &alice, &[("topic", "payouts")]).await.items.len(), 1);
    let bobs = page(&app, &bob, &[]).await.items[0].id.to_string();
    let refused = app.call_as(&alice, "account/notifications/delete", &[("id", &bobs)]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.call_as(&alice, "account/notifications/read", &[("id", &bobs)]).await.status(), 200);
    assert_eq!(page(&app, &bob, &[]).await.unread, 1, "Bob's notice is untouched");

    for endpoint in ["account/notifications", "account/notifications/read", "account/notifications/delete"] {
        let response = app.call_as(&new_client(), endpoint, &[("id", &bobs)]).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{endpoint}");
    }
}

#[tokio::test]
async fn without_javascript_the_centre_filters_and_deletes_with_plain_forms() {
    let app = spawn_app().await;
    let alice_id = app.verified_user("Alice Buyer", "alice@openaero.test").await;
    let pool = &app.services.pool;
    notify(pool, alice_id, NotificationKind::SubmissionApproved, "Kestrel X1").await;
    notify(pool, alice_id, NotificationKind::PayoutPaid, "payout").await;

    let html = app.get_html("/account/notifications?topic=review_decisions").await;
    assert!(html.contains("Kestrel X1"), "the review notice is listed");
    assert_eq!(html.matches("class=\"notice ").count() + html.matches("class=\"notice\"").count(), 1, "{html}");
    let id = page(&app, &app.client, &[("topic", "review_decisions")]).await.items[0].id.to_string();

    let deleted = app.post_form("account/notifications/delete", "/account/notifications", &[("id", &id)]).await;
    assert_eq!(deleted.status(), StatusCode::FOUND);
    let html = app.get_html("/account/notifications").await;
    assert!(!html.contains("Kestrel X1"), "deleted");
    assert!(html.contains("notice--unread"), "the payout notice is still there, unread");
}

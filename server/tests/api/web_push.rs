//! Web Push against a push service on loopback that checks what a real one checks: a
//! browser that subscribed gets each notice it chose, signed by the site's VAPID key
//! for that service and encrypted so only it can read it (the test plays the browser
//! and opens it). A subscription the service calls gone is removed; with none left the
//! delivery fails at once. Endpoints at other hosts are refused, and every form is for
//! its owner only.

use std::sync::{Arc, Mutex};

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::post,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use domain::{
    Error, Services,
    notifications::push::{
        encrypt,
        subscriptions::{self, NewSubscription},
        vapid,
    },
    users::profile,
};
use p256::{SecretKey, elliptic_curve::sec1::ToEncodedPoint};
use types::{
    ErrorCode, Locale, UserId,
    profile::{NotificationChannel, NotificationKind as Topic},
};

use crate::{
    checkout::{customer, products},
    helpers::{PASSWORD, fresh_database, spawn_app_with, test_config},
    notifications::{dispatch, paid_order},
};

/// What the push service received for one subscription: its headers and body.
type Received = (HeaderMap, Bytes);

/// A push service on loopback. It answers each subscription as told (201 unless set)
/// and keeps what it was sent.
#[derive(Clone, Default)]
struct PushService {
    received: Arc<Mutex<Vec<(String, Received)>>>,
    answers: Arc<Mutex<Vec<(String, StatusCode)>>>,
}

impl PushService {
    fn answer(&self, id: &str, status: StatusCode) {
        self.answers.lock().expect("lock").push((id.to_owned(), status));
    }

    fn for_id(&self, id: &str) -> Vec<Received> {
        self.received.lock().expect("lock").iter().filter(|(i, _)| i == id).map(|(_, r)| r.clone()).collect()
    }
}

async fn take(
    State(service): State<PushService>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, HeaderMap) {
    service.received.lock().expect("lock").push((id.clone(), (headers, body)));
    let status = service
        .answers
        .lock()
        .expect("lock")
        .iter()
        .rev()
        .find(|(i, _)| *i == id)
        .map_or(StatusCode::CREATED, |(_, s)| *s);
    let mut answer = HeaderMap::new();
    answer.insert("location", format!("/message/{id}/{}", uuid::Uuid::new_v4()).parse().expect("a header"));
    (status, answer)
}

async fn push_service() -> (PushService, String) {
    let service = PushService::default();
    let router = Router::new().route("/push/{id}", post(take)).with_state(service.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    (service, origin)
}

/// A browser: its keys, as `PushSubscription` hands them over.
struct Browser {
    secret: SecretKey,
    auth: [u8; 16],
}

impl Browser {
    fn new() -> Browser {
        Browser { secret: SecretKey::random(&mut rand::thread_rng()), auth: rand::random() }
    }

    fn subscription(&self, endpoint: &str) -> NewSubscription {
        NewSubscription {
            endpoint: endpoint.to_owned(),
            p256dh: URL_SAFE_NO_PAD.encode(self.secret.public_key().to_encoded_point(false).as_bytes()),
            auth: URL_SAFE_NO_PAD.encode(self.auth),
        }
    }

    fn open_fails(&self, body: &[u8]) -> bool {
        encrypt::decrypt(&self.secret, &self.auth, body).is_err()
    }

    /// What the service worker is handed.
    fn open(&self, body: &[u8]) -> serde_json::Value {
        serde_json::from_slice(&encrypt::decrypt(&self.secret, &self.auth, body).expect("opens")).expect("JSON")
    }
}

async fn services_with(origin: &str) -> Services {
    let (pool, url) = fresh_database().await;
    let config = test_config(&url, &[("OPENAERO_PUSH_SERVICES", origin)]);
    server::startup::services(&config, pool).await.expect("services")
}

/// (status, provider reference, last error) of `user`'s newest push delivery.
async fn push_delivery(services: &Services, user: UserId) -> Option<(String, Option<String>, Option<String>)> {
    sqlx::query_as(
        "select status, provider_ref, last_error from notice_deliveries
         where user_id = $1 and channel = 'push' order by created_at desc limit 1",
    )
    .bind(user.0)
    .fetch_optional(&services.pool)
    .await
    .expect("delivery")
}

#[tokio::test]
async fn a_subscribed_browser_gets_its_notices_signed_and_readable_and_a_gone_one_is_removed() {
    let (service, origin) = push_service().await;
    let services = services_with(&origin).await;
    let items = products(&services, &[20]).await;
    let buyer = customer(&services.pool, 1).await;
    let phone = Browser::new();

    // Nothing is pushed before a browser subscribes, and subscribing turns push on.
    let (number, _) = paid_order(&services, buyer, items[0].0).await;
    dispatch(&services).await;
    assert_eq!(push_delivery(&services, buyer).await, None);
    let before = profile::get_preferences(&mut services.pool.acquire().await.expect("conn"), buyer).await.expect("p");
    assert!(!before.is_on(Topic::OrderUpdates, NotificationChannel::Push));
    subscriptions::subscribe(
        &services,
        buyer,
        &phone.subscription(&format!("{origin}/push/phone")),
        "Firefox on Android",
    )
    .await
    .expect("subscribed");
    let after = profile::get_preferences(&mut services.pool.acquire().await.expect("conn"), buyer).await.expect("p");
    assert!(after.is_on(Topic::OrderUpdates, NotificationChannel::Push), "on for what the app shows");
    assert!(!after.is_on(Topic::Marketing, NotificationChannel::Push), "not for what the app does not show");

    let (number_two, _) = paid_order(&services, buyer, items[0].0).await;
    dispatch(&services).await;
    let (state, reference, _) = push_delivery(&services, buyer).await.expect("pushed");
    assert_eq!(state, "sent");
    assert!(reference.expect("the service's name for it").starts_with("/message/phone/"));
    let received = service.for_id("phone");
    assert_eq!(received.len(), 1, "one message for one notice");
    let (headers, body) = &received[0];
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("content-encoding"), "aes128gcm");
    assert_eq!(header("ttl"), "86400");
    let claims = vapid::verify(&header("authorization"), &origin, chrono::Utc::now().timestamp())
        .expect("signed for this service");
    assert_eq!(claims["sub"], "mailto:no-reply@openaero.local");
    let push = services.push.as_ref().expect("push in development");
    assert!(
        header("authorization").ends_with(&format!("k={}", push.public_key())),
        "the key the browser subscribed with"
    );
    let notice = phone.open(body);
    assert!(notice["title"].as_str().expect("a title").contains(&number_two), "{notice}");
    assert!(!notice["title"].as_str().expect("a title").contains(&number), "the notice of its own order");
    assert_eq!(notice["url"], format!("/orders/{number_two}"));
    assert_eq!(notice["tag"], "order_paid");
    assert!(Browser::new().open_fails(body), "nobody else reads it, the push service included");

    // A test from the preferences page reaches that browser now, in the reader's language.
    let phone_id = subscriptions::status(&services, buyer).await.expect("status").devices[0].id;
    subscriptions::send_test(&services, buyer, phone_id, Locale::Zh).await.expect("sent");
    let test = phone.open(&service.for_id("phone")[1].1);
    assert_eq!((test["title"].as_str(), test["url"].as_str()), (Some("OpenAero 测试"), Some("/account/preferences")));
    let stranger = customer(&services.pool, 2).await;
    let theirs = subscriptions::send_test(&services, stranger, phone_id, Locale::En).await;
    assert!(matches!(theirs, Err(Error::NotFound)), "only to one's own devices: {theirs:?}");

    // A second browser whose subscription has expired: removed, the phone still served.
    let laptop = Browser::new();
    subscriptions::subscribe(
        &services,
        buyer,
        &laptop.subscription(&format!("{origin}/push/laptop")),
        "Chrome on Linux",
    )
    .await
    .expect("subscribed");
    service.answer("laptop", StatusCode::GONE);
    paid_order(&services, buyer, items[0].0).await;
    dispatch(&services).await;
    assert_eq!(push_delivery(&services, buyer).await.expect("pushed").0, "sent");
    let devices = subscriptions::status(&services, buyer).await.expect("status").devices;
    assert_eq!(devices.iter().map(|d| d.device.as_str()).collect::<Vec<_>>(), ["Firefox on Android"]);
    // A test to a browser whose subscription has gone says so, and removes it too.
    let tablet = Browser::new();
    subscriptions::subscribe(
        &services,
        buyer,
        &tablet.subscription(&format!("{origin}/push/tablet")),
        "Safari on iPad",
    )
    .await
    .expect("subscribed");
    service.answer("tablet", StatusCode::GONE);
    let tablet_id = subscriptions::status(&services, buyer).await.expect("status").devices[0].id;
    let gone = subscriptions::send_test(&services, buyer, tablet_id, Locale::En).await;
    assert!(matches!(gone, Err(Error::Conflict(ErrorCode::PushDeviceGone))), "says so: {gone:?}");
    assert_eq!(subscriptions::status(&services, buyer).await.expect("status").devices.len(), 1);
    assert!(devices[0].last_sent_at.is_some());

    // A push service that is down: a test says so; a notice is tried again later, as mail is.
    service.answer("phone", StatusCode::SERVICE_UNAVAILABLE);
    let unreachable = subscriptions::send_test(&services, buyer, phone_id, Locale::En).await;
    assert!(matches!(unreachable, Err(Error::BadRequest(ErrorCode::PushNotTaken))), "{unreachable:?}");
    paid_order(&services, buyer, items[0].0).await;
    dispatch(&services).await;
    let (state, _, error) = push_delivery(&services, buyer).await.expect("queued");
    assert_eq!(state, "queued");
    assert!(error.is_some_and(|e| e.contains("503")));

    // The last browser gone: nothing left to try, so failed at once with why.
    service.answer("phone", StatusCode::NOT_FOUND);
    paid_order(&services, buyer, items[0].0).await;
    dispatch(&services).await;
    let (state, _, error) = push_delivery(&services, buyer).await.expect("tried");
    assert_eq!(state, "failed");
    assert!(error.is_some_and(|e| e.contains("no browser")), "says why");
    assert!(subscriptions::status(&services, buyer).await.expect("status").devices.is_empty());
}

#[tokio::test]
async fn only_endpoints_at_a_push_service_are_taken_and_devices_are_their_owners_alone() {
    let (_service, origin) = push_service().await;
    // The site root is the source's `public/`: the scripts as they ship.
    let public = concat!(env!("CARGO_MANIFEST_DIR"), "/../public");
    let app = spawn_app_with(&[("OPENAERO_PUSH_SERVICES", &origin), ("OPENAERO_SITE_ROOT", public)]).await;
    let services = &app.services;
    let browser = Browser::new();
    for endpoint in ["http://169.254.169.254/latest/meta-data", "https://fcm.googleapis.com/fcm/send/x"] {
        let refused = subscriptions::subscribe(services, UserId::new(), &browser.subscription(endpoint), "x").await;
        assert!(matches!(refused, Err(Error::BadRequest(ErrorCode::PushServiceRefused))), "{endpoint}: {refused:?}");
    }
    let mut bad_keys = browser.subscription(&format!("{origin}/push/a"));
    bad_keys.p256dh = URL_SAFE_NO_PAD.encode([4u8; 65]);
    let refused = subscriptions::subscribe(services, UserId::new(), &bad_keys, "x").await;
    assert!(matches!(refused, Err(Error::BadRequest(ErrorCode::InvalidInput))), "{refused:?}");

    let endpoint = format!("{origin}/push/ada");
    let form = browser.subscription(&endpoint);
    let fields = [("endpoint", form.endpoint.as_str()), ("p256dh", form.p256dh.as_str()), ("auth", form.auth.as_str())];
    assert_eq!(app.call("account/push/subscribe", &fields).await.status(), reqwest::StatusCode::UNAUTHORIZED);
    let anyone = [("id", "00000000-0000-0000-0000-000000000000")];
    for endpoint in ["account/push", "account/push/test", "account/push/remove"] {
        let form: &[(&str, &str)] = if endpoint == "account/push" { &[] } else { &anyone };
        assert_eq!(app.call(endpoint, form).await.status(), reqwest::StatusCode::UNAUTHORIZED, "{endpoint}");
    }

    let ada = app.verified_user("Ada", "ada@example.com").await;
    let response = app.call("account/push/subscribe", &fields).await;
    assert_eq!(response.status(), reqwest::StatusCode::OK, "{}", response.text().await.unwrap_or_default());
    let page = app.get_html("/account/preferences").await;
    let key = services.push.as_ref().expect("push").public_key().to_owned();
    assert!(page.contains(&format!("data-push-key=\"{key}\"")), "the page hands the browser the site's key");
    assert!(page.contains(&format!("data-endpoint=\"{endpoint}\"")), "and lists the device");
    let ada_device = subscriptions::status(services, ada).await.expect("status").devices.remove(0).id.to_string();

    let (bo, _) = domain::users::register::create_verified(services, "Bo", "bo@example.com", PASSWORD, &[])
        .await
        .expect("account");
    let other = crate::helpers::new_client();
    let login = app.call_as(&other, "account/login", &[("email", "bo@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(login.status(), reqwest::StatusCode::OK);
    let removing = app.call_as(&other, "account/push/remove", &[("id", &ada_device)]).await;
    assert_eq!(removing.status(), reqwest::StatusCode::NOT_FOUND, "Bo cannot remove Ada's device");
    let testing = app.call_as(&other, "account/push/test", &[("id", &ada_device)]).await;
    assert_eq!(testing.status(), reqwest::StatusCode::NOT_FOUND, "nor push to it");
    assert_eq!(subscriptions::status(services, ada).await.expect("status").devices.len(), 1);
    // The same browser signed up by Bo is Bo's now: one browser shows one person's notices.
    assert_eq!(app.call_as(&other, "account/push/subscribe", &fields).await.status(), reqwest::StatusCode::OK);
    assert!(subscriptions::status(services, ada).await.expect("status").devices.is_empty());
    assert_eq!(subscriptions::status(services, bo).await.expect("status").devices.len(), 1);
    assert_eq!(app.call("account/push/remove", &[("id", &ada_device)]).await.status(), reqwest::StatusCode::NOT_FOUND);

    let worker = app.client.get(app.url("/push-worker.js")).send().await.expect("worker");
    assert_eq!(worker.status(), reqwest::StatusCode::OK);
    assert_eq!(worker.headers()["cache-control"], "no-cache", "a new worker reaches browsers at once");
    assert!(worker.headers()["content-type"].to_str().expect("type").contains("javascript"));
    let policy = worker.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
    assert!(policy.contains("connect-src 'self'") && policy.starts_with("default-src 'none'"), "{policy}");
    let worker = worker.text().await.expect("script");
    assert!(worker.contains("showNotification") && worker.contains("openWindow"), "shows notices, opens their page");
    assert!(worker.contains("pushsubscriptionchange"), "and signs a renewed subscription up");
    let script = app.client.get(app.url("/push.js")).send().await.expect("script");
    assert_eq!(script.status(), reqwest::StatusCode::OK);
    assert!(script.text().await.expect("script").contains("pushManager.subscribe"));
}

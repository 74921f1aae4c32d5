//! What people are told, where they chose to hear it: a maker of a paid order to
//! ship, a customer of each step, in the app and by mail, each once however often the
//! event is heard again; and a mail's one-click unsubscribe.

use domain::{Services, users::profile};
use sqlx::PgPool;
use types::{
    Locale, UserId,
    profile::{NotificationChannel, NotificationKind as Topic, Preferences},
};

use reqwest::StatusCode;

use crate::{
    checkout::{GOOD, customer, fill, order_number, place, products},
    helpers::{new_client, services, spawn_app},
    orders::maker_user,
};

/// Everyone's in-app notices: (person, kind, link).
pub(crate) async fn notices(pool: &PgPool) -> Vec<(UserId, String, String)> {
    let rows: Vec<(uuid::Uuid, String, String)> =
        sqlx::query_as("select user_id, kind, link from notifications order by created_at, kind")
            .fetch_all(pool)
            .await
            .expect("notices");
    rows.into_iter().map(|(u, k, l)| (UserId(u), k, l)).collect()
}

/// The mail a person was sent: (subject, body).
pub(crate) async fn mail_to(pool: &PgPool, user: UserId) -> Vec<(String, String)> {
    sqlx::query_as(
        "select subject, body_text from outgoing_mail m join users u on u.email = m.to_address
         where u.id = $1 order by m.created_at",
    )
    .bind(user.0)
    .fetch_all(pool)
    .await
    .expect("mail")
}

pub(crate) async fn dispatch(services: &Services) {
    while domain::events::dispatcher::run_once(services).await.expect("dispatch") > 0 {}
}

/// A paid order of one product; returns (order number, its maker's part).
pub(crate) async fn paid_order(services: &Services, buyer: UserId, product: types::ids::ProductId) -> (String, String) {
    fill(services, buyer, &[(product, 2)]).await;
    let number = order_number(&place(services, buyer, GOOD).await.expect("placed"));
    let part = sqlx::query_scalar(
        "select s.number from sub_orders s join order_groups g on g.id = s.group_id where g.number = $1",
    )
    .bind(&number)
    .fetch_one(&services.pool)
    .await
    .expect("part");
    (number, part)
}

#[tokio::test]
async fn a_maker_is_told_what_to_ship_in_the_app_and_by_mail_once_however_often_the_event_is_heard() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[20]).await;
    let maker = maker_user(pool, items[0].1).await;
    let buyer = customer(pool, 1).await;
    let (number, part) = paid_order(&services, buyer, items[0].0).await;
    dispatch(&services).await;

    let told = notices(pool).await;
    assert!(told.contains(&(maker, "sale_to_ship".into(), format!("/creator/orders/{part}"))), "{told:?}");
    assert!(told.contains(&(buyer, "order_paid".into(), format!("/orders/{number}"))), "{told:?}");
    let product: String =
        sqlx::query_scalar("select product_name from order_lines limit 1").fetch_one(pool).await.expect("line");
    let mail = mail_to(pool, maker).await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert!(mail[0].0.ends_with(&format!("New order {part} to ship")), "{}", mail[0].0);
    assert!(mail[0].1.contains(&format!("2 × {product}")), "what to ship: {}", mail[0].1);
    assert!(mail[0].1.contains(&format!("/creator/orders/{part}")), "where to act: {}", mail[0].1);
    assert!(mail[0].1.contains("to Berlin"), "{}", mail[0].1);
    assert!(!mail[0].1.contains("Runway Road"), "the street stays on the order's page: {}", mail[0].1);

    // The outbox delivers at least once: hearing every event again tells no one twice.
    sqlx::query("update event_deliveries set status = 'pending', next_attempt_at = now(), locked_until = null")
        .execute(pool)
        .await
        .expect("redeliver");
    dispatch(&services).await;
    assert_eq!(notices(pool).await, told);
    assert_eq!(mail_to(pool, maker).await.len(), 1);
    assert_eq!(mail_to(pool, buyer).await.len(), 1);
}

#[tokio::test]
async fn order_mail_switched_off_is_not_sent_but_the_notice_is_in_the_app_and_each_hears_their_language() {
    let services = services().await;
    let pool = &services.pool;
    let items = products(&services, &[5, 5]).await;
    let quiet = customer(pool, 1).await;
    let mut choices = Preferences::defaults(Locale::En);
    choices.enabled.retain(|pair| *pair != (Topic::OrderUpdates, NotificationChannel::Email));
    profile::update_preferences(&services, quiet, choices).await.expect("preferences");
    let chinese = customer(pool, 2).await;
    profile::update_preferences(&services, chinese, Preferences::defaults(Locale::Zh)).await.expect("preferences");

    let (quiet_order, _) = paid_order(&services, quiet, items[0].0).await;
    let (chinese_order, _) = paid_order(&services, chinese, items[1].0).await;
    dispatch(&services).await;

    assert!(mail_to(pool, quiet).await.is_empty(), "order mail is off");
    let told = notices(pool).await;
    assert!(told.contains(&(quiet, "order_paid".into(), format!("/orders/{quiet_order}"))), "{told:?}");
    let mail = mail_to(pool, chinese).await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].0.ends_with(&format!("订单 {chinese_order} 已确认")), "{}", mail[0].0);

    // Security notices cannot be switched off: unticking them changes nothing.
    let mut none = Preferences::defaults(Locale::En);
    none.enabled.clear();
    profile::update_preferences(&services, quiet, none).await.expect("preferences");
    let kept = profile::get_preferences(&mut pool.acquire().await.expect("conn"), quiet).await.expect("read");
    assert!(kept.is_on(Topic::AccountSecurity, NotificationChannel::Email));
    assert!(!kept.is_on(Topic::OrderUpdates, NotificationChannel::InApp));
}

/// The unsubscribe link at the foot of a mail.
fn unsubscribe_link(body: &str) -> String {
    let start =
        body.find("To stop these emails: ").expect("the mail says how to stop it") + "To stop these emails: ".len();
    body[start..].split_whitespace().next().expect("a link").replace("http://openaero.test", "")
}

#[tokio::test]
async fn order_mail_stops_in_one_click_without_logging_in_and_only_for_its_recipient() {
    let app = spawn_app().await;
    let services = &app.services;
    let pool = &services.pool;
    let items = products(services, &[5, 5]).await;
    let buyer = customer(pool, 1).await;
    let other = customer(pool, 2).await;
    paid_order(services, buyer, items[0].0).await;
    dispatch(services).await;
    let mail = mail_to(pool, buyer).await;
    let link = unsubscribe_link(&mail[0].1);
    let maker = maker_user(pool, items[0].1).await;
    assert!(mail_to(pool, maker).await[0].1.contains("To stop these emails: "), "the maker's order mail has it too");

    // Anyone holding the link sees what it would stop, and nothing changes by looking.
    let anonymous = new_client();
    let page = anonymous.get(app.url(&link)).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("Stop emails about “Orders and shipping” to b•••@example.test?"), "{html}");
    let on = |user| async move {
        let mut conn = pool.acquire().await.expect("conn");
        profile::get_preferences(&mut conn, user).await.expect("read")
    };
    assert!(on(buyer).await.is_on(Topic::OrderUpdates, NotificationChannel::Email));

    // The link made for another person, or for another topic, is refused.
    let forged = link.replacen(&buyer.to_string(), &other.to_string(), 1);
    assert_eq!(anonymous.get(app.url(&forged)).send().await.expect("page").status(), StatusCode::NOT_FOUND);
    let one_click = |path: String| {
        anonymous
            .post(app.url(&path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
    };
    assert_eq!(one_click(forged.clone()).await.expect("post").status(), StatusCode::NOT_FOUND);
    // A browser is sent to the page, which says so in the reader's language.
    let refused = anonymous
        .post(app.url(&forged))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    let html =
        anonymous.get(app.url(refused.headers()["location"].to_str().expect("location"))).send().await.expect("page");
    assert_eq!(html.status(), StatusCode::NOT_FOUND);
    assert!(html.text().await.expect("html").contains("This unsubscribe link is not valid."));
    assert_eq!(
        one_click(link.replacen("order_updates", "payouts", 1)).await.expect("post").status(),
        StatusCode::NOT_FOUND
    );
    assert!(on(other).await.is_on(Topic::OrderUpdates, NotificationChannel::Email), "nobody else is unsubscribed");

    // A mail client's one-click POST: no session, no cookie.
    assert_eq!(one_click(link.clone()).await.expect("post").status(), StatusCode::OK);
    let now = on(buyer).await;
    assert!(!now.is_on(Topic::OrderUpdates, NotificationChannel::Email));
    assert!(now.is_on(Topic::OrderUpdates, NotificationChannel::InApp), "still told in the app");
    assert!(now.is_on(Topic::Payouts, NotificationChannel::Email), "other topics are untouched");
    paid_order(services, buyer, items[1].0).await;
    dispatch(services).await;
    assert_eq!(mail_to(pool, buyer).await.len(), 1, "no more order mail");
    assert_eq!(notices(pool).await.iter().filter(|(u, k, _)| *u == buyer && k == "order_paid").count(), 2);

    // The page's own button: a browser is sent to the page, which says it is done.
    let pressed = anonymous
        .post(app.url(&link))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("post");
    assert_eq!(pressed.status(), StatusCode::SEE_OTHER);
    let done = pressed.headers()["location"].to_str().expect("location").to_owned();
    let html = anonymous.get(app.url(&done)).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("Done: no more emails about “Orders and shipping” to b•••@example.test."), "{html}");
}

//! Analytics collection as a shopper and an operator would notice it: page views
//! counted by the server (kept pages too) with their product and source, nobody who
//! asked not to be tracked and no program counted, and the store's facts from the
//! outbox counted once however often they are delivered.

use reqwest::{Client, StatusCode};
use uuid::Uuid;

use crate::{
    checkout::{GOOD, customer, fill, place, products},
    helpers::{TestApp, spawn_app},
};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

fn browser() -> Client {
    Client::builder()
        .user_agent(FIREFOX)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn visit(app: &TestApp, client: &Client, path: &str, headers: &[(&str, &str)]) {
    let mut request = client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.bytes().await.expect("body");
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
struct Row {
    kind: String,
    page_kind: Option<String>,
    product_id: Option<Uuid>,
    source: Option<String>,
    utm_medium: Option<String>,
    has_visitor: bool,
}

#[tokio::test]
async fn page_views_are_counted_with_their_product_and_source_but_not_for_opted_out_visitors_or_programs() {
    let app = spawn_app().await;
    let (product, creator) = products(&app.services, &[5]).await[0];
    let slug: String = sqlx::query_scalar("select slug from products where id = $1")
        .bind(product.0)
        .fetch_one(&app.services.pool)
        .await
        .expect("slug");
    let shopper = browser();
    visit(&app, &shopper, "/", &[("referer", "https://www.fpv-forum.example/t/1")]).await;
    let page = format!("/p/{slug}?utm_source=newsletter&utm_medium=email");
    visit(&app, &shopper, &page, &[]).await;
    // The second is answered from the page cache, and counts the same.
    visit(&app, &shopper, &page, &[]).await;
    visit(&app, &shopper, &format!("/p/{slug}"), &[("dnt", "1")]).await;
    visit(&app, &shopper, "/", &[("sec-gpc", "1")]).await;
    visit(&app, &browser(), "/", &[("user-agent", "curl/8.5.0")]).await;
    visit(&app, &app.client, "/", &[]).await;
    app.services.analytics.flush(&app.services.pool).await.expect("write");

    let mut rows: Vec<Row> = sqlx::query_as(
        "select kind, page_kind, product_id, source, utm_medium, visitor is not null as has_visitor
         from analytics_events order by at",
    )
    .fetch_all(&app.services.pool)
    .await
    .expect("events");
    rows.sort_by(|a, b| a.kind.cmp(&b.kind));
    let home = Row {
        kind: "page_view".into(),
        page_kind: Some("home".into()),
        product_id: None,
        source: Some("fpv-forum.example".into()),
        utm_medium: None,
        has_visitor: true,
    };
    let product_view = Row {
        kind: "product_view".into(),
        page_kind: Some("product".into()),
        product_id: Some(product.0),
        source: Some("newsletter".into()),
        utm_medium: Some("email".into()),
        has_visitor: true,
    };
    assert_eq!(rows, [home, product_view.clone(), product_view], "no opted-out visitor, no program");
    let visitors: i64 = sqlx::query_scalar("select count(distinct visitor) from analytics_events")
        .fetch_one(&app.services.pool)
        .await
        .expect("visitors");
    assert_eq!(visitors, 1, "one browser on one address is one visitor");

    let (views, maker): (i64, Option<Uuid>) = sqlx::query_as(
        "select events, creator_id from analytics_daily where kind = 'product_view' and product_id = $1",
    )
    .bind(product.0)
    .fetch_one(&app.services.pool)
    .await
    .expect("the day's rollup");
    assert_eq!((views, maker), (2, Some(creator.0)), "the rollup counts the product's views under its maker");
}

#[tokio::test]
async fn a_signed_in_shoppers_views_carry_their_account() {
    let app = spawn_app().await;
    let user = app.verified_user("Robin", "robin@example.test").await;
    let shopper = browser();
    let login = shopper
        .post(app.url("/api/account/login"))
        .header("accept", "application/json")
        .form(&[("email", "robin@example.test"), ("password", crate::helpers::PASSWORD)])
        .send()
        .await
        .expect("login");
    assert!(login.status().is_success(), "{}", login.status());
    visit(&app, &shopper, "/cart", &[]).await;
    app.services.analytics.flush(&app.services.pool).await.expect("write");
    let (kind, account): (String, Option<Uuid>) =
        sqlx::query_as("select page_kind, user_id from analytics_events where kind = 'page_view'")
            .fetch_one(&app.services.pool)
            .await
            .expect("the cart's view");
    assert_eq!((kind.as_str(), account), ("cart", Some(user.0)));
}

#[tokio::test]
async fn an_order_paid_counts_once_per_line_however_often_its_event_is_delivered() {
    let app = spawn_app().await;
    let services = &app.services;
    let lines = products(services, &[5, 5]).await;
    let buyer = customer(&services.pool, 1).await;
    fill(services, buyer, &[(lines[0].0, 2), (lines[1].0, 1)]).await;
    place(services, buyer, GOOD).await.expect("paid");
    app.dispatch().await;
    let paid = || async {
        sqlx::query_as::<_, (i64, i64, i64)>(
            "select count(*), sum(quantity)::int8, sum(amount_minor)::int8 from analytics_events where kind = 'order_paid'",
        )
        .fetch_one(&services.pool)
        .await
        .expect("paid lines")
    };
    let first = paid().await;
    let total: i64 = sqlx::query_scalar("select sum(subtotal_minor)::int8 from sub_orders")
        .fetch_one(&services.pool)
        .await
        .expect("order");
    assert_eq!(first, (2, 3, total), "one event per line, with its quantity and what it cost");

    // The dispatcher delivers at least once: the same event, delivered again.
    sqlx::query(
        "update event_deliveries set status = 'pending', next_attempt_at = now(), delivered_at = null
         where handler = 'analytics'",
    )
    .execute(&services.pool)
    .await
    .expect("redeliver");
    app.dispatch().await;
    assert_eq!(paid().await, first, "a redelivered order.paid counts once");
    let rolled_up: i64 = sqlx::query_scalar("select sum(events)::int8 from analytics_daily where kind = 'order_paid'")
        .fetch_one(&services.pool)
        .await
        .expect("rollup");
    assert_eq!(rolled_up, 2);
}

//! Analytics collection as a shopper and an operator would notice it: page views
//! counted by the server (kept pages too) with their product and source, nobody who
//! asked not to be tracked and no program counted, and the store's facts from the
//! outbox counted once however often they are delivered.

use std::net::IpAddr;

use chrono::{Days, NaiveDate, TimeDelta, Utc};
use domain::analytics::{Event, VisitorKey, report::Period};
use reqwest::{Client, StatusCode};
use types::{
    Locale, Role,
    analytics::{
        EventKind, PageKind, Totals,
        table::{Cell, Dashboard, TableName},
    },
    catalog::Money,
};
use uuid::Uuid;

use crate::{
    checkout::{GOOD, customer, fill, place, products},
    helpers::{TestApp, spawn_app},
    order_pages::member,
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

    let (views, visitors): (i64, i64) =
        sqlx::query_as("select views, visitors from analytics_product_daily where product_id = $1")
            .bind(product.0)
            .fetch_one(&app.services.pool)
            .await
            .expect("the product's day");
    assert_eq!((views, visitors), (2, 1), "the product's day counts both views and its one visitor");
    let maker_views: i64 =
        sqlx::query_scalar("select views from analytics_maker_sources where creator_id = $1 and source = 'newsletter'")
            .bind(creator.0)
            .fetch_one(&app.services.pool)
            .await
            .expect("the maker's sources");
    assert_eq!(maker_views, 2, "the views count under the product's maker and the source they came from");
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
async fn an_order_paid_counts_once_with_each_line_however_often_its_event_is_delivered() {
    let app = spawn_app().await;
    let services = &app.services;
    let lines = products(services, &[5, 5]).await;
    let buyer = customer(&services.pool, 1).await;
    fill(services, buyer, &[(lines[0].0, 2), (lines[1].0, 1)]).await;
    place(services, buyer, GOOD).await.expect("paid");
    app.dispatch().await;
    let paid = || async {
        sqlx::query_as::<_, (String, i64, i64, i64)>(
            "select kind, count(*), sum(quantity)::int8, sum(amount_minor)::int8 from analytics_events
             where kind in ('order_paid', 'product_purchased') group by kind order by kind",
        )
        .fetch_all(&services.pool)
        .await
        .expect("paid")
    };
    let first = paid().await;
    let total: i64 =
        sqlx::query_scalar("select total_minor from order_groups").fetch_one(&services.pool).await.expect("order");
    assert_eq!(
        first,
        [("order_paid".to_owned(), 1, 1, total), ("product_purchased".to_owned(), 2, 3, total)],
        "the order once, and each line with its quantity and what it cost"
    );

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
    let orders = services.reports.overview(Period::last(1, Utc::now().date_naive())).await.expect("overview");
    assert_eq!((orders.current.orders, orders.current.revenue.minor), (1, total));
}

pub(crate) fn visitor(n: u8) -> Option<VisitorKey> {
    Some(VisitorKey::new(IpAddr::from([203, 0, 113, n]), FIREFOX))
}

/// An event `minutes` after midnight of `day`.
fn event(kind: EventKind, day: NaiveDate, minutes: i64, who: Option<VisitorKey>) -> Event {
    let at = day.and_hms_opt(0, 0, 0).expect("midnight").and_utc() + TimeDelta::minutes(minutes);
    let mut event = Event::new(kind, at);
    event.visitor = who;
    event.page_kind = who.map(|_| PageKind::Home);
    event
}

#[tokio::test]
async fn the_overview_of_a_hand_made_day_gives_exactly_its_figures() {
    let services = crate::helpers::services().await;
    let day = Utc::now().date_naive() - Days::new(1);
    let money =
        |kind, minor| Event { amount_minor: minor, currency: Some("USD".into()), ..event(kind, day, 700, None) };
    let events = [
        // Ann: in at 10:00, again at 10:20, back at 11:00 (40 minutes away: a second visit).
        event(EventKind::PageView, day, 600, visitor(1)),
        event(EventKind::ProductView, day, 620, visitor(1)),
        event(EventKind::PageView, day, 660, visitor(1)),
        // Bo: one look in the afternoon.
        event(EventKind::PageView, day, 900, visitor(2)),
        event(EventKind::CheckoutStarted, day, 905, visitor(2)),
        money(EventKind::OrderPaid, 12_000),
        money(EventKind::OrderRefunded, 2_500),
    ];
    domain::analytics::partitions::ensure_days(&services.pool, &[day]).await.expect("partition");
    // Written in two batches, as two flushes would: Ann's visits still count as two.
    let (morning, rest) = events.split_at(2);
    for batch in [morning, rest] {
        let mut tx = services.pool.begin().await.expect("tx");
        services.analytics.write(&mut tx, batch).await.expect("write");
        tx.commit().await.expect("commit");
    }

    let overview = services.reports.overview(Period { from: day, to: day }).await.expect("overview");
    let usd = |minor| Money::new(minor, "USD");
    assert_eq!(
        overview.current,
        Totals {
            visitors: 2,
            sessions: 3,
            page_views: 4,
            checkouts: 1,
            orders: 1,
            revenue: usd(12_000),
            refunds: 1,
            refunded: usd(2_500),
        }
    );
    assert_eq!(overview.current.conversion_bps(), Some(3_333), "one order in three visits");
    assert_eq!(overview.previous.visitors, 0);
    let days: Vec<(i64, i64, i64)> = overview.days.iter().map(|d| (d.visitors, d.page_views, d.orders)).collect();
    assert_eq!(days, [(2, 4, 1)]);
    assert_eq!(overview.days[0].day, day.to_string(), "a day is named as a date");

    let week = services.reports.overview(Period::last(7, day)).await.expect("a week");
    assert_eq!(week.days.len(), 7, "empty days are shown too");
    assert_eq!(week.current.page_views, 4);
}

#[tokio::test]
async fn only_those_allowed_read_the_analytics() {
    let app = spawn_app().await;
    let anonymous = app.call("admin/analytics/dashboard", &[("section", "overview")]).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let (_, customer) = member(&app, "Casey", &[Role::Customer]).await;
    let (_, reviewer) = member(&app, "Remy", &[Role::Customer, Role::Reviewer]).await;
    for (who, client) in [("a customer", &customer), ("a reviewer", &reviewer)] {
        let answer = app.call_as(client, "admin/analytics/dashboard", &[("section", "overview")]).await;
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{who} cannot read the store's figures");
    }
    let (_, admin) = member(&app, "Ada", &[Role::Customer, Role::Admin]).await;
    let answer = app
        .call_as(
            &admin,
            "admin/analytics/dashboard",
            &[("section", "overview"), ("from", "2026-12-01"), ("to", "2026-12-07")],
        )
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
    let bad = app.call_as(&admin, "admin/analytics/dashboard", &[("section", "overview"), ("from", "someday")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = admin.get(app.url("/admin/analytics?from=2026-12-01&to=2026-12-07")).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(html.contains("2026-12-01 to 2026-12-07") && html.contains("<svg"), "{html}");
}

#[tokio::test]
async fn a_maker_sees_their_own_products_funnel_and_nobody_elses() {
    let app = spawn_app().await;
    // Two products of two makers, whose accounts Mia and Rafa hold.
    let makers = products(&app.services, &[5, 5]).await;
    let (maker, maker_client) = member(&app, "Mia", &[Role::Customer, Role::Creator]).await;
    let (rival, rival_client) = member(&app, "Rafa", &[Role::Customer, Role::Creator]).await;
    let mut slugs = Vec::new();
    for (user, (product, creator)) in [maker, rival].into_iter().zip(makers) {
        sqlx::query("update creators set user_id = $1 where id = $2")
            .bind(user.0)
            .bind(creator.0)
            .execute(&app.services.pool)
            .await
            .expect("own a maker");
        let slug: String = sqlx::query_scalar("select slug from products where id = $1")
            .bind(product.0)
            .fetch_one(&app.services.pool)
            .await
            .expect("slug");
        slugs.push(slug);
    }
    // A shopper views Mia's product twice and adds it to the cart once; Rafa's once.
    let shopper = browser();
    visit(&app, &shopper, &format!("/p/{}?utm_source=newsletter", slugs[0]), &[]).await;
    visit(&app, &shopper, &format!("/p/{}", slugs[0]), &[("referer", "https://fpv-forum.example/")]).await;
    visit(&app, &shopper, &format!("/p/{}", slugs[1]), &[]).await;
    let added = shopper
        .post(app.url("/api/cart/add"))
        .header("accept", "application/json")
        .form(&[("product", slugs[0].as_str()), ("quantity", "1")])
        .send()
        .await
        .expect("add");
    assert_eq!(added.status(), StatusCode::OK);
    app.services.analytics.flush(&app.services.pool).await.expect("write");

    let month = Period::last(30, Utc::now().date_naive());
    let figures = app.services.reports.maker(maker, month, Locale::En).await.expect("Mia's figures");
    let mine = figures.products.iter().find(|p| p.slug == slugs[0]).expect("her product");
    assert_eq!((mine.views, mine.visitors, mine.adds, mine.purchases), (2, 1, 1, 0), "one visitor, twice");
    assert!(figures.products.iter().all(|p| p.slug != slugs[1]), "not Rafa's product");
    let live: i64 = sqlx::query_scalar(
        "select count(*) from products where status = 'published' and creator_id = (select creator_id from products where slug = $1)",
    )
    .bind(&slugs[0])
    .fetch_one(&app.services.pool)
    .await
    .expect("live products");
    assert_eq!(figures.unseen, live - 1, "her other live products are counted, not listed");
    let mut sources = figures.sources.clone();
    sources.sort();
    assert_eq!(sources, [(Some("fpv-forum.example".to_owned()), 1), (Some("newsletter".to_owned()), 1)]);
    let theirs = app.services.reports.maker(rival, month, Locale::En).await.expect("Rafa's figures");
    assert_eq!(theirs.products.iter().find(|p| p.slug == slugs[1]).map(|p| p.views), Some(1));

    // The portal asks with nothing but the session: each reads their own, in the page's
    // table and in its CSV file.
    for (client, own, other) in [(&maker_client, &slugs[0], &slugs[1]), (&rival_client, &slugs[1], &slugs[0])] {
        let dashboard: Dashboard = app.call_as(client, "creator/analytics", &[]).await.json().await.expect("figures");
        let links: Vec<String> = dashboard
            .table(TableName::Products)
            .expect("products")
            .rows
            .iter()
            .filter_map(|row| match &row[0] {
                Cell::Link { href, .. } => Some(href.clone()),
                _ => None,
            })
            .collect();
        assert!(links.contains(&format!("/p/{own}")) && !links.contains(&format!("/p/{other}")), "{links:?}");
        let csv = client.get(app.url("/creator/analytics/products.csv")).send().await.expect("csv");
        assert_eq!(csv.status(), StatusCode::OK);
        let body = csv.text().await.expect("csv");
        assert!(body.starts_with("\u{feff}product,views,"), "{body}");
        assert_eq!(body.lines().count(), 1 + links.len(), "the same rows as the page: {body}");
    }

    // Nobody names whose figures they read, and a customer has none.
    let (_, customer) = member(&app, "Casey", &[Role::Customer]).await;
    assert_eq!(app.call_as(&customer, "creator/analytics", &[]).await.status(), StatusCode::FORBIDDEN);
    let csv = customer.get(app.url("/creator/analytics/products.csv")).send().await.expect("csv");
    assert_eq!(csv.status(), StatusCode::FORBIDDEN);
    let page = maker_client.get(app.url("/creator/analytics")).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.expect("html").contains("Where views came from"));
}

#[tokio::test]
async fn a_flush_returns_only_when_what_was_recorded_before_it_is_written() {
    // The background writer may hold a batch when a flush comes: the flush waits for
    // it rather than finding the buffer empty and returning before the batch commits.
    let app = spawn_app().await;
    let services = app.services.clone();
    domain::analytics::partitions::ensure_days(&services.pool, &[Utc::now().date_naive()]).await.expect("days");
    for round in 1..=20i64 {
        for _ in 0..500 {
            services.analytics.record(Event::new(EventKind::Search, Utc::now()));
        }
        let writer = {
            let services = services.clone();
            tokio::spawn(async move { services.analytics.flush(&services.pool).await })
        };
        tokio::task::yield_now().await;
        services.analytics.flush(&services.pool).await.expect("flush");
        let written: i64 = sqlx::query_scalar("select count(*) from analytics_events where kind = 'search'")
            .fetch_one(&services.pool)
            .await
            .expect("count");
        assert_eq!(written, 500 * round, "everything recorded before the flush was written when it returned");
        writer.await.expect("writer").expect("written");
    }
}

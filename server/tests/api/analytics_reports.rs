//! The console's reports as an operator would check them: the money agrees with the
//! books, hand-made shoppers, products and searches give exactly their figures, and
//! only an admin reads them (as pages, as server functions and as CSV files).

use chrono::{Datelike, Days, NaiveDate, TimeDelta, Utc};
use domain::{
    RequestMeta,
    analytics::{Event, ProductRef, report::Period},
    commerce::orders::fulfil::{self, RefundBy},
};
use reqwest::StatusCode;
use types::{
    ErrorCode, Locale, Role, TextEnum,
    analytics::{
        EventKind, PageKind,
        table::{Cell, Column, Dashboard, SavedReport, Section, TableName},
    },
    catalog::Money,
};

use crate::{
    analytics::visitor,
    checkout::{GOOD, customer, fill, order_number, place, products, scalar},
    helpers::{services, spawn_app},
    order_pages::member,
};

fn figure(d: &Dashboard, name: Column) -> Cell {
    d.figures.iter().find(|f| f.name == name).map(|f| f.now.clone()).unwrap_or_else(|| panic!("{name:?}"))
}

/// The sum of a money or count column.
fn total(d: &Dashboard, table: TableName, column: Column) -> i64 {
    d.table(table).expect("table").column(column).into_iter().filter_map(Cell::value).sum()
}

fn usd(minor: i64) -> Cell {
    Cell::Money(Money::new(minor, "USD"))
}

#[tokio::test]
async fn the_revenue_report_agrees_with_the_ledger_and_with_the_overview() {
    let app = spawn_app().await;
    let services = &app.services;
    let pool = &services.pool;
    let lines = products(services, &[5, 5]).await;
    let buyer = customer(pool, 1).await;
    fill(services, buyer, &[(lines[0].0, 2), (lines[1].0, 1)]).await;
    let number = order_number(&place(services, buyer, GOOD).await.expect("paid"));
    let admin = customer(pool, 2).await;
    let meta = RequestMeta::default();
    fulfil::refund(services, &format!("{number}-1"), Some(1_000), "scratched", RefundBy::Admin(admin), &meta)
        .await
        .expect("refund");
    app.dispatch().await;

    let today = Period::last(1, Utc::now().date_naive());
    let revenue = services.reports.revenue(today, Locale::En).await.expect("revenue");
    let ledger = |account: &'static str, kind: &'static str| async move {
        scalar(
            pool,
            &format!(
                "select coalesce(sum(e.amount_minor), 0)::int8 from ledger_entries e
                 join ledger_transactions t on t.id = e.transaction_id
                 where e.account = '{account}' and t.kind like '{kind}'"
            ),
        )
        .await
    };
    let gross = ledger("cash", "payment").await;
    let refunded = -ledger("cash", "refund").await;
    let commission = -ledger("commission", "%").await;
    assert_eq!(gross, scalar(pool, "select total_minor from order_groups").await, "what the shopper paid");
    assert_eq!(refunded, 1_000);
    assert_eq!(
        [Column::Gross, Column::Commission, Column::Refunded, Column::Payouts].map(|c| figure(&revenue, c)),
        [usd(gross), usd(commission), usd(refunded), usd(0)],
        "the report's money is the ledger's"
    );
    for table in [TableName::RevenueDays, TableName::RevenueMakers] {
        assert_eq!(total(&revenue, table, Column::Gross), gross, "{table:?} adds up");
        assert_eq!(total(&revenue, table, Column::Commission), commission, "{table:?} adds up");
        assert_eq!(total(&revenue, table, Column::Refunded), refunded, "{table:?} adds up");
    }
    assert_eq!(revenue.table(TableName::RevenueMakers).expect("makers").rows.len(), 2, "one row a maker");
    assert_eq!(total(&revenue, TableName::RevenueCategories, Column::Gross), gross, "every line has its category");

    // The overview counts the same money from the order events, not the books.
    let overview = services.reports.overview(today).await.expect("overview");
    assert_eq!((overview.current.revenue.minor, overview.current.refunded.minor), (gross, refunded));
}

/// An event `minutes` after midnight of `day`, by visitor `n`, signed in as `user`.
fn seen(kind: EventKind, day: NaiveDate, minutes: i64, n: u8, user: Option<types::UserId>) -> Event {
    let at = day.and_hms_opt(0, 0, 0).expect("midnight").and_utc() + TimeDelta::minutes(minutes);
    let mut event = Event::new(kind, at);
    event.visitor = visitor(n);
    event.page_kind = Some(PageKind::Home);
    event.user = user.map(|u| u.0);
    event
}

async fn write(services: &domain::Services, days: &[NaiveDate], events: &[Event]) {
    domain::analytics::partitions::ensure_days(&services.pool, days).await.expect("partitions");
    let mut tx = services.pool.begin().await.expect("tx");
    services.analytics.write(&mut tx, events).await.expect("write");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn hand_made_shoppers_give_exactly_their_signups_active_days_and_cohort() {
    let services = services().await;
    let pool = &services.pool;
    let today = Utc::now().date_naive();
    let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    // Three accounts opened on Monday; Ann comes back that day, Bo that day and today.
    let people = [customer(pool, 1).await, customer(pool, 2).await, customer(pool, 3).await];
    let opened = monday.and_hms_opt(9, 0, 0).expect("nine").and_utc();
    let ids: Vec<uuid::Uuid> = people.iter().map(|p| p.0).collect();
    sqlx::query("update users set created_at = $1 where id = any($2)")
        .bind(opened)
        .bind(&ids)
        .execute(pool)
        .await
        .expect("opened on Monday");
    let mut events: Vec<Event> = (0..3).map(|_| seen(EventKind::Signup, monday, 540, 0, None)).collect();
    for event in &mut events {
        event.visitor = None;
        event.page_kind = None;
    }
    events.push(seen(EventKind::PageView, monday, 600, 1, Some(people[0])));
    events.push(seen(EventKind::PageView, monday, 610, 2, Some(people[1])));
    events.push(seen(EventKind::PageView, monday, 620, 3, None));
    let mut later = vec![seen(EventKind::PageView, today, 5, 2, Some(people[1]))];
    if today == monday {
        later.clear();
    }
    events.extend(later.iter().cloned());
    write(&services, &[monday, today], &events).await;

    let week = Period { from: monday, to: today };
    let shoppers = services.reports.shoppers(week).await.expect("shoppers");
    assert_eq!(figure(&shoppers, Column::Signups), Cell::Count(3));
    assert_eq!(figure(&shoppers, Column::Active), Cell::Count(2), "a visitor never signed in is not a shopper");
    let days = shoppers.table(TableName::ActiveDays).expect("days");
    assert_eq!(days.rows[0], [Cell::Text(monday.to_string()), Cell::Count(3), Cell::Count(2)]);
    let cohorts = shoppers.table(TableName::Cohorts).expect("cohorts");
    assert_eq!(cohorts.rows.len(), 1, "one week of signups");
    let row = &cohorts.rows[0];
    assert_eq!((&row[0], &row[1]), (&Cell::Text(monday.to_string()), &Cell::Count(3)));
    assert_eq!(row[2], Cell::Share(Some(6_666)), "two of three came back in their first week");
    assert_eq!(row[3], Cell::Share(None), "next week has not come yet");
    assert_eq!(
        shoppers.table(TableName::ActiveWeeks).expect("weeks").rows,
        [vec![Cell::Text(monday.to_string()), Cell::Count(2)]]
    );
}

#[tokio::test]
async fn the_products_report_ranks_funnels_by_product_maker_and_category() {
    let app = spawn_app().await;
    let services = &app.services;
    let items = products(services, &[5, 5]).await;
    let day = Utc::now().date_naive();
    let mut events = Vec::new();
    for (i, (product, _)) in items.iter().enumerate() {
        let product = domain::analytics::product_ref(&services.pool, product.0).await.expect("ref").expect("product");
        let at = |kind, n: u8| Event { product: Some(product), ..seen(kind, day, 60 + i64::from(n), n, None) };
        // The first product: three views, one add; the second: one view.
        let views = if i == 0 { 3 } else { 1 };
        events.extend((0..views).map(|n| at(EventKind::ProductView, n)));
        if i == 0 {
            events.push(at(EventKind::AddToCart, 0));
        }
    }
    write(services, &[day], &events).await;
    let report = services.reports.products(Period { from: day, to: day }, Locale::En).await.expect("products");
    let first: ProductRef =
        domain::analytics::product_ref(&services.pool, items[0].0.0).await.expect("ref").expect("product");
    let products = report.table(TableName::ProductFunnels).expect("products");
    assert_eq!(products.column(Column::Views), [&Cell::Count(3), &Cell::Count(1)], "most viewed first");
    assert_eq!(products.column(Column::Visitors), [&Cell::Count(3), &Cell::Count(1)], "each seen by its visitors");
    assert!(report.table(TableName::MakerFunnels).expect("makers").column(Column::Visitors).is_empty());
    assert_eq!(products.column(Column::ViewToCart)[0], &Cell::Share(Some(3_333)));
    assert!(matches!(products.rows[0][0], Cell::Link { ref href, .. } if href.starts_with("/p/")));
    assert_eq!(total(&report, TableName::MakerFunnels, Column::Views), 4);
    assert_eq!(report.table(TableName::MakerFunnels).expect("makers").rows.len(), 2, "two makers");
    assert_eq!(total(&report, TableName::CategoryFunnels, Column::Adds), 1);
    assert!(report.table(TableName::BestSellers).expect("best").rows.is_empty(), "nothing sold yet");
    assert!(first.category.is_some());

    // The same visitors again the same day, in a later write: more views, no more visitors.
    write(services, &[day], &events).await;
    let again = services.reports.products(Period { from: day, to: day }, Locale::En).await.expect("products");
    let products = again.table(TableName::ProductFunnels).expect("products");
    assert_eq!(products.column(Column::Views), [&Cell::Count(6), &Cell::Count(2)]);
    assert_eq!(products.column(Column::Visitors), [&Cell::Count(3), &Cell::Count(1)]);
}

#[tokio::test]
async fn the_search_report_finds_the_popular_the_fruitless_the_unopened_and_the_rising() {
    let services = services().await;
    let pool = &services.pool;
    let now = Utc::now();
    let log = |query: &'static str, results: i32, opened: bool, days_ago: i64| async move {
        let at = now - TimeDelta::days(days_ago);
        sqlx::query(
            "insert into search_log (id, page_id, query, result_count, locale, created_at, clicked_at)
             values (gen_random_uuid(), gen_random_uuid(), $1, $2, 'en', $3, case when $4 then $3 end)",
        )
        .bind(query)
        .bind(results)
        .bind(at)
        .bind(opened)
        .execute(pool)
        .await
        .expect("logged");
    };
    // This week: "fpv" three times (opened twice), "Thermal " twice and never opened,
    // "hexacopter" once with nothing found; last week: "fpv" once, "thermal" never.
    for opened in [true, true, false] {
        log("fpv", 12, opened, 0).await;
    }
    log("Thermal ", 4, false, 1).await;
    log("thermal", 4, false, 2).await;
    log("hexacopter", 0, false, 0).await;
    log("fpv", 12, true, 8).await;

    let week = Period::last(7, now.date_naive());
    let search = services.reports.searches(week).await.expect("search");
    let text = |s: &str| Cell::Text(s.to_owned());
    let queries =
        |name| search.table(name).expect("table").column(Column::Query).into_iter().cloned().collect::<Vec<_>>();
    assert_eq!(figure(&search, Column::Searches), Cell::Count(6));
    assert_eq!(figure(&search, Column::ZeroResultShare), Cell::Share(Some(1_666)));
    assert_eq!(figure(&search, Column::OpenedShare), Cell::Share(Some(3_333)));
    assert_eq!(queries(TableName::PopularQueries), [text("fpv"), text("thermal"), text("hexacopter")]);
    assert_eq!(queries(TableName::ZeroResultQueries), [text("hexacopter")]);
    assert_eq!(queries(TableName::UnopenedQueries), [text("thermal")], "found, never opened");
    assert_eq!(queries(TableName::TrendingQueries), [text("fpv"), text("thermal"), text("hexacopter")]);
    let rising = search.table(TableName::TrendingQueries).expect("rising");
    assert_eq!(rising.rows[0][1..], [Cell::Count(3), Cell::Count(1), Cell::Change(Some(200))]);
}

#[tokio::test]
async fn only_an_admin_reads_the_reports_and_their_csv_files() {
    let app = spawn_app().await;
    let (_, customer) = member(&app, "Casey", &[Role::Customer]).await;
    let (_, maker) = member(&app, "Mia", &[Role::Customer, Role::Creator]).await;
    let (_, admin) = member(&app, "Ada", &[Role::Customer, Role::Admin]).await;
    for &section in Section::ALL {
        let name: &str = section.into();
        let form = [("section", name)];
        assert_eq!(app.call("admin/analytics/dashboard", &form).await.status(), StatusCode::UNAUTHORIZED);
        for (who, client) in [("a customer", &customer), ("a maker", &maker)] {
            let answer = app.call_as(client, "admin/analytics/dashboard", &form).await;
            assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{who} cannot read {name}");
        }
        let answer = app.call_as(&admin, "admin/analytics/dashboard", &form).await;
        assert_eq!(answer.status(), StatusCode::OK, "{name}");
        let dashboard: Dashboard = answer.json().await.expect("dashboard");
        let page = admin.get(app.url(&section.path())).send().await.expect("page");
        assert_eq!(page.status(), StatusCode::OK, "{name}");
        let html = page.text().await.expect("html");
        for table in &dashboard.tables {
            let file = format!("/admin/analytics/{name}/{}.csv", <&str>::from(table.name));
            // An empty table says so instead; its file is still there, with its header.
            assert_eq!(html.contains(&file), !table.rows.is_empty(), "{name} links {file} when it has rows");
            let csv = admin.get(app.url(&file)).send().await.expect("csv");
            assert_eq!(csv.status(), StatusCode::OK, "{file}");
            assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
            let body = csv.text().await.expect("body");
            let header = table.columns.iter().map(|c| c.key()).collect::<Vec<_>>().join(",");
            assert!(body.trim_start_matches('\u{feff}').starts_with(&header), "{file}: {body}");
            let refused = customer.get(app.url(&file)).send().await.expect("csv");
            assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{file}");
        }
    }
    let missing = admin.get(app.url("/admin/analytics/search/nothing.csv")).send().await.expect("csv");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let bad = admin.get(app.url("/admin/analytics/overview/days.csv?from=someday")).send().await.expect("csv");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let anonymous = reqwest::Client::new().get(app.url("/admin/analytics/overview/days.csv")).send().await;
    assert_eq!(anonymous.expect("csv").status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_admin_keeps_reports_under_a_name_and_nobody_else_sees_or_removes_them() {
    let app = spawn_app().await;
    let (_, ada) = member(&app, "Ada", &[Role::Customer, Role::Admin]).await;
    let (_, bea) = member(&app, "Bea", &[Role::Customer, Role::Admin]).await;
    let (_, casey) = member(&app, "Casey", &[Role::Customer]).await;
    let november = [("section", "revenue"), ("name", "November money"), ("from", "2026-11-01"), ("to", "2026-11-30")];
    let week = [
        ("section", "search"),
        ("name", "Searches this week"),
        ("from", "2026-11-01"),
        ("to", "2026-11-07"),
        ("moving", "on"),
    ];
    for form in [&november[..], &week[..]] {
        assert_eq!(app.call_as(&ada, "admin/analytics/save", form).await.status(), StatusCode::OK);
    }
    // Saving again under a name replaces what it kept.
    let later = [("section", "revenue"), ("name", "November money"), ("from", "2026-11-02"), ("to", "2026-11-30")];
    assert_eq!(app.call_as(&ada, "admin/analytics/save", &later).await.status(), StatusCode::OK);
    let app = &app;
    let saved = |client| async move {
        let answer = app.call_as(client, "admin/analytics/saved", &[]).await;
        answer.json::<Vec<SavedReport>>().await.expect("saved reports")
    };
    let mine = saved(&ada).await;
    let today = Utc::now().date_naive();
    let hrefs: Vec<&str> = mine.iter().map(|r| r.href.as_str()).collect();
    let moving = format!("/admin/analytics/search?from={}&to={today}", today - Days::new(6));
    assert_eq!(hrefs, ["/admin/analytics/revenue?from=2026-11-02&to=2026-11-30", moving.as_str()], "by name");
    assert_eq!(mine[1].moving_days, Some(7), "the last seven days, whenever it is opened");

    // Another admin neither sees nor removes them; a customer cannot save one.
    assert!(saved(&bea).await.is_empty());
    let theirs = [("id", mine[0].id.as_str())];
    assert_eq!(app.call_as(&bea, "admin/analytics/forget", &theirs).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.call_as(&casey, "admin/analytics/save", &november).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.call_as(&casey, "admin/analytics/saved", &[]).await.status(), StatusCode::FORBIDDEN);

    // A report needs a name, said at its field; nothing is saved without one.
    let unnamed = [("section", "revenue"), ("name", "  "), ("from", "2026-11-01"), ("to", "2026-11-30")];
    let refused = app.call_as(&ada, "admin/analytics/save", &unnamed).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: app::error::AppError = refused.json().await.expect("error");
    assert_eq!(error.field("name"), Some(ErrorCode::Required));
    assert_eq!(app.call_as(&ada, "admin/analytics/forget", &theirs).await.status(), StatusCode::OK);
    assert_eq!(saved(&ada).await.len(), 1);
    let page = ada.get(app.url("/admin/analytics/search")).send().await.expect("page").text().await.expect("html");
    assert!(page.contains("Searches this week") && page.contains("the last 7 days"), "listed on the reports");
}

#[tokio::test]
async fn the_apps_connections_run_without_the_query_compiler() {
    // The dashboards' many short queries ran 10–30 % faster without PostgreSQL's JIT.
    let app = spawn_app().await;
    let jit: String = sqlx::query_scalar("show jit").fetch_one(&app.services.pool).await.expect("jit");
    assert_eq!(jit, "off");
}

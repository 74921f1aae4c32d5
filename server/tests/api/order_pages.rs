//! Checkout and orders through their server functions, as the browser calls them
//! (with and without JavaScript), and as the wrong person.

use reqwest::StatusCode;
use types::{ErrorCode, Role, UserId, checkout::CheckoutPage, orders::OrderSummary};

use crate::{
    catalog::seed_options,
    helpers::{PASSWORD, TestApp, app_error, new_client, spawn_app},
};

async fn slugs(app: &TestApp) -> Vec<String> {
    domain::catalog::seed::seed_catalog(&app.services.pool, &seed_options(10, 3)).await.expect("seed");
    sqlx::query("update products set stock_on_hand = 10, stock_reserved = 0")
        .execute(&app.services.pool)
        .await
        .expect("stock");
    sqlx::query_scalar("select slug from products where status = 'published' order by slug limit 3")
        .fetch_all(&app.services.pool)
        .await
        .expect("slugs")
}

/// The checkout form as the page fills it, with `card`.
async fn order_form(app: &TestApp, card: &str) -> Vec<(&'static str, String)> {
    let page: CheckoutPage = app.call("checkout", &[]).await.json().await.expect("checkout page");
    checkout_form(&page, card)
}

/// What the checkout page sends for `page` paid with `card`, to a new address.
pub(crate) fn checkout_form(page: &CheckoutPage, card: &str) -> Vec<(&'static str, String)> {
    let fields = [
        ("key", page.key.as_str()),
        ("total", &page.cart.total().minor.to_string()),
        ("address", "new"),
        ("full_name", "Casey Customer"),
        ("line1", "1 Runway Road"),
        ("city", "Berlin"),
        ("postal_code", "10115"),
        ("country", "DE"),
        ("card_number", card),
        ("card_expiry", "12/30"),
        ("card_cvc", "123"),
    ];
    fields.map(|(k, v)| (k, v.to_owned())).to_vec()
}

pub(crate) fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn checkout_and_orders_answer_only_their_owner() {
    let app = spawn_app().await;
    let slugs = slugs(&app).await;
    let endpoints = [
        "checkout",
        "checkout/place",
        "orders",
        "orders/detail",
        "orders/cancel",
        "orders/rate-product",
        "orders/rate-maker",
        "account/addresses",
    ];
    for endpoint in endpoints {
        let nil = uuid::Uuid::nil().to_string();
        let r = app.call(endpoint, &[("number", "OA-100001"), ("product", &nil), ("body", "x")]).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{endpoint} needs a signed-in user");
    }

    app.verified_user("Casey", "casey@example.test").await;
    app.call("cart/add", &[("product", &slugs[0])]).await;
    // Missing card and address fields come back together, each on its field.
    let r = app.call("checkout/place", &[("key", "x"), ("total", "1"), ("address", "new")]).await;
    let e = app_error(r).await;
    for field in ["card_number", "card_expiry", "card_cvc", "full_name", "line1", "city", "postal_code", "country"] {
        assert!(e.field(field).is_some(), "{field} in {e:?}");
    }
    let declined = app.call("checkout/place", &pairs(&order_form(&app, "4000000000000002").await)).await;
    assert_eq!(declined.status().as_u16(), 402);
    assert_eq!(app_error(declined).await.code, ErrorCode::CardDeclined);

    // With JavaScript: the outcome, and the browser is sent on to the order.
    let placed = app.call("checkout/place", &pairs(&order_form(&app, "4242 4242 4242 4242").await)).await;
    assert_eq!(placed.status(), StatusCode::OK);
    let orders: Vec<OrderSummary> = app.call("orders", &[]).await.json().await.expect("orders");
    assert_eq!(orders.len(), 1, "the declined attempt is not an order");
    let number = orders[0].number.clone();

    // Without JavaScript: a plain form post ends on the new order's page.
    app.call("cart/add", &[("product", &slugs[1])]).await;
    let form = order_form(&app, "4242424242424242").await;
    let r = app.post_form("checkout/place", "/checkout", &pairs(&form)).await;
    assert!(r.status().is_redirection(), "{}", r.status());
    let location = r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned();
    assert!(location.starts_with("/orders/OA-"), "{location}");
    let page = app.get_html(&location).await;
    assert!(page.contains("Shipped by") || page.contains("shipped by"), "the order page shows each maker's part");
    assert!(page.contains("Test order: no real payment"), "paid through the sandbox, and the page says so");
    assert!(orders[0].is_test, "the order list marks it too");
    let books = domain::ledger::reconcile::run(&app.services.pool).await.expect("reconcile");
    let test_line = books.checks.iter().find(|c| c.name == domain::ledger::reconcile::TEST_ORDERS).expect("a line");
    assert!(!test_line.detail.starts_with("0 transactions"), "the books count the test sales: {}", test_line.detail);
    let document = scraper::Html::parse_document(&page);
    let focused = scraper::Selector::parse("[autofocus]").expect("selector");
    let focused: Vec<String> =
        document.select(&focused).map(|e| e.text().collect::<String>().trim().to_owned()).collect();
    assert_eq!(focused, ["Thank you — your order is placed."], "the confirmation takes the focus");
    let later = app.get_html(location.split('?').next().unwrap_or_default()).await;
    assert!(!later.contains("autofocus"), "an order opened later does not steal the focus");

    // Someone else sees nothing of it and cancels nothing.
    app.verified_user("Stranger", "stranger@example.test").await;
    let r = app.call("orders/detail", &[("number", &number)]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app.call("orders/cancel", &[("number", &format!("{number}-1"))]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let rating = [("number", format!("{number}-1")), ("stars", "1".into()), ("body", "Never arrived".into())];
    let r = app.call("orders/rate-maker", &pairs(&rating)).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "nobody rates someone else's order");
    let theirs: Vec<OrderSummary> = app.call("orders", &[]).await.json().await.expect("orders");
    assert!(theirs.is_empty());

    // The owner cancels their unshipped part and is refunded in full; what was never
    // delivered cannot be rated.
    assert_eq!(app.login("casey@example.test", PASSWORD).await.status(), StatusCode::OK);
    let r = app.call("orders/rate-maker", &pairs(&rating)).await;
    assert_eq!(app_error(r).await.code, ErrorCode::NotDelivered);
    let r = app.call("orders/cancel", &[("number", &format!("{number}-1"))]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let again = app.call("orders/cancel", &[("number", &format!("{number}-1"))]).await;
    assert_eq!(app_error(again).await.code, ErrorCode::OrderStatusConflict);
    let order: types::orders::OrderView =
        app.call("orders/detail", &[("number", &number)]).await.json().await.expect("order");
    assert_eq!(order.sub_orders[0].status, types::orders::SubOrderStatus::Cancelled);
    assert_eq!(order.sub_orders[0].refunded, order.sub_orders[0].subtotal);
}

/// A user with `roles`, logged in on a client of their own.
pub(crate) async fn member(app: &TestApp, name: &str, roles: &[Role]) -> (UserId, reqwest::Client) {
    let email = format!("{}@example.test", name.to_lowercase());
    let (id, _) =
        domain::users::register::create_verified(&app.services, name, &email, PASSWORD, roles).await.expect("user");
    let client = new_client();
    let r = app.call_as(&client, "account/login", &[("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::OK, "{name} logs in");
    (id, client)
}

#[tokio::test]
async fn money_and_fulfilment_functions_refuse_whoever_may_not_use_them() {
    let app = spawn_app().await;
    let slugs = slugs(&app).await;
    // A maker of the seed whose account we can log in to, and a paid order of theirs.
    let (maker, maker_client) = member(&app, "Mia", &[Role::Customer, Role::Creator]).await;
    let (rival_id, rival) = member(&app, "Rafa", &[Role::Customer, Role::Creator]).await;
    sqlx::query("update creators set user_id = $1 where id = (select creator_id from products where slug = $2)")
        .bind(maker.0)
        .bind(&slugs[0])
        .execute(&app.services.pool)
        .await
        .expect("maker");
    sqlx::query(
        "update creators set user_id = $1
         where id = (select min(creator_id::text)::uuid from products
                     where creator_id <> (select creator_id from products where slug = $2))",
    )
    .bind(rival_id.0)
    .bind(&slugs[0])
    .execute(&app.services.pool)
    .await
    .expect("rival");
    let (_, buyer) = member(&app, "Casey", &[Role::Customer]).await;
    app.call_as(&buyer, "cart/add", &[("product", &slugs[0])]).await;
    let page: CheckoutPage = app.call_as(&buyer, "checkout", &[]).await.json().await.expect("checkout page");
    let form = checkout_form(&page, "4242424242424242");
    assert_eq!(app.call_as(&buyer, "checkout/place", &pairs(&form)).await.status(), StatusCode::OK);
    let orders: Vec<OrderSummary> = app.call_as(&buyer, "orders", &[]).await.json().await.expect("orders");
    let sub_order = format!("{}-1", orders[0].number);

    let args: &[(&str, &str)] = &[
        ("number", &sub_order),
        ("sub_order", &sub_order),
        ("id", "00000000-0000-0000-0000-000000000000"),
        ("amount", "1.00"),
        ("reason", "test"),
        ("reference", "x"),
        ("carrier", "DHL"),
        ("tracking_number", "JD1"),
    ];
    let admin_only = [
        "admin/orders",
        "admin/order",
        "admin/order/refund",
        "admin/payouts",
        "admin/payouts/approve",
        "admin/payouts/reject",
        "admin/payouts/paid",
        "admin/ledger",
    ];
    let makers_only = [
        "creator/orders",
        "creator/order",
        "creator/order/ship",
        "creator/order/deliver",
        "creator/balances",
        "creator/revenue",
        "creator/payouts",
        "creator/payouts/request",
    ];
    let (_, reviewer) = member(&app, "Rita", &[Role::Customer, Role::Reviewer]).await;
    for endpoint in admin_only.iter().chain(&makers_only) {
        let stranger = app.call_as(&new_client(), endpoint, args).await;
        assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED, "{endpoint} as a stranger");
        let customer = app.call_as(&buyer, endpoint, args).await;
        assert_eq!(customer.status(), StatusCode::FORBIDDEN, "{endpoint} as a customer");
    }
    for endpoint in admin_only {
        let r = app.call_as(&reviewer, endpoint, args).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{endpoint} as a reviewer");
        let r = app.call_as(&maker_client, endpoint, args).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{endpoint} as a creator");
    }

    // Another maker neither sees nor ships nor delivers it; its own maker does.
    for endpoint in ["creator/order", "creator/order/ship", "creator/order/deliver"] {
        let r = app.call_as(&rival, endpoint, args).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{endpoint} as another maker");
    }
    let theirs: Vec<serde_json::Value> = app.call_as(&rival, "creator/orders", &[]).await.json().await.expect("list");
    assert!(theirs.is_empty(), "another maker lists none of it");
    assert_eq!(app.call_as(&maker_client, "creator/order", args).await.status(), StatusCode::OK);
    assert_eq!(app.call_as(&maker_client, "creator/order/ship", args).await.status(), StatusCode::OK);
}

//! The cart: anonymous and signed-in, quantities capped at stock, notices when a
//! price or the stock moved, the merge at login, and plain forms without JavaScript.

use reqwest::{Client, StatusCode};
use types::{
    ErrorCode,
    cart::{CartView, LineNotice},
};

use crate::{
    catalog::seed_options,
    helpers::{PASSWORD, TestApp, app_error, catalog_written, new_client, spawn_app},
};

/// Two published products of two makers, with known stock: (slug, id) each.
async fn two_products(app: &TestApp, stock: [i32; 2]) -> [(String, String); 2] {
    domain::catalog::seed::seed_catalog(&app.services.pool, &seed_options(10, 3)).await.expect("seed");
    let rows: Vec<(String, uuid::Uuid)> = sqlx::query_as(
        "select slug, id from (
             select distinct on (creator_id) slug, id, creator_id from products
             where status = 'published' order by creator_id, slug
         ) one_per_maker order by creator_id limit 2",
    )
    .fetch_all(&app.services.pool)
    .await
    .expect("products");
    for ((_, id), stock) in rows.iter().zip(stock) {
        sqlx::query("update products set stock_on_hand = $2, stock_reserved = 0 where id = $1")
            .bind(id)
            .bind(stock)
            .execute(&app.services.pool)
            .await
            .expect("stock");
    }
    catalog_written(app).await;
    [(rows[0].0.clone(), rows[0].1.to_string()), (rows[1].0.clone(), rows[1].1.to_string())]
}

async fn cart_of(app: &TestApp, client: &Client) -> CartView {
    app.call_as(client, "cart", &[]).await.json().await.expect("cart")
}

async fn add(app: &TestApp, client: &Client, slug: &str, quantity: &str) -> reqwest::Response {
    app.call_as(client, "cart/add", &[("product", slug), ("quantity", quantity)]).await
}

#[tokio::test]
async fn a_visitor_fills_a_cart_capped_at_stock_and_changes_it() {
    let app = spawn_app().await;
    let [(kestrel, kestrel_id), (tern, _)] = two_products(&app, [5, 0]).await;
    let visitor = new_client();

    let r = add(&app, &visitor, &kestrel, "2").await;
    assert_eq!(r.json::<i32>().await.expect("json"), 2);
    let r = add(&app, &visitor, &kestrel, "10").await;
    assert_eq!(r.json::<i32>().await.expect("json"), 5, "never more than is in stock");
    let sold_out = add(&app, &visitor, &tern, "1").await;
    assert_eq!(app_error(sold_out).await.code, ErrorCode::SoldOut);
    for bad in ["abc", "0", "100"] {
        let r = add(&app, &visitor, &kestrel, bad).await;
        assert!(app_error(r).await.field("quantity").is_some(), "quantity {bad}");
    }
    let cart = cart_of(&app, &visitor).await;
    assert_eq!(cart.count(), 5);
    assert_eq!(cart.lines().next().map(|l| l.slug.as_str()), Some(kestrel.as_str()));

    // Another visitor has a cart of their own.
    assert_eq!(cart_of(&app, &new_client()).await.count(), 0);

    let r = app.call_as(&visitor, "cart/update", &[("product", &kestrel_id), ("quantity", "3")]).await;
    assert_eq!(r.json::<i32>().await.expect("json"), 3);
    let r = app.call_as(&visitor, "cart/update", &[("product", &kestrel_id), ("quantity", "0")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(cart_of(&app, &visitor).await.is_empty(), "0 removes the line");
}

#[tokio::test]
async fn the_cart_says_when_a_price_or_the_stock_moved() {
    let app = spawn_app().await;
    let [(kestrel, kestrel_id), (tern, tern_id)] = two_products(&app, [5, 5]).await;
    let visitor = new_client();
    add(&app, &visitor, &kestrel, "4").await;
    add(&app, &visitor, &tern, "1").await;
    let before = cart_of(&app, &visitor).await;
    let old_price = before.lines().find(|l| l.slug == kestrel).expect("line").unit_price.clone();

    let pool = &app.services.pool;
    let exec = |sql: &'static str, id: String| async move {
        sqlx::query(sql).bind(uuid::Uuid::parse_str(&id).expect("id")).execute(pool).await.expect("update")
    };
    exec("update products set price_minor = price_minor + 1000, stock_on_hand = 2 where id = $1", kestrel_id).await;
    exec("update products set status = 'archived' where id = $1", tern_id).await;
    let cart = cart_of(&app, &visitor).await;
    let line = |slug: &str| cart.lines().find(|l| l.slug == slug).cloned().expect("line");
    assert_eq!(line(&kestrel).notice, Some(LineNotice::OnlyLeft { available: 2 }));
    assert_eq!(line(&kestrel).unit_price.minor, old_price.minor + 1000, "the current price is shown");
    assert_eq!(line(&tern).notice, Some(LineNotice::Unavailable));
    assert_eq!(cart.total().minor, 2 * (old_price.minor + 1000), "only what checkout can buy is counted");

    // Once the quantity fits the stock, the price change is what remains to say.
    let r = app.call_as(&visitor, "cart/update", &[("product", &kestrel), ("quantity", "2")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "lines are addressed by product id");
    let id = line(&kestrel).product.to_string();
    assert_eq!(
        app.call_as(&visitor, "cart/update", &[("product", &id), ("quantity", "2")]).await.status(),
        StatusCode::OK
    );
    assert_eq!(cart_of(&app, &visitor).await.lines().find(|l| l.slug == kestrel).expect("line").notice, None);
    sqlx::query("update products set price_minor = price_minor - 500 where slug = $1")
        .bind(&kestrel)
        .execute(pool)
        .await
        .expect("price");
    let notice = cart_of(&app, &visitor).await.lines().find(|l| l.slug == kestrel).expect("line").notice.clone();
    assert!(matches!(notice, Some(LineNotice::PriceChanged { was }) if was.minor == old_price.minor + 1000));
}

#[tokio::test]
async fn an_anonymous_cart_joins_the_accounts_cart_at_login() {
    let app = spawn_app().await;
    let [(kestrel, _), (tern, _)] = two_products(&app, [5, 5]).await;
    app.verified_user("Casey", "casey@example.com").await;
    add(&app, &app.client, &kestrel, "3").await;

    let visitor = new_client();
    add(&app, &visitor, &kestrel, "4").await;
    add(&app, &visitor, &tern, "1").await;
    let r = app.call_as(&visitor, "account/login", &[("email", "casey@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cart = cart_of(&app, &visitor).await;
    let quantity = |slug: &str| cart.lines().find(|l| l.slug == slug).map(|l| l.quantity);
    assert_eq!(quantity(&kestrel), Some(5), "3 + 4, capped at the 5 in stock");
    assert_eq!(quantity(&tern), Some(1));
    assert_eq!(cart_of(&app, &app.client).await, cart, "one cart for the account, on every device");
    let anonymous: i64 = sqlx::query_scalar("select count(*) from carts where user_id is null")
        .fetch_one(&app.services.pool)
        .await
        .expect("count");
    assert_eq!(anonymous, 0, "the anonymous cart is gone");
}

#[tokio::test]
async fn without_javascript_the_form_adds_and_the_page_shows_the_count() {
    let app = spawn_app().await;
    let [(kestrel, _), _] = two_products(&app, [5, 5]).await;
    let page = format!("/p/{kestrel}");
    let r = app.post_form("cart/add", &page, &[("product", &kestrel), ("quantity", "2")]).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let back = r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned();
    assert!(back.starts_with(&app.url(&page)), "back to the product page: {back}");
    let html = app.get_html(&page).await;
    assert!(html.contains("Cart, 2 items"), "the header counts the cart");
    let html = app.get_html("/cart").await;
    assert!(html.contains(&format!("/p/{kestrel}")) && html.contains("Sold and shipped by"));

    // Listings add one with a click, and come back to the listing.
    let listing = app.get_html("/search").await;
    assert!(listing.contains(&format!(r#"name="product" value="{kestrel}""#)), "the card has its add form");
    let r = app.post_form("cart/add", "/search", &[("product", &kestrel)]).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert!(app.get_html("/search").await.contains("Cart, 3 items"));
}

#[tokio::test]
async fn anonymous_carts_nobody_came_back_to_are_swept_and_customers_carts_kept() {
    let app = spawn_app().await;
    let [(kestrel, _), _] = two_products(&app, [5, 5]).await;
    app.verified_user("Casey", "casey@example.com").await;
    add(&app, &app.client, &kestrel, "1").await;
    let (gone, kept) = (new_client(), new_client());
    add(&app, &gone, &kestrel, "1").await;
    add(&app, &kept, &kestrel, "1").await;
    sqlx::query("update carts set updated_at = now() - interval '31 days'")
        .execute(&app.services.pool)
        .await
        .expect("age");
    sqlx::query(
        "update carts set updated_at = now() where id = (select max(id::text)::uuid from carts where user_id is null)",
    )
    .execute(&app.services.pool)
    .await
    .expect("touch one");
    let swept = domain::commerce::cart::sweep_abandoned(&app.services.pool).await.expect("sweep");
    assert_eq!(swept, 1);
    let left = [cart_of(&app, &gone).await.count(), cart_of(&app, &kept).await.count()];
    assert_eq!(left.iter().sum::<u32>(), 1, "one anonymous cart left");
    assert_eq!(cart_of(&app, &app.client).await.count(), 1, "a customer's cart is never swept");
}

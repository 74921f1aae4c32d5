//! The public API (`/api/v1`) as an integrator meets it: bearer tokens and their
//! scopes, one error shape, a maker's products and stock, `If-Match`,
//! `Idempotency-Key`, rate limits and the OpenAPI document.

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use types::{
    api::{Lifetime, Scope},
    ids::{CreatorId, ProductId, UserId},
};

use crate::{
    checkout::{customer, products},
    helpers::{TestApp, spawn_app},
};

/// A token for `user` with `scopes`, made as the account page makes it.
pub(crate) async fn token(app: &TestApp, user: UserId, scopes: &[Scope]) -> String {
    let pool = &app.services.pool;
    let epoch: i32 = sqlx::query_scalar("select auth_epoch from users where id = $1")
        .bind(user.0)
        .fetch_one(pool)
        .await
        .expect("epoch");
    let mut conn = pool.acquire().await.expect("connection");
    let account = domain::users::session_user(&mut conn, user, epoch).await.expect("read").expect("active");
    domain::users::api_tokens::create(pool, &account, "integration", scopes, Lifetime::Month, &Default::default())
        .await
        .expect("token")
        .secret
}

pub(crate) async fn maker_of(app: &TestApp, creator: CreatorId) -> UserId {
    UserId(
        sqlx::query_scalar("select user_id from creators where id = $1")
            .bind(creator.0)
            .fetch_one(&app.services.pool)
            .await
            .expect("maker"),
    )
}

async fn stock(app: &TestApp, product: ProductId) -> i32 {
    sqlx::query_scalar("select stock_on_hand from products where id = $1")
        .bind(product.0)
        .fetch_one(&app.services.pool)
        .await
        .expect("stock")
}

fn get(app: &TestApp, path: &str, secret: &str) -> reqwest::RequestBuilder {
    app.client.get(app.url(&format!("/api/v1{path}"))).bearer_auth(secret)
}

async fn json_of(response: Response) -> Value {
    response.json().await.expect("json")
}

/// Two makers with two and one products, and a token of the first's.
struct Shop {
    app: TestApp,
    mine: [ProductId; 2],
    theirs: ProductId,
    maker: UserId,
    other_maker: UserId,
    secret: String,
}

async fn shop() -> Shop {
    let app = spawn_app().await;
    let items = products(&app.services, &[5, 5]).await;
    let maker = maker_of(&app, items[0].1).await;
    let other_maker = maker_of(&app, items[1].1).await;
    // A second product of the first maker.
    let second: uuid::Uuid = sqlx::query_scalar(
        "select id from products where creator_id = $1 and id <> $2 and status = 'published' limit 1",
    )
    .bind(items[0].1.0)
    .bind(items[0].0.0)
    .fetch_one(&app.services.pool)
    .await
    .expect("a second product");
    let secret = token(&app, maker, &[Scope::ProductsRead, Scope::ProductsWrite, Scope::CatalogRead]).await;
    Shop { mine: [items[0].0, ProductId(second)], theirs: items[1].0, maker, other_maker, secret, app }
}

#[tokio::test]
async fn without_a_valid_token_nothing_is_answered_but_the_reason() {
    let Shop { app, mine, maker, secret, .. } = shop().await;
    let path = format!("/api/v1/maker/products/{}", mine[0]);

    let none = app.client.get(app.url(&path)).send().await.expect("request");
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert!(none.headers()["www-authenticate"].to_str().expect("text").starts_with("Bearer"));
    let body = json_of(none).await;
    assert_eq!(body["error"]["type"], "authentication");
    assert_eq!(body["error"]["code"], "missing_token");

    let wrong = app.client.get(app.url(&path)).bearer_auth("oa_not-a-token").send().await.expect("request");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_of(wrong).await["error"]["code"], "token_invalid");

    // A signed-in browser session is no way in: the API reads only its bearer token.
    app.verified_user("Session Holder", "session-holder@example.test").await;
    let with_cookie = app.client.get(app.url(&path)).send().await.expect("request");
    assert_eq!(with_cookie.status(), StatusCode::UNAUTHORIZED);

    let expired = token(&app, maker, &[Scope::ProductsRead]).await;
    sqlx::query("update api_tokens set expires_at = now() - interval '1 second' where token_hash = sha256($1::bytea)")
        .bind(expired.as_bytes())
        .execute(&app.services.pool)
        .await
        .expect("expire");
    let late = get(&app, &format!("/maker/products/{}", mine[0]), &expired).send().await.expect("request");
    assert_eq!(late.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_of(late).await["error"]["code"], "token_expired");

    // Revoked: refused from the next request on.
    assert_eq!(get(&app, &format!("/maker/products/{}", mine[0]), &secret).send().await.expect("ok").status(), 200);
    let id: uuid::Uuid = sqlx::query_scalar("select id from api_tokens where token_hash = sha256($1::bytea)")
        .bind(secret.as_bytes())
        .fetch_one(&app.services.pool)
        .await
        .expect("id");
    domain::users::api_tokens::revoke(&app.services.pool, maker, types::ids::ApiTokenId(id), &Default::default())
        .await
        .expect("revoke");
    let revoked = get(&app, &format!("/maker/products/{}", mine[0]), &secret).send().await.expect("request");
    assert_eq!(revoked.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_makers_token_sees_and_changes_only_that_makers_products_within_its_scopes() {
    let Shop { app, mine, theirs, maker, other_maker, secret } = shop().await;

    let listed = json_of(get(&app, "/maker/products?limit=100", &secret).send().await.expect("list")).await;
    let owners: Vec<uuid::Uuid> = listed["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|p| p["id"].as_str().expect("id").parse().expect("uuid"))
        .collect();
    assert!(owners.contains(&mine[0].0) && owners.contains(&mine[1].0), "{listed}");
    assert!(!owners.contains(&theirs.0), "another maker's product is not listed");
    let all_mine: i64 = sqlx::query_scalar(
        "select count(*) from products p join creators c on c.id = p.creator_id where c.user_id = $1",
    )
    .bind(maker.0)
    .fetch_one(&app.services.pool)
    .await
    .expect("count");
    assert_eq!(owners.len() as i64, all_mine);

    // Another maker's product does not exist for this token, to read or to change.
    let read = get(&app, &format!("/maker/products/{theirs}"), &secret).send().await.expect("read");
    assert_eq!(read.status(), StatusCode::NOT_FOUND);
    assert_eq!(json_of(read).await["error"]["code"], "not_found");
    let patch = app
        .client
        .patch(app.url(&format!("/api/v1/maker/products/{theirs}")))
        .bearer_auth(&secret)
        .json(&json!({ "stock_on_hand": 0 }))
        .send()
        .await
        .expect("patch");
    assert_eq!(patch.status(), StatusCode::NOT_FOUND);
    assert_eq!(stock(&app, theirs).await, 5, "nothing changed");

    // A token without the scope is refused, and says which scope it lacks.
    let reader = token(&app, maker, &[Scope::ProductsRead]).await;
    let refused = app
        .client
        .patch(app.url(&format!("/api/v1/maker/products/{}", mine[0])))
        .bearer_auth(&reader)
        .json(&json!({ "stock_on_hand": 1 }))
        .send()
        .await
        .expect("patch");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body = json_of(refused).await;
    assert_eq!(body["error"]["code"], "scope_missing");
    assert!(body["error"]["message"].as_str().expect("message").contains("products:write"));

    // A customer cannot give a token a maker's scope …
    let buyer = customer(&app.services.pool, 1).await;
    let mut conn = app.services.pool.acquire().await.expect("connection");
    let account = domain::users::session_user(&mut conn, buyer, 0).await.expect("read").expect("active");
    drop(conn);
    let err = domain::users::api_tokens::create(
        &app.services.pool,
        &account,
        "x",
        &[Scope::ProductsWrite],
        Lifetime::Week,
        &Default::default(),
    )
    .await
    .expect_err("not a maker");
    assert!(matches!(err, domain::Error::Validation(ref f) if f[0].field == "scopes"), "{err:?}");

    // … and a maker's token loses the scope with the role.
    sqlx::query("delete from user_roles where user_id = $1 and role = 'creator'")
        .bind(other_maker.0)
        .execute(&app.services.pool)
        .await
        .expect("demote");
    let demoted = token_before_demotion(&app, other_maker).await;
    let gone = get(&app, &format!("/maker/products/{theirs}"), &demoted).send().await.expect("read");
    assert_eq!(gone.status(), StatusCode::FORBIDDEN, "the role is gone, so is the scope");
}

/// A token made while `user` held the maker's role (written as `create` writes it, since
/// `create` would now refuse the scope).
async fn token_before_demotion(app: &TestApp, user: UserId) -> String {
    let secret = format!("oa_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(
        "insert into api_tokens (id, user_id, name, prefix, token_hash, scopes)
         values ($1, $2, 'old', left($3, 9), sha256($3::bytea), '{products:read}')",
    )
    .bind(uuid::Uuid::new_v4())
    .bind(user.0)
    .bind(&secret)
    .execute(&app.services.pool)
    .await
    .expect("token");
    secret
}

#[tokio::test]
async fn an_update_based_on_a_stale_version_is_refused_and_nothing_is_overwritten() {
    let Shop { app, mine, secret, .. } = shop().await;
    let path = format!("/api/v1/maker/products/{}", mine[0]);
    let first = get(&app, &format!("/maker/products/{}", mine[0]), &secret).send().await.expect("read");
    let tag = first.headers()["etag"].to_str().expect("etag").to_owned();
    let product = json_of(first).await;
    assert_eq!(product["price"]["currency"], "USD");
    assert!(product["price"]["amount"].is_i64(), "money in minor units: {product}");

    let changed = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&secret)
        .header("if-match", &tag)
        .json(&json!({ "stock_on_hand": 7 }))
        .send()
        .await
        .expect("patch");
    assert_eq!(changed.status(), StatusCode::OK);
    let new_tag = changed.headers()["etag"].to_str().expect("etag").to_owned();
    assert_ne!(new_tag, tag);
    assert_eq!(json_of(changed).await["stock_on_hand"], 7);

    let stale = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&secret)
        .header("if-match", &tag)
        .json(&json!({ "stock_on_hand": 1 }))
        .send()
        .await
        .expect("patch");
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(json_of(stale).await["error"]["code"], "version_mismatch");
    assert_eq!(stock(&app, mine[0]).await, 7, "the stale write changed nothing");

    let unchanged = get(&app, &format!("/maker/products/{}", mine[0]), &secret)
        .header("if-none-match", &new_tag)
        .send()
        .await
        .expect("revalidate");
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);

    let bad = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&secret)
        .json(&json!({ "stock_on_hand": -1, "price_amount": -5 }))
        .send()
        .await
        .expect("patch");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_of(bad).await;
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["price_amount", "stock_on_hand"], "{body}");
}

#[tokio::test]
async fn a_bulk_stock_update_that_fails_half_way_changes_nothing() {
    let Shop { app, mine, theirs, secret, .. } = shop().await;
    sqlx::query("update products set stock_reserved = 3 where id = $1")
        .bind(mine[1].0)
        .execute(&app.services.pool)
        .await
        .expect("reserve");
    let refused = app
        .client
        .post(app.url("/api/v1/maker/stock"))
        .bearer_auth(&secret)
        .json(&json!({ "items": [
            { "product": mine[0].0, "stock_on_hand": 40 },
            { "product": mine[1].0, "stock_on_hand": 2 },
            { "product": theirs.0, "stock_on_hand": 40 },
        ] }))
        .send()
        .await
        .expect("bulk");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_of(refused).await;
    let fields: Vec<(&str, &str)> = body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| (f["field"].as_str().expect("field"), f["code"].as_str().expect("code")))
        .collect();
    assert_eq!(fields, [("items[1].stock_on_hand", "conflict"), ("items[2].product", "not_found")], "{body}");
    assert_eq!(stock(&app, mine[0]).await, 5, "the first item was not applied either");

    let done = app
        .client
        .post(app.url("/api/v1/maker/stock"))
        .bearer_auth(&secret)
        .json(&json!({ "items": [
            { "product": mine[0].0, "stock_on_hand": 40 },
            { "product": mine[1].0, "stock_on_hand": 3 },
        ] }))
        .send()
        .await
        .expect("bulk");
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(json_of(done).await["data"][1]["available"], 0, "3 on hand, 3 reserved");
    assert_eq!((stock(&app, mine[0]).await, stock(&app, mine[1]).await), (40, 3));
}

#[tokio::test]
async fn the_same_post_with_the_same_key_acts_once_and_replays_its_answer() {
    let Shop { app, mine, secret, .. } = shop().await;
    let body = json!({ "items": [{ "product": mine[0].0, "stock_on_hand": 9 }] });
    let send = |body: Value| {
        app.client
            .post(app.url("/api/v1/maker/stock"))
            .bearer_auth(&secret)
            .header("idempotency-key", "restock-2026-12-07")
            .json(&body)
            .send()
    };
    let first = send(body.clone()).await.expect("first");
    assert_eq!(first.status(), StatusCode::OK);
    let first_body = first.text().await.expect("body");

    // Someone changes the stock meanwhile; the retry must not set it back.
    sqlx::query("update products set stock_on_hand = 4 where id = $1")
        .bind(mine[0].0)
        .execute(&app.services.pool)
        .await
        .expect("sold");
    let again = send(body.clone()).await.expect("again");
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.text().await.expect("body"), first_body, "the first answer, as it was");
    assert_eq!(stock(&app, mine[0]).await, 4, "acted once");

    let other = send(json!({ "items": [{ "product": mine[0].0, "stock_on_hand": 1 }] })).await.expect("other");
    assert_eq!(other.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(other).await["error"]["code"], "idempotency_key_reused");
    assert_eq!(stock(&app, mine[0]).await, 4);
}

#[tokio::test]
async fn a_token_over_its_rate_is_told_when_to_come_back() {
    let Shop { app, mine, secret, .. } = shop().await;
    let path = format!("/maker/products/{}", mine[0]);
    let first = get(&app, &path, &secret).send().await.expect("first");
    assert_eq!(first.headers()["ratelimit-limit"], "100");
    assert_eq!(first.headers()["ratelimit-remaining"], "99");
    let mut limited = None;
    for _ in 0..200 {
        let response = get(&app, &path, &secret).send().await.expect("request");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(response);
            break;
        }
    }
    let limited = limited.expect("refused within 200 requests");
    let wait: u64 = limited.headers()["retry-after"].to_str().expect("text").parse().expect("seconds");
    assert!((1..=5).contains(&wait), "{wait}");
    assert_eq!(json_of(limited).await["error"]["type"], "rate_limit");
    // Another token of the same user has its own allowance.
    let other = token(&app, maker_of_product(&app, mine[0]).await, &[Scope::ProductsRead]).await;
    assert_eq!(get(&app, &path, &other).send().await.expect("other").status(), StatusCode::OK);
}

async fn maker_of_product(app: &TestApp, product: ProductId) -> UserId {
    UserId(
        sqlx::query_scalar("select c.user_id from products p join creators c on c.id = p.creator_id where p.id = $1")
            .bind(product.0)
            .fetch_one(&app.services.pool)
            .await
            .expect("maker"),
    )
}

#[tokio::test]
async fn a_catalog_token_reads_a_published_product_with_its_price_in_minor_units() {
    let Shop { app, mine, maker, .. } = shop().await;
    let reader = token(&app, maker, &[Scope::CatalogRead]).await;
    let response = get(&app, &format!("/products/{}", mine[0]), &reader).send().await.expect("product");
    assert_eq!(response.status(), StatusCode::OK);
    let tag = response.headers()["etag"].to_str().expect("etag").to_owned();
    let product = json_of(response).await;
    let price: i64 = sqlx::query_scalar("select price_minor from products where id = $1")
        .bind(mine[0].0)
        .fetch_one(&app.services.pool)
        .await
        .expect("price");
    assert_eq!(product["price"]["amount"], price);
    assert!(product["url"].as_str().expect("url").starts_with("/p/"));
    let again = get(&app, &format!("/products/{}", mine[0]), &reader)
        .header("if-none-match", &tag)
        .send()
        .await
        .expect("again");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let missing = get(&app, &format!("/products/{}", uuid::Uuid::new_v4()), &reader).send().await.expect("missing");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let categories = json_of(get(&app, "/categories", &reader).send().await.expect("categories")).await;
    assert!(!categories.as_array().expect("list").is_empty());
    let maker = product["maker"]["slug"].as_str().expect("maker").to_owned();
    let profile = json_of(get(&app, &format!("/makers/{maker}"), &reader).send().await.expect("maker")).await;
    assert_eq!(profile["slug"], maker.as_str());
}

#[tokio::test]
async fn a_search_answers_products_with_ids_and_the_facets_the_storefront_shows() {
    let Shop { app, maker, .. } = shop().await;
    crate::helpers::catalog_written(&app).await;
    let reader = token(&app, maker, &[Scope::CatalogRead]).await;
    let page =
        json_of(get(&app, "/products?in_stock=true&sort=price_asc", &reader).send().await.expect("search")).await;
    let data = page["data"].as_array().expect("data");
    assert!(!data.is_empty(), "{page}");
    let prices: Vec<i64> = data.iter().map(|p| p["price"]["amount"].as_i64().expect("amount")).collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "cheapest first: {prices:?}");
    let total: i64 = sqlx::query_scalar(
        "select count(*) from products where status = 'published' and stock_on_hand > stock_reserved",
    )
    .fetch_one(&app.services.pool)
    .await
    .expect("count");
    assert_eq!(page["total"], total);
    assert_eq!(page["has_more"], total > 24);
    let first: uuid::Uuid = data[0]["id"].as_str().expect("id").parse().expect("uuid");
    assert_eq!(
        get(&app, &format!("/products/{first}"), &reader).send().await.expect("detail").status(),
        StatusCode::OK
    );
    assert_eq!(page["facets"]["in_stock"], total, "counted with every other filter applied");
    assert!(page["facets"]["makers"].as_array().is_some_and(|c| !c.is_empty()), "{}", page["facets"]);

    let bad = get(&app, "/products?price_min=cheap&page=0", &reader).send().await.expect("bad");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_of(bad).await;
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["price_min", "page"]);
}

#[tokio::test]
async fn the_openapi_document_and_its_reference_page_name_every_operation() {
    let app = spawn_app().await;
    let document: Value =
        app.client.get(app.url("/api/v1/openapi.json")).send().await.expect("doc").json().await.expect("json");
    assert!(document["openapi"].as_str().expect("version").starts_with("3.1"));
    let paths = document["paths"].as_object().expect("paths");
    for path in [
        "/products",
        "/products/{id}",
        "/categories",
        "/makers/{slug}",
        "/maker/products",
        "/maker/products/{id}",
        "/maker/stock",
    ] {
        assert!(paths.contains_key(path), "{path} in {:?}", paths.keys());
    }
    assert!(document["components"]["securitySchemes"]["token"].is_object());
    let page = app.client.get(app.url("/api/v1/docs")).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()["content-security-policy"].to_str().expect("policy").to_owned();
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    let html = page.text().await.expect("html");
    assert!(html.contains("/api/v1/maker/stock") && html.contains("Idempotency-Key"));
    let unknown = app.client.get(app.url("/api/v1/nothing-here")).send().await.expect("unknown");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(unknown.json::<Value>().await.expect("json")["error"]["code"], "not_found");
}

/// An account holding `role` (with its permissions), written directly.
async fn with_role(app: &TestApp, n: usize, role: &str) -> UserId {
    let user = customer(&app.services.pool, n).await;
    sqlx::query("insert into user_roles (user_id, role) values ($1, $2)")
        .bind(user.0)
        .bind(role)
        .execute(&app.services.pool)
        .await
        .expect("role");
    user
}

fn post(app: &TestApp, path: &str, secret: &str, body: Value) -> reqwest::RequestBuilder {
    app.client.post(app.url(&format!("/api/v1{path}"))).bearer_auth(secret).json(&body)
}

#[tokio::test]
async fn a_customer_a_maker_and_an_admin_each_reach_their_part_of_an_order() {
    let app = spawn_app().await;
    let services = &app.services;
    let items = products(services, &[5]).await;
    let maker = maker_of(&app, items[0].1).await;
    let buyer = customer(&services.pool, 1).await;
    let stranger = customer(&services.pool, 2).await;
    crate::checkout::fill(services, buyer, &[(items[0].0, 2)]).await;
    let number = crate::checkout::order_number(
        &crate::checkout::place(services, buyer, crate::checkout::GOOD).await.expect("placed"),
    );

    let own = token(&app, buyer, &[Scope::OrdersRead, Scope::OrdersWrite]).await;
    let listed = json_of(get(&app, "/orders", &own).send().await.expect("orders")).await;
    assert_eq!(listed["data"][0]["number"], number.as_str());
    let order = json_of(get(&app, &format!("/orders/{number}"), &own).send().await.expect("order")).await;
    let part = order["sub_orders"][0]["number"].as_str().expect("part").to_owned();
    assert_eq!(order["sub_orders"][0]["status"], "paid");
    assert!(order["sub_orders"][0]["commission"].is_null(), "a customer is not shown the commission");
    let other = token(&app, stranger, &[Scope::OrdersRead, Scope::OrdersWrite]).await;
    assert_eq!(
        get(&app, &format!("/orders/{number}"), &other).send().await.expect("other").status(),
        StatusCode::NOT_FOUND
    );
    let theirs = post(&app, &format!("/orders/{number}/sub_orders/{part}/cancel"), &other, json!({}))
        .send()
        .await
        .expect("cancel");
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND, "nobody cancels another's order");

    let seller = token(&app, maker, &[Scope::OrdersFulfil]).await;
    let sales = json_of(get(&app, "/maker/sub_orders", &seller).send().await.expect("sales")).await;
    assert_eq!(sales["data"][0]["number"], part.as_str());
    let bad = post(
        &app,
        &format!("/maker/sub_orders/{part}/ship"),
        &seller,
        json!({ "carrier": "", "tracking_number": "JD 1" }),
    )
    .send()
    .await
    .expect("ship");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(bad).await["error"]["fields"][0]["field"], "carrier");
    let shipped = post(
        &app,
        &format!("/maker/sub_orders/{part}/ship"),
        &seller,
        json!({ "carrier": "DHL", "tracking_number": "JD 1" }),
    )
    .send()
    .await
    .expect("ship");
    assert_eq!(shipped.status(), StatusCode::OK);
    assert_eq!(json_of(shipped).await["sub_order"]["status"], "shipped");
    let late = post(&app, &format!("/orders/{number}/sub_orders/{part}/cancel"), &own, json!({}))
        .send()
        .await
        .expect("cancel");
    assert_eq!(late.status(), StatusCode::CONFLICT, "shipped: too late to cancel");
    assert_eq!(json_of(late).await["error"]["code"], "order_status_conflict");

    let admin = with_role(&app, 3, "admin").await;
    let back_office = token(&app, admin, &[Scope::AdminOrders, Scope::AdminUsers]).await;
    let found =
        json_of(get(&app, &format!("/admin/orders?number={number}"), &back_office).send().await.expect("search")).await;
    assert_eq!(found["data"].as_array().expect("data").len(), 1);
    let refunded = post(
        &app,
        &format!("/admin/orders/{number}/refunds"),
        &back_office,
        json!({ "sub_order": part, "amount": 100, "reason": "Scratched box" }),
    )
    .send()
    .await
    .expect("refund");
    assert_eq!(refunded.status(), StatusCode::OK);
    assert_eq!(json_of(refunded).await["sub_orders"][0]["refunded"]["amount"], 100);
    let bad_date = get(&app, "/admin/orders?from=yesterday", &back_office).send().await.expect("search");
    assert_eq!(json_of(bad_date).await["error"]["fields"][0]["field"], "from");

    // Nobody changes their own roles, through this door either.
    let own_roles = post(
        &app,
        &format!("/admin/users/{}/roles", admin.0),
        &back_office,
        json!({ "role": "reviewer", "grant": true }),
    )
    .send()
    .await
    .expect("own roles");
    assert_eq!(own_roles.status(), StatusCode::FORBIDDEN);
    let granted = post(
        &app,
        &format!("/admin/users/{}/roles", buyer.0),
        &back_office,
        json!({ "role": "reviewer", "grant": true }),
    )
    .send()
    .await
    .expect("grant");
    assert_eq!(json_of(granted).await["changed"], true);
    // A customer's token has no admin scope, whatever it asks.
    assert_eq!(get(&app, "/admin/orders", &own).send().await.expect("search").status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_maker_creates_a_draft_review_asks_for_its_picture_and_another_is_archived() {
    let Shop { app, mine, secret, .. } = shop().await;
    let category: String = sqlx::query_scalar("select slug from categories where level = 2 order by slug limit 1")
        .fetch_one(&app.services.pool)
        .await
        .expect("category");
    let content = json!({
        "category": category,
        "name_en": "Tern Survey Quad",
        "summary_en": "A quadcopter for small surveys.",
        "description_en": "Maps two square kilometres a flight.",
        "price_amount": 189_900,
        "stock_on_hand": 4,
        "specifications": { "flight_time_min": 38, "weight_g": 1450 },
        "features": ["RTK GNSS", "Obstacle sensing"],
    });

    let mut wrong = content.clone();
    wrong["specifications"]["tail_rotors"] = json!(2);
    let refused = post(&app, "/maker/products", &secret, wrong).send().await.expect("create");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(refused).await["error"]["fields"][0]["field"], "specifications.tail_rotors");
    let mut cheap = content.clone();
    cheap["price_amount"] = json!(0);
    cheap["specifications"]["weight_g"] = json!(-3);
    let body = json_of(post(&app, "/maker/products", &secret, cheap).send().await.expect("create")).await;
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["price_amount", "specifications.weight_g"], "named as this API names them: {body}");

    let created = post(&app, "/maker/products", &secret, content.clone()).send().await.expect("create");
    assert_eq!(created.status(), StatusCode::CREATED);
    let draft = json_of(created).await;
    assert_eq!(
        (draft["status"].as_str(), draft["price"]["amount"].as_i64(), draft["stock_on_hand"].as_i64()),
        (Some("draft"), Some(189_900), Some(4))
    );
    let id = draft["id"].as_str().expect("id").to_owned();
    // Review needs a picture, as in the portal: the same rule through this door.
    let submitted =
        post(&app, &format!("/maker/products/{id}/submit"), &secret, json!({})).send().await.expect("submit");
    assert_eq!(submitted.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_of(submitted).await;
    assert_eq!(
        (body["error"]["fields"][0]["field"].as_str(), body["error"]["fields"][0]["code"].as_str()),
        (Some("media"), Some("image_required"))
    );
    let listed = json_of(get(&app, "/maker/products?limit=100", &secret).send().await.expect("list")).await;
    assert!(listed["data"].as_array().expect("data").iter().any(|p| p["id"] == id.as_str() && p["status"] == "draft"));

    // The picture goes up through the API too, then the draft names it and is submitted.
    let picture = upload(&app, &secret, "tern.png", crate::files::png(640, 480)).await;
    let mut with_picture = content.clone();
    with_picture["media"] = json!([picture]);
    let saved = app
        .client
        .put(app.url(&format!("/api/v1/maker/products/{id}")))
        .bearer_auth(&secret)
        .json(&with_picture)
        .send()
        .await
        .expect("save");
    assert_eq!(saved.status(), StatusCode::OK);
    let submitted =
        post(&app, &format!("/maker/products/{id}/submit"), &secret, json!({})).send().await.expect("submit");
    assert_eq!(json_of(submitted).await["status"], "submitted");

    let archived = json_of(
        post(&app, &format!("/maker/products/{}/archive", mine[1]), &secret, json!({})).send().await.expect("archive"),
    )
    .await;
    assert_eq!(archived["status"], "archived");
    let stock = app
        .client
        .patch(app.url(&format!("/api/v1/maker/products/{}", mine[1])))
        .bearer_auth(&secret)
        .json(&json!({ "stock_on_hand": 2 }))
        .send()
        .await
        .expect("patch");
    assert_eq!(stock.status(), StatusCode::CONFLICT, "an archived product's stock stays");
}

fn upload_request(app: &TestApp, secret: &str, name: &str, bytes: Vec<u8>) -> reqwest::RequestBuilder {
    app.client
        .post(app.url(&format!("/api/v1/files?name={name}&access=public")))
        .bearer_auth(secret)
        .header("content-type", "application/octet-stream")
        .body(bytes)
}

/// Uploads a picture and returns its id.
async fn upload(app: &TestApp, secret: &str, name: &str, bytes: Vec<u8>) -> String {
    let stored = upload_request(app, secret, name, bytes).send().await.expect("upload");
    assert_eq!(stored.status(), StatusCode::CREATED);
    json_of(stored).await["id"].as_str().expect("id").to_owned()
}

async fn files_of(app: &TestApp, owner: UserId) -> i64 {
    sqlx::query_scalar("select count(*) from files where owner_id = $1")
        .bind(owner.0)
        .fetch_one(&app.services.pool)
        .await
        .expect("files")
}

#[tokio::test]
async fn an_upload_is_read_from_its_content_and_sent_again_it_is_stored_once() {
    let Shop { app, maker, secret, .. } = shop().await;
    let picture = crate::files::png(640, 480);
    let first = upload_request(&app, &secret, "frame.png", picture.clone())
        .header("idempotency-key", "frame-1")
        .send()
        .await
        .expect("upload");
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = json_of(first).await;
    assert_eq!(
        (first["kind"].as_str(), first["content_type"].as_str(), first["width"].as_u64(), first["access"].as_str()),
        (Some("image"), Some("image/png"), Some(640), Some("public"))
    );

    // The answer was lost: the same file with the same key is the same upload.
    let again = upload_request(&app, &secret, "frame.png", picture.clone())
        .header("idempotency-key", "frame-1")
        .send()
        .await
        .expect("again");
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers().get("idempotent-replayed").and_then(|v| v.to_str().ok()), Some("true"));
    assert_eq!(json_of(again).await["id"], first["id"]);
    assert_eq!(files_of(&app, maker).await, 1, "the repeat's copy is not kept");

    // Another file under that key is refused and not kept either.
    let reused = upload_request(&app, &secret, "frame.png", crate::files::png(320, 240))
        .header("idempotency-key", "frame-1")
        .send()
        .await
        .expect("reused");
    assert_eq!(reused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(reused).await["error"]["code"], "idempotency_key_reused");
    assert_eq!(files_of(&app, maker).await, 1);

    // What is not a picture, document or video is refused by its bytes, whatever its name.
    let text =
        upload_request(&app, &secret, "frame.png", b"#!/bin/sh\necho hello\n".to_vec()).send().await.expect("text");
    assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(json_of(text).await["error"]["code"], "file_type_not_allowed");
    let hidden = upload_request(&app, &secret, ".htaccess", picture.clone()).send().await.expect("name");
    assert_eq!(hidden.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(hidden).await["error"]["code"], "file_name_invalid");

    // Uploading needs products:write.
    let reader = token(&app, maker, &[Scope::ProductsRead]).await;
    let refused = upload_request(&app, &reader, "frame.png", picture).send().await.expect("scope");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(files_of(&app, maker).await, 1);
}

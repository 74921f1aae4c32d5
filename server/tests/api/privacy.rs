//! A person's own data: the download holds everything kept about them and nothing of
//! anyone else's; closing the account waits for what is still moving, asks the
//! password, erases who they were and keeps the books.

use domain::RequestMeta;
use reqwest::StatusCode;
use serde_json::Value;
use types::{
    ErrorCode,
    profile::{ClosingBlocker, ClosingPreview},
};

use crate::{
    checkout::{customer, products},
    helpers::{PASSWORD, TestApp, app_error, spawn_app},
    notification_centre::person,
    notifications::paid_order,
    orders::maker_user,
};

#[tokio::test]
async fn a_person_downloads_everything_kept_about_them_and_nothing_of_anyone_else() {
    let app = spawn_app().await;
    let services = &app.services;
    let (client, ada) = person(&app, "Ada", "ada@example.com").await;
    let items = products(services, &[20, 20]).await;
    let (mine, _) = paid_order(services, ada, items[0].0).await;
    let (theirs, _) = paid_order(services, customer(&services.pool, 2).await, items[1].0).await;
    app.dispatch().await;

    let r = client.get(app.url("/account/export")).send().await.expect("export");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("attachment; filename=\"openaero-data-")
    );
    assert_eq!(r.headers()["cache-control"], "no-store");
    let text = r.text().await.expect("body");
    let data: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(data["profile"]["email"], "ada@example.com");
    assert_eq!(data["orders"][0]["number"], mine.as_str());
    assert_eq!(data["orders"].as_array().map(Vec::len), Some(1));
    assert!(data["notifications"].as_array().is_some_and(|n| n.iter().any(|n| n["kind"] == "order_paid")));
    assert!(data["deliveries"].as_array().is_some_and(|d| !d.is_empty()));
    assert!(!text.contains(&theirs), "another person's order");
    for secret in ["password_hash", "$argon2", "token_hash", "secret"] {
        assert!(!text.contains(secret), "{secret} in the export");
    }
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'user.export'")
        .fetch_one(&services.pool)
        .await
        .expect("audit");
    assert_eq!(audited, 1);

    let anonymous = crate::helpers::new_client().get(app.url("/account/export")).send().await.expect("export");
    assert!(anonymous.status().is_redirection());
    assert!(anonymous.headers()["location"].to_str().expect("location").starts_with("/login"));
}

/// What the account page says closing would do.
async fn preview(app: &TestApp, client: &reqwest::Client) -> ClosingPreview {
    app.call_as(client, "account/closing", &[]).await.json().await.expect("preview")
}

#[tokio::test]
async fn closing_an_account_waits_for_what_is_moving_then_erases_who_they_were_and_keeps_the_books() {
    let app = spawn_app().await;
    let services = &app.services;
    let pool = &services.pool;
    let (client, ada) = person(&app, "Ada", "ada@example.com").await;
    let items = products(services, &[20]).await;
    let maker = maker_user(pool, items[0].1).await;
    let (number, part) = paid_order(services, ada, items[0].0).await;
    sqlx::query("insert into addresses (id, user_id, full_name, line1, city, postal_code, country) values ($1, $2, 'Ada L', '1 Runway Road', 'Berlin', '10115', 'DE')")
        .bind(uuid::Uuid::new_v4())
        .bind(ada.0)
        .execute(pool)
        .await
        .expect("address");
    app.dispatch().await;

    assert_eq!(preview(&app, &client).await.blockers, [ClosingBlocker::OrdersOnTheirWay]);
    let refused = app.call_as(&client, "account/close", &[("password", PASSWORD)]).await;
    assert_eq!(app_error(refused).await.code, ErrorCode::AccountNotClosable);

    let meta = RequestMeta::default();
    domain::commerce::orders::fulfil::ship(services, maker, &part, "DHL", "JD1", &meta).await.expect("ship");
    domain::commerce::orders::fulfil::deliver(services, maker, &part, &meta).await.expect("deliver");
    let ready = preview(&app, &client).await;
    assert!(ready.blockers.is_empty(), "{ready:?}");
    assert_eq!(ready.orders_kept, 1);
    let maker_waits = domain::privacy::close::preview(services, maker).await.expect("maker");
    assert!(maker_waits.blockers.contains(&ClosingBlocker::MoneyToPayOut), "the sale's money is pending");

    let wrong = app.call_as(&client, "account/close", &[("password", "not-the-password")]).await;
    let error = app_error(wrong).await;
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert_eq!(error.fields[0].field, "password");
    let nobody = crate::helpers::new_client();
    assert_eq!(
        app.call_as(&nobody, "account/close", &[("password", PASSWORD)]).await.status(),
        StatusCode::UNAUTHORIZED
    );

    let closed = app.call_as(&client, "account/close", &[("password", PASSWORD)]).await;
    assert!(closed.status().is_success() || closed.status().is_redirection(), "{}", closed.status());

    let (email, name, active, closed_at): (String, String, bool, Option<chrono::DateTime<chrono::Utc>>) =
        sqlx::query_as("select email, name, is_active, closed_at from users where id = $1")
            .bind(ada.0)
            .fetch_one(pool)
            .await
            .expect("row kept");
    assert!(
        email.ends_with("@closed.invalid") && name == "Closed account" && !active && closed_at.is_some(),
        "{email} {name}"
    );
    for table in ["addresses", "notifications", "notice_deliveries", "notification_preferences", "user_devices"] {
        let left: i64 = sqlx::query_scalar(&format!("select count(*) from {table} where user_id = $1"))
            .bind(ada.0)
            .fetch_one(pool)
            .await
            .expect("count");
        assert_eq!(left, 0, "{table}");
    }
    let ship_to: Value = sqlx::query_scalar("select ship_to from order_groups where number = $1")
        .bind(&number)
        .fetch_one(pool)
        .await
        .expect("the order is kept");
    assert_eq!(ship_to.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()), Some(vec!["country".to_owned()]));
    let mails_to_her: i64 =
        sqlx::query_scalar("select count(*) from outgoing_mail where to_address = 'ada@example.com'")
            .fetch_one(pool)
            .await
            .expect("mail");
    assert_eq!(mails_to_her, 0, "the mail log forgets her address too");

    // Signed out, and the old address and password open nothing.
    assert_eq!(app.call_as(&client, "account/deliveries", &[]).await.status(), StatusCode::UNAUTHORIZED);
    let again = app.call_as(&nobody, "account/login", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(app_error(again).await.code, ErrorCode::InvalidCredentials);
}

//! The account's API tokens page, without JavaScript: a token is made, its secret
//! shown once, and revoked.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, spawn_app};

fn input_value(html: &str, selector: &str) -> Option<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(selector).expect("selector");
    document.select(&selector).next().and_then(|input| input.value().attr("value").map(str::to_owned))
}

#[tokio::test]
async fn a_maker_makes_a_token_sees_its_secret_once_and_revokes_it() {
    let app = spawn_app().await;
    let (email, name, roles) =
        server::cli::DEMO_ACCOUNTS.iter().find(|(email, _, _)| email.starts_with("creator@")).expect("a demo creator");
    domain::users::register::create_verified(&app.services, name, email, PASSWORD, roles).await.expect("account");
    assert_eq!(app.login(email, PASSWORD).await.status(), StatusCode::OK);

    let form =
        [("name", "Stock sync"), ("scopes[0]", "catalog:read"), ("scopes[2]", "products:write"), ("lifetime", "30")];
    let r = app.post_form("account/tokens/create", "/account/tokens", &form).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(location.ends_with("/account/tokens?created=1"), "{location}");

    let html = app.get_html(location.trim_start_matches(&app.address)).await;
    let secret = input_value(&html, "#new-token-secret").expect("the secret is shown");
    assert!(secret.starts_with("oa_"), "{secret}");
    assert!(html.contains("Copy it now: it will not be shown again."), "{html}");
    assert!(html.contains(&format!("Authorization: Bearer {secret}")), "an example request with it");
    let kept: i64 = sqlx::query_scalar(
        "select count(*) from tower_sessions.session where position(convert_to($1, 'UTF8') in data) > 0",
    )
    .bind(&secret)
    .fetch_one(&app.services.pool)
    .await
    .expect("query");
    assert_eq!(kept, 0, "once shown, the secret is no longer in the session");

    let again = app.get_html("/account/tokens").await;
    assert!(!again.contains(&secret), "the secret is shown once, not on a reload");
    assert!(!again.contains("Copy it now"), "{again}");
    assert!(again.contains("Stock sync"), "the token is listed: {again}");
    assert!(again.contains(&secret[..9]), "with the start of its secret to tell it apart");
    assert!(again.contains("products:write"), "and its scopes");

    let id = input_value(&again, "input[name=id]").expect("a revoke form");
    let r = app.post_form("account/tokens/revoke", "/account/tokens", &[("id", &id)]).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let after = app.get_html("/account/tokens").await;
    assert!(after.contains("The token was revoked"), "{after}");
    assert!(!after.contains(r#"data-label="Name">Stock sync"#), "a revoked token leaves the list");
    assert!(after.contains("You have no API tokens yet."), "{after}");
}

//! Feature flags: admins change them in the console, every change is audited, every
//! instance follows within two seconds, and the storefront's compact phone header
//! shows on exactly the side of the flag it should.

use reqwest::StatusCode;
use types::{ErrorCode, Role, flags::FlagView};

use crate::{
    catalog::within_two_seconds,
    helpers::{app_error, new_client, spawn_app, spawn_app_on},
    order_pages::member,
};

const KEY: &str = "storefront.compact_phone_header";
const COMPACT: &str = "site-header--compact";

fn rollout<'a>(enabled: bool, roles: &[&'a str], percent: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![("key", KEY), ("percent", percent), ("description", "One header row on phones.")];
    if enabled {
        form.push(("enabled", "on"));
    }
    form.extend(roles.iter().map(|role| match *role {
        "admin" => ("role_admin", "on"),
        "creator" => ("role_creator", "on"),
        _ => ("role_customer", "on"),
    }));
    form
}

#[tokio::test]
async fn an_admin_rolls_out_the_compact_header_and_every_instance_follows_within_two_seconds() {
    let first = spawn_app().await;
    let second = spawn_app_on(&first.database_url, &[]).await;
    let (_, admin) = member(&first, "Ada", &[Role::Customer, Role::Admin]).await;
    let (_, customer) = member(&first, "Cas", &[Role::Customer]).await;
    let header_of = |html: &str| html.contains(COMPACT);

    // Off by default: nobody gets it.
    assert!(!header_of(&second.get_html("/").await));
    let flags: Vec<FlagView> = first.call_as(&admin, "admin/flags", &[]).await.json().await.expect("flags");
    assert!(flags.iter().any(|f| f.key == KEY && !f.enabled && !f.retired), "{flags:?}");

    // Only admins see it first: an anonymous visitor of the other instance does not.
    let saved = first.call_as(&admin, "admin/flags/save", &rollout(true, &["admin"], "100")).await;
    assert_eq!(saved.status(), StatusCode::OK);
    // The instance that took the change shows it on the admin's very next page.
    let next = admin.get(first.url("/")).send().await.expect("home").text().await.expect("body");
    assert!(header_of(&next), "the admin's next page has the new header");
    let admin_home = || async { admin.get(second.url("/")).send().await.expect("home").text().await.expect("body") };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while !header_of(&admin_home().await) {
        assert!(std::time::Instant::now() < deadline, "the admin does not have the new header after 2 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(!header_of(&second.get_html("/").await), "anonymous visitors keep the old header");
    let customer_home = customer.get(second.url("/")).send().await.expect("home").text().await.expect("body");
    assert!(!header_of(&customer_home), "customers keep the old header");

    // Everyone: the shared page of an anonymous visitor changes too.
    first.call_as(&admin, "admin/flags/save", &rollout(true, &[], "100")).await;
    within_two_seconds(&second, "/", "the compact header for everyone", header_of).await;

    // Every change is on the record, with what it was before.
    let changes: Vec<(String, serde_json::Value)> =
        sqlx::query_as("select action, details from audit_log where target_type = 'flag' order by id")
            .fetch_all(&first.services.pool)
            .await
            .expect("audit");
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].0, "flag.changed");
    assert_eq!(changes[0].1["before"]["enabled"], false);
    assert_eq!(changes[1].1["after"]["roles"], serde_json::json!([]));

    // Retired, it is off everywhere and stays so.
    assert_eq!(first.call_as(&admin, "admin/flags/retire", &[("key", KEY)]).await.status(), StatusCode::OK);
    within_two_seconds(&second, "/", "the old header once retired", |html| !header_of(html)).await;
    let revived = first.call_as(&admin, "admin/flags/save", &rollout(true, &[], "100")).await;
    assert_eq!(revived.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn only_admins_manage_flags_and_a_bad_form_is_refused_field_by_field() {
    let app = spawn_app().await;
    let (_, customer) = member(&app, "Cas", &[Role::Customer]).await;
    let (_, reviewer) = member(&app, "Rae", &[Role::Customer, Role::Reviewer]).await;
    for (who, expected) in [
        (&new_client(), StatusCode::UNAUTHORIZED),
        (&customer, StatusCode::FORBIDDEN),
        (&reviewer, StatusCode::FORBIDDEN),
    ] {
        assert_eq!(app.call_as(who, "admin/flags", &[]).await.status(), expected);
        assert_eq!(app.call_as(who, "admin/flags/save", &rollout(true, &[], "100")).await.status(), expected);
        assert_eq!(app.call_as(who, "admin/flags/retire", &[("key", KEY)]).await.status(), expected);
    }
    let (_, admin) = member(&app, "Ada", &[Role::Customer, Role::Admin]).await;
    let bad = app.call_as(&admin, "admin/flags/save", &[("key", "Gift Note"), ("percent", "150")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = app_error(bad).await;
    assert_eq!(
        (error.field("key"), error.field("percent")),
        (Some(ErrorCode::InvalidInput), Some(ErrorCode::InvalidInput))
    );
    let flags: Vec<FlagView> = app.call_as(&admin, "admin/flags", &[]).await.json().await.expect("flags");
    assert_eq!(flags.len(), 1, "nothing was written");

    // A new flag for a quarter of creators; the console shows it.
    let form = [("key", "checkout.gift_note"), ("enabled", "on"), ("role_creator", "on"), ("percent", "25")];
    assert_eq!(app.call_as(&admin, "admin/flags/save", &form).await.status(), StatusCode::OK);
    let page = admin.get(app.url("/admin/flags")).header("accept", "text/html").send().await.expect("page");
    let html = page.text().await.expect("body");
    assert!(html.contains("checkout.gift_note") && html.contains("On for Creator: 25 %"), "{html}");
}

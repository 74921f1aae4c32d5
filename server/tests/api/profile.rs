use reqwest::StatusCode;
use types::ErrorCode;

use crate::helpers::{app_error, new_client, spawn_app};

#[tokio::test]
async fn a_user_edits_their_profile_and_the_change_is_announced() {
    let app = spawn_app().await;
    let id = app.verified_user("Ada", "ada@example.com").await;
    let r = app
        .call(
            "account/profile/update",
            &[
                ("name", "Ada Lovelace"),
                ("bio", "Builds mapping fixed-wings."),
                ("location", "深圳"),
                ("website", "https://ada.example.com"),
                ("social_links", "https://github.com/ada\n\nhttps://x.example.com/ada"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let profile = app.call("account/profile", &[]).await.text().await.expect("body");
    assert!(
        profile.contains("Ada Lovelace") && profile.contains("深圳") && profile.contains("x.example.com/ada"),
        "{profile}"
    );

    let events: i64 = sqlx::query_scalar(
        "select count(*) from outbox_events where event_type = 'user.profile.updated' and aggregate_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&app.services.pool)
    .await
    .expect("count");
    assert_eq!(events, 1);
}

#[tokio::test]
async fn invalid_profile_fields_are_reported_and_nothing_is_saved() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let long_bio = "x".repeat(2001);
    let r = app
        .call(
            "account/profile/update",
            &[
                ("name", ""),
                ("bio", &long_bio),
                ("location", ""),
                ("website", "javascript:alert(1)"),
                ("social_links", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = app_error(r).await;
    assert_eq!(error.field("name"), Some(ErrorCode::Required));
    assert_eq!(error.field("bio"), Some(ErrorCode::TooLong));
    assert_eq!(error.field("website"), Some(ErrorCode::UrlInvalid));
    let name: String = sqlx::query_scalar("select name from users").fetch_one(&app.services.pool).await.expect("name");
    assert_eq!(name, "Ada");
    let events: i64 =
        sqlx::query_scalar("select count(*) from outbox_events where event_type = 'user.profile.updated'")
            .fetch_one(&app.services.pool)
            .await
            .expect("count");
    assert_eq!(events, 0);
}

#[tokio::test]
async fn profile_functions_refuse_anonymous_callers() {
    let app = spawn_app().await;
    let stranger = new_client();
    for endpoint in ["account/profile", "account/preferences", "account/resend-verification"] {
        let r = app.call_as(&stranger, endpoint, &[]).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{endpoint}");
    }
    let r = app
        .call_as(
            &stranger,
            "account/profile/update",
            &[("name", "x"), ("bio", ""), ("location", ""), ("website", ""), ("social_links", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_user_can_only_ever_edit_their_own_profile() {
    let app = spawn_app().await;
    app.verified_user("Victim", "victim@example.com").await;
    let attacker = new_client();
    // The attacker logs in as themselves and names the victim's id in the form:
    // there is no such parameter, so their own profile is what changes.
    app.register("Mallory", "mallory@example.com").await;
    app.call_as(
        &attacker,
        "account/login",
        &[("email", "mallory@example.com"), ("password", crate::helpers::PASSWORD)],
    )
    .await;
    let victim_id: uuid::Uuid = sqlx::query_scalar("select id from users where email = 'victim@example.com'")
        .fetch_one(&app.services.pool)
        .await
        .expect("id");
    // Whether the stray field is refused or ignored, the victim's row must not change.
    app.call_as(
        &attacker,
        "account/profile/update",
        &[
            ("user_id", &victim_id.to_string()),
            ("name", "Owned"),
            ("bio", ""),
            ("location", ""),
            ("website", ""),
            ("social_links", ""),
        ],
    )
    .await;
    let victim_name: String = sqlx::query_scalar("select name from users where id = $1")
        .bind(victim_id)
        .fetch_one(&app.services.pool)
        .await
        .expect("name");
    assert_eq!(victim_name, "Victim");
}

#[tokio::test]
async fn preferences_store_language_and_notification_choices() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let r = app
        .call(
            "account/preferences/update",
            &[("locale", "zh"), ("enabled[0]", "order_updates:email"), ("enabled[1]", "marketing:sms")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let prefs = app.call("account/preferences", &[]).await.text().await.expect("body");
    assert!(prefs.contains(r#""locale":"zh""#), "{prefs}");
    assert!(prefs.contains(r#"["marketing","sms"]"#) && prefs.contains(r#"["order_updates","email"]"#), "{prefs}");
    assert!(!prefs.contains(r#"["payouts","email"]"#), "unticked boxes are off: {prefs}");

    let bad = app.call("account/preferences/update", &[("locale", "zh"), ("enabled[0]", "bogus:email")]).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_keeps_this_session() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let other_device = new_client();
    app.call_as(
        &other_device,
        "account/login",
        &[("email", "ada@example.com"), ("password", crate::helpers::PASSWORD)],
    )
    .await;

    let wrong = app
        .call(
            "account/change-password",
            &[
                ("current_password", "not-it-at-all"),
                ("new_password", "Swift-kite-5521"),
                ("new_password_confirm", "Swift-kite-5521"),
            ],
        )
        .await;
    assert_eq!(app_error(wrong).await.field("current_password"), Some(ErrorCode::WrongCurrentPassword));

    let ok = app
        .call(
            "account/change-password",
            &[
                ("current_password", crate::helpers::PASSWORD),
                ("new_password", "Swift-kite-5521"),
                ("new_password_confirm", "Swift-kite-5521"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(app.call("session/user", &[]).await.text().await.expect("body").contains("ada@example.com"));
    assert_eq!(app.call_as(&other_device, "session/user", &[]).await.text().await.expect("body"), "null");
}

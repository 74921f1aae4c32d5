use reqwest::StatusCode;
use types::{ErrorCode, Role};

use crate::helpers::{PASSWORD, app_error, new_client, spawn_app};

async fn make_admin(app: &crate::helpers::TestApp, email: &str) -> types::UserId {
    let (id, _) = domain::users::register::create_verified(&app.services, "Root", email, PASSWORD, &[Role::Customer])
        .await
        .expect("create");
    domain::users::roles::bootstrap_admin(&app.services, id).await.expect("admin");
    id
}

#[tokio::test]
async fn an_admin_grants_and_revokes_roles_and_each_change_is_audited() {
    let app = spawn_app().await;
    let admin_id = make_admin(&app, "root@example.com").await;
    let user_id = app.verified_user("Chen", "chen@example.com").await;
    let admin = new_client();
    app.call_as(&admin, "account/login", &[("email", "root@example.com"), ("password", PASSWORD)]).await;

    let found = app.call_as(&admin, "admin/users", &[("query", "CHEN")]).await;
    assert_eq!(found.status(), StatusCode::OK);
    assert!(found.text().await.expect("body").contains("chen@example.com"));

    let user = user_id.to_string();
    let grant =
        app.call_as(&admin, "admin/users/role", &[("user_id", &user), ("role", "creator"), ("grant", "true")]).await;
    assert_eq!(grant.status(), StatusCode::OK);
    // Chen's own session sees the new role on the next request.
    assert!(app.call("session/user", &[]).await.text().await.expect("body").contains("creator.portal"));
    let revoke =
        app.call_as(&admin, "admin/users/role", &[("user_id", &user), ("role", "creator"), ("grant", "false")]).await;
    assert_eq!(revoke.status(), StatusCode::OK);

    // Chen hears of both, in the app and by mail, which no preference switches off.
    app.dispatch().await;
    let told = domain::notifications::in_app::list(&app.services, user_id, types::Locale::En, 10).await.expect("list");
    let lines: Vec<&str> = told.items.iter().map(|n| n.text.as_str()).collect();
    assert!(lines.iter().any(|l| l.starts_with("An admin gave you the creator role.")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("An admin removed your creator role.")), "{lines:?}");
    let (subject, body) = app.last_mail_to("chen@example.com").await.expect("mail");
    assert!(subject.ends_with("Your creator role on OpenAero was removed"), "{subject}");
    assert!(body.contains("/account"), "{body}");

    let audit = app.call_as(&admin, "admin/audit", &[]).await.text().await.expect("body");
    assert!(
        audit.contains("role.grant") && audit.contains("role.revoke") && audit.contains("root@example.com"),
        "{audit}"
    );
    let rows: Vec<(Option<uuid::Uuid>, String)> =
        sqlx::query_as("select actor_id, action from audit_log where target_id = $1 order by id")
            .bind(&user)
            .fetch_all(&app.services.pool)
            .await
            .expect("audit rows");
    assert_eq!(rows, vec![(Some(admin_id.0), "role.grant".into()), (Some(admin_id.0), "role.revoke".into())]);
}

#[tokio::test]
async fn admin_functions_refuse_customers_and_strangers() {
    let app = spawn_app().await;
    let victim = app.verified_user("Chen", "chen@example.com").await.to_string();
    let stranger = new_client();
    let calls: &[(&str, Vec<(&str, &str)>)] = &[
        ("admin/users", vec![("query", "")]),
        ("admin/users/role", vec![("user_id", &victim), ("role", "admin"), ("grant", "true")]),
        ("admin/audit", vec![]),
        ("admin/events/dead", vec![]),
        ("admin/events/retry", vec![("event_id", "00000000-0000-0000-0000-000000000000"), ("handler", "account_mail")]),
        ("admin/mailbox", vec![]),
    ];
    for (endpoint, form) in calls {
        let as_customer = app.call(endpoint, form).await;
        assert_eq!(as_customer.status(), StatusCode::FORBIDDEN, "customer calling {endpoint}");
        let as_stranger = app.call_as(&stranger, endpoint, form).await;
        assert_eq!(as_stranger.status(), StatusCode::UNAUTHORIZED, "stranger calling {endpoint}");
    }
    let roles: i64 = sqlx::query_scalar("select count(*) from user_roles where role = 'admin'")
        .fetch_one(&app.services.pool)
        .await
        .expect("count");
    assert_eq!(roles, 0);
}

#[tokio::test]
async fn a_reviewer_cannot_manage_users() {
    let app = spawn_app().await;
    let (reviewer, _) = domain::users::register::create_verified(
        &app.services,
        "Riley",
        "riley@example.com",
        PASSWORD,
        &[Role::Customer, Role::Reviewer],
    )
    .await
    .expect("create");
    app.login("riley@example.com", PASSWORD).await;
    let r =
        app.call("admin/users/role", &[("user_id", &reviewer.to_string()), ("role", "admin"), ("grant", "true")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // But the admin console itself opens for reviewers.
    assert_eq!(app.get_page("/admin").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_admin_cannot_give_themselves_a_role_or_take_one_away() {
    let app = spawn_app().await;
    let admin_id = make_admin(&app, "root@example.com").await;
    app.login("root@example.com", PASSWORD).await;
    let me = admin_id.to_string();
    for (role, grant) in [("creator", "true"), ("reviewer", "true"), ("admin", "false")] {
        let r = app.call("admin/users/role", &[("user_id", &me), ("role", role), ("grant", grant)]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{role} {grant}");
        assert_eq!(app_error(r).await.code, ErrorCode::OwnRoles);
    }
    let roles: Vec<String> = sqlx::query_scalar("select role from user_roles where user_id = $1 order by role")
        .bind(admin_id.0)
        .fetch_all(&app.services.pool)
        .await
        .expect("roles");
    assert_eq!(roles, ["admin", "customer"], "nothing changed");
    let refused: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'four_eyes.refused' and actor_id = $1")
            .bind(admin_id.0)
            .fetch_one(&app.services.pool)
            .await
            .expect("audit");
    assert_eq!(refused, 3, "each attempt is audited");
    let r = app.call("admin/users/role", &[("user_id", &me), ("role", "overlord"), ("grant", "true")]).await;
    assert_eq!(app_error(r).await.code, ErrorCode::UnknownRole);
}

#[tokio::test]
async fn a_role_change_is_mailed_to_the_person_it_concerns() {
    let app = spawn_app().await;
    make_admin(&app, "root@example.com").await;
    let chen = app.verified_user("Chen", "chen@example.com").await;
    let admin = new_client();
    app.call_as(&admin, "account/login", &[("email", "root@example.com"), ("password", PASSWORD)]).await;
    let r = app
        .call_as(&admin, "admin/users/role", &[("user_id", &chen.to_string()), ("role", "reviewer"), ("grant", "true")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    app.dispatch().await;
    let (subject, body) = app.last_mail_to("chen@example.com").await.expect("a mail");
    assert_eq!(subject, "[TEST] You now have the reviewer role on OpenAero");
    assert!(body.contains("An admin gave you the reviewer role."), "{body}");
}

#[tokio::test]
async fn a_server_function_called_without_its_arguments_answers_400_not_500() {
    let app = spawn_app().await;
    make_admin(&app, "root@example.com").await;
    app.login("root@example.com", PASSWORD).await;
    let r = app.call("admin/users/role", &[("role", "admin")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app_error(r).await.code, ErrorCode::BadRequest);
}

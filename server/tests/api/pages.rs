use reqwest::StatusCode;

use crate::helpers::{PASSWORD, PRODUCTION_TEST, spawn_app, spawn_app_with};

#[tokio::test]
async fn probes_answer_and_every_response_has_a_request_id() {
    let app = spawn_app().await;
    let health = app.client.get(app.url("/health")).send().await.expect("health");
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.headers()["x-request-id"].len(), 36);
    let ready = app.client.get(app.url("/ready")).send().await.expect("ready");
    assert_eq!(ready.status(), StatusCode::OK);
    assert!(ready.text().await.expect("body").starts_with("ready"));
}

#[tokio::test]
async fn ready_says_no_when_migrations_are_missing() {
    let app = spawn_app().await;
    sqlx::query("delete from _sqlx_migrations where version = (select max(version) from _sqlx_migrations)")
        .execute(&app.services.pool)
        .await
        .expect("forget a migration");
    let ready = app.client.get(app.url("/ready")).send().await.expect("ready");
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn a_stopping_instance_fails_ready_but_keeps_serving_until_its_drain_time_is_over() {
    let mut app = spawn_app_with(&[("OPENAERO_DRAIN_SECS", "2")]).await;
    let stopped = std::time::Instant::now();
    let server = app.stop();
    // The signal reaches the server a moment later.
    let ready = loop {
        let ready = app.client.get(app.url("/ready")).send().await.expect("ready");
        if ready.status() == StatusCode::SERVICE_UNAVAILABLE {
            break ready;
        }
        assert!(stopped.elapsed() < std::time::Duration::from_secs(1), "/ready still says yes");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    };
    assert_eq!(ready.text().await.expect("body"), "shutting down");
    // The load balancer has not taken it out yet: what still arrives is served.
    assert_eq!(app.get_page("/").await.status(), StatusCode::OK);
    server.await.expect("joined").expect("served");
    assert!(stopped.elapsed() >= std::time::Duration::from_secs(2), "stopped before its drain time");
    assert!(app.client.get(app.url("/health")).send().await.is_err(), "still listening after the drain");
}

#[tokio::test]
async fn unknown_pages_get_a_real_404_page() {
    let app = spawn_app().await;
    let r = app.get_page("/no/such/page").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let html = r.text().await.expect("body");
    assert!(html.contains("Page not found") && html.contains(r#"href="/""#), "{html}");
}

#[tokio::test]
async fn consoles_send_strangers_to_login_and_refuse_customers_with_403() {
    let app = spawn_app().await;
    for path in ["/admin", "/admin/users", "/creator"] {
        let r = app.get_page(path).await;
        assert_eq!(r.status(), StatusCode::FOUND, "{path}");
        assert_eq!(r.headers()["location"], format!("/login?next={path}"));
    }
    app.verified_user("Casey", "casey@example.com").await;
    for path in ["/admin", "/admin/users", "/creator"] {
        let r = app.get_page(path).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(r.text().await.expect("body").contains("Access denied"));
    }
}

#[tokio::test]
async fn pages_speak_chinese_to_a_chinese_browser_and_follow_the_switch() {
    let app = spawn_app().await;
    let html = app
        .client
        .get(app.url("/login"))
        .header("accept-language", "zh-CN,zh;q=0.9,en;q=0.5")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(html.contains(r#"<html lang="zh""#) && html.contains("忘记密码？"), "{html}");

    // The switch is a plain form: it works without JavaScript and sticks.
    let r = app.post_form("locale", "/login", &[("locale", "zh")]).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert!(app.get_html("/login").await.contains("忘记密码？"));
    app.post_form("locale", "/login", &[("locale", "en")]).await;
    assert!(app.get_html("/login").await.contains("Forgot your password?"));
}

#[tokio::test]
async fn a_logged_in_users_language_preference_wins() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    app.call("locale", &[("locale", "zh")]).await;
    let stored: String =
        sqlx::query_scalar("select locale from users").fetch_one(&app.services.pool).await.expect("locale");
    assert_eq!(stored, "zh");
    // A fresh browser in English logs in: the account's language is used.
    let client = crate::helpers::new_client();
    app.call_as(&client, "account/login", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    let html = client
        .get(app.url("/account"))
        .header("accept-language", "en")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(html.contains("我的账户"), "{html}");
}

#[tokio::test]
async fn cross_site_form_posts_are_refused() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let r = app
        .client
        .post(app.url("/api/account/profile/update"))
        .header("origin", "http://evil.example")
        .form(&[("name", "Pwned"), ("bio", ""), ("location", ""), ("website", ""), ("social_links", "")])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let name: String = sqlx::query_scalar("select name from users").fetch_one(&app.services.pool).await.expect("name");
    assert_eq!(name, "Ada");
}

#[tokio::test]
async fn the_dev_mailbox_exists_only_in_development() {
    let dev = spawn_app().await;
    let (id, _) = domain::users::register::create_verified(&dev.services, "Root", "root@example.com", PASSWORD, &[])
        .await
        .expect("create");
    domain::users::roles::bootstrap_admin(&dev.services, id).await.expect("admin");
    dev.login("root@example.com", PASSWORD).await;
    assert_eq!(dev.call("admin/mailbox", &[]).await.status(), StatusCode::OK);
    assert!(dev.get_html("/admin/mailbox").await.contains("Dev mailbox"));

    let prod = spawn_app_with(PRODUCTION_TEST).await;
    let (id, _) = domain::users::register::create_verified(&prod.services, "Root", "root@example.com", PASSWORD, &[])
        .await
        .expect("create");
    domain::users::roles::bootstrap_admin(&prod.services, id).await.expect("admin");
    prod.login("root@example.com", PASSWORD).await;
    assert_eq!(prod.call("admin/mailbox", &[]).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn shutdown_lets_in_flight_requests_finish_and_refuses_new_ones() {
    let mut app = spawn_app().await;
    // Hold the users table so a login request is still running when shutdown comes.
    let mut blocker = app.services.pool.begin().await.expect("tx");
    sqlx::query("lock table users in access exclusive mode").execute(&mut *blocker).await.expect("lock");
    let (client, url) = (app.client.clone(), app.url("/api/account/login"));
    let in_flight = tokio::spawn(async move {
        client
            .post(url)
            .header("accept", "application/json")
            .form(&[("email", "ghost@example.com"), ("password", "wrong-password-1")])
            .send()
            .await
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let server = app.stop();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!server.is_finished(), "the server waits for the request in flight");
    assert!(app.client.get(app.url("/health")).send().await.is_err(), "no new connections after shutdown");

    blocker.rollback().await.expect("release");
    let response = in_flight.await.expect("task").expect("the request completes");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("the server stops once idle")
        .expect("task")
        .expect("clean exit");
}

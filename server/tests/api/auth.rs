use reqwest::StatusCode;
use types::ErrorCode;

use crate::helpers::{PASSWORD, app_error, new_client, spawn_app, spawn_app_with};

#[tokio::test]
async fn registering_sends_a_verification_mail_whose_link_verifies_once() {
    let app = spawn_app().await;
    assert_eq!(app.register("Lin Wei", "Lin@Example.com").await.status(), StatusCode::OK);
    app.dispatch().await;

    let (subject, body) = app.last_mail_to("lin@example.com").await.expect("mail sent");
    assert_eq!(subject, "[TEST] Confirm your email for OpenAero", "a test store says so in every mail");
    assert!(body.contains("http://openaero.test/verify-email?token="), "{body}");
    assert!(body.starts_with("TEST STORE: no real money"), "{body}");
    let token = app.link_token("lin@example.com", "/verify-email").await;

    let first = app.call("account/verify-email", &[("token", &token)]).await;
    assert_eq!(first.status(), StatusCode::OK);
    let again = app.call("account/verify-email", &[("token", &token)]).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app_error(again).await.code, ErrorCode::TokenInvalid);

    app.dispatch().await;
    let (subject, _) = app.last_mail_to("lin@example.com").await.expect("welcome");
    assert_eq!(subject, "[TEST] Welcome to OpenAero", "a test store says so in every mail");
    let verified: bool =
        sqlx::query_scalar("select email_verified_at is not null from users where email = 'lin@example.com'")
            .fetch_one(&app.services.pool)
            .await
            .expect("user");
    assert!(verified);
}

#[tokio::test]
async fn bad_registrations_get_field_errors_and_create_nothing() {
    let app = spawn_app().await;
    type Form<'a> = &'a [(&'a str, &'a str)];
    let cases: &[(Form, &str, ErrorCode)] = &[
        (
            &[("name", "A"), ("email", "not-an-email"), ("password", PASSWORD), ("password_confirm", PASSWORD)],
            "email",
            ErrorCode::EmailInvalid,
        ),
        (
            &[("name", "A"), ("email", "a@example.com"), ("password", "short"), ("password_confirm", "short")],
            "password",
            ErrorCode::PasswordTooShort,
        ),
        (
            &[
                ("name", "A"),
                ("email", "a@example.com"),
                ("password", "password1234"),
                ("password_confirm", "password1234"),
            ],
            "password",
            ErrorCode::PasswordTooWeak,
        ),
        (
            &[("name", " "), ("email", "a@example.com"), ("password", PASSWORD), ("password_confirm", PASSWORD)],
            "name",
            ErrorCode::Required,
        ),
        (
            &[
                ("name", "A"),
                ("email", "a@example.com"),
                ("password", PASSWORD),
                ("password_confirm", "different-thing-9"),
            ],
            "password_confirm",
            ErrorCode::PasswordMismatch,
        ),
    ];
    for (form, field, code) in cases {
        let response = app.call("account/register", form).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let error = app_error(response).await;
        assert_eq!(error.field(field), Some(*code), "{error:?}");
    }
    let users: i64 =
        sqlx::query_scalar("select count(*) from users").fetch_one(&app.services.pool).await.expect("count");
    assert_eq!(users, 0);
}

#[tokio::test]
async fn registering_a_known_email_looks_the_same_and_warns_the_owner() {
    let app = spawn_app().await;
    let first = app.register("First", "pilot@example.com").await;
    app.dispatch().await;
    let second = app.register("Impostor", "PILOT@example.com").await;
    assert_eq!(second.status(), first.status(), "same answer as a new registration");
    assert_eq!(second.headers().get("location"), first.headers().get("location"));
    assert_eq!(second.text().await.expect("body"), first.text().await.expect("body"));
    app.dispatch().await;

    let users: i64 =
        sqlx::query_scalar("select count(*) from users").fetch_one(&app.services.pool).await.expect("count");
    assert_eq!(users, 1);
    let (subject, _) = app.last_mail_to("pilot@example.com").await.expect("notice");
    assert_eq!(subject, "[TEST] Someone tried to sign up with your email", "a test store says so in every mail");
}

#[tokio::test]
async fn login_sets_a_safe_session_cookie_and_logout_ends_it() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let client = new_client();
    let login = app.call_as(&client, "account/login", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(login.status(), StatusCode::OK);
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("openaero_session="))
        .expect("session cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http base url: no Secure flag");

    let me = app.call_as(&client, "session/user", &[]).await.text().await.expect("body");
    assert!(me.contains("ada@example.com"), "{me}");

    let sessions_before: i64 = sqlx::query_scalar("select count(*) from tower_sessions.session")
        .fetch_one(&app.services.pool)
        .await
        .expect("count");
    assert_eq!(app.call_as(&client, "account/logout", &[]).await.status(), StatusCode::OK);
    let me = app.call_as(&client, "session/user", &[]).await.text().await.expect("body");
    assert_eq!(me, "null");
    let sessions_after: i64 = sqlx::query_scalar("select count(*) from tower_sessions.session")
        .fetch_one(&app.services.pool)
        .await
        .expect("count");
    assert!(sessions_after < sessions_before, "the session row is deleted at logout");
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("openaero_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn the_session_id_changes_at_every_login() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let client = new_client();
    let form = [("email", "ada@example.com"), ("password", PASSWORD)];
    let first = session_cookie(&app.call_as(&client, "account/login", &form).await).expect("cookie");
    let second = session_cookie(&app.call_as(&client, "account/login", &form).await).expect("new cookie");
    assert_ne!(first, second);
    let ids: Vec<String> =
        sqlx::query_scalar("select id from tower_sessions.session").fetch_all(&app.services.pool).await.expect("ids");
    assert!(!ids.iter().any(|id| first.contains(id.as_str())), "the old session is gone");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let client = new_client();
    let wrong =
        app.call_as(&client, "account/login", &[("email", "ada@example.com"), ("password", "nope-nope-nope")]).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let unknown =
        app.call_as(&client, "account/login", &[("email", "ghost@example.com"), ("password", "nope-nope-nope")]).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app_error(wrong).await, app_error(unknown).await);
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_with_a_retry_time() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let client = new_client();
    for _ in 0..5 {
        let r = app
            .call_as(&client, "account/login", &[("email", "ada@example.com"), ("password", "wrong-password-1")])
            .await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while throttled.
    let r = app.call_as(&client, "account/login", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = r.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    let error = app_error(r).await;
    assert_eq!(error.code, ErrorCode::TooManyAttempts);
    assert!(error.retry_after_secs.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_guesses_at_once_get_five_tries_and_the_owner_elsewhere_still_gets_in() {
    // Behind our proxy, so the two sides can come from different addresses.
    let app = spawn_app_with(&[("OPENAERO_TRUSTED_PROXIES", "127.0.0.1")]).await;
    app.verified_user("Ada", "ada@example.com").await;
    let guesses = (0..50).map(|i| {
        let client = new_client();
        let url = app.url("/api/account/login");
        async move {
            client
                .post(url)
                .header("accept", "application/json")
                .header("x-forwarded-for", "203.0.113.7")
                .form(&[("email", "ada@example.com"), ("password", &format!("guess-number-{i}"))])
                .send()
                .await
                .expect("request")
                .status()
        }
    });
    let statuses = futures::future::join_all(guesses).await;
    let tried = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((tried, refused), (5, 45), "only the free attempts are checked, however many arrive at once");

    // The owner, from home, is not locked out by a stranger's guesses.
    let owner = new_client();
    let r = owner
        .post(app.url("/api/account/login"))
        .header("accept", "application/json")
        .header("x-forwarded-for", "198.51.100.2")
        .form(&[("email", "ada@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn sign_ups_are_throttled_and_a_duplicate_sign_up_mails_the_owner_once_an_hour() {
    let app = spawn_app().await;
    assert_eq!(app.register("Pilot", "pilot@example.com").await.status(), StatusCode::OK);
    app.dispatch().await;
    for _ in 0..2 {
        assert_eq!(app.register("Impostor", "pilot@example.com").await.status(), StatusCode::OK);
    }
    let r = app.register("Impostor", "pilot@example.com").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "three sign-ups as one email at once, then a wait");
    let retry_after: u64 = r.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=3600).contains(&retry_after));
    assert_eq!(app_error(r).await.code, ErrorCode::TooManyAttempts);
    app.dispatch().await;
    let notices: i64 = sqlx::query_scalar(
        "select count(*) from outgoing_mail where to_address = 'pilot@example.com' and subject like '%tried to sign up%'",
    )
    .fetch_one(&app.services.pool)
    .await
    .expect("mails");
    assert_eq!(notices, 1, "two duplicate sign-ups, one mail");

    // One address signing up many accounts is slowed down too.
    let mut statuses = Vec::new();
    for i in 0..12 {
        statuses.push(app.register("Bot", &format!("bot{i}@example.com")).await.status());
    }
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
}

#[tokio::test]
async fn one_client_address_guessing_many_accounts_is_throttled() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let client = new_client();
    for i in 0..20 {
        let email = format!("guess{i}@example.com");
        app.call_as(&client, "account/login", &[("email", &email), ("password", "wrong-password-1")]).await;
    }
    let r = app.call_as(&client, "account/login", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn forgot_password_never_reveals_whether_an_account_exists() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let known = app.call("account/forgot-password", &[("email", "ada@example.com")]).await;
    let unknown = app.call("account/forgot-password", &[("email", "ghost@example.com")]).await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.headers().get("location"), unknown.headers().get("location"));
    assert_eq!(known.text().await.expect("body"), unknown.text().await.expect("body"));
    app.dispatch().await;
    assert!(app.last_mail_to("ghost@example.com").await.is_none());
    let (subject, _) = app.last_mail_to("ada@example.com").await.expect("reset mail");
    assert_eq!(subject, "[TEST] Reset your OpenAero password", "a test store says so in every mail");
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_signs_out_other_sessions() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await; // app.client is now logged in
    app.call_as(&new_client(), "account/forgot-password", &[("email", "ada@example.com")]).await;
    app.dispatch().await;
    let token = app.link_token("ada@example.com", "/reset-password").await;

    let weak = app
        .call_as(
            &new_client(),
            "account/reset-password",
            &[("token", &token), ("password", "123"), ("password_confirm", "123")],
        )
        .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let new_password = "Osprey-climb-8812";
    let reset = app
        .call_as(
            &new_client(),
            "account/reset-password",
            &[("token", &token), ("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert_eq!(reset.status(), StatusCode::OK, "a weak attempt does not use up the link");
    let reused = app
        .call_as(
            &new_client(),
            "account/reset-password",
            &[("token", &token), ("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert_eq!(app_error(reused).await.code, ErrorCode::TokenInvalid);

    // The old session (app.client) no longer counts.
    assert_eq!(app.call("session/user", &[]).await.text().await.expect("body"), "null");
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("ada@example.com", new_password).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn expired_tokens_are_refused_as_expired() {
    let app = spawn_app().await;
    app.register("Ada", "ada@example.com").await;
    app.dispatch().await;
    let token = app.link_token("ada@example.com", "/verify-email").await;
    sqlx::query("update user_tokens set expires_at = now() - interval '1 minute'")
        .execute(&app.services.pool)
        .await
        .expect("expire");
    let r = app.call("account/verify-email", &[("token", &token)]).await;
    assert_eq!(app_error(r).await.code, ErrorCode::TokenExpired);
    let r = app.call("account/verify-email", &[("token", "made-up-token")]).await;
    assert_eq!(app_error(r).await.code, ErrorCode::TokenInvalid);
}

#[tokio::test]
async fn tokens_are_stored_hashed() {
    let app = spawn_app().await;
    app.register("Ada", "ada@example.com").await;
    app.dispatch().await;
    let token = app.link_token("ada@example.com", "/verify-email").await;
    let stored: i64 =
        sqlx::query_scalar("select count(*) from user_tokens where encode(token_hash, 'escape') like '%' || $1 || '%'")
            .bind(&token)
            .fetch_one(&app.services.pool)
            .await
            .expect("query");
    assert_eq!(stored, 0);
    let hash: String =
        sqlx::query_scalar("select password_hash from users").fetch_one(&app.services.pool).await.expect("hash");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

#[tokio::test]
async fn a_plain_form_post_with_an_error_goes_back_with_the_error_in_the_url() {
    let app = spawn_app().await;
    let r = app
        .post_form("account/login", "/login", &[("email", "ghost@example.com"), ("password", "wrong-password-1")])
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(location.contains("/login?") && location.contains("__err="), "{location}");
    // What is kept for the page holds the email typed and never the password.
    let holding = |text: &'static str| {
        sqlx::query_scalar::<_, i64>(
            "select count(*) from tower_sessions.session where position(convert_to($1, 'UTF8') in data) > 0",
        )
        .bind(text)
        .fetch_one(&app.services.pool)
    };
    assert_eq!(holding("ghost@example.com").await.expect("query"), 1);
    assert_eq!(holding("wrong-password-1").await.expect("query"), 0, "a password never reaches the session");
    // Following it renders the form with the message, without JavaScript, and with
    // the email typed (never the password), once.
    let html = app.get_html(location.trim_start_matches(&app.address)).await;
    assert!(html.contains("Wrong email or password."), "{html}");
    let document = scraper::Html::parse_document(&html);
    let field = |name: &str| {
        let selector = scraper::Selector::parse(&format!("input[name={name}]")).expect("selector");
        document.select(&selector).next().and_then(|input| input.value().attr("value").map(str::to_owned))
    };
    assert_eq!(field("email").as_deref(), Some("ghost@example.com"), "the email typed is kept");
    assert_eq!(field("password"), None, "a password is never sent back");
    let again = app.get_html("/login").await;
    assert!(!again.contains("ghost@example.com"), "shown once, not on every later visit");
}

#[tokio::test]
async fn an_accepted_plain_form_says_so_once_on_the_page_it_returns_to() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let address = [
        ("full_name", "Ada Lovelace"),
        ("line1", "Hafenstraße 12"),
        ("city", "Hamburg"),
        ("postal_code", "20457"),
        ("country", "DE"),
    ];
    let r = app.post_form("account/addresses/save", "/account/addresses", &address).await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers()["location"].to_str().expect("ascii");
    assert!(location.starts_with(&app.url("/account/addresses")), "back to the form: {location}");
    let html = app.get_html("/account/addresses").await;
    assert!(html.contains("Address saved."), "{html}");
    assert!(html.contains("Hafenstraße 12"), "the list shows the new address");
    let again = app.get_html("/account/addresses").await;
    assert!(!again.contains("Address saved."), "said once, not on every later visit");
}

#[tokio::test]
async fn a_plain_form_login_redirects_to_the_page_asked_for() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    app.call("account/logout", &[]).await;
    let r = app
        .post_form(
            "account/login",
            "/login?next=/account",
            &[("email", "ada@example.com"), ("password", PASSWORD), ("next", "/account")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(r.headers()["location"], "/account");
}

#[tokio::test]
async fn a_login_link_crafted_to_leave_the_site_lands_on_the_home_page() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    // Each of these starts like a path but a browser resolves it to another host.
    let crafted = [
        "//evil.example",
        "/\tevil.example",
        "/\t/evil.example",
        "/\r\n/evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/..//evil.example",
        "/%2e%2e//evil.example",
        "https://evil.example/account",
        "javascript:alert(1)",
    ];
    for next in crafted {
        app.call("account/logout", &[]).await;
        let r = app
            .post_form(
                "account/login",
                "/login",
                &[("email", "ada@example.com"), ("password", PASSWORD), ("next", next)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FOUND, "{next:?}");
        assert_eq!(r.headers()["location"], "/", "next = {next:?} must not lead off the site");
    }
}

#[tokio::test]
async fn a_sign_in_from_a_new_browser_is_told_in_the_app_and_by_mail_even_with_every_notice_switched_off() {
    let app = spawn_app().await;
    let user = app.verified_user("Lin Wei", "lin@example.com").await;
    let mut none = types::profile::Preferences::defaults(types::Locale::En);
    none.enabled.clear();
    domain::users::profile::update_preferences(&app.services, user, none).await.expect("preferences");
    let told = || async {
        let n: i64 =
            sqlx::query_scalar("select count(*) from notifications where user_id = $1 and kind = 'new_sign_in'")
                .bind(user.0)
                .fetch_one(&app.services.pool)
                .await
                .expect("count");
        n
    };

    // The browser it was made in signs in again: nothing to tell.
    let again = app.login("lin@example.com", PASSWORD).await;
    assert_eq!(again.status(), StatusCode::OK);
    let cookie = again
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("openaero_device="));
    let cookie = cookie.expect("the browser is given its id");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    app.dispatch().await;
    assert_eq!(told().await, 0);

    // Another browser: told in the app and by mail, though every choice is off.
    let laptop = new_client();
    let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    let sign_in = |client: reqwest::Client| {
        let url = app.url("/api/account/login");
        async move {
            client
                .post(url)
                .header("accept", "application/json")
                .header("user-agent", firefox)
                .form(&[("email", "lin@example.com"), ("password", PASSWORD)])
                .send()
                .await
                .expect("login")
                .status()
        }
    };
    assert_eq!(sign_in(laptop.clone()).await, StatusCode::OK);
    app.dispatch().await;
    assert_eq!(told().await, 1);
    let (subject, body) = app.last_mail_to("lin@example.com").await.expect("mail");
    assert_eq!(subject, "[TEST] New sign-in to your OpenAero account");
    assert!(body.contains("from Firefox on Linux"), "{body}");
    assert!(body.contains("http://openaero.test/account/security"), "{body}");
    assert!(!body.contains("To stop these emails"), "a security mail cannot be stopped: {body}");

    // Known from now on.
    assert_eq!(sign_in(laptop).await, StatusCode::OK);
    app.dispatch().await;
    assert_eq!(told().await, 1);
}

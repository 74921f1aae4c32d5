//! What an attacker finds when they probe the site: pages that run only our scripts and
//! refuse to be framed, and links that cannot be bent to lead elsewhere.

use reqwest::header;

use crate::helpers::{PASSWORD, PRODUCTION_TEST, spawn_app, spawn_app_with};

fn header_text(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).map(|v| v.to_str().expect("ascii").to_owned()).unwrap_or_default()
}

/// The nonce the page's policy allows, and every `<script …>` tag of the page.
fn nonce_and_scripts(policy: &str, html: &str) -> (String, Vec<String>) {
    let nonce = policy
        .split(['\'', ' '])
        .find_map(|token| token.strip_prefix("nonce-"))
        .expect("the policy names a nonce")
        .to_owned();
    let scripts = html
        .match_indices("<script")
        .map(|(at, _)| html[at..at + html[at..].find('>').expect("a tag")].to_owned())
        .collect();
    (nonce, scripts)
}

#[tokio::test]
async fn a_page_runs_only_its_own_scripts_and_cannot_be_framed_by_another_site() {
    let app = spawn_app().await;
    app.verified_user("Ada", "ada@example.com").await;
    let signed_in = app.get_page("/account").await;
    let anonymous = crate::helpers::new_client();
    let fetch = |path: &'static str| anonymous.get(app.url(path)).header("accept", "text/html").send();
    // The home page twice: rendered, then from the page cache with its policy kept.
    let pages =
        [("/account", signed_in), ("/", fetch("/").await.expect("page")), ("/", fetch("/").await.expect("page"))];
    for (path, response) in pages {
        let policy = header_text(&response, "content-security-policy");
        assert!(policy.contains("frame-ancestors 'none'") && policy.contains("object-src 'none'"), "{path}: {policy}");
        assert!(!policy.contains("'unsafe-inline'") && !policy.contains(" 'unsafe-eval'"), "{path}: {policy}");
        assert_eq!(header_text(&response, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header_text(&response, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header_text(&response, "referrer-policy"), "strict-origin-when-cross-origin", "{path}");
        assert!(header_text(&response, "permissions-policy").contains("camera=()"), "{path}");
        assert!(response.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none(), "no HSTS over plain HTTP");
        let html = response.text().await.expect("body");
        assert!(!html.contains(" style=\""), "{path}: the policy allows no inline styles");
        let (nonce, scripts) = nonce_and_scripts(&policy, &html);
        assert!(!scripts.is_empty(), "{path} hydrates with scripts");
        for script in scripts {
            assert!(script.contains(&format!("nonce=\"{nonce}\"")), "{path}: {script} lacks the policy's nonce");
        }
    }
    let other = fetch("/login").await.expect("page");
    let home = fetch("/").await.expect("page");
    assert_ne!(
        header_text(&other, "content-security-policy"),
        header_text(&home, "content-security-policy"),
        "each rendered page has its own nonce"
    );
}

#[tokio::test]
async fn an_answer_that_is_not_a_page_runs_nothing_if_opened_as_one() {
    let app = spawn_app().await;
    let r = app.call("account/login", &[("email", "nobody@example.com"), ("password", PASSWORD)]).await;
    assert!(r.status().is_client_error());
    let policy = header_text(&r, "content-security-policy");
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    assert_eq!(header_text(&r, "x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn a_production_site_insists_on_https_and_a_test_deployment_says_so_everywhere() {
    let app = spawn_app_with(PRODUCTION_TEST).await;
    let home = app.get_page("/").await;
    assert_eq!(header_text(&home, "strict-transport-security"), "max-age=31536000; includeSubDomains");
    assert!(header_text(&home, "content-security-policy").ends_with("upgrade-insecure-requests"));
    let html = home.text().await.expect("body");
    assert!(html.contains("Test store: no real money changes hands."), "a test deployment says so on every page");

    let app = spawn_app().await;
    assert!(app.get_page("/").await.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none());
}

/// Panics anywhere in this test process (each test is a process of its own).
static PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn distinct_searches_under_load_never_panic_even_when_clients_leave_mid_page() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        default_hook(info);
    }));
    // Many clients, though all on this machine's address: the edge limit is not the subject.
    let app = spawn_app_with(&[("OPENAERO_EDGE_LIMITS", "false")]).await;
    domain::catalog::seed::seed_catalog(&app.services.pool, &crate::catalog::seed_options(300, 5)).await.expect("seed");
    crate::helpers::catalog_written(&app).await;
    let words = ["mapping", "racing", "cinema", "survey", "whoop", "wing", "payload", "thermal", "kit", "frame"];
    let sorts = ["", "&sort=price_asc", "&sort=price_desc", "&sort=newest", "&sort=rating"];
    let urls: Vec<String> = (0..240)
        .map(|i| {
            let (word, sort) = (words[i % words.len()], sorts[i / words.len() % sorts.len()]);
            app.url(&format!("/search?q={word}{sort}&page={}&price_max={}", 1 + i % 3, 100 + i))
        })
        .collect();
    let requests = urls.into_iter().enumerate().map(|(i, url)| {
        // A third of the clients give up before the page is complete.
        let client = reqwest::Client::builder()
            .timeout(if i % 3 == 0 { std::time::Duration::from_millis(5) } else { std::time::Duration::from_secs(30) })
            .build()
            .expect("client");
        tokio::spawn(async move {
            let accept_language = if i % 2 == 0 { "zh-CN" } else { "en" };
            client.get(url).header("accept-language", accept_language).send().await.map(|r| r.status())
        })
    });
    let outcomes = futures::future::join_all(requests).await;
    let served = outcomes.iter().filter(|o| matches!(o, Ok(Ok(status)) if status.is_success())).count();
    assert!(served >= 150, "the patient clients got their pages ({served})");
    // Let pages whose clients left finish (or be dropped) before counting.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(PANICS.load(std::sync::atomic::Ordering::SeqCst), 0, "no request panicked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_client_varying_every_request_cannot_push_the_home_page_out_of_the_page_cache() {
    use futures::StreamExt;
    // The edge limit would slow this client down first (tests/api/edge_limits.rs); the
    // cache must hold on its own, against many clients doing the same.
    let app = spawn_app_with(&[("OPENAERO_EDGE_LIMITS", "false")]).await;
    let cache = |r: &reqwest::Response| header_text(r, "x-cache");
    let anonymous = crate::helpers::new_client();
    let get = |path: String| anonymous.get(app.url(&path)).header("accept", "text/html").send();
    assert_eq!(cache(&get("/".into()).await.expect("home")), "miss");
    // The catalog follower's first poll makes what was kept before it stale: wait for it.
    let mut tries = 0;
    while cache(&get("/".into()).await.expect("home")) != "hit" {
        tries += 1;
        assert!(tries < 100, "the home page is kept once rendered");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // 10,000 variations: junk parameters, reordered ones, other cookies and language
    // spellings on the popular pages, and a few hundred searches that really differ.
    let requests = (0..10_000u32).map(|i| {
        let path = match i % 4 {
            0 => format!("/?utm_source=flood{i}&fbclid={}", i * 7919),
            1 => format!("/search?junk{i}=1&sort=price_asc&in_stock=1"),
            2 if i % 40 == 2 => format!("/search?q=word{i}"),
            2 => format!("/login?x={i}&next=/account"),
            _ => format!("/?{i}"),
        };
        let request = app
            .client
            .get(app.url(&path))
            .header("accept-language", format!("en-GB;q=0.{}, de;q=0.1", 1 + i % 9))
            .header("cookie", format!("tracker={i}; theme=dark"));
        async move { request.send().await.map(|r| r.status().as_u16()) }
    });
    let statuses: Vec<_> = futures::stream::iter(requests).buffer_unordered(32).collect().await;
    assert!(statuses.iter().all(|s| matches!(s, Ok(200))), "every variation is served");

    let home = get("/".into()).await.expect("home");
    assert_eq!(cache(&home), "hit", "the home page is still kept");
    let reordered = get("/search?in_stock=1&sort=price_asc&utm_campaign=x".into()).await.expect("search");
    assert_eq!(cache(&reordered), "hit", "the same search, however its URL is written");
    // A page showing a form's outcome is its poster's alone.
    let refused = "/login?__err=eyJjb2RlIjoiSW52YWxpZENyZWRlbnRpYWxzIn0";
    assert_eq!(cache(&get(refused.into()).await.expect("login")), "miss");
    assert_eq!(cache(&get(refused.into()).await.expect("login")), "miss");
}

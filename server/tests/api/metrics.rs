//! `/metrics` as an operator's Prometheus reads it: on its own address, counted per
//! route template, valid for Prometheus's own checker; and the alert rules shipped in
//! deploy/prometheus load.

use std::path::Path;

use reqwest::StatusCode;

use crate::helpers::{fresh_database, spawn_app_on, spawn_app_with, test_config};

/// Runs `promtool` (Debian's `prometheus` package; scripts/test.sh installs it).
fn promtool(args: &[&str], stdin: Option<&str>) -> (bool, String) {
    crate::deploy::tool("promtool", args, Path::new("."), stdin)
}

#[tokio::test]
async fn metrics_count_each_route_template_on_their_own_address_and_pass_promtool() {
    let app = spawn_app_with(&[("OPENAERO_METRICS_LISTEN", "127.0.0.1:0")]).await;
    let metrics_url = app.metrics_url.clone().expect("a metrics address");

    assert_eq!(app.get_page("/login").await.status(), StatusCode::OK);
    assert_eq!(app.get_page("/login").await.status(), StatusCode::OK);
    assert_eq!(app.get_page("/p/no-such-drone-7f3a").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get_page("/nowhere-9c1e").await.status(), StatusCode::NOT_FOUND);
    let site = app.client.get(app.url("/metrics")).send().await.expect("request");
    assert_eq!(site.status(), StatusCode::NOT_FOUND, "the public site never serves metrics");

    let scrape = app.client.get(&metrics_url).send().await.expect("scrape");
    assert_eq!(scrape.status(), StatusCode::OK);
    let text = scrape.text().await.expect("body");
    let series = |name: &str, labels: &[&str]| series(&text, name, labels);
    assert_eq!(
        series("http_requests_total", &[r#"route="/login""#, r#"status="2xx""#, r#"method="GET""#]),
        2.0,
        "{text}"
    );
    // A product nobody has is counted under its template, not its URL.
    assert_eq!(series("http_requests_total", &[r#"route="/p/{slug}""#, r#"status="4xx""#]), 1.0, "{text}");
    assert!(!text.contains("no-such-drone") && !text.contains("nowhere-9c1e"), "no URL becomes a label");
    assert!(series("http_request_duration_seconds_count", &[r#"route="/login""#]) >= 2.0, "{text}");
    assert!(text.contains(r#"http_request_duration_seconds_bucket{route="/login",method="GET",le="0.005"}"#), "{text}");
    for gauge in [
        "db_pool_connections{state=\"idle\"}",
        "db_pool_max_connections",
        "outbox_pending_deliveries",
        "outbox_dead_deliveries",
        "outbox_oldest_pending_seconds",
        "process_resident_memory_bytes",
        "http_connections_open",
    ] {
        assert!(text.lines().any(|l| l.starts_with(gauge)), "{gauge} is missing from:\n{text}");
    }

    // This test's client keeps its connection to the site open between requests.
    assert!(series("http_connections_open", &[]) >= 1.0, "{text}");

    let (valid, report) = promtool(&["check", "metrics"], Some(&text));
    assert!(valid, "promtool refuses the metrics:\n{report}\n{text}");
}

/// Sums the samples of `name` whose line has every label in `labels`.
fn series(text: &str, name: &str, labels: &[&str]) -> f64 {
    text.lines()
        .filter(|l| l.starts_with(name) && labels.iter().all(|label| l.contains(label)))
        .map(|l| l.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()).unwrap_or(-1.0))
        .sum()
}

#[tokio::test]
async fn a_request_kept_waiting_for_a_database_connection_shows_in_the_pool_wait_figures() {
    let (_pool, url) = fresh_database().await;
    let extra = [("OPENAERO_METRICS_LISTEN", "127.0.0.1:0"), ("OPENAERO_DB_MAX_CONNECTIONS", "1")];
    // The waits reach the metrics through the process's subscriber, as in production.
    let _telemetry = server::telemetry::init_with_writer(&test_config(&url, &extra), std::io::sink).expect("telemetry");
    let app = spawn_app_on(&url, &extra).await;
    let metrics_url = app.metrics_url.clone().expect("a metrics address");

    let held = app.services.pool.acquire().await.expect("the pool's only connection");
    let readiness = tokio::spawn({
        let (client, url) = (app.client.clone(), app.url("/ready"));
        async move { client.get(url).send().await.expect("request").status() }
    });
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    drop(held);
    assert_eq!(readiness.await.expect("the request"), StatusCode::OK, "it waited, then was answered");

    let text = app.client.get(&metrics_url).send().await.expect("scrape").text().await.expect("body");
    let waited = series(&text, "db_pool_acquire_seconds_sum", &[]);
    assert!(waited >= 0.4, "the 400 ms the request waited are counted: {waited}\n{text}");
    let quick = series(&text, "db_pool_acquire_seconds_bucket", &[r#"le="0.1""#]);
    let all = series(&text, "db_pool_acquire_seconds_count", &[]);
    assert!(quick < all, "the long wait lands above 0.1 s ({quick} of {all})\n{text}");
    let (valid, report) = promtool(&["check", "metrics"], Some(&text));
    assert!(valid, "promtool refuses the metrics:\n{report}\n{text}");
}

#[test]
fn the_shipped_alert_rules_load_and_fire_when_they_should() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/prometheus");
    let path = |file: &str| dir.join(file).to_str().expect("a path").to_owned();
    let (valid, report) = promtool(&["check", "rules", &path("alerts.yml")], None);
    assert!(valid && report.contains("SUCCESS"), "{report}");
    // alerts_test.yml feeds each alert the series that must fire it (and some that must not).
    let (passed, report) = promtool(&["test", "rules", &path("alerts_test.yml")], None);
    assert!(passed, "{report}");
}

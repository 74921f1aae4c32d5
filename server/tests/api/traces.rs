//! A request's trace shows its path through the domain: each use case is a span named
//! after it, carrying the ids it was called with and never its secrets. Exported over
//! OTLP, one checkout is one connected trace, joined by the logs.

use std::sync::{Arc, Mutex};

use axum::{Router, body::Bytes, extract::State, routing::post};
use serde_json::Value;
use tracing_subscriber::fmt::{MakeWriter, format::FmtSpan};
use types::checkout::{CheckoutOutcome, CheckoutPage};

use crate::{
    checkout::{GOOD, products},
    helpers::{fresh_database, services, spawn_app_on, test_config},
    order_pages::{checkout_form, pairs},
};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn a_use_case_is_a_span_with_its_ids_and_without_its_secrets() {
    let services = services().await;
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_span_events(FmtSpan::NEW)
        .with_max_level(tracing::Level::INFO)
        .without_time()
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let user = types::UserId(uuid::Uuid::new_v4());
    let _ = domain::ledger::payouts::balances(&services.pool, user).await;
    let meta = domain::RequestMeta::default();
    let _ = domain::users::auth::login(&services, "nobody@example.com", "a secret passphrase", &meta).await;

    let trace = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(trace.contains(&format!("balances{{user={user}}}")), "{trace}");
    assert!(trace.contains("login"), "{trace}");
    assert!(!trace.contains("a secret passphrase") && !trace.contains("nobody@example.com"), "{trace}");
}

/// An OTLP/HTTP receiver: keeps every trace export it is sent (JSON).
#[derive(Clone, Default)]
struct Collector(Arc<Mutex<Vec<Value>>>);

impl Collector {
    async fn start(&self) -> String {
        async fn receive(State(collector): State<Collector>, body: Bytes) -> &'static str {
            let export: Value = serde_json::from_slice(&body).expect("an OTLP JSON export");
            collector.0.lock().expect("lock").push(export);
            "{}"
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let app = Router::new().route("/v1/traces", post(receive)).with_state(self.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{address}")
    }

    /// Every span received in trace `trace_id`.
    fn spans_in(&self, trace_id: &str) -> Vec<Value> {
        let exports = self.0.lock().expect("lock");
        let spans = exports
            .iter()
            .flat_map(|e| e["resourceSpans"].as_array().cloned().unwrap_or_default())
            .flat_map(|r| r["scopeSpans"].as_array().cloned().unwrap_or_default())
            .flat_map(|s| s["spans"].as_array().cloned().unwrap_or_default());
        spans.filter(|s| s["traceId"] == trace_id).collect()
    }
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn named<'a>(spans: &'a [Value], name: &str) -> Vec<&'a Value> {
    spans.iter().filter(|s| s["name"] == name).collect()
}

// Flushing blocks until the collector, served by this runtime, has answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_checkout_is_one_connected_trace_at_the_collector_and_in_the_logs() {
    let collector = Collector::default();
    let endpoint = collector.start().await;
    let (_pool, url) = fresh_database().await;
    let extra =
        [("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.as_str()), ("OPENAERO_LOG_FORMAT", "json"), ("OPENAERO_LOG", "info")];
    let logs = Captured::default();
    let telemetry = server::telemetry::init_with_writer(&test_config(&url, &extra), logs.clone()).expect("telemetry");
    let app = spawn_app_on(&url, &extra).await;
    let (product, _) = products(&app.services, &[5]).await[0];
    app.verified_user("Casey", "casey@example.test").await;
    let slug: String = sqlx::query_scalar("select slug from products where id = $1")
        .bind(product.0)
        .fetch_one(&app.services.pool)
        .await
        .expect("slug");
    assert!(app.call("cart/add", &[("product", &slug)]).await.status().is_success());
    let page: CheckoutPage = app.call("checkout", &[]).await.json().await.expect("checkout page");

    // The caller (a browser's instrumentation, a proxy) started the trace.
    let trace_id = uuid::Uuid::new_v4().simple().to_string();
    let caller_span = "00f067aa0ba902b7";
    let placed = app
        .client
        .post(app.url("/api/checkout/place"))
        .header("accept", "application/json")
        .header("traceparent", format!("00-{trace_id}-{caller_span}-01"))
        .form(&pairs(&checkout_form(&page, GOOD)))
        .send()
        .await
        .expect("request");
    let outcome: CheckoutOutcome = placed.json().await.expect("an outcome");
    assert!(matches!(outcome, CheckoutOutcome::Completed { .. }), "{outcome:?}");
    // Another instance's dispatcher, later: the order's events are delivered and mailed.
    app.dispatch().await;
    telemetry.flush();

    let spans = collector.spans_in(&trace_id);
    let names: Vec<&str> = spans.iter().map(|s| text(&s["name"])).collect();
    let request = named(&spans, "POST /api/checkout/place");
    assert_eq!(
        request.len(),
        1,
        "one request span in {names:?}, of {} exports",
        collector.0.lock().expect("lock").len()
    );
    assert_eq!(text(&request[0]["parentSpanId"]), caller_span, "the request continues the caller's span");
    for expected in ["server_fn checkout/place", "place", "run", "payment_known", "confirm", "mail.send"] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    assert!(names.iter().any(|n| n.starts_with("deliver order.paid to ")), "the paid order's deliveries in {names:?}");
    let ids: Vec<&str> = spans.iter().map(|s| text(&s["spanId"])).collect();
    for span in &spans {
        let parent = text(&span["parentSpanId"]);
        assert!(
            parent == caller_span || ids.contains(&parent),
            "{} hangs from {parent}, outside the trace {names:?}",
            span["name"]
        );
    }
    // The use case's SQL statements are events on its span.
    let confirm = named(&spans, "confirm")[0];
    let statements: Vec<String> = confirm["events"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["attributes"].as_array().cloned().unwrap_or_default())
        .filter(|a| a["key"] == "summary")
        .map(|a| text(&a["value"]["stringValue"]).to_owned())
        .collect();
    assert!(statements.iter().any(|s| s.starts_with("update payments")), "{statements:?}");

    // The request's log lines carry its trace id.
    let logged = String::from_utf8(logs.0.lock().expect("lock").clone()).expect("utf-8");
    let response_line = logged
        .lines()
        .find(|l| l.contains(r#""message":"response""#) && l.contains("/api/checkout/place"))
        .unwrap_or_else(|| panic!("the checkout's response line in {logged}"));
    let line: Value = serde_json::from_str(response_line).expect("a JSON line");
    assert_eq!(line["trace_id"], trace_id.as_str(), "{response_line}");
}

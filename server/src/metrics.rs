//! Prometheus metrics: the request middleware that counts and times each route, and
//! `GET /metrics` on an address of its own (`OPENAERO_METRICS_LISTEN`), never the site.
//!
//! Counters live where things happen (`metrics::counter!` in the domain and here);
//! what is a state of the store (the outbox, the pool, the process) is read when
//! Prometheus asks, so it is never stale. Names follow Prometheus conventions
//! (`_total`, `_seconds`, `_bytes`) and are listed in docs/OPERATIONS.md.

use std::{
    io,
    pin::Pin,
    sync::OnceLock,
    task::{Context, Poll},
    time::Instant,
};

use axum::{
    Router,
    extract::{MatchedPath, Request, State},
    http::header,
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
    serve::Listener,
};
use domain::Services;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tracing::{
    Event, Subscriber,
    field::{Field, Visit},
};
use tracing_subscriber::{Layer, layer};

const REQUEST_SECONDS: &str = "http_request_duration_seconds";
/// From a page-cache hit to a slow search on a cold catalog.
const LATENCY_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
const POOL_WAIT_SECONDS: &str = "db_pool_acquire_seconds";
/// From an idle connection handed over at once to the 5 s acquire timeout.
const POOL_WAIT_BUCKETS: &[f64] = &[0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 2.5, 5.0];

/// The process's recorder, installed once (tests start several servers in one process).
pub fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.to_owned()), LATENCY_BUCKETS)
            .expect("the buckets are not empty")
            .set_buckets_for_metric(Matcher::Full(POOL_WAIT_SECONDS.to_owned()), POOL_WAIT_BUCKETS)
            .expect("the buckets are not empty")
            .install_recorder()
            .expect("one metrics recorder per process");
        describe();
        handle
    })
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!("http_requests_total", "Requests answered, by route template, method and status class.");
    describe_histogram!(REQUEST_SECONDS, metrics::Unit::Seconds, "Time to the response head, by route template.");
    describe_gauge!("http_requests_in_flight", "Requests being answered now.");
    describe_gauge!("http_connections_open", "Client connections open to the site now.");
    describe_counter!("db_pool_timeouts_total", "Waits for a database connection that gave up.");
    describe_counter!("page_cache_requests_total", "Shared storefront pages, by whether the page cache had them.");
    describe_gauge!("db_pool_connections", "Database connections of this instance, by state.");
    describe_histogram!(
        POOL_WAIT_SECONDS,
        metrics::Unit::Seconds,
        "Time each caller waited for a database connection; the rate of its sum is the mean number waiting."
    );
    describe_gauge!("db_pool_max_connections", "The most database connections this instance opens.");
    describe_gauge!("outbox_pending_deliveries", "Event deliveries not yet made.");
    describe_gauge!("outbox_oldest_pending_seconds", "Age of the oldest event delivery not yet made.");
    describe_gauge!("outbox_dead_deliveries", "Event deliveries given up after their last retry.");
    describe_gauge!("outbox_last_seq", "Sequence number of the newest event in the log.");
    describe_gauge!("catalog_applied_seq", "The newest event this instance's caches and search index have applied.");
    describe_counter!("outbox_deliveries_total", "Event deliveries tried, by outcome (delivered, retry, dead).");
    describe_counter!(
        "checkout_outcomes_total",
        "Checkouts that ended, by outcome (paid, declined, compensated, recovered)."
    );
    describe_counter!("payment_webhooks_total", "Payment webhooks, by result (applied, duplicate, ignored, refused).");
    describe_counter!("mail_total", "Mails, by result (sent, stored, failed).");
    describe_counter!("uploads_total", "Uploaded files, by result (stored, refused).");
    describe_counter!("upload_bytes_total", metrics::Unit::Bytes, "Bytes of the uploaded files stored.");
    describe_gauge!(
        "ledger_balanced",
        "1 when the ledger balanced and matched the payments at its last check, else 0."
    );
    describe_gauge!(
        "ledger_reconciled_timestamp_seconds",
        "When this instance last checked the ledger (every 10 minutes)."
    );
    describe_gauge!("process_resident_memory_bytes", metrics::Unit::Bytes, "Resident memory of this process.");
    describe_counter!("analytics_events_written_total", "Analytics events written by this instance.");
    describe_counter!(
        "analytics_events_dropped_total",
        "Analytics events dropped because the buffer was full (the database was away or slow)."
    );
    describe_counter!("rate_limited_total", "Requests answered 429 at the edge, by class.");
    describe_gauge!("instances_running", "Instances this one counts when sharing out the rate limits.");
}

/// Times each wait for a database connection, from the event sqlx writes when it hands
/// one over (`acquire_time_level` in `startup::connect`). sqlx does not expose how many
/// callers wait, but the waits add up to it: by Little's law the mean number waiting
/// over a window is `rate(db_pool_acquire_seconds_sum[window])`.
pub struct PoolWaits;

impl PoolWaits {
    pub const TARGET: &str = "sqlx::pool::acquire";
}

impl<S: Subscriber> Layer<S> for PoolWaits {
    fn on_event(&self, event: &Event<'_>, _: layer::Context<'_, S>) {
        struct Waited(Option<f64>);
        impl Visit for Waited {
            fn record_f64(&mut self, field: &Field, value: f64) {
                // sqlx's own spelling.
                if field.name() == "aquired_after_secs" {
                    self.0 = Some(value);
                }
            }
            fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
        }
        if event.metadata().target() != Self::TARGET {
            return;
        }
        let mut waited = Waited(None);
        event.record(&mut waited);
        if let Some(seconds) = waited.0 {
            metrics::histogram!(POOL_WAIT_SECONDS).record(seconds);
        }
    }
}

/// Counts and times every request by its route template (`/p/{slug}`, not the URL),
/// so the series stay few whatever is asked.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let in_flight = InFlight::start();
    let response = next.run(request).await;
    drop(in_flight);
    let status = match response.status().as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    metrics::histogram!(REQUEST_SECONDS, "route" => route.clone(), "method" => method.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!("http_requests_total", "route" => route, "method" => method, "status" => status).increment(1);
    response
}

/// One request in `http_requests_in_flight`, until dropped: also when its client
/// leaves and the future is dropped half-way.
struct InFlight(metrics::Gauge);

impl InFlight {
    fn start() -> InFlight {
        let gauge = metrics::gauge!("http_requests_in_flight");
        gauge.increment(1);
        InFlight(gauge)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.decrement(1);
    }
}

/// A listener whose open connections are counted in `http_connections_open`.
pub struct CountedListener<L>(pub L);

impl<L: Listener> Listener for CountedListener<L> {
    type Io = CountedConnection<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, address) = self.0.accept().await;
        let open = metrics::gauge!("http_connections_open");
        open.increment(1);
        (CountedConnection { io, open }, address)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// A connection, counted until it is dropped.
pub struct CountedConnection<T> {
    io: T,
    open: metrics::Gauge,
}

impl<T> CountedConnection<T> {
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.io
    }
}

impl<T> Drop for CountedConnection<T> {
    fn drop(&mut self) {
        self.open.decrement(1);
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for CountedConnection<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for CountedConnection<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

/// `/metrics`, for the metrics address only.
pub fn routes(services: Services) -> Router {
    Router::new().route("/metrics", get(render)).with_state(services)
}

async fn render(State(services): State<Services>) -> Response {
    if let Err(e) = read_state(&services).await {
        // The counters are still worth having when the database is away.
        tracing::warn!(error = %e, "reading the store's state for metrics failed");
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], recorder().render()).into_response()
}

async fn read_state(services: &Services) -> anyhow::Result<()> {
    let pool = &services.pool;
    let idle = pool.num_idle() as f64;
    metrics::gauge!("db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("db_pool_connections", "state" => "in_use").set(f64::from(pool.size()) - idle);
    metrics::gauge!("db_pool_max_connections").set(f64::from(pool.options().get_max_connections()));
    if let Some(bytes) = resident_bytes() {
        metrics::gauge!("process_resident_memory_bytes").set(bytes as f64);
    }
    let outbox = domain::events::dispatcher::backlog(pool).await?;
    metrics::gauge!("outbox_pending_deliveries").set(outbox.pending as f64);
    metrics::gauge!("outbox_oldest_pending_seconds").set(outbox.oldest_pending_secs);
    metrics::gauge!("outbox_dead_deliveries").set(outbox.dead as f64);
    metrics::gauge!("outbox_last_seq").set(outbox.last_seq as f64);
    Ok(())
}

/// Resident set size from `/proc/self/statm` (Linux, 4 KiB pages; elsewhere nothing).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

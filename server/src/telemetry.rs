//! Logs and traces. Logs are JSON lines in production, readable lines in development.
//! Traces are OpenTelemetry spans sent over OTLP/HTTP (JSON), only when a collector is
//! configured: a span per request (continuing the caller's W3C `traceparent`), per
//! server function, per use case (the `#[instrument]`ed functions in `domain`, whose
//! SQL statements become events on them), per saga step, outbox delivery and mail.
//! JSON log lines then carry the trace id of the work they belong to.

use anyhow::Context as _;
use axum::{
    extract::{MatchedPath, Request},
    middleware::Next,
    response::Response,
};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, WithExportConfig as _};
use opentelemetry_sdk::{
    Resource,
    trace::{Sampler, SdkTracerProvider},
};
use tracing::{Event, Instrument as _, Subscriber, field::Empty};
use tracing_subscriber::{
    EnvFilter, Layer as _,
    filter::{LevelFilter, Targets},
    fmt::{self, FmtContext, FormatEvent, FormatFields, MakeWriter, format::Writer},
    prelude::*,
    registry::LookupSpan,
};

use crate::config::{Config, LogFormat, TraceExport};

/// What goes into traces, whatever the log filter: every span at `info` (use cases,
/// requests, deliveries) and each SQL statement, as an event on its use case's span.
const TRACE_FILTER: &str = "info,sqlx::query=debug";

/// The installed telemetry; flush or shut it down so no finished span is lost.
pub struct Telemetry {
    tracer: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Sends every finished span now.
    pub fn flush(&self) {
        if let Some(tracer) = &self.tracer
            && let Err(e) = tracer.force_flush()
        {
            tracing::warn!(error = %e, "flushing traces failed");
        }
    }

    /// Sends what is left and stops the exporter (before the process exits).
    pub fn shutdown(self) {
        if let Some(tracer) = self.tracer
            && let Err(e) = tracer.shutdown()
        {
            tracing::warn!(error = %e, "stopping the trace exporter failed");
        }
    }
}

/// Logs to standard output, and traces when configured.
pub fn init(config: &Config) -> anyhow::Result<Telemetry> {
    init_with_writer(config, std::io::stdout)
}

/// As [`init`], with the log lines going to `writer` (tests read them).
pub fn init_with_writer<W>(config: &Config, writer: W) -> anyhow::Result<Telemetry>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_new(&config.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = match config.log_format {
        LogFormat::Json => fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .map_event_format(WithTraceId)
            .with_writer(writer)
            .boxed(),
        LogFormat::Pretty => fmt::layer().compact().with_writer(writer).boxed(),
    };
    let tracer = config.traces.as_ref().map(tracer_provider).transpose()?;
    let traces = tracer.as_ref().map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("openaero"))
            .with_filter(EnvFilter::new(TRACE_FILTER))
    });
    let pool_waits = crate::metrics::PoolWaits
        .with_filter(Targets::new().with_target(crate::metrics::PoolWaits::TARGET, LevelFilter::TRACE));
    tracing_subscriber::registry()
        .with(logs.with_filter(filter))
        .with(traces)
        .with(pool_waits)
        .try_init()
        .context("installing the log and trace subscriber")?;
    Ok(Telemetry { tracer })
}

fn tracer_provider(export: &TraceExport) -> anyhow::Result<SdkTracerProvider> {
    let endpoint = format!("{}/v1/traces", export.endpoint.as_str().trim_end_matches('/'));
    domain::crypto::use_ring_for_tls();
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpJson)
        .with_endpoint(endpoint)
        .build()
        .context("building the OTLP trace exporter")?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_sampler(Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(export.sample_ratio))))
        .with_resource(Resource::builder().with_service_name(export.service_name.clone()).build())
        .build())
}

/// The span of one request, named by its route (not its URL) and continuing the trace
/// of the `traceparent` it came with.
pub fn request_span<B>(request: &http::Request<B>) -> tracing::Span {
    let headers = request.headers();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
    let span = tracing::info_span!(
        "request",
        // Formatted by the layers that record it, not allocated up front.
        otel.name = %format_args!("{} {}", request.method(), route.unwrap_or("unmatched")),
        otel.kind = "server",
        otel.status_code = Empty,
        http.request.method = %request.method(),
        http.route = route,
        url.path = request.uri().path(),
        http.response.status_code = Empty,
        request_id = header("x-request-id").unwrap_or_default(),
    );
    domain::trace_context::continue_trace(&span, header("traceparent"), header("tracestate"));
    span
}

/// Records the answer on its request's span; a server error marks the span failed.
pub fn record_response(status: http::StatusCode, span: &tracing::Span) {
    span.record("http.response.status_code", status.as_u16());
    if status.is_server_error() {
        span.record("otel.status_code", "ERROR");
    }
}

/// A span for a server function's own work, inside its request's span (which also
/// holds the session, the CSRF check and the rest of the middleware).
pub async fn server_fn_span(request: Request, next: Next) -> Response {
    let Some(name) = request.uri().path().strip_prefix("/api/").map(str::to_owned) else {
        return next.run(request).await;
    };
    let span = tracing::info_span!("server_fn", otel.name = %format_args!("server_fn {name}"), server_fn = name);
    next.run(request).instrument(span).await
}

/// A JSON log line with the trace id of the span it was written in, first, so logs
/// and traces can be joined.
struct WithTraceId<F>(F);

impl<S, N, F> FormatEvent<S, N> for WithTraceId<F>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
    F: FormatEvent<S, N>,
{
    fn format_event(&self, ctx: &FmtContext<'_, S, N>, mut writer: Writer<'_>, event: &Event<'_>) -> std::fmt::Result {
        let Some(trace_id) = domain::trace_context::trace_id(&tracing::Span::current()) else {
            return self.0.format_event(ctx, writer, event);
        };
        let mut line = String::new();
        self.0.format_event(ctx, Writer::new(&mut line), event)?;
        match line.strip_prefix('{') {
            Some(rest) => write!(writer, "{{\"trace_id\":\"{trace_id}\",{rest}"),
            None => writer.write_str(&line),
        }
    }
}

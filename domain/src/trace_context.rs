//! The W3C trace context (`traceparent`) of the work in hand. A request's is written
//! into the events it publishes, and whoever handles those events later, in any
//! instance, continues that trace: a checkout's saga steps and its mails join the
//! request's trace. Without a tracer installed (tracing off) there is no context, and
//! all of this does nothing.

use std::collections::HashMap;

use opentelemetry::{
    propagation::TextMapPropagator,
    trace::{TraceContextExt, TraceId},
};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing_opentelemetry::OpenTelemetrySpanExt;

const TRACEPARENT: &str = "traceparent";
const TRACESTATE: &str = "tracestate";

/// The `traceparent` naming the current span, when it belongs to a trace.
pub fn current() -> Option<String> {
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&tracing::Span::current().context(), &mut carrier);
    carrier.remove(TRACEPARENT)
}

/// Makes `span` (not yet entered) a child of the span `traceparent` names, usually in
/// another process; a missing or malformed one leaves `span` where it was.
pub fn continue_trace(span: &tracing::Span, traceparent: Option<&str>, tracestate: Option<&str>) {
    let Some(traceparent) = traceparent else { return };
    let mut carrier = HashMap::from([(TRACEPARENT.to_owned(), traceparent.to_owned())]);
    if let Some(state) = tracestate {
        carrier.insert(TRACESTATE.to_owned(), state.to_owned());
    }
    let parent = TraceContextPropagator::new().extract(&carrier);
    if parent.span().span_context().is_valid() {
        // Fails only once the span has started, which the callers rule out.
        let _ = span.set_parent(parent);
    }
}

/// The trace id of `span`, for the logs; `None` when tracing is off.
pub fn trace_id(span: &tracing::Span) -> Option<TraceId> {
    let context = span.context();
    let span_context = context.span().span_context().clone();
    span_context.is_valid().then(|| span_context.trace_id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_tracer_there_is_no_context_to_carry() {
        let span = tracing::info_span!("request");
        continue_trace(&span, Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), None);
        let _entered = span.enter();
        assert_eq!(current(), None);
        assert_eq!(trace_id(&span), None);
    }
}

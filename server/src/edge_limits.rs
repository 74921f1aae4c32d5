//! Rate limits at the edge, checked before any other work (sessions, the page cache,
//! rendering): searches and uploads per client address, server functions per session
//! and per address, payment webhooks per source. An answer over the limit is 429 with
//! `Retry-After`. The limits are store-wide; each instance enforces its share
//! (`domain::throttle::rate`), so they hold however many instances there are.

use std::{sync::Arc, time::Instant};

use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use domain::throttle::rate::{Limit, RateLimiter};
use types::ErrorCode;

use crate::client_address::TrustedProxies;

/// Searches (pages and the box's suggestions) per address: typing fast is well inside.
pub const SEARCH: Limit = Limit { per_second: 10.0, burst: 40 };
/// Upload requests per address: a 500 MB file is 125 chunks.
pub const UPLOADS: Limit = Limit { per_second: 4.0, burst: 60 };
/// Server functions per session, and per address (many people may share one).
pub const PER_SESSION: Limit = Limit { per_second: 10.0, burst: 60 };
pub const PER_ADDRESS: Limit = Limit { per_second: 40.0, burst: 200 };
/// Payment webhooks per sending address.
pub const WEBHOOKS: Limit = Limit { per_second: 20.0, burst: 100 };

#[derive(Clone)]
pub struct EdgeLimits {
    pub limiter: Arc<RateLimiter>,
    pub trusted_proxies: TrustedProxies,
}

/// What a request is, for its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Search,
    Upload,
    ServerFunction,
    Webhook,
}

impl Class {
    pub fn of(method: &Method, path: &str) -> Option<Class> {
        let writes = *method != Method::GET && *method != Method::HEAD;
        if path == "/search" || path.starts_with("/api/shop/search") || path.starts_with("/api/shop/autocomplete") {
            Some(Class::Search)
        } else if path.starts_with("/webhooks/") {
            Some(Class::Webhook)
        } else if path.starts_with("/api/files") && writes {
            Some(Class::Upload)
        } else if path.starts_with("/api/") && !path.starts_with("/api/v1/") && writes {
            // The public API limits each token itself (`api::auth`), in its own error shape.
            Some(Class::ServerFunction)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Class::Search => "search",
            Class::Upload => "upload",
            Class::ServerFunction => "server_function",
            Class::Webhook => "webhook",
        }
    }

    fn per_address(self) -> Limit {
        match self {
            Class::Search => SEARCH,
            Class::Upload => UPLOADS,
            Class::ServerFunction => PER_ADDRESS,
            Class::Webhook => WEBHOOKS,
        }
    }
}

pub async fn enforce(State(edge): State<EdgeLimits>, request: Request, next: Next) -> Response {
    let Some(class) = Class::of(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let now = Instant::now();
    let session = match class {
        Class::ServerFunction => crate::middleware::session_cookie(request.headers()),
        _ => None,
    };
    let address = edge.trusted_proxies.client_of(&request).map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    let session_check = session.map(|s| edge.limiter.check(&format!("session:{s}"), PER_SESSION, now));
    let checked = session_check
        .unwrap_or(Ok(()))
        .and_then(|()| edge.limiter.check(&format!("{}:{address}", class.name()), class.per_address(), now));
    match checked {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            metrics::counter!("rate_limited_total", "class" => class.name()).increment(1);
            too_many(&request, wait.as_secs_f64().ceil().max(1.0) as u64)
        }
    }
}

/// 429 in the form the caller reads: the app's error for its calls, a page for a browser.
fn too_many(request: &Request, retry_after_secs: u64) -> Response {
    let wants_page = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let mut response = if wants_page {
        Html(format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Too many requests · OpenAero</title></head><body><main>\
             <h1>Too many requests</h1><p>Please wait {retry_after_secs} seconds, then try again.</p>\
             <p><a href=\"/\">OpenAero home</a></p></main></body></html>"
        ))
        .into_response()
    } else {
        let error = app::error::AppError {
            code: ErrorCode::TooManyAttempts,
            fields: Vec::new(),
            retry_after_secs: Some(retry_after_secs),
        };
        axum::Json(error).into_response()
    };
    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_classed_by_what_they_cost() {
        let cases = [
            (Method::GET, "/search", Some(Class::Search)),
            (Method::POST, "/api/shop/autocomplete", Some(Class::Search)),
            (Method::POST, "/api/files", Some(Class::Upload)),
            (Method::PUT, "/api/files/uploads/x/chunks/3", Some(Class::Upload)),
            (Method::GET, "/api/files/uploads/x", None),
            (Method::POST, "/api/cart/add", Some(Class::ServerFunction)),
            (Method::POST, "/webhooks/payments/sandbox", Some(Class::Webhook)),
            (Method::GET, "/p/heron", None),
            (Method::GET, "/files/x", None),
            (Method::GET, "/ready", None),
        ];
        for (method, path, class) in cases {
            assert_eq!(Class::of(&method, path), class, "{method} {path}");
        }
    }
}

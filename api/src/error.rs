//! Every failure answers one JSON shape with the status that fits it:
//! `{"error": {"type", "code", "message", "fields": [{"field", "code", "message"}]}}`.
//! `code` is the same `ErrorCode` the pages render; `message` is its English sentence
//! for a developer reading a log. Internal causes are logged once, never sent.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use types::{ErrorCode, FieldError};
use utoipa::ToSchema;

/// What kind of failure, as integrators branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorType {
    /// The request is wrong: fix it before sending it again.
    InvalidRequest,
    /// No token, or one that is not valid (401).
    Authentication,
    /// The token may not do this (403).
    Permission,
    /// Too many requests: wait `Retry-After` seconds (429).
    RateLimit,
    /// The `Idempotency-Key` was used for another request, or its first is still running.
    Idempotency,
    /// The object changed since the version the request named (409, 412).
    Conflict,
    /// Our fault: the request may be sent again.
    Api,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldProblem {
    /// Where in the request: `stock`, `items[2].product`.
    pub field: String,
    /// A machine-readable code, e.g. `out_of_range`.
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    #[serde(rename = "type")]
    pub kind: ErrorType,
    /// A machine-readable code, e.g. `not_found`, `scope_missing`.
    pub code: String,
    pub message: String,
    /// Present when fields of the request were refused.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
}

/// The answer to a failed request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorResponse {
    pub error: ErrorBody,
}

/// A failure on its way out, with its status and any `Retry-After`.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
    pub retry_after: Option<u64>,
}

fn code_name(code: ErrorCode) -> String {
    serde_json::to_value(code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

impl ApiError {
    pub fn new(status: StatusCode, kind: ErrorType, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody { kind, code: code.to_owned(), message: message.into(), fields: Vec::new() },
            retry_after: None,
        }
    }

    /// An error the pages also know, with its usual status.
    pub fn from_code(code: ErrorCode) -> Self {
        let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
        let kind = match status.as_u16() {
            401 => ErrorType::Authentication,
            403 => ErrorType::Permission,
            409 | 412 => ErrorType::Conflict,
            429 => ErrorType::RateLimit,
            500.. => ErrorType::Api,
            _ => ErrorType::InvalidRequest,
        };
        ApiError::new(status, kind, &code_name(code), code.to_string())
    }

    pub fn fields(errors: Vec<FieldError>) -> Self {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorType::InvalidRequest,
            "invalid_input",
            "some fields need attention",
        );
        e.body.fields = errors
            .into_iter()
            .map(|f| FieldProblem { field: f.field, code: code_name(f.code), message: f.code.to_string() })
            .collect();
        e
    }

    pub fn not_found() -> Self {
        ApiError::from_code(ErrorCode::NotFound)
    }

    /// A body or parameter that does not parse.
    pub fn malformed(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, ErrorType::InvalidRequest, "malformed_request", message)
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorType::RateLimit,
            "rate_limited",
            "too many requests: wait before sending more",
        );
        e.retry_after = Some(retry_after_secs.max(1));
        e
    }
}

impl From<domain::Error> for ApiError {
    fn from(error: domain::Error) -> Self {
        match error {
            domain::Error::Validation(fields) => ApiError::fields(fields),
            domain::Error::BadRequest(code) | domain::Error::Refused(code) | domain::Error::Conflict(code) => {
                ApiError::from_code(code)
            }
            domain::Error::Unauthenticated => ApiError::from_code(ErrorCode::NotAuthenticated),
            domain::Error::Forbidden => ApiError::from_code(ErrorCode::Forbidden),
            domain::Error::NotFound => ApiError::not_found(),
            domain::Error::RateLimited { retry_after_secs } => ApiError::rate_limited(retry_after_secs),
            domain::Error::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "api request failed");
                ApiError::from_code(ErrorCode::Internal)
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(ErrorResponse { error: self.body })).into_response();
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

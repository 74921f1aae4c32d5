//! `Idempotency-Key` on POST: a client that lost an answer sends the request again
//! with the same key and gets the first answer (marked `Idempotent-Replayed: true`)
//! instead of a second change. The same key with another request is refused; a key
//! whose first request is still running answers 409. Answers are kept a day, except
//! our own failures and rate limits, after which a retry acts afresh. An upload
//! (`POST /files`) keeps its key itself, so that its body is never held whole.

use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::idempotency::{self, Claim};

use crate::{
    ApiState,
    auth::Caller,
    error::{ApiError, ErrorType},
};

pub const HEADER: &str = "idempotency-key";
/// The largest request body the API reads.
pub const MAX_BODY: usize = 1024 * 1024;

fn kept(status: StatusCode) -> bool {
    !status.is_server_error() && status != StatusCode::TOO_MANY_REQUESTS
}

/// The key a request carries, if any; one that is blank or too long is refused.
pub fn key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match headers.get(HEADER).map(HeaderValue::to_str) {
        None => Ok(None),
        Some(Ok(k)) if !k.trim().is_empty() && k.len() <= 255 => Ok(Some(k.trim().to_owned())),
        Some(_) => Err(ApiError::malformed("Idempotency-Key must be 1 to 255 characters of text")),
    }
}

/// A kept answer: JSON, or nothing at all (204).
pub fn answer(status: StatusCode, body: Vec<u8>) -> Response {
    let empty = body.is_empty();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if empty {
        headers.remove(header::CONTENT_TYPE);
    } else {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    response
}

/// What a request answers when its key was claimed before: the first answer again
/// (marked `Idempotent-Replayed`) or a refusal. `None` when the key is fresh: act.
pub fn settled(claim: Claim) -> Option<Response> {
    Some(match claim {
        Claim::Fresh => return None,
        Claim::Mismatch => ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorType::Idempotency,
            "idempotency_key_reused",
            "this Idempotency-Key was used with another request: use a new key for a new request",
        )
        .into_response(),
        Claim::InFlight => ApiError::new(
            StatusCode::CONFLICT,
            ErrorType::Idempotency,
            "idempotency_key_in_use",
            "the first request with this Idempotency-Key is still being answered: retry in a moment",
        )
        .into_response(),
        Claim::Replay { status, body } => {
            let mut response = answer(StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body);
            response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            response
        }
    })
}

pub async fn replay_or_run(State(state): State<ApiState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let key = match key(request.headers()) {
        Ok(Some(key)) => key,
        Ok(None) => return next.run(request).await,
        Err(refused) => return refused.into_response(),
    };
    let Some(user) = request.extensions().get::<Caller>().map(Caller::user) else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorType::InvalidRequest,
            "body_too_large",
            "the body is over 1 MiB",
        )
        .into_response();
    };
    let target = parts.uri.path_and_query().map_or_else(|| parts.uri.path(), |p| p.as_str());
    let fingerprint = idempotency::fingerprint(parts.method.as_str(), target, &body);
    let pool = &state.services.pool;
    let claim = match idempotency::claim(pool, user, &key, &fingerprint).await {
        Ok(claim) => claim,
        Err(e) => return ApiError::from(e).into_response(),
    };
    if let Some(earlier) = settled(claim) {
        return earlier;
    }
    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    let (parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, usize::MAX).await else {
        let _ = idempotency::release(pool, user, &key).await;
        return ApiError::from_code(types::ErrorCode::Internal).into_response();
    };
    let recorded = if kept(parts.status) {
        idempotency::complete(pool, user, &key, parts.status.as_u16(), &body).await
    } else {
        idempotency::release(pool, user, &key).await
    };
    if let Err(e) = recorded {
        // The change is made; only its replay is lost. Say so in the log.
        tracing::error!(error = %e, "keeping an idempotent answer failed");
    }
    Response::from_parts(parts, Body::from(body))
}

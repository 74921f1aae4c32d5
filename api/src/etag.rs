//! Validators: a read answers an `ETag`, and `If-None-Match` with it gets 304; an
//! update may send `If-Match` with the ETag it read, and is refused with 412 when the
//! object has changed since.

use axum::{
    Json,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// The ETag of an object with a version (a product): the id and the version.
pub fn of_version(id: impl std::fmt::Display, version: i32) -> String {
    format!("\"{id}.v{version}\"")
}

/// The version an `If-Match` names for `id`, if it sent one. `*` asks for no check.
pub fn expected_version(headers: &HeaderMap, id: impl std::fmt::Display) -> ApiResult<Option<i32>> {
    let Some(value) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let value = value.to_str().map_err(|_| ApiError::malformed("If-Match is not text"))?.trim();
    if value == "*" {
        return Ok(None);
    }
    let prefix = format!("\"{id}.v");
    value
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix('"'))
        .and_then(|v| v.parse().ok())
        .map(Some)
        // An ETag of something else can never match: the precondition fails.
        .ok_or_else(|| ApiError::from_code(types::ErrorCode::VersionMismatch))
}

/// Answers `body` as JSON with `etag`, or 304 when the client already has it.
pub fn respond<T: Serialize>(request: &HeaderMap, etag: String, body: &T) -> Response {
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim().trim_start_matches("W/") == etag || tag.trim() == "*"));
    let mut response = if fresh { StatusCode::NOT_MODIFIED.into_response() } else { Json(body).into_response() };
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// An ETag over a whole answer, for objects without a version of their own.
pub fn of_body<T: Serialize>(body: &T) -> String {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    format!("\"{}\"", digest.iter().take(12).map(|b| format!("{b:02x}")).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn if_match(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_MATCH, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn if_match_names_a_version_of_this_object_or_fails() {
        assert_eq!(expected_version(&HeaderMap::new(), "p1").ok(), Some(None));
        assert_eq!(expected_version(&if_match("\"p1.v7\""), "p1").ok(), Some(Some(7)));
        assert_eq!(expected_version(&if_match("*"), "p1").ok(), Some(None));
        let other = expected_version(&if_match("\"p2.v7\""), "p1").expect_err("another object's tag");
        assert_eq!(other.status, StatusCode::PRECONDITION_FAILED);
    }
}

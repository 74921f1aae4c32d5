//! axum's extractors with their refusals in the API's error shape: a path, query or
//! body that does not read is a JSON 400 (415 for a body that is not JSON), never
//! axum's plain-text answer.

use axum::{
    extract::{
        FromRequest, FromRequestParts,
        rejection::{JsonRejection, PathRejection, QueryRejection},
    },
    http::StatusCode,
};

use crate::error::{ApiError, ErrorType};

#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

fn refused(status: StatusCode, text: String) -> ApiError {
    let code =
        if status == StatusCode::UNSUPPORTED_MEDIA_TYPE { "unsupported_media_type" } else { "malformed_request" };
    let status = if status.is_client_error() { status } else { StatusCode::BAD_REQUEST };
    ApiError::new(status, ErrorType::InvalidRequest, code, text)
}

impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> Self {
        refused(StatusCode::BAD_REQUEST, e.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        refused(StatusCode::BAD_REQUEST, e.body_text())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        refused(e.status(), e.body_text())
    }
}

//! Bearer tokens and the per-token rate limit. Every path but the document and its
//! reference page needs `Authorization: Bearer oa_…`; the caller goes into the
//! request's extensions and each handler asks for the scope it needs. The API reads
//! no cookie, so a browser session cannot be used across sites against it.

use std::time::Instant;

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{
    throttle::rate::Limit,
    users::api_tokens::{self, Refusal},
};
use types::api::Scope;

use crate::{
    ApiState,
    error::{ApiError, ErrorType},
};

/// Requests per token: steady, and at once. Each instance takes its share.
pub const PER_TOKEN: Limit = Limit { per_second: 25.0, burst: 100 };

/// Who is calling: a token's user with the scopes that still count.
#[derive(Debug, Clone)]
pub struct Caller(pub api_tokens::Caller);

impl Caller {
    /// Refuses with 403 unless the token has `scope`.
    pub fn require(&self, scope: Scope) -> Result<&Self, ApiError> {
        if self.0.allows(scope) {
            Ok(self)
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorType::Permission,
                "scope_missing",
                format!("this token does not have the scope {}", types::TextEnum::as_str(scope)),
            ))
        }
    }

    pub fn user(&self) -> types::UserId {
        self.0.user.id
    }

    /// What the domain records of who acted (audit, events).
    pub fn meta(&self, headers: &HeaderMap) -> domain::RequestMeta {
        domain::RequestMeta {
            request_id: headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned),
            user_id: Some(self.user()),
            client_ip: None,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| unauthenticated("missing_token", "send Authorization: Bearer <token>"))
    }
}

fn unauthenticated(code: &str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, ErrorType::Authentication, code, message)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Authenticates the request and takes it from the token's limit; the answer carries
/// `RateLimit-Limit`, `-Remaining` and `-Reset`.
pub async fn authenticate(State(state): State<ApiState>, mut request: Request, next: Next) -> Response {
    let Some(secret) = bearer(request.headers()) else {
        return with_challenge(unauthenticated("missing_token", "send Authorization: Bearer <token>"));
    };
    let caller = match api_tokens::authenticate(&state.services.pool, secret).await {
        Ok(Ok(caller)) => caller,
        Ok(Err(Refusal::Invalid)) => {
            return with_challenge(unauthenticated("token_invalid", "the token is not valid or was revoked"));
        }
        Ok(Err(Refusal::Expired)) => return with_challenge(unauthenticated("token_expired", "the token has expired")),
        Err(e) => return ApiError::from(e).into_response(),
    };
    if !state.limit_tokens {
        request.extensions_mut().insert(Caller(caller));
        return next.run(request).await;
    }
    let key = format!("api:{}", caller.token);
    let allowance = match state.services.rate_limits.take(&key, PER_TOKEN, Instant::now()) {
        Ok(allowance) => allowance,
        Err(wait) => {
            let mut response = ApiError::rate_limited(wait.as_secs_f64().ceil() as u64).into_response();
            let headers = response.headers_mut();
            headers.insert("ratelimit-remaining", HeaderValue::from(0));
            headers.insert("ratelimit-reset", HeaderValue::from(wait.as_secs_f64().ceil() as u64));
            return response;
        }
    };
    request.extensions_mut().insert(Caller(caller));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert("ratelimit-limit", HeaderValue::from(allowance.limit));
    headers.insert("ratelimit-remaining", HeaderValue::from(allowance.remaining));
    headers.insert("ratelimit-reset", HeaderValue::from(allowance.full_in.as_secs_f64().ceil() as u64));
    response
}

fn with_challenge(error: ApiError) -> Response {
    let mut response = error.into_response();
    response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"openaero\""));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bearer_scheme_is_read_in_any_case_and_others_are_not() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer oa_abc"));
        assert_eq!(bearer(&headers), Some("oa_abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic dXNlcjpwYXNz"));
        assert_eq!(bearer(&headers), None);
    }
}

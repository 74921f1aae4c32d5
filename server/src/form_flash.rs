//! Outside islands every form is a plain form: the browser posts it to a server
//! function, which answers with a redirect (back to the page it came from, with the
//! error in the URL as `__err` when it was refused). For the page the browser is sent
//! to, the session keeps what was sent (never a secret) and whether it was accepted:
//! a refused form shows what was typed next to its error, an accepted one says so,
//! and a form repeated per row knows which row it was.

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

use types::session::SubmittedForm;

const FORM_FLASH: &str = "submitted_form";
/// Forms larger than this (none of ours is) are passed through untouched.
const MAX_FORM: u64 = 64 * 1024;

/// What may never be written to the session, by field name: passwords, card data,
/// tax ids, tokens.
pub fn is_secret(field: &str) -> bool {
    const SECRETS: [&str; 7] = ["password", "card", "cvc", "tax_id", "token", "secret", "key"];
    let field = field.to_ascii_lowercase();
    SECRETS.iter().any(|s| field.contains(s))
}

fn is_plain_form_post(request: &Request) -> bool {
    let headers = request.headers();
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && header(header::CONTENT_TYPE).starts_with("application/x-www-form-urlencoded")
        && header(header::ACCEPT).contains("text/html")
        && content_length(headers).is_some_and(|n| n <= MAX_FORM)
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// Keeps a plain form post, and how it went, for the page it sends the browser to.
pub async fn keep_submitted_forms(request: Request, next: Next) -> Response {
    if !is_plain_form_post(&request) {
        return next.run(request).await;
    }
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return next.run(request).await;
    };
    let action = request.uri().path().to_owned();
    let (parts, body) = request.into_parts();
    let Ok(body) = to_bytes(body, MAX_FORM as usize).await else {
        return axum::http::StatusCode::BAD_REQUEST.into_response();
    };
    let response = next.run(Request::from_parts(parts, Body::from(body.clone()))).await;
    if !response.status().is_redirection() {
        return response;
    }
    let refused =
        response.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()).is_some_and(|l| l.contains("__err="));
    // An accepted form is remembered only in a session that holds something already:
    // an anonymous visitor switching language, or someone who just logged out, gets
    // no session for it.
    if !refused && session.is_empty().await {
        return response;
    }
    let fields = url::form_urlencoded::parse(&body)
        .filter(|(name, _)| !is_secret(name))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let form = SubmittedForm { action, accepted: !refused, fields };
    if let Err(e) = session.insert(FORM_FLASH, form).await {
        tracing::warn!(error = %e, "keeping a submitted form failed");
    }
    response
}

/// The form submitted just before this page, taken from the session (shown once).
pub async fn take(session: &Session) -> Option<SubmittedForm> {
    // Reading first: removing a key that is not there would still save the session.
    let form: SubmittedForm = session.get(FORM_FLASH).await.ok().flatten()?;
    let _ = session.remove::<SubmittedForm>(FORM_FLASH).await;
    Some(form)
}

#[cfg(test)]
mod tests {
    use super::is_secret;

    #[test]
    fn secrets_are_never_kept() {
        for field in ["password", "new_password_confirm", "card_number", "card_cvc", "tax_id", "token", "key"] {
            assert!(is_secret(field), "{field}");
        }
        for field in ["email", "name", "tracking_number", "address", "body", "q"] {
            assert!(!is_secret(field), "{field}");
        }
    }
}

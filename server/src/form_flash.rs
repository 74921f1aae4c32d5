//! Without JavaScript a refused form is answered with a redirect back to the page it
//! came from, the error in the URL (`__err`); that page used to come back empty, so a
//! failed login lost the email typed. The fields of a refused form (never a secret)
//! are kept in the session for the next page, which shows them next to the error.

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

use app::ssr::SubmittedForm;

const FORM_FLASH: &str = "refused_form";
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

/// Keeps the fields of a plain form post that was refused (redirected back with
/// `__err`) for the page it returns to.
pub async fn keep_refused_forms(request: Request, next: Next) -> Response {
    if !is_plain_form_post(&request) {
        return next.run(request).await;
    }
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let Ok(body) = to_bytes(body, MAX_FORM as usize).await else {
        return axum::http::StatusCode::BAD_REQUEST.into_response();
    };
    let response = next.run(Request::from_parts(parts, Body::from(body.clone()))).await;
    let refused = response.status().is_redirection()
        && response.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()).is_some_and(|l| l.contains("__err="));
    if refused {
        let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body)
            .filter(|(name, _)| !is_secret(name))
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        if let Err(e) = session.insert(FORM_FLASH, fields).await {
            tracing::warn!(error = %e, "keeping a refused form failed");
        }
    }
    response
}

/// The refused form waiting for this page, taken from the session (shown once).
pub async fn take(session: &Session) -> Option<SubmittedForm> {
    // Reading first: removing a key that is not there would still save the session.
    let fields: Vec<(String, String)> = session.get(FORM_FLASH).await.ok().flatten()?;
    let _ = session.remove::<Vec<(String, String)>>(FORM_FLASH).await;
    Some(SubmittedForm(fields))
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

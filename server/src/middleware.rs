//! Request middleware: cross-site request refusal, and resolving who is asking
//! (session user, language, client address) once per request for everything after.

use app::ssr::{ClientIp, CurrentUser, RequestLocale, SESSION_AUTH_EPOCH, SESSION_USER_ID, TakenThisRequest};
use axum::{
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sqlx::PgPool;
use tower_sessions::Session;
use types::{ErrorCode, Locale, UserId};

use crate::client_address::TrustedProxies;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "openaero_session";

/// The session cookie's value as the client sent it (not yet checked against the store).
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim_start().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
        .filter(|value| !value.is_empty())
}

#[derive(Clone)]
pub struct RequestContextState {
    pub pool: PgPool,
    pub trusted_proxies: TrustedProxies,
}

/// Refuses state-changing requests whose `Origin` (or, failing that, `Referer`) is
/// another site. Together with SameSite=Lax session cookies this keeps every form and
/// server function safe from cross-site request forgery.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    if is_same_site(request.headers()) {
        next.run(request).await
    } else {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        let body = app::error::AppError::new(ErrorCode::CrossSiteRequest);
        (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
    }
}

fn is_same_site(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let source = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|v| v.to_str().ok());
    match source {
        // Browsers send Origin on every cross-site POST; a client that sends neither
        // is not a browser acting on a user's cookies.
        None => true,
        Some("null") => false,
        Some(source) => url::Url::parse(source).is_ok_and(|u| {
            let authority = match u.port() {
                Some(port) => format!("{}:{port}", u.host_str().unwrap_or_default()),
                None => u.host_str().unwrap_or_default().to_owned(),
            };
            authority.eq_ignore_ascii_case(host)
        }),
    }
}

/// Resolves the session user, the language and the client address, and leaves them
/// in the request for server functions and pages.
pub async fn resolve_request_context(
    State(state): State<RequestContextState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path == "/health" || path == "/ready" {
        return next.run(request).await;
    }
    let session = request.extensions().get::<Session>().cloned();
    let user = match &session {
        Some(session) => session_user(&state.pool, session).await,
        None => None,
    };
    let submitted_form = match &session {
        Some(session) if request.method() == Method::GET => crate::form_flash::take(session).await,
        _ => None,
    };
    let locale = user.as_ref().map_or_else(|| visitor_locale(request.headers()), |u| u.locale);
    let ip = state.trusted_proxies.client_of(&request);
    if let (Some(user), Some(page)) = (&user, request.extensions().get::<domain::analytics::PageFacts>()) {
        page.set_user(user.id.0);
    }
    let extensions = request.extensions_mut();
    extensions.insert(CurrentUser(user));
    extensions.insert(TakenThisRequest::default());
    extensions.insert(RequestLocale(locale));
    extensions.insert(ClientIp(ip));
    if let Some(form) = submitted_form {
        extensions.insert(form);
    }
    next.run(request).await
}

/// The user a session belongs to, if it is still valid. A session whose user is gone,
/// disabled, or changed password since is emptied.
async fn session_user(pool: &PgPool, session: &Session) -> Option<types::SessionUser> {
    let id: UserId = session.get(SESSION_USER_ID).await.ok().flatten()?;
    let epoch: i32 = session.get(SESSION_AUTH_EPOCH).await.ok().flatten().unwrap_or(-1);
    let mut conn = pool.acquire().await.ok()?;
    match domain::users::session_user(&mut conn, id, epoch).await {
        Ok(Some(user)) => Some(user),
        Ok(None) => {
            let _ = session.flush().await;
            None
        }
        Err(e) => {
            tracing::error!(error = ?e, "loading the session user failed");
            None
        }
    }
}

/// The language of someone not signed in: the one they chose (the `lang` cookie), else
/// the browser's preference, else the default.
pub fn visitor_locale(headers: &HeaderMap) -> Locale {
    cookie(headers, "lang")
        .and_then(|l| Locale::from_tag(&l))
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language)
        })
        .unwrap_or_default()
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    #[test]
    fn only_requests_from_this_site_may_change_state() {
        let host = (header::HOST, "127.0.0.1:3000");
        assert!(is_same_site(&headers(&[host.clone(), (header::ORIGIN, "http://127.0.0.1:3000")])));
        assert!(is_same_site(&headers(&[host.clone(), (header::REFERER, "http://127.0.0.1:3000/login")])));
        assert!(is_same_site(&headers(std::slice::from_ref(&host))));
        assert!(!is_same_site(&headers(&[host.clone(), (header::ORIGIN, "http://evil.example")])));
        assert!(!is_same_site(&headers(&[host.clone(), (header::ORIGIN, "http://127.0.0.1:4000")])));
        assert!(!is_same_site(&headers(&[host.clone(), (header::ORIGIN, "null")])));
        assert!(!is_same_site(&headers(&[host, (header::REFERER, "http://127.0.0.1:3000.evil.example/")])));
    }

    #[test]
    fn cookies_are_found_by_name() {
        let h = headers(&[(header::COOKIE, "id=abc; lang=zh; other=1")]);
        assert_eq!(cookie(&h, "lang").as_deref(), Some("zh"));
        assert_eq!(cookie(&h, "missing"), None);
    }
}

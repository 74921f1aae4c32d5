//! Server-only glue between server functions and the domain: the app state, what
//! the request middleware leaves in the request, and the named authorization checks
//! every server function calls.

use std::net::IpAddr;

use axum::extract::FromRef;
use domain::{RequestMeta, Services};
use http::request::Parts;
use leptos::prelude::*;
use types::{ErrorCode, Locale, Permission, SessionUser, session::SubmittedForm};

use crate::error::AppError;

/// The axum state, also handed to every server function as context.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Put in the request by the session middleware: the user behind the session cookie.
#[derive(Clone, Debug, Default)]
pub struct CurrentUser(pub Option<SessionUser>);

/// Put in the request by the middleware: what this request took out of the session
/// ([`take_once`]). A page may render a part more than once (a guard renders its
/// children again when the user has loaded), and each must see what the first took.
#[derive(Clone, Debug, Default)]
pub struct TakenThisRequest(
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<&'static str, serde_json::Value>>>,
);

/// Removes `key` from the session and returns it; later calls in the same request
/// return the same value, later requests nothing.
pub async fn take_once<T>(key: &'static str) -> Result<Option<T>, AppError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync,
{
    let taken = with_parts(|p| p.extensions.get::<TakenThisRequest>().cloned());
    if let Some(value) = taken.as_ref().and_then(|t| t.0.lock().ok()?.get(key).cloned()) {
        return Ok(serde_json::from_value(value).ok());
    }
    let session = tower_session()?;
    let stored_error = |e: tower_sessions::session::Error| {
        tracing::error!(error = %e, "session store failed");
        AppError::new(ErrorCode::Internal)
    };
    // Reading first: removing a key that is not there would still save the session.
    let Some(value) = session.get::<T>(key).await.map_err(stored_error)? else { return Ok(None) };
    session.remove_value(key).await.map_err(stored_error)?;
    if let Some(taken) = taken
        && let Ok(mut map) = taken.0.lock()
        && let Ok(json) = serde_json::to_value(&value)
    {
        map.insert(key, json);
    }
    Ok(Some(value))
}

/// Put in the request by the middleware: the client's address (the peer, or behind
/// our own proxies the rightmost `X-Forwarded-For` hop they did not write).
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub Option<IpAddr>);

/// Put in the request by the middleware: the language to render in.
#[derive(Clone, Copy, Debug)]
pub struct RequestLocale(pub Locale);

/// The form posted just before this page, read in place (a page asks per field and
/// per row; cloning the request's parts each time would copy every header).
fn with_submitted_form<T>(read: impl FnOnce(&SubmittedForm) -> Option<T>) -> Option<T> {
    with_parts(|parts| parts.extensions.get::<SubmittedForm>().and_then(read))
}

/// The form posted to `action` just before this page, if that is where it went.
pub fn submitted_to(action: &str) -> Option<SubmittedForm> {
    with_submitted_form(|form| (form.action == action).then(|| form.clone()))
}

/// What was typed into field `name` of the form refused just before this page.
pub fn refused_value(name: &str) -> Option<String> {
    with_submitted_form(|form| if form.accepted { None } else { form.field(name).map(str::to_owned) })
}

/// Session keys.
pub const SESSION_USER_ID: &str = "user_id";
pub const SESSION_AUTH_EPOCH: &str = "auth_epoch";
/// An anonymous visitor's cart, until they log in.
pub const SESSION_CART_ID: &str = "cart_id";
/// An API token just made, with its user (`(UserId, types::api::CreatedApiToken)`),
/// until the tokens page takes it out to show its secret once.
pub const SESSION_NEW_TOKEN: &str = "new_api_token";
/// A webhook endpoint just registered, with its user (`(UserId,
/// types::webhooks::CreatedEndpoint)`), until the webhooks page takes it out to show
/// its signing secret once.
pub const SESSION_NEW_WEBHOOK: &str = "new_webhook_endpoint";

/// Reads the request's parts in place: cloning them copies every header and
/// extension, several times per page.
fn with_parts<T>(read: impl FnOnce(&Parts) -> Option<T>) -> Option<T> {
    with_context::<Parts, _>(read).flatten()
}

/// The page's scripts carry the nonce that the security middleware put in the request
/// and in this response's `Content-Security-Policy`, instead of one Leptos made up.
pub fn use_policy_nonce() {
    if let Some(nonce) = with_parts(|p| p.extensions.get::<leptos::nonce::Nonce>().cloned()) {
        provide_context(nonce);
    }
}

/// What serving a page records: a search in the search log, a product seen in the
/// page's analytics view. Made while the page renders; the page cache keeps it with the
/// page and records it again on every serve, so recording never renders again.
#[derive(Debug, Clone, PartialEq)]
pub enum Served {
    Search(domain::search::log::Entry),
    Product(domain::analytics::ProductRef),
}

impl Served {
    /// Records this serve: in the search log, or in the facts of the page view being
    /// answered (absent when the visitor is not counted).
    pub fn record(self, log: &domain::search::log::SearchLog, page: Option<&domain::analytics::PageFacts>) {
        match self {
            Served::Search(entry) => log.record(entry),
            Served::Product(product) => {
                if let Some(page) = page {
                    page.set_product(product);
                }
            }
        }
    }
}

/// What a response records, collected while it renders: the page cache puts one in the
/// request and keeps what it gathered with the page. Clones share the list.
#[derive(Clone, Default)]
pub struct ServeRecords(std::sync::Arc<std::sync::Mutex<Vec<Served>>>);

impl ServeRecords {
    pub fn add(&self, served: Served) {
        if let Ok(mut all) = self.0.lock() {
            all.push(served);
        }
    }

    pub fn take(&self) -> Vec<Served> {
        self.0.lock().map(|mut all| std::mem::take(&mut *all)).unwrap_or_default()
    }
}

/// Records what serving this response records: with the page when the page cache
/// keeps it (which records it again on every serve), else now.
pub fn record_served(served: Served) -> Result<(), AppError> {
    let records = with_parts(|p| p.extensions.get::<ServeRecords>().cloned());
    let page = with_parts(|p| p.extensions.get::<domain::analytics::PageFacts>().cloned());
    match records {
        Some(records) => records.add(served),
        None => served.record(&services()?.search_log, page.as_ref()),
    }
    Ok(())
}

/// The visitor asking, when they may be counted in the analytics: `None` for whoever
/// asked not to be tracked, a program or a prefetch (`domain::analytics::privacy`).
pub fn countable_visitor() -> Option<Option<domain::analytics::VisitorKey>> {
    with_context::<Parts, _>(|p| {
        let address = p.extensions.get::<ClientIp>().and_then(|c| c.0);
        domain::analytics::privacy::countable(address, |name| p.headers.get(name).and_then(|v| v.to_str().ok()))
    })
    .flatten()
}

pub fn services() -> Result<Services, AppError> {
    with_context::<AppState, _>(|s| s.services.clone()).ok_or_else(|| AppError::new(ErrorCode::Internal))
}

/// Whether feature flag `key` is on for whoever asks: the signed-in user, or an
/// anonymous visitor by their session (without one, only what is on for everyone:
/// such pages are shared through the page cache).
pub fn flag_on(key: &str) -> bool {
    let Ok(services) = services() else { return false };
    let user = session_user();
    let id = match &user {
        Some(user) => Some(user.id.to_string()),
        None => tower_session().ok().and_then(|s| s.id()).map(|id| id.to_string()),
    };
    let roles = user.as_ref().map_or(&[][..], |u| u.roles.as_slice());
    services.flags.is_on(key, &domain::flags::Subject { id: id.as_deref(), roles })
}

pub fn session_user() -> Option<SessionUser> {
    with_parts(|p| p.extensions.get::<CurrentUser>().and_then(|c| c.0.clone()))
}

pub fn request_locale() -> Option<Locale> {
    with_parts(|p| p.extensions.get::<RequestLocale>().map(|l| l.0))
}

pub fn tower_session() -> Result<tower_sessions::Session, AppError> {
    with_parts(|p| p.extensions.get::<tower_sessions::Session>().cloned())
        .ok_or_else(|| AppError::new(ErrorCode::Internal))
}

/// Whose cart this request works on: the signed-in user's, or the one the anonymous
/// session points at.
pub async fn cart_owner() -> Result<domain::commerce::cart::CartOwner, AppError> {
    use domain::commerce::cart::CartOwner;
    if let Some(user) = session_user() {
        return Ok(CartOwner::User(user.id));
    }
    let cart = tower_session()?.get::<types::ids::CartId>(SESSION_CART_ID).await.ok().flatten();
    Ok(CartOwner::Anonymous(cart))
}

/// Who is asking and from where, for events and the audit log.
pub fn request_meta() -> RequestMeta {
    RequestMeta {
        request_id: with_parts(|p| p.headers.get("x-request-id")?.to_str().ok().map(str::to_owned)),
        user_id: session_user().map(|u| u.id),
        client_ip: with_parts(|p| p.extensions.get::<ClientIp>()?.0),
    }
}

/// A request header's value, when it is text.
pub fn request_header(name: &str) -> Option<String> {
    with_parts(|p| p.headers.get(name)?.to_str().ok().map(str::to_owned))
}

/// The value of the request's cookie `name`.
pub fn request_cookie(name: &str) -> Option<String> {
    with_parts(|p| {
        p.headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|pair| pair.trim_start().strip_prefix(name)?.strip_prefix('=').map(str::to_owned))
    })
}

/// Adds a `Set-Cookie` to the response.
pub fn set_cookie(value: &str) {
    if let (Some(options), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(value))
    {
        options.append_header(http::header::SET_COOKIE, value);
    }
}

/// An error for the caller, with its HTTP status set on the response.
pub fn refuse(code: ErrorCode) -> AppError {
    let error = AppError::new(code);
    error.set_response_status();
    error
}

/// The logged-in user, or 401.
pub fn require_user() -> Result<SessionUser, AppError> {
    session_user().ok_or_else(|| refuse(ErrorCode::NotAuthenticated))
}

/// The logged-in user if they hold `permission`; 401 when anonymous, 403 otherwise.
pub fn require_permission(permission: Permission) -> Result<SessionUser, AppError> {
    let user = require_user()?;
    if user.can(permission) { Ok(user) } else { Err(refuse(ErrorCode::Forbidden)) }
}

/// Where to go after login: only a path on this site, as a browser would resolve it.
///
/// Browsers drop tabs and newlines from a `Location`, read `\\` as `/` and fold `/..`, so
/// `/\t/evil.example` or `/..//evil.example` lead off-site although they start with one slash.
/// The value is resolved the way a browser does (WHATWG URL parsing) against a stand-in
/// origin, and only a result that stays on it, with a path that is not protocol-relative, is
/// followed; anything else goes home.
pub fn safe_next(next: Option<&str>) -> String {
    const HOME: &str = "/";
    let Some(next) = next else { return HOME.to_owned() };
    if !next.starts_with('/') || next.contains(|c: char| c.is_control() || c == '\\') {
        return HOME.to_owned();
    }
    let origin = url::Url::parse("https://openaero.invalid/").expect("a valid origin");
    match origin.join(next) {
        Ok(url) if url.origin() == origin.origin() && !url.path().starts_with("//") => {
            url[url::Position::BeforePath..].to_owned()
        }
        _ => HOME.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_on_this_site_are_followed_after_login() {
        let cases = [
            (Some("/account"), "/account"),
            (Some("/search?q=mapping&sort=price#results"), "/search?q=mapping&sort=price#results"),
            (Some("/creator/../account"), "/account"),
            (Some("/%2F%2Fevil.example"), "/%2F%2Fevil.example"),
            (Some("//evil.example/x"), "/"),
            (Some("https://evil.example"), "/"),
            (Some("evil.example"), "/"),
            (Some("/\\evil.example"), "/"),
            (Some("/\t/evil.example"), "/"),
            (Some("/\r\n/evil.example"), "/"),
            (Some("/\n/evil.example"), "/"),
            (Some("/..//evil.example"), "/"),
            (Some("/./..//evil.example"), "/"),
            (Some("/%2e%2e//evil.example"), "/"),
            (Some("/\u{0}/evil.example"), "/"),
            (Some(""), "/"),
            (None, "/"),
        ];
        for (next, expected) in cases {
            assert_eq!(safe_next(next), expected, "next = {next:?}");
        }
    }
}

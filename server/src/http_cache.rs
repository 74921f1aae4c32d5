//! Anonymous storefront responses: validators and cache headers (a browser or a
//! proxy revalidates with `If-None-Match` and gets `304 Not Modified` when nothing
//! changed), and the rendered pages themselves kept in memory per instance, so a hot
//! page is rendered once per catalog change instead of once per visitor, and
//! compressed once per encoding instead of once per response. Signed-in pages are
//! personal: never kept, never given shared-cache headers.
//!
//! A page whose serving is recorded (a search with words, a result opened from one)
//! is kept like any other: what it records is gathered while it renders
//! ([`ServeRecords`]), kept with it and recorded again on every serve: in the search
//! log, and in the analytics page view of the request being answered.

use std::sync::{Arc, OnceLock};

use app::ssr::{ServeRecords, Served};
use axum::{
    body::{Body, Bytes, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{
    analytics::PageFacts,
    catalog::cache::{CatalogVersion, ReadCache},
    search::log::SearchLog,
};
use sha2::{Digest, Sha256};
use types::{Locale, search::SearchParams};

use crate::compression::Encoding;

/// Storefront pages larger than this are sent without a validator.
const MAX_BUFFERED: usize = 4 * 1024 * 1024;
/// Rendered pages kept per instance, in bytes: each page counts its body and a quarter
/// more for the compressed forms made on first use. A product page is ~18 KiB, a
/// listing ~65 KiB: the few hundred most read (bench/README.md has the figures).
const PAGE_BUDGET: usize = 24 * 1024 * 1024;

/// A rendered anonymous page, as sent, with its compressed forms made on first use.
pub struct RenderedPage {
    headers: HeaderMap,
    body: Bytes,
    etag: String,
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
    /// What each serve of this page records.
    records: Vec<Served>,
}

impl RenderedPage {
    fn body(&self, encoding: Encoding) -> Bytes {
        match encoding {
            Encoding::Identity => self.body.clone(),
            Encoding::Brotli => self.brotli.get_or_init(|| encoding.compress(&self.body)).clone(),
            Encoding::Gzip => self.gzip.get_or_init(|| encoding.compress(&self.body)).clone(),
        }
    }
}

/// Rendered pages by request (URL, language and cookies), stale at the next catalog
/// change (the same version the read caches follow), and the log their serves go to.
#[derive(Clone)]
pub struct PageCache {
    pages: Arc<ReadCache<String, Arc<RenderedPage>>>,
    log: SearchLog,
}

impl PageCache {
    pub fn new(version: CatalogVersion, log: SearchLog) -> Self {
        let weigh = |key: &String, page: &Arc<RenderedPage>| key.len() + page.body.len() * 5 / 4;
        Self { pages: Arc::new(ReadCache::weighed(version, PAGE_BUDGET, weigh)), log }
    }
}

/// Pages that are the same for every visitor without a session: the storefront's
/// reads, and the login and registration forms (the busiest pages rendered per
/// request otherwise, now that compressing them costs more than rendering them).
fn is_shared_page(path: &str) -> bool {
    ["/", "/search", "/login", "/register"].contains(&path)
        || ["/c/", "/p/", "/creators/", "/api/shop/"].iter().any(|prefix| path.starts_with(prefix))
}

fn has_session(headers: &HeaderMap) -> bool {
    crate::middleware::session_cookie(headers).is_some()
}

fn is_autocomplete(path: &str) -> bool {
    path.starts_with("/api/shop/autocomplete")
}

/// What may keep a copy, and for how long. A search with a query is recorded on each
/// request (popular and zero-result reports), so only the browser may keep it, and it
/// asks again each time.
fn cache_control(path: &str, query: &str) -> &'static str {
    if is_autocomplete(path) {
        "public, max-age=60"
    } else if is_logged(path, query) {
        "private, no-cache"
    } else {
        "public, max-age=10, stale-while-revalidate=60"
    }
}

/// Whether answering records something: a search with words is logged, and so is the
/// result a visitor opened from it. Suggestions while typing are not.
fn is_logged(path: &str, query: &str) -> bool {
    let mut params = query.split('&');
    !is_autocomplete(path) && params.any(|p| (p.starts_with("q=") && p.len() > 2) || p.starts_with("from_search="))
}

/// The query parameters a shared page reads; any other leaves it as it is.
fn read_parameters(path: &str) -> &'static [&'static str] {
    if path == "/search" || path.starts_with("/c/") {
        SearchParams::keys()
    } else if path.starts_with("/p/") {
        &["from_search"]
    } else if path == "/login" {
        &["next", "verified", "reset"]
    } else if path == "/register" {
        &["next"]
    } else if path.starts_with("/api/shop/") {
        // The storefront's GET server functions, by their arguments.
        &["query", "category", "slug", "locale", "from_search", "q"]
    } else {
        &[]
    }
}

/// What an anonymous page depends on besides the catalog: its path, the parameters it
/// reads (in a fixed order) and its language. Whatever else a client varies (tracking
/// parameters, junk, other cookies, how it spells its language preference) leads to the
/// same page, so a flood of variations cannot crowd the popular pages out. `None` for a
/// page that shows the outcome of a form (`__err`): it is the poster's alone.
fn page_key(path: &str, query: &str, locale: Locale) -> Option<String> {
    let known = read_parameters(path);
    let mut read: Vec<(String, &str)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        // Pages decode keys, so an encoded key (`%71` for `q`) is the key it spells.
        let key = types::search::decode_component(key);
        if key.starts_with("__") {
            return None;
        }
        if known.contains(&key.as_str()) {
            read.push((key, value));
        }
    }
    // Stable: repeated keys keep their order, which the page may read.
    read.sort_by(|a, b| a.0.cmp(&b.0));
    let query: Vec<String> = read.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    Some(format!("{path}?{}\n{}", query.join("&"), locale.tag()))
}

pub async fn storefront_validators(State(cache): State<PageCache>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or_default().to_owned();
    let eligible = matches!(*request.method(), Method::GET | Method::HEAD)
        && is_shared_page(&path)
        && !has_session(request.headers());
    if !eligible {
        return next.run(request).await;
    }
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let encoding = Encoding::preferred(request.headers());
    let records = ServeRecords::default();
    request.extensions_mut().insert(records.clone());
    let page_facts = request.extensions().get::<PageFacts>().cloned();
    let key = page_key(&path, &query, crate::middleware::visitor_locale(request.headers()))
        .filter(|_| *request.method() == Method::GET);
    let kept = key.as_ref().and_then(|key| cache.pages.get(key));
    let hit = kept.is_some();
    metrics::counter!("page_cache_requests_total", "result" => if hit { "hit" } else { "miss" }).increment(1);
    let page = match kept {
        Some(page) => Ok(page),
        None => {
            let version = cache.pages.version();
            let rendered = render(next, request, &path, &query, &records).await;
            if let (Some(key), Ok(page)) = (key, &rendered) {
                cache.pages.put(key, page.clone(), version);
            }
            rendered
        }
    };
    let page = match page {
        Ok(page) => page,
        Err(response) => {
            // Not a page to keep; whatever it gathered is recorded once.
            records.take().into_iter().for_each(|served| served.record(&cache.log, page_facts.as_ref()));
            return response;
        }
    };
    for served in &page.records {
        served.clone().record(&cache.log, page_facts.as_ref());
    }
    let matches = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|candidate| candidate.trim() == page.etag || candidate.trim() == "*"));
    let mut response = Response::new(Body::empty());
    *response.headers_mut() = page.headers.clone();
    let headers = response.headers_mut();
    headers.remove(header::CONTENT_LENGTH);
    // For operators (and the tests): whether this answer was rendered or kept.
    headers.insert("x-cache", HeaderValue::from_static(if hit { "hit" } else { "miss" }));
    if matches {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        return response;
    }
    let body = page.body(encoding);
    if let Some(name) = encoding.header_value() {
        headers.insert(header::CONTENT_ENCODING, name);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    *response.body_mut() = Body::from(body);
    response
}

/// The page with its validator and cache headers, or the response as it came when it
/// is not a page to share (an error, a redirect, one that sets a cookie).
async fn render(
    next: Next,
    request: Request,
    path: &str,
    query: &str,
    records: &ServeRecords,
) -> Result<Arc<RenderedPage>, Response> {
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return Err(response);
    }
    let (mut parts, body) = response.into_parts();
    let Ok(body) = to_bytes(body, MAX_BUFFERED).await else {
        return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    };
    let etag = entity_tag(&body);
    let headers = &mut parts.headers;
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control(path, query)));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Language, Cookie, Accept-Encoding"));
    Ok(Arc::new(RenderedPage {
        headers: parts.headers,
        body,
        etag,
        brotli: OnceLock::new(),
        gzip: OnceLock::new(),
        records: records.take(),
    }))
}

/// A weak tag over the body without its per-request script nonce (Leptos mints one
/// for every render), so equal pages get equal tags.
fn entity_tag(body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    match nonce_of(body) {
        Some(nonce) => {
            let mut rest = body;
            while let Some(at) = find(rest, nonce) {
                hasher.update(&rest[..at]);
                rest = &rest[at + nonce.len()..];
            }
            hasher.update(rest);
        }
        None => hasher.update(body),
    }
    let tag: String = hasher.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("W/\"{tag}\"")
}

fn nonce_of(body: &[u8]) -> Option<&[u8]> {
    const MARK: &[u8] = b"nonce=\"";
    let start = find(body, MARK)? + MARK.len();
    let len = body[start..].iter().position(|b| *b == b'"')?;
    (len >= 8).then(|| &body[start..start + len])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_anonymous_storefront_reads_qualify() {
        assert!(is_shared_page("/p/kestrel") && is_shared_page("/") && is_shared_page("/api/shop/search"));
        assert!(!is_shared_page("/account") && !is_shared_page("/admin/users") && !is_shared_page("/api/login"));
        // The login form is the same for everyone; a reset link's page holds its token.
        assert!(is_shared_page("/login") && is_shared_page("/register") && !is_shared_page("/reset-password"));
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("lang=zh; openaero_session=abc"));
        assert!(has_session(&headers));
        headers.insert(header::COOKIE, HeaderValue::from_static("lang=zh"));
        assert!(!has_session(&headers));
    }

    #[test]
    fn a_page_is_keyed_by_what_it_reads_and_nothing_else() {
        let key = |path, query| page_key(path, query, Locale::En);
        assert_eq!(key("/", "utm_source=x&y"), key("/", ""));
        assert_eq!(key("/search", "sort=price_asc&q=fpv&fbclid=1"), key("/search", "q=fpv&sort=price_asc"));
        assert_ne!(key("/search", "q=fpv"), key("/search", "q=racing"));
        // An encoded key is the key it spells: the page reads it, so the key must too.
        assert_ne!(key("/search", "%71=fpv"), key("/search", ""));
        // Repeated keys keep their order (the last `q` wins on the page).
        assert_ne!(key("/search", "q=a&q=b"), key("/search", "q=b&q=a"));
        assert_ne!(key("/login", "next=/account"), key("/login", ""));
        assert_ne!(key("/p/kestrel", "from_search=1"), key("/p/kestrel", ""));
        assert_ne!(page_key("/", "", Locale::Zh), key("/", ""));
        assert_eq!(key("/login", "__err=abc"), None, "a form's outcome is not shared");
    }

    #[test]
    fn the_render_nonce_does_not_change_the_tag() {
        let a = br#"<script nonce="AAAAAAAAAAAA">x</script><link crossorigin="AAAAAAAAAAAA">"#;
        let b = br#"<script nonce="BBBBBBBBBBBB">x</script><link crossorigin="BBBBBBBBBBBB">"#;
        let c = br#"<script nonce="BBBBBBBBBBBB">y</script><link crossorigin="BBBBBBBBBBBB">"#;
        assert_eq!(entity_tag(a), entity_tag(b));
        assert_ne!(entity_tag(b), entity_tag(c));
    }

    #[test]
    fn logged_searches_stay_private() {
        assert_eq!(cache_control("/search", "q=fpv&page=2"), "private, no-cache");
        assert!(cache_control("/search", "cert=premium").starts_with("public"));
        assert!(!is_logged("/search", "cert=premium&q=") && !is_logged("/", ""));
        assert!(is_logged("/search", "q=fpv") && is_logged("/p/kestrel", "from_search=0b9e"));
        // Suggestions are the same for everyone who typed the same letters.
        assert!(!is_logged("/api/shop/autocomplete", "q=kes&locale=en"));
        assert_eq!(cache_control("/api/shop/autocomplete", "q=kes&locale=en"), "public, max-age=60");
    }
}

//! Headers that tell the browser what this site's pages may do: run only our own
//! scripts, never be framed, not sniff types, leak no paths to other sites, and (in
//! production, over HTTPS) never be fetched in the clear.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use leptos::nonce::Nonce;

/// What a page may load. Scripts: files from this site and the inline hydration
/// scripts that carry this response's nonce; `wasm-unsafe-eval` lets the bundle compile.
/// No inline styles, no plugins, no `<base>`, forms post only here, nobody frames us.
fn page_policy(nonce: &str, https: bool) -> String {
    let upgrade = if https { "; upgrade-insecure-requests" } else { "" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'{upgrade}"
    )
}

/// What any other response (JSON, pictures, documents) may do if a browser opens it
/// as a document: nothing but show itself. Responses that set their own keep it.
const RESOURCE_POLICY: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/// Powerful browser features no page of ours uses.
const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), \
     bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), browsing-topics=()";

/// Whether the site is served over HTTPS in production, where HSTS applies.
#[derive(Clone, Copy, Debug)]
pub struct Transport {
    pub https: bool,
    pub production: bool,
}

/// Inside the page cache, so a kept page keeps the policy whose nonce its scripts
/// carry: each render gets a fresh nonce, which the page's scripts and its
/// `Content-Security-Policy` share. (The app provides it in place of Leptos's own.)
pub async fn page_nonce(State(transport): State<Transport>, mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    if is_html(response.headers())
        && let Ok(value) = HeaderValue::from_str(&page_policy(&nonce, transport.https))
    {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// Around everything: the headers every response carries.
pub async fn every_response(State(transport): State<Transport>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(RESOURCE_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // For browsers that predate `frame-ancestors`.
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert("permissions-policy", HeaderValue::from_static(PERMISSIONS_POLICY));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if transport.production && transport.https {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

fn is_html(headers: &HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"))
}

#[cfg(test)]
mod tests {
    use super::page_policy;

    #[test]
    fn a_page_runs_only_scripts_with_its_nonce_and_cannot_be_framed() {
        let policy = page_policy("abc123", false);
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(!policy.contains("upgrade-insecure-requests"));
        assert!(page_policy("abc123", true).ends_with("; upgrade-insecure-requests"));
    }
}

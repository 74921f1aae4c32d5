//! The build's static files (`target/site`): the WASM bundle, its JavaScript glue, the
//! stylesheet, the favicon, and the push scripts (the service worker and the card's
//! script, at fixed addresses: a service worker's address is its identity). They are served outside the session and page layers
//! (no cookie, no database), precompressed at build time (`.br`, `.gz` beside each
//! file, picked by `Accept-Encoding`), and cached by the browser for good when their
//! name carries a content hash: a new build has new names, so nothing is revalidated.

use std::path::Path;

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, header},
    middleware::{self, Next},
    response::Response,
};
use tower_http::services::{ServeDir, ServeFile};

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Files with fixed names (the favicon) may change with a deployment.
pub const REVALIDATE_DAILY: &str = "public, max-age=86400";
/// The push scripts: a deployment's new service worker reaches browsers at once.
pub const ALWAYS_REVALIDATE: &str = "no-cache";

/// The fixed-name scripts, each checked with the server before every use.
const SCRIPTS: [&str; 2] = ["/push-worker.js", "/push.js"];

/// What the service worker may do: its response's policy is its own. It posts a
/// renewed subscription to this site, and nothing else.
const WORKER_POLICY: &str = "default-src 'none'; connect-src 'self'; img-src 'self'";

pub fn routes(site_root: &str) -> Router {
    let root = Path::new(site_root);
    let pkg = ServeDir::new(root.join("pkg")).precompressed_br().precompressed_gzip();
    let favicon = ServeFile::new(root.join("favicon.svg")).precompressed_br().precompressed_gzip();
    let mut router = Router::new().nest_service("/pkg", pkg).route_service("/favicon.svg", favicon);
    for script in SCRIPTS {
        router = router
            .route_service(script, ServeFile::new(root.join(&script[1..])).precompressed_br().precompressed_gzip());
    }
    router.layer(middleware::from_fn(cache_headers))
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let policy = if is_content_hashed(path) {
        IMMUTABLE
    } else if SCRIPTS.contains(&path) {
        ALWAYS_REVALIDATE
    } else {
        REVALIDATE_DAILY
    };
    let worker = path == SCRIPTS[0];
    let mut response = next.run(request).await;
    if response.status().is_success() {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    if worker {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(WORKER_POLICY));
    }
    response
}

/// Whether a file's name carries the hash of its content, as the build names them:
/// `openaero.<22 characters of base64url MD5>.wasm`.
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.split('.');
    let (Some(stem), Some(hash), Some(_ext)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty() && hash.len() == 22 && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_with_a_content_hash_are_immutable() {
        assert!(is_content_hashed("/pkg/openaero.Xk2pQ9r_aBcD-012345678.wasm"));
        assert!(is_content_hashed("/pkg/openaero.Xk2pQ9r_aBcD-012345678.js"));
        // Precompressed twins keep the hashed name.
        assert!(is_content_hashed("/pkg/openaero.Xk2pQ9r_aBcD-012345678.css.br"));
        assert!(!is_content_hashed("/pkg/openaero.wasm"));
        assert!(!is_content_hashed("/pkg/openaero_bg.wasm"));
        assert!(!is_content_hashed("/favicon.svg"));
        assert!(!is_content_hashed("/pkg/openaero.short.js"));
    }
}

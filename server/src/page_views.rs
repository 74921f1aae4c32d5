//! Storefront page views, recorded by the server as it answers (so visitors without
//! JavaScript count and no script is sent): the layer around the pages, outside the
//! page cache, so a kept page counts like a rendered one. What the page was about (its
//! product) and who is signed in are filled in by the layers and the render below it
//! (`domain::analytics::PageFacts`); who asked and from where is read here.

use axum::{
    extract::{Request, State},
    http::{Method, StatusCode, header},
    middleware::Next,
    response::Response,
};
use chrono::Utc;
use domain::analytics::{Collector, Event, Origin, PageFacts, privacy};
use types::analytics::{EventKind, PageKind};

use crate::client_address::TrustedProxies;

#[derive(Clone)]
pub struct PageViews {
    pub collector: Collector,
    pub trusted_proxies: TrustedProxies,
}

/// The kind of storefront page at `path`; `None` for what is not a shopper's page
/// (the creator portal, the admin console, server functions, files).
fn page_kind(path: &str) -> Option<PageKind> {
    // Whole segments: `/creators/…` is a maker's public page, `/creator/…` the portal.
    let under = |section: &str| path.strip_prefix(section).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    const NOT_PAGES: &[&str] = &["/creator", "/admin", "/api", "/files", "/media", "/pkg", "/dev"];
    if NOT_PAGES.iter().any(|section| under(section)) {
        return None;
    }
    const ACCOUNT: &[&str] = &[
        "/account",
        "/orders",
        "/login",
        "/register",
        "/check-email",
        "/verify-email",
        "/forgot-password",
        "/reset-password",
    ];
    Some(match path {
        "/" => PageKind::Home,
        "/search" => PageKind::Search,
        "/cart" => PageKind::Cart,
        "/checkout" => PageKind::Checkout,
        _ if under("/c") => PageKind::Listing,
        _ if under("/p") => PageKind::Product,
        _ if under("/creators") => PageKind::Maker,
        _ if ACCOUNT.iter().any(|section| under(section)) => PageKind::Account,
        _ => PageKind::Other,
    })
}

/// Records the page view of each storefront page answered (200, or 304 to a browser
/// that had it), unless the visitor opted out or is a program.
pub async fn record(State(views): State<PageViews>, mut request: Request, next: Next) -> Response {
    let kind = page_kind(request.uri().path()).filter(|_| views.collector.is_on() && request.method() == Method::GET);
    let Some(kind) = kind else {
        return next.run(request).await;
    };
    let headers = request.headers();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let Some(visitor) = privacy::countable(views.trusted_proxies.client_of(&request), header) else {
        return next.run(request).await;
    };
    let origin = Origin::of(request.uri().query().unwrap_or_default(), header("referer"), header("host"));
    let facts = PageFacts::default();
    request.extensions_mut().insert(facts.clone());
    let response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if !matches!(response.status(), StatusCode::OK | StatusCode::NOT_MODIFIED) || !is_page {
        return response;
    }
    let facts = facts.get();
    let mut view =
        Event::new(if facts.product.is_some() { EventKind::ProductView } else { EventKind::PageView }, Utc::now());
    view.page_kind = Some(kind);
    view.visitor = visitor;
    view.user = facts.user;
    view.product = facts.product;
    view.origin = origin;
    views.collector.record(view);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storefront_pages_have_kinds_and_the_other_faces_are_not_counted() {
        assert_eq!(page_kind("/"), Some(PageKind::Home));
        assert_eq!(page_kind("/c/fpv-racing"), Some(PageKind::Listing));
        assert_eq!(page_kind("/p/kestrel-vtol"), Some(PageKind::Product));
        assert_eq!(page_kind("/creators/skyworks"), Some(PageKind::Maker));
        assert_eq!(page_kind("/orders/OA-100001"), Some(PageKind::Account));
        assert_eq!(page_kind("/catalogue-tips"), Some(PageKind::Other));
        for path in ["/creator", "/creator/orders", "/admin/ledger", "/api/shop/product", "/pkg/openaero.wasm"] {
            assert_eq!(page_kind(path), None, "{path}");
        }
    }
}

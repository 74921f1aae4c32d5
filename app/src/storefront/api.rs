//! Storefront reads. All are GET requests: anyone may call them, they change nothing
//! a user owns, and their answers can be cached.

use leptos::prelude::*;
use server_fn::codec::GetUrl;
use types::{
    Locale,
    catalog::{CreatorPage, HomeCatalog, ProductDetail},
    search::{SearchPage, Suggestion},
};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{services, session_user};

#[server(input = GetUrl, endpoint = "shop/home")]
pub async fn get_home(locale: Locale) -> Result<HomeCatalog, AppError> {
    Ok(domain::catalog::home(&services()?.pool, locale).await?)
}

/// `query` is the page's URL query string as typed; it is parsed here, leniently, so
/// a bad value becomes a message on the page rather than a failed request.
#[server(input = GetUrl, endpoint = "shop/search")]
pub async fn search_catalog(query: String, category: Option<String>, locale: Locale) -> Result<SearchPage, AppError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let category_pair = category.map(|c| ("category".to_owned(), c));
    let (params, errors) = types::search::SearchParams::parse(
        pairs
            .iter()
            .filter(|(k, _)| k != "category" || category_pair.is_none())
            .chain(category_pair.iter())
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    let user = session_user().map(|u| u.id);
    Ok(domain::search::search(&services()?.pool, params, errors, locale, user).await?)
}

/// The product page; `from_search` records that a search result was opened.
#[server(input = GetUrl, endpoint = "shop/product")]
pub async fn get_product(slug: String, locale: Locale, from_search: Option<String>) -> Result<ProductDetail, AppError> {
    let pool = services()?.pool;
    if let Some(search_id) = from_search.and_then(|s| s.parse().ok()) {
        domain::search::record_click(&pool, search_id, &slug).await?;
    }
    domain::catalog::product(&pool, &slug, locale).await?.ok_or_else(|| domain::Error::NotFound.into())
}

#[server(input = GetUrl, endpoint = "shop/creator")]
pub async fn get_creator(slug: String, locale: Locale) -> Result<CreatorPage, AppError> {
    domain::catalog::creator_page(&services()?.pool, &slug, locale).await?.ok_or_else(|| domain::Error::NotFound.into())
}

#[server(input = GetUrl, endpoint = "shop/autocomplete")]
pub async fn autocomplete(q: String, locale: Locale) -> Result<Vec<Suggestion>, AppError> {
    if q.chars().count() > types::search::MAX_QUERY_CHARS {
        return Ok(Vec::new());
    }
    Ok(domain::search::autocomplete(&services()?.pool, &q, locale).await?)
}

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
use crate::ssr::{Served, record_served, services, session_user};

#[server(input = GetUrl, endpoint = "shop/home")]
pub async fn get_home(locale: Locale) -> Result<HomeCatalog, AppError> {
    Ok(domain::catalog::cached::home(&services()?, locale).await?)
}

/// `query` is the page's URL query string as typed; it is parsed here, leniently, so
/// a bad value becomes a message on the page rather than a failed request.
#[server(input = GetUrl, endpoint = "shop/search")]
pub async fn search_catalog(query: String, category: Option<String>, locale: Locale) -> Result<SearchPage, AppError> {
    let (params, errors) = types::search::SearchParams::from_query(&query, category.as_deref());
    let page = domain::catalog::search_page::search(&services()?, params, errors, locale).await?;
    if let Some(entry) = domain::catalog::search_page::log_entry(&page, locale, session_user().map(|u| u.id)) {
        record_served(Served::Search(entry))?;
    }
    Ok(page)
}

/// The product page; `from_search` records that a search result was opened.
#[server(input = GetUrl, endpoint = "shop/product")]
pub async fn get_product(slug: String, locale: Locale, from_search: Option<String>) -> Result<ProductDetail, AppError> {
    let (ids, product) = domain::catalog::cached::product(&services()?, &slug, locale).await?;
    record_served(Served::Product(ids))?;
    if let Some(page_id) = from_search.and_then(|s| s.parse().ok()) {
        record_served(Served::Search(domain::search::log::Entry::click(page_id, &slug)))?;
    }
    Ok(product)
}

#[server(input = GetUrl, endpoint = "shop/creator")]
pub async fn get_creator(slug: String, locale: Locale) -> Result<CreatorPage, AppError> {
    Ok(domain::catalog::cached::creator_page(&services()?, &slug, locale).await?)
}

#[server(input = GetUrl, endpoint = "shop/autocomplete")]
pub async fn autocomplete(q: String, locale: Locale) -> Result<Vec<Suggestion>, AppError> {
    Ok(domain::search::autocomplete(&services()?.pool, &q, locale).await?)
}

//! The storefront's reads through this instance's cache (see [`super::cache`]);
//! a missing product or maker is `Error::NotFound`.

use types::{
    Locale,
    catalog::{CreatorPage, HomeCatalog, ProductDetail},
};

use crate::{Error, Result, Services, analytics::ProductRef};

#[tracing::instrument(skip_all)]
pub async fn home(services: &Services, locale: Locale) -> Result<HomeCatalog> {
    services.catalog.home.get_or_load(locale, super::home(&services.pool, locale)).await
}

#[tracing::instrument(skip_all)]
/// A product's page, with the ids its views are counted under.
pub async fn product(services: &Services, slug: &str, locale: Locale) -> Result<(ProductRef, ProductDetail)> {
    let key = (slug.to_owned(), locale);
    services
        .catalog
        .products
        .get_or_load(key, super::product(&services.pool, &services.search, slug, locale))
        .await?
        .ok_or(Error::NotFound)
}

#[tracing::instrument(skip_all)]
pub async fn creator_page(services: &Services, slug: &str, locale: Locale) -> Result<CreatorPage> {
    let key = (slug.to_owned(), locale);
    let load = super::creator_page(&services.pool, &services.search, slug, locale);
    services.catalog.creators.get_or_load(key, load).await?.ok_or(Error::NotFound)
}

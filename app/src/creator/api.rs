//! The creator portal's server functions: verified creators, their own products
//! only. The rules live in `domain::creators` and `domain::catalog::listing`.

use leptos::prelude::*;
use types::products::ProductDraft;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{request_meta, require_permission, services};
#[cfg(feature = "ssr")]
use types::Permission;

/// The portal's first page: products by status, low stock, every product.
#[server(endpoint = "creator/dashboard")]
pub async fn dashboard() -> Result<types::products::Dashboard, AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    Ok(domain::catalog::listing::dashboard(&services()?, user.id).await?)
}

/// Where a product may be placed, in the reader's language.
#[server(endpoint = "creator/categories")]
pub async fn categories() -> Result<Vec<types::products::CategoryChoice>, AppError> {
    require_permission(Permission::CreatorPortal)?;
    let locale = crate::ssr::request_locale().unwrap_or_default();
    Ok(domain::catalog::listing::categories(&services()?, locale).await?)
}

#[server(endpoint = "creator/product")]
pub async fn product(id: String) -> Result<types::products::EditorProduct, AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    Ok(domain::catalog::listing::load(&services()?, user.id, product_id(&id)?).await?)
}

#[cfg(feature = "ssr")]
fn product_id(raw: &str) -> Result<types::ids::ProductId, AppError> {
    raw.parse().map_err(|_| crate::ssr::refuse(types::ErrorCode::NotFound))
}

/// Creates a product (empty `id`) or saves one. The form's fields are `draft[…]`;
/// `media` holds the files' ids in display order, separated by commas.
#[server(endpoint = "creator/product/save")]
pub async fn save_product(
    #[server(default)] id: String,
    #[server(default)] draft: ProductDraft,
    #[server(default)] media: String,
) -> Result<(), AppError> {
    use domain::catalog::listing;
    let user = require_permission(Permission::CreatorPortal)?;
    let media: Vec<String> = media.split(',').map(str::to_owned).collect();
    let id = match id.trim() {
        "" => None,
        raw => Some(product_id(raw)?),
    };
    let id = listing::create_or_save(&services()?, user.id, id, &draft, &media, &request_meta()).await?;
    leptos_axum::redirect(&format!("/creator/products/{id}?saved=1"));
    Ok(())
}

#[server(endpoint = "creator/product/submit")]
pub async fn submit_product(id: String) -> Result<(), AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    let id = product_id(&id)?;
    domain::catalog::listing::submit(&services()?, user.id, id, &request_meta()).await?;
    leptos_axum::redirect(&format!("/creator/products/{id}?submitted=1"));
    Ok(())
}

#[server(endpoint = "creator/product/archive")]
pub async fn archive_product(id: String) -> Result<(), AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    let id = product_id(&id)?;
    domain::catalog::listing::archive(&services()?, user.id, id, &request_meta()).await?;
    leptos_axum::redirect("/creator?archived=1");
    Ok(())
}

/// A product's certificate and every certification application, for its creator.
#[server(endpoint = "creator/certification")]
pub async fn certification(id: String) -> Result<types::certification::ProductCertification, AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    Ok(domain::catalog::certification::for_product(&services()?, user.id, product_id(&id)?).await?)
}

/// Applies for a published product to be certified. `documents` holds the uploaded
/// files' ids, separated by commas.
#[server(endpoint = "creator/certification/apply")]
pub async fn apply_for_certification(
    id: String,
    #[server(default)] level: String,
    #[server(default)] message: String,
    #[server(default)] documents: String,
) -> Result<(), AppError> {
    use domain::catalog::certification::{ApplyInput, apply};
    let user = require_permission(Permission::CreatorPortal)?;
    let product = product_id(&id)?;
    let input = ApplyInput { level, message, documents: documents.split(',').map(str::to_owned).collect() };
    apply(&services()?, user.id, product, &input, &request_meta()).await?;
    leptos_axum::redirect(&format!("/creator/products/{product}/certification?applied=1"));
    Ok(())
}

#[cfg(feature = "ssr")]
fn portfolio_id(raw: &str) -> Result<types::ids::PortfolioItemId, AppError> {
    raw.parse().map_err(|_| crate::ssr::refuse(types::ErrorCode::NotFound))
}

/// The caller's portfolio items (archived ones left out), most recently changed first.
#[server(endpoint = "creator/portfolio")]
pub async fn portfolio() -> Result<Vec<types::portfolio::PortfolioEntry>, AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    Ok(domain::creators::portfolio::mine(&services()?, user.id).await?)
}

#[server(endpoint = "creator/portfolio/item")]
pub async fn portfolio_item(id: String) -> Result<types::portfolio::PortfolioEntry, AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    Ok(domain::creators::portfolio::load(&services()?, user.id, portfolio_id(&id)?).await?)
}

/// Creates a portfolio item (empty `id`) or saves one. `media` holds the files' ids in
/// display order, separated by commas.
#[server(endpoint = "creator/portfolio/save")]
pub async fn save_portfolio_item(
    #[server(default)] id: String,
    #[server(default)] title: String,
    #[server(default)] description: String,
    #[server(default)] category: String,
    #[server(default)] media: String,
) -> Result<(), AppError> {
    use domain::creators::portfolio::{PortfolioInput, create_or_save};
    let user = require_permission(Permission::CreatorPortal)?;
    let id = match id.trim() {
        "" => None,
        raw => Some(portfolio_id(raw)?),
    };
    let input = PortfolioInput { title, description, category, media: media.split(',').map(str::to_owned).collect() };
    let id = create_or_save(&services()?, user.id, id, &input).await?;
    leptos_axum::redirect(&format!("/creator/portfolio/{id}?saved=1"));
    Ok(())
}

#[server(endpoint = "creator/portfolio/submit")]
pub async fn submit_portfolio_item(id: String) -> Result<(), AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    let id = portfolio_id(&id)?;
    domain::creators::portfolio::submit(&services()?, user.id, id, &request_meta()).await?;
    leptos_axum::redirect(&format!("/creator/portfolio/{id}?submitted=1"));
    Ok(())
}

#[server(endpoint = "creator/portfolio/archive")]
pub async fn archive_portfolio_item(id: String) -> Result<(), AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    domain::creators::portfolio::archive(&services()?, user.id, portfolio_id(&id)?, &request_meta()).await?;
    leptos_axum::redirect("/creator/portfolio?archived=1");
    Ok(())
}

//! Review queue server functions: reviewers and admins only. Every function checks
//! the permission itself, whatever the page showed.

use leptos::prelude::*;
use types::review::{ItemDetail, QueueItem};
#[cfg(feature = "ssr")]
use types::{ErrorCode, Permission};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{refuse, request_meta, require_permission, services};

/// Items per queue page.
pub const QUEUE_PAGE: i64 = 100;

#[cfg(feature = "ssr")]
fn item_id(raw: &str) -> Result<types::ids::ReviewItemId, AppError> {
    raw.parse().map_err(|_| refuse(ErrorCode::NotFound))
}

/// Open items, oldest first. `kind` filters by what is reviewed; `claim` is `all`,
/// `mine` or `unclaimed`.
#[server(endpoint = "review/queue")]
pub async fn review_queue(kind: Option<String>, claim: Option<String>) -> Result<Vec<QueueItem>, AppError> {
    use types::review::{ClaimFilter, ReviewKind};
    let me = require_permission(Permission::ReviewQueue)?;
    let kind = kind.as_deref().and_then(ReviewKind::parse);
    let claim = ClaimFilter::parse(claim.as_deref().unwrap_or_default());
    Ok(domain::review::queue::list(&services()?, &me, kind, claim, QUEUE_PAGE).await?)
}

#[server(endpoint = "review/item")]
pub async fn review_item(id: String) -> Result<ItemDetail, AppError> {
    let me = require_permission(Permission::ReviewQueue)?;
    Ok(domain::review::queue::detail(&services()?, &me, item_id(&id)?).await?)
}

#[server(endpoint = "review/claim")]
pub async fn claim_item(id: String) -> Result<(), AppError> {
    let me = require_permission(Permission::ReviewQueue)?;
    Ok(domain::review::queue::claim(&services()?, &me, item_id(&id)?).await?)
}

#[server(endpoint = "review/release")]
pub async fn release_item(id: String) -> Result<(), AppError> {
    let me = require_permission(Permission::ReviewQueue)?;
    Ok(domain::review::queue::release(&services()?, &me, item_id(&id)?).await?)
}

/// Approves, rejects or asks for changes (`decision`: `approved`, `rejected`,
/// `changes_requested`); the last two need `feedback`.
#[server(endpoint = "review/decide")]
pub async fn decide_item(id: String, decision: String, #[server(default)] feedback: String) -> Result<(), AppError> {
    let me = require_permission(Permission::ReviewQueue)?;
    let decision = types::review::Decision::parse(&decision).ok_or_else(|| refuse(ErrorCode::BadRequest))?;
    domain::review::decide::decide(&services()?, &me, item_id(&id)?, decision, &feedback, &request_meta()).await?;
    leptos_axum::redirect(&format!("/admin/review/{id}?decided=1"));
    Ok(())
}

//! Review queue server functions: reviewers and admins only. Every function checks
//! the permission itself, whatever the page showed.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use types::TextEnum;
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
/// `changes_requested`); the last two need `feedback`. Approving a certification
/// application grants the certificate the last four fields describe (dates as
/// `YYYY-MM-DD`).
#[server(endpoint = "review/decide")]
pub async fn decide_item(
    id: String,
    decision: String,
    #[server(default)] feedback: String,
    #[server(default)] level: String,
    #[server(default)] body: String,
    #[server(default)] granted_on: String,
    #[server(default)] expires_on: String,
) -> Result<(), AppError> {
    use types::certification::GrantInput;
    let me = require_permission(Permission::ReviewQueue)?;
    let decision = types::review::Decision::parse(&decision).ok_or_else(|| refuse(ErrorCode::BadRequest))?;
    let grant = GrantInput { level, body, granted_on, expires_on };
    domain::review::decide::decide(&services()?, &me, item_id(&id)?, decision, &feedback, &grant, &request_meta())
        .await?;
    leptos_axum::redirect(&format!("/admin/review/{id}?decided=1"));
    Ok(())
}

/// Records a test result on the certification application behind item `id`
/// (`passed` is `on` when ticked; `tested_on` is `YYYY-MM-DD`).
#[server(endpoint = "review/certification/result")]
pub async fn record_result(
    id: String,
    #[server(default)] test_name: String,
    #[server(default)] metric: String,
    #[server(default)] value: String,
    #[server(default)] unit: String,
    #[server(default)] passed: Option<String>,
    #[server(default)] tested_on: String,
) -> Result<(), AppError> {
    use domain::catalog::certification::{ResultInput, record_result};
    let me = require_permission(Permission::ReviewQueue)?;
    let input = ResultInput { test_name, metric, value, unit, passed: passed.is_some(), tested_on };
    record_result(&services()?, &me, item_id(&id)?, &input).await?;
    leptos_axum::redirect(&format!("/admin/review/{id}#results"));
    Ok(())
}

/// Takes back a result recorded on the still open application behind item `id`.
#[server(endpoint = "review/certification/result/remove")]
pub async fn remove_result(id: String, result: i64) -> Result<(), AppError> {
    let me = require_permission(Permission::ReviewQueue)?;
    domain::catalog::certification::remove_result(&services()?, &me, item_id(&id)?, result).await?;
    leptos_axum::redirect(&format!("/admin/review/{id}#results"));
    Ok(())
}

//! Four eyes: nobody decides their own case. Whoever submitted something, or whose
//! shop or order it concerns, does not approve, reject, claim, pay out or refund it;
//! someone else does. Each refusal is audited, outside the refused transaction (which
//! rolls back), so an attempt leaves a trace even though it changed nothing.

use serde_json::json;
use sqlx::PgPool;
use types::{ErrorCode, UserId};

use crate::{Error, audit};

/// The audit action of a refused attempt; `details.action` names what was attempted.
pub const REFUSED: &str = "four_eyes.refused";

/// Records that `decider` tried `action` on their own `target` and returns the refusal
/// (`code`: what the user is told).
#[tracing::instrument(skip_all, fields(decider = %decider))]
pub async fn refuse(
    pool: &PgPool,
    decider: UserId,
    action: &str,
    target_type: &str,
    target_id: impl std::fmt::Display,
    code: ErrorCode,
) -> Error {
    let recorded = async {
        let mut conn = pool.acquire().await?;
        let target_id = target_id.to_string();
        audit::record(&mut conn, Some(decider), REFUSED, target_type, &target_id, json!({ "action": action })).await
    };
    if let Err(e) = recorded.await {
        tracing::warn!(error = ?e, action, "recording a refused own-case decision failed");
    }
    Error::Refused(code)
}

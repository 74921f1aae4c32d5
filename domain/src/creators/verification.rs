//! What a reviewer's decision on an application does: approval verifies the creator
//! and grants the creator role; rejection (or a request for changes) records the
//! reason, shown to the applicant, who may fix and resubmit.

use serde_json::json;
use sqlx::PgConnection;
use types::{
    SessionUser,
    ids::CreatorId,
    review::{Decision, ReviewKind},
};

use uuid::Uuid;

use super::application::creator_event;
use crate::{
    Error, Result, audit,
    events::{self, EventMetadata, EventType},
    review::subjects::{Decided, Evidence, Subject},
};

pub async fn apply(
    conn: &mut PgConnection,
    reviewer: &SessionUser,
    creator: CreatorId,
    decision: Decision,
    feedback: &str,
    metadata: &EventMetadata,
) -> Result<()> {
    let user = match decision {
        Decision::Approve => {
            sqlx::query_scalar!(
            "update creators set status = 'verified', verified_at = now(), rejection_reason = null, updated_at = now()
             where id = $1 and status = 'pending' returning user_id",
            creator.0
        )
            .fetch_optional(&mut *conn)
            .await?
        }
        Decision::Reject | Decision::RequestChanges => {
            sqlx::query_scalar!(
                "update creators set status = 'rejected', rejection_reason = $2, updated_at = now()
             where id = $1 and status = 'pending' returning user_id",
                creator.0,
                feedback
            )
            .fetch_optional(&mut *conn)
            .await?
        }
    }
    // An open verification item always has a pending creator; anything else is a bug
    // worth stopping for rather than a state to paper over.
    .ok_or_else(|| Error::Internal(anyhow::anyhow!("creator {creator} is not pending verification")))?;

    let action = if decision == Decision::Approve { "creator.verify" } else { "creator.reject" };
    audit::record(conn, Some(reviewer.id), action, "creator", &creator.to_string(), json!({ "feedback": feedback }))
        .await?;
    if decision == Decision::Approve {
        sqlx::query!(
            "insert into user_roles (user_id, role, granted_by) values ($1, 'creator', $2) on conflict do nothing",
            user,
            reviewer.id.0
        )
        .execute(&mut *conn)
        .await?;
        events::publish(conn, creator_event(EventType::CreatorVerified, creator, json!({ "user_id": user })), metadata)
            .await?;
    }
    Ok(())
}

/// A creator's application to sell, as the review queue decides it.
pub struct Review;

#[async_trait::async_trait]
impl Subject for Review {
    fn kind(&self) -> ReviewKind {
        ReviewKind::CreatorVerification
    }

    async fn apply(&self, tx: &mut PgConnection, d: &Decided<'_>) -> Result<()> {
        apply(tx, d.reviewer, d.creator, d.decision, d.feedback, d.metadata).await
    }

    async fn path(&self, _conn: &mut PgConnection, _subject: Uuid) -> Result<String> {
        Ok("/account/selling".to_owned())
    }

    async fn evidence(&self, conn: &mut PgConnection, _subject: Uuid, creator: CreatorId) -> Result<Evidence> {
        Ok(Evidence { application: super::application::load(conn, creator).await?, ..Evidence::default() })
    }
}

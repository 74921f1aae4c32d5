//! Deciding an item: approve, reject with feedback, or ask for changes. The decision,
//! its effect on the subject and the events commit together; the creator hears of it
//! from the events (`review::mail`), as they chose.

use types::TextEnum;

use types::{
    ErrorCode, SessionUser,
    certification::GrantInput,
    ids::{CreatorId, ReviewItemId},
    review::{Decision, ReviewKind},
};

use super::{queue, subjects::Decided};
use crate::{
    Error, RequestMeta, Result, Services,
    events::{self, EventMetadata, EventType},
};

/// Feedback longer than this is refused (it is shown in mail and in-app).
pub const MAX_FEEDBACK_CHARS: usize = 4000;

/// Decides item `id`. `grant` is read only when approving a certification
/// application: what the certificate says. What the decision does to its subject is
/// the subject module's [`super::subjects::Subject`].
#[tracing::instrument(skip_all, fields(me = %me.id, id = %id))]
pub async fn decide(
    services: &Services,
    me: &SessionUser,
    id: ReviewItemId,
    decision: Decision,
    feedback: &str,
    grant: &GrantInput,
    meta: &RequestMeta,
) -> Result<()> {
    let feedback = feedback.trim();
    if decision.needs_feedback() && feedback.is_empty() {
        return Err(Error::field("feedback", ErrorCode::FeedbackRequired));
    }
    if feedback.chars().count() > MAX_FEEDBACK_CHARS {
        return Err(Error::field("feedback", ErrorCode::TooLong));
    }
    let mut tx = services.pool.begin().await?;
    queue::lock_for_decision(&mut tx, &services.pool, me, id).await?;
    let item = sqlx::query!(
        "update review_items set status = $2, decided_at = now(), claimed_by = $3, claimed_at = coalesce(claimed_at, now())
         where id = $1
         returning kind, subject_id, creator_id, title",
        id.0,
        decision.outcome().as_str(),
        me.id.0
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into review_decisions (item_id, reviewer_id, decision, feedback) values ($1, $2, $3, $4)",
        id.0,
        me.id.0,
        decision.as_str(),
        feedback
    )
    .execute(&mut *tx)
    .await?;

    let kind = ReviewKind::parse(&item.kind).ok_or(Error::NotFound)?;
    let subject = services.review_subjects.get(kind)?;
    let creator = CreatorId(item.creator_id);
    let metadata = EventMetadata::from_request(meta);
    let decided = Decided {
        reviewer: me,
        subject: item.subject_id,
        creator,
        title: &item.title,
        decision,
        feedback,
        grant,
        metadata: &metadata,
    };
    subject.apply(&mut tx, &decided).await?;
    if !subject.tells_creator() {
        tx.commit().await?;
        return Ok(());
    }
    let event_type = match decision {
        Decision::Approve => EventType::CreatorSubmissionApproved,
        Decision::Reject | Decision::RequestChanges => EventType::CreatorSubmissionRejected,
    };
    let mut event = queue::submission_event(event_type, creator, id, kind);
    event.data["decision"] = decision.as_str().into();
    events::publish(&mut tx, event, &metadata).await?;
    tx.commit().await?;
    Ok(())
}

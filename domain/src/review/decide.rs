//! Deciding an item: approve, reject with feedback, or ask for changes. The decision,
//! its effect on the subject, the creator's in-app notice and the events commit
//! together; the mail follows from the events.

use std::collections::BTreeMap;

use chrono::Utc;
use types::{
    ErrorCode, SessionUser,
    ids::{CertificationApplicationId, CreatorId, PortfolioItemId, ProductId, RatingId, ReviewItemId},
    notifications::NotificationKind,
    review::{Decision, ReviewKind},
};

use super::queue;
use crate::{
    Error, RequestMeta, Result, Services,
    catalog::{
        certification::{self, GrantInput},
        listing,
    },
    creators::{application::submission_event, portfolio, verification},
    events::{self, EventMetadata, EventType},
    notifications::in_app,
    ratings,
};

/// Feedback longer than this is refused (it is shown in mail and in-app).
pub const MAX_FEEDBACK_CHARS: usize = 4000;

/// Decides item `id`. `grant` is read only when approving a certification
/// application: what the certificate says.
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
    let creator = CreatorId(item.creator_id);
    let metadata = EventMetadata::from_request(meta);
    match kind {
        ReviewKind::CreatorVerification => {
            verification::apply(&mut tx, me, creator, decision, feedback, &metadata).await?;
        }
        ReviewKind::ProductSubmission => {
            listing::apply_decision(&mut tx, ProductId(item.subject_id), decision, feedback, &metadata).await?;
        }
        ReviewKind::CertificationApplication => {
            let application = CertificationApplicationId(item.subject_id);
            match decision {
                Decision::Approve => {
                    let valid =
                        certification::validate_grant(grant, Utc::now().date_naive()).map_err(Error::Validation)?;
                    certification::grant(&mut tx, me, application, &valid, &metadata).await?;
                }
                Decision::Reject | Decision::RequestChanges => {
                    certification::refuse(&mut tx, application).await?;
                }
            }
        }
        ReviewKind::PortfolioItem => {
            portfolio::apply_decision(&mut tx, PortfolioItemId(item.subject_id), decision, feedback).await?;
        }
        ReviewKind::Rating => {
            // A customer's rating: the customer hears of it, not the rated creator.
            let rating = RatingId(item.subject_id);
            ratings::moderate::apply_decision(&mut tx, rating, &item.title, decision, feedback, &metadata).await?;
            tx.commit().await?;
            return Ok(());
        }
    }
    let link = queue::subject_path(&mut tx, kind, item.subject_id).await?;

    let owner =
        sqlx::query_scalar!("select user_id from creators where id = $1", creator.0).fetch_one(&mut *tx).await?;
    let notice = match decision {
        Decision::Approve => NotificationKind::SubmissionApproved,
        Decision::Reject => NotificationKind::SubmissionRejected,
        Decision::RequestChanges => NotificationKind::ChangesRequested,
    };
    let params = BTreeMap::from([
        ("title".to_owned(), item.title),
        ("review_kind".to_owned(), kind.as_str().to_owned()),
        ("feedback".to_owned(), feedback.to_owned()),
    ]);
    in_app::notify(&mut tx, types::UserId(owner), notice, &params, &link).await?;
    let event_type = match decision {
        Decision::Approve => EventType::CreatorSubmissionApproved,
        Decision::Reject | Decision::RequestChanges => EventType::CreatorSubmissionRejected,
    };
    let mut event = submission_event(event_type, creator, id, kind);
    event.data["decision"] = decision.as_str().into();
    events::publish(&mut tx, event, &metadata).await?;
    tx.commit().await?;
    Ok(())
}

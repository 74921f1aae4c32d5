//! The handler that tells a creator what a reviewer decided, with the feedback and
//! where to act on it: in the app and by mail, as they chose.

use std::collections::BTreeMap;

use anyhow::Context;
use types::TextEnum;
use types::{
    UserId,
    ids::ReviewItemId,
    notifications::NotificationKind,
    review::{Decision, ReviewKind},
};

use crate::{
    Services,
    events::{EventType, Handler, StoredEvent},
    users::notices::{self, Notice},
};

/// Tells creators what reviewers decided.
pub struct ReviewMail;

#[async_trait::async_trait]
impl Handler for ReviewMail {
    fn name(&self) -> &'static str {
        "review_mail"
    }

    fn events(&self) -> &'static [EventType] {
        &[EventType::CreatorSubmissionApproved, EventType::CreatorSubmissionRejected]
    }

    async fn handle(&self, services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
        handle(services, event).await
    }
}

async fn handle(services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
    let item: ReviewItemId =
        event.data["review_item_id"].as_str().and_then(|s| s.parse().ok()).context("the event names no review item")?;
    let row = sqlx::query!(
        "select i.title, i.kind, i.subject_id, d.decision, d.feedback, c.user_id
         from review_items i
         join review_decisions d on d.item_id = i.id
         join creators c on c.id = i.creator_id
         where i.id = $1
         order by d.created_at desc limit 1",
        item.0
    )
    .fetch_optional(&services.pool)
    .await?;
    let Some(row) = row else {
        return Ok(());
    };
    let decision = Decision::parse(&row.decision).context("unknown decision")?;
    let kind = ReviewKind::parse(&row.kind).context("unknown review kind")?;
    let path = {
        let mut conn = services.pool.acquire().await?;
        services.review_subjects.get(kind)?.path(&mut conn, row.subject_id).await?
    };
    let notice = Notice {
        user: UserId(row.user_id),
        kind: match decision {
            Decision::Approve => NotificationKind::SubmissionApproved,
            Decision::Reject => NotificationKind::SubmissionRejected,
            Decision::RequestChanges => NotificationKind::ChangesRequested,
        },
        params: BTreeMap::from([
            ("title".to_owned(), row.title.clone()),
            ("review_kind".to_owned(), kind.as_str().to_owned()),
            ("feedback".to_owned(), row.feedback.clone()),
        ]),
        link: path,
    };
    notices::send(services, &format!("{}:review_mail", event.id), notice).await?;
    Ok(())
}

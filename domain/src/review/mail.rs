//! The handler that tells a creator by mail what a reviewer decided.

use anyhow::Context;
use types::TextEnum;
use types::{
    ids::ReviewItemId,
    review::{Decision, ReviewKind},
};

use crate::notifications::templates;
use crate::{
    Services,
    events::{EventType, Handler, StoredEvent},
};

/// Tells creators by mail what reviewers decided.
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
        "select i.title, i.kind, i.subject_id, d.decision, d.feedback, u.email, u.name, u.locale
         from review_items i
         join review_decisions d on d.item_id = i.id
         join creators c on c.id = i.creator_id
         join users u on u.id = c.user_id
         where i.id = $1
         order by d.created_at desc limit 1",
        item.0
    )
    .fetch_optional(&services.pool)
    .await?;
    let Some(row) = row else {
        // The creator's account was deleted since; nobody to write to.
        return Ok(());
    };
    let decision = Decision::parse(&row.decision).context("unknown decision")?;
    let kind = ReviewKind::parse(&row.kind).context("unknown review kind")?;
    let locale = types::Locale::from_tag(&row.locale).unwrap_or_default();
    let path = {
        let mut conn = services.pool.acquire().await?;
        services.review_subjects.get(kind)?.path(&mut conn, row.subject_id).await?
    };
    let link = format!("{}{path}", services.settings.base_url);
    let mail =
        templates::review_decision(locale, &row.email, &row.name, &row.title, kind, decision, &row.feedback, &link);
    services.mailer.send(&services.pool, &format!("{}:review_mail", event.id), mail).await
}

//! A maker hears when a customer's review of their product or shop is published: the
//! stars, the words and where to see it, in the app and by mail as they chose for their
//! listings.

use std::collections::BTreeMap;

use anyhow::Context;
use types::{UserId, notifications::NotificationKind};

use crate::{
    Services,
    events::{EventType, Handler, StoredEvent},
    users::notices::{self, Notice},
};

/// Tells makers of their published reviews.
pub struct RatingNotices;

#[async_trait::async_trait]
impl Handler for RatingNotices {
    fn name(&self) -> &'static str {
        "rating_notices"
    }

    fn events(&self) -> &'static [EventType] {
        &[EventType::ProductRated, EventType::CreatorRated]
    }

    async fn handle(&self, services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
        let id: uuid::Uuid =
            event.data["rating_id"].as_str().and_then(|s| s.parse().ok()).context("the event names no rating")?;
        // A rating taken down again before this ran is no news.
        let Some(rating) = sqlx::query!(
            r#"select r.stars, r.body, r.product_id, c.user_id, coalesce(p.name_en, c.display_name) as "title!"
               from ratings r join creators c on c.id = r.creator_id left join products p on p.id = r.product_id
               where r.id = $1 and r.status = 'approved'"#,
            id
        )
        .fetch_optional(&services.pool)
        .await?
        else {
            return Ok(());
        };
        let link = rating.product_id.map_or_else(|| "/creator".to_owned(), |p| format!("/creator/products/{p}"));
        let notice = Notice {
            user: UserId(rating.user_id),
            kind: NotificationKind::RatingPublished,
            params: BTreeMap::from([
                ("title".to_owned(), rating.title),
                ("stars".to_owned(), rating.stars.to_string()),
                ("review".to_owned(), rating.body),
            ]),
            link,
        };
        notices::send(services, &format!("{}:rating", event.id), notice).await?;
        Ok(())
    }
}

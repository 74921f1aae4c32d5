//! What a reviewer's decision does to a rating: approved, it is public and the
//! averages are recomputed from the approved ratings; refused or sent back, the
//! customer is told why (and may edit it when changes were asked for).

use std::collections::BTreeMap;
use types::TextEnum;

use sqlx::PgConnection;
use types::{
    UserId,
    ids::{CreatorId, ProductId, RatingId},
    notifications::NotificationKind,
    review::{Decision, ReviewKind},
};

use uuid::Uuid;

use super::rating_event;
use crate::{
    Error, Result,
    events::{self, EventMetadata, EventType},
    notifications::in_app,
    review::subjects::{Decided, Subject},
};

/// Applies `decision` to rating `id`, in the decision's transaction.
pub async fn apply_decision(
    conn: &mut PgConnection,
    id: RatingId,
    title: &str,
    decision: Decision,
    feedback: &str,
    metadata: &EventMetadata,
) -> Result<()> {
    let status = match decision {
        Decision::Approve => "approved",
        Decision::Reject => "rejected",
        Decision::RequestChanges => "changes_requested",
    };
    let r = sqlx::query!(
        r#"update ratings r set status = $2, updated_at = now(),
                  approved_at = case when $2 = 'approved' then now() end
           from sub_orders s join order_groups g on g.id = s.group_id
           where r.id = $1 and s.id = r.sub_order_id
           returning r.product_id, r.creator_id, r.customer_id, r.stars, g.number"#,
        id.0,
        status
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let (product, creator) = (r.product_id.map(ProductId), CreatorId(r.creator_id));
    refresh_average(conn, product, creator).await?;
    if decision == Decision::Approve {
        let event_type = if product.is_some() { EventType::ProductRated } else { EventType::CreatorRated };
        let stars = u8::try_from(r.stars).unwrap_or_default();
        events::publish(conn, rating_event(event_type, id, product, creator, stars), metadata).await?;
    }
    let notice = match decision {
        Decision::Approve => NotificationKind::SubmissionApproved,
        Decision::Reject => NotificationKind::SubmissionRejected,
        Decision::RequestChanges => NotificationKind::ChangesRequested,
    };
    let params = BTreeMap::from([
        ("title".to_owned(), title.to_owned()),
        ("review_kind".to_owned(), ReviewKind::Rating.as_str().to_owned()),
        ("feedback".to_owned(), feedback.to_owned()),
    ]);
    in_app::notify(conn, UserId(r.customer_id), notice, &params, &format!("/orders/{}", r.number)).await
}

/// Recomputes the average a rating counts towards (its product's, or its maker's)
/// from the approved ratings, rounded half up to hundredths of a star.
async fn refresh_average(conn: &mut PgConnection, product: Option<ProductId>, creator: CreatorId) -> Result<()> {
    match product {
        Some(product) => {
            sqlx::query!(
                "update products p set rating_count = a.n, rating_hundredths = a.average
                 from (select count(*)::int4 as n, round(avg(stars) * 100)::int2 as average
                       from ratings where product_id = $1 and status = 'approved') a
                 where p.id = $1",
                product.0
            )
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query!(
                "update creators c set rating_count = a.n, rating_hundredths = a.average
                 from (select count(*)::int4 as n, round(avg(stars) * 100)::int2 as average
                       from ratings where creator_id = $1 and product_id is null and status = 'approved') a
                 where c.id = $1",
                creator.0
            )
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

/// A customer's rating, as the review queue moderates it.
pub struct Review;

#[async_trait::async_trait]
impl Subject for Review {
    fn kind(&self) -> ReviewKind {
        ReviewKind::Rating
    }

    async fn apply(&self, tx: &mut PgConnection, d: &Decided<'_>) -> Result<()> {
        apply_decision(tx, RatingId(d.subject), d.title, d.decision, d.feedback, d.metadata).await
    }

    async fn path(&self, _conn: &mut PgConnection, _subject: Uuid) -> Result<String> {
        Ok("/creator/orders".to_owned())
    }

    /// The customer hears of it (`apply_decision`), not the rated maker.
    fn tells_creator(&self) -> bool {
        false
    }
}

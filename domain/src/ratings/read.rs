//! Ratings as their authors see them on their orders, and as the store shows them.

use std::collections::HashMap;
use types::TextEnum;

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use types::ratings::{
    OwnRating, PublicReview, RECENT_REVIEWS, RatingStatus, RatingSummary, Reviews, Stars, public_author,
};
use uuid::Uuid;

use crate::Result;

/// The ratings given on some sub-orders, keyed by sub-order and product (`None`:
/// the maker), each with the reviewer's reason when it was refused or sent back.
#[tracing::instrument(skip_all)]
pub async fn given(pool: &PgPool, sub_orders: &[Uuid]) -> Result<HashMap<(Uuid, Option<Uuid>), OwnRating>> {
    let rows = sqlx::query!(
        r#"select r.sub_order_id, r.product_id, r.stars, r.body, r.status,
                  coalesce((select d.feedback from review_decisions d join review_items i on i.id = d.item_id
                            where i.kind = 'rating' and i.subject_id = r.id
                            order by d.created_at desc, d.id desc limit 1), '') as "feedback!"
           from ratings r where r.sub_order_id = any($1)"#,
        sub_orders
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let status = RatingStatus::parse(&r.status)?;
            let refused = matches!(status, RatingStatus::Rejected | RatingStatus::ChangesRequested);
            let rating = OwnRating {
                stars: Stars::new(u8::try_from(r.stars).ok()?)?,
                body: r.body,
                status,
                feedback: if refused { r.feedback } else { String::new() },
            };
            Some(((r.sub_order_id, r.product_id), rating))
        })
        .collect())
}

/// Whose ratings a page shows.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    Product(Uuid),
    /// The maker's own ratings, not their products'.
    Maker(Uuid),
}

/// The average, the count per star and the newest approved reviews.
#[tracing::instrument(skip_all)]
pub async fn reviews(pool: &PgPool, subject: Subject) -> Result<Reviews> {
    let (product, maker) = match subject {
        Subject::Product(id) => (Some(id), None),
        Subject::Maker(id) => (None, Some(id)),
    };
    let summary = sqlx::query!(
        "select rating_count, rating_hundredths from products where id = $1
         union all
         select rating_count, rating_hundredths from creators where id = $2",
        product,
        maker
    )
    .fetch_optional(pool)
    .await?
    .and_then(|r| RatingSummary::from_stored(r.rating_count.unwrap_or(0), r.rating_hundredths));
    if summary.is_none() {
        return Ok(Reviews::default());
    }
    let counts = sqlx::query!(
        r#"select stars, count(*) as "n!" from ratings
           where status = 'approved'
             and (($1::uuid is not null and product_id = $1) or ($2::uuid is not null and creator_id = $2 and product_id is null))
           group by stars"#,
        product,
        maker
    )
    .fetch_all(pool)
    .await?;
    let mut histogram = [0u32; 5];
    for c in counts {
        if let Some(slot) = usize::try_from(c.stars - 1).ok().and_then(|i| histogram.get_mut(i)) {
            *slot = c.n as u32;
        }
    }
    let recent = sqlx::query!(
        r#"select r.stars, r.body, u.name, r.approved_at as "approved_at!: DateTime<Utc>"
           from ratings r join users u on u.id = r.customer_id
           where r.status = 'approved'
             and (($1::uuid is not null and r.product_id = $1)
                  or ($2::uuid is not null and r.creator_id = $2 and r.product_id is null))
           order by r.approved_at desc, r.id
           limit $3"#,
        product,
        maker,
        RECENT_REVIEWS as i64
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(PublicReview {
            stars: Stars::new(u8::try_from(r.stars).ok()?)?,
            body: r.body,
            author: public_author(&r.name),
            at: r.approved_at,
        })
    })
    .collect();
    Ok(Reviews { summary, histogram, recent })
}

//! Price and stock of a published product: they change without review (a maker
//! restocks or reprices), publish `product.updated`, and every instance's storefront
//! cache follows.

use serde_json::json;
use sqlx::PgPool;
use types::{ErrorCode, catalog::Money};
use uuid::Uuid;

use crate::{
    Error, RequestMeta, Result,
    error::OnConstraint,
    events::{self, EventMetadata, EventType, NewEvent},
};

/// Sets a product's price and stock on hand. Stock below what is reserved for open
/// checkouts is refused.
#[tracing::instrument(skip_all)]
pub async fn set_price_and_stock(
    pool: &PgPool,
    product_id: Uuid,
    price: &Money,
    on_hand: i32,
    meta: &RequestMeta,
) -> Result<()> {
    if price.minor < 0 {
        return Err(Error::field("price", ErrorCode::InvalidInput));
    }
    if on_hand < 0 {
        return Err(Error::field("stock", ErrorCode::InvalidInput));
    }
    let mut tx = pool.begin().await?;
    let version = sqlx::query_scalar!(
        "update products set price_minor = $2, currency = $3, stock_on_hand = $4, version = version + 1,
                             updated_at = now()
         where id = $1
         returning version",
        product_id,
        price.minor,
        price.currency,
        on_hand
    )
    .fetch_optional(&mut *tx)
    .await
    .on_constraint("products_reserved_check", || Error::field("stock", ErrorCode::Conflict))?
    .ok_or(Error::NotFound)?;
    events::publish(
        &mut tx,
        NewEvent {
            event_type: EventType::ProductUpdated,
            aggregate_type: "product",
            aggregate_id: product_id.to_string(),
            aggregate_version: i64::from(version),
            data: json!({ "price_minor": price.minor, "currency": price.currency, "stock_on_hand": on_hand }),
        },
        &EventMetadata::from_request(meta),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

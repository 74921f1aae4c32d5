//! Price and stock: operational, so they change at once without review (a maker
//! restocks or reprices), publish `product.updated`, and every instance's storefront
//! cache follows. The public API's doors: one product at a time with its version
//! (`If-Match`), or many products' stock in one all-or-nothing request.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use types::{ErrorCode, FieldError, TextEnum, UserId, catalog::ProductStatus, ids::ProductId};

use super::listing::product_event;
use crate::{
    Error, RequestMeta, Result,
    error::OnConstraint,
    events::{self, EventMetadata, EventType},
};

/// Products one bulk request may change.
pub const MAX_BULK: usize = 500;

/// A product's price and stock as its maker sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inventory {
    pub id: ProductId,
    pub slug: String,
    /// The English name, as the portal lists it.
    pub name: String,
    pub status: ProductStatus,
    pub price_minor: i64,
    pub currency: String,
    pub stock_on_hand: i32,
    /// Held for checkouts under way: stock may not go below it.
    pub stock_reserved: i32,
    /// Bumped by every change to the product, so a client can say which one it saw.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// What to change; a field left out stays as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Change {
    pub price_minor: Option<i64>,
    pub stock: Option<i32>,
}

impl Change {
    fn check(self, field: impl Fn(&str) -> String) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.price_minor.is_some_and(|p| p < 0) {
            errors.push(FieldError::new(field("price_minor"), ErrorCode::OutOfRange));
        }
        if self.stock.is_some_and(|s| s < 0) {
            errors.push(FieldError::new(field("stock"), ErrorCode::OutOfRange));
        }
        errors
    }
}

/// An `Inventory` from a row of the columns `own` reads.
macro_rules! inventory {
    ($row:expr) => {{
        let row = $row;
        Inventory {
            id: ProductId(row.id),
            slug: row.slug,
            name: row.name_en,
            status: ProductStatus::parse(&row.status).unwrap_or(ProductStatus::Draft),
            price_minor: row.price_minor,
            currency: row.currency,
            stock_on_hand: row.stock_on_hand,
            stock_reserved: row.stock_reserved,
            version: row.version,
            updated_at: row.updated_at,
        }
    }};
}

/// One of `owner`'s products, locked for a change (another maker's is "not found", as
/// if it did not exist).
async fn own(conn: &mut PgConnection, owner: UserId, id: ProductId) -> Result<Inventory> {
    let row = sqlx::query!(
        r#"select p.id, p.slug, p.name_en, p.status, p.price_minor, p.currency, p.stock_on_hand, p.stock_reserved,
                p.version, p.updated_at as "updated_at: DateTime<Utc>"
         from products p join creators c on c.id = p.creator_id
         where p.id = $1 and c.user_id = $2
         for update of p"#,
        id.0,
        owner.0
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)?;
    Ok(inventory!(row))
}

/// `owner`'s products, newest first, `limit` at a time after the product
/// `starting_after`; and whether more follow.
pub async fn list(
    pool: &PgPool,
    owner: UserId,
    limit: i64,
    starting_after: Option<ProductId>,
) -> Result<(Vec<Inventory>, bool)> {
    let rows = sqlx::query!(
        r#"select p.id, p.slug, p.name_en, p.status, p.price_minor, p.currency, p.stock_on_hand, p.stock_reserved,
                p.version, p.updated_at as "updated_at: DateTime<Utc>"
         from products p join creators c on c.id = p.creator_id
         where c.user_id = $1
           and ($2::uuid is null or (p.created_at, p.id) < (select created_at, id from products where id = $2))
         order by p.created_at desc, p.id desc
         limit $3"#,
        owner.0,
        starting_after.map(|p| p.0),
        limit + 1
    )
    .fetch_all(pool)
    .await?;
    let more = rows.len() as i64 > limit;
    Ok((rows.into_iter().take(limit as usize).map(|row| inventory!(row)).collect(), more))
}

/// One of `owner`'s products' price and stock.
pub async fn read(pool: &PgPool, owner: UserId, id: ProductId) -> Result<Inventory> {
    // Read in a transaction that ends at once, so the lock is let go straight away.
    own(&mut *pool.begin().await?, owner, id).await
}

/// Writes `change` onto a locked product and publishes it; stock below what is
/// reserved is refused with `field`'s name.
async fn apply(
    conn: &mut PgConnection,
    before: Inventory,
    change: Change,
    field: impl Fn(&str) -> String,
    meta: &RequestMeta,
) -> Result<Inventory> {
    let price_minor = change.price_minor.unwrap_or(before.price_minor);
    let stock = change.stock.unwrap_or(before.stock_on_hand);
    if price_minor == before.price_minor && stock == before.stock_on_hand {
        return Ok(before);
    }
    let (version, updated_at) = sqlx::query!(
        r#"update products set price_minor = $2, stock_on_hand = $3, version = version + 1, updated_at = now()
           where id = $1 returning version, updated_at as "updated_at: DateTime<Utc>""#,
        before.id.0,
        price_minor,
        stock
    )
    .fetch_one(&mut *conn)
    .await
    .map(|r| (r.version, r.updated_at))
    .on_constraint("products_reserved_check", || {
        Error::Validation(vec![FieldError::new(field("stock"), ErrorCode::Conflict)])
    })?;
    let data = json!({ "price_minor": price_minor, "currency": before.currency, "stock_on_hand": stock });
    events::publish(
        conn,
        product_event(EventType::ProductUpdated, before.id, version, data),
        &EventMetadata::from_request(meta),
    )
    .await?;
    Ok(Inventory { price_minor, stock_on_hand: stock, version, updated_at, ..before })
}

/// Changes one of `owner`'s products. With `expected_version`, a product changed since
/// that version is refused (`VersionMismatch`), so a client never overwrites what it
/// did not see.
#[tracing::instrument(skip_all, fields(owner = %owner, id = %id))]
pub async fn change(
    pool: &PgPool,
    owner: UserId,
    id: ProductId,
    change: Change,
    expected_version: Option<i32>,
    meta: &RequestMeta,
) -> Result<Inventory> {
    let errors = change.check(str::to_owned);
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let mut tx = pool.begin().await?;
    let before = own(&mut tx, owner, id).await?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(Error::Conflict(ErrorCode::VersionMismatch));
    }
    if before.status == ProductStatus::Archived {
        return Err(Error::Conflict(ErrorCode::Conflict));
    }
    let after = apply(&mut tx, before, change, str::to_owned, meta).await?;
    tx.commit().await?;
    Ok(after)
}

/// Sets the stock of many of `owner`'s products in one transaction: if any is refused
/// (not theirs, archived, below what is reserved) nothing changes, and every refusal
/// is named at its item (`items[2].stock`).
#[tracing::instrument(skip_all, fields(owner = %owner, items = items.len()))]
pub async fn set_stock(
    pool: &PgPool,
    owner: UserId,
    items: &[(ProductId, i32)],
    meta: &RequestMeta,
) -> Result<Vec<Inventory>> {
    if items.is_empty() {
        return Err(Error::field("items", ErrorCode::Required));
    }
    if items.len() > MAX_BULK {
        return Err(Error::field("items", ErrorCode::TooLong));
    }
    let at = |i: usize| move |f: &str| format!("items[{i}].{f}");
    let mut errors: Vec<(usize, FieldError)> = Vec::new();
    for (i, (id, stock)) in items.iter().enumerate() {
        errors.extend(Change { price_minor: None, stock: Some(*stock) }.check(at(i)).into_iter().map(|e| (i, e)));
        if items[..i].iter().any(|(earlier, _)| earlier == id) {
            errors.push((i, FieldError::new(at(i)("product"), ErrorCode::InvalidInput)));
        }
    }
    let refused = |mut errors: Vec<(usize, FieldError)>| {
        errors.sort_by_key(|(i, _)| *i);
        Error::Validation(errors.into_iter().map(|(_, e)| e).collect())
    };
    if !errors.is_empty() {
        return Err(refused(errors));
    }
    // Locked in id order, so two bulk requests over the same products cannot deadlock.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| items[i].0);
    let mut tx = pool.begin().await?;
    let mut done: Vec<Option<Inventory>> = vec![None; items.len()];
    for i in order {
        let (id, stock) = items[i];
        let before = match own(&mut tx, owner, id).await {
            Ok(before) => before,
            Err(Error::NotFound) => {
                errors.push((i, FieldError::new(at(i)("product"), ErrorCode::NotFound)));
                continue;
            }
            Err(e) => return Err(e),
        };
        if before.status == ProductStatus::Archived {
            errors.push((i, FieldError::new(at(i)("product"), ErrorCode::Conflict)));
            continue;
        }
        if stock < before.stock_reserved {
            errors.push((i, FieldError::new(at(i)("stock"), ErrorCode::Conflict)));
            continue;
        }
        done[i] = Some(apply(&mut tx, before, Change { price_minor: None, stock: Some(stock) }, at(i), meta).await?);
    }
    if !errors.is_empty() {
        return Err(refused(errors));
    }
    tx.commit().await?;
    Ok(done.into_iter().flatten().collect())
}

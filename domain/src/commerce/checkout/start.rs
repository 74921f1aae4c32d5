//! The saga's first step, in one database transaction: lock the cart's products in
//! id order (so two checkouts never deadlock), reserve every line or none, record
//! the checkout (reserved, and authorizing next) and create its orders. No oversell with any number of instances: a
//! reservation is a conditional update under the product's row lock.

use serde_json::json;
use sqlx::PgPool;
use types::{
    ErrorCode,
    checkout::CheckoutState,
    ids::{CheckoutId, CreatorId, ProductId, UserId},
    orders::ShipTo,
};

use super::saga::{self, LEASE_SECS, RESERVATION_MINUTES};
use crate::{
    Error, RequestMeta, Result, Services,
    catalog::listing::product_event,
    commerce::orders::{self, NewLine},
    events::{self, EventMetadata, EventType},
};

/// What the checkout keeps of the card: enough to show "Visa •••• 4242".
#[derive(Debug, Clone)]
pub struct CardOnFile {
    pub brand: &'static str,
    pub last4: String,
}

pub enum Begun {
    New(CheckoutId),
    /// Placed already with this key, or another checkout of this customer is running.
    Existing(CheckoutId),
}

/// The checkout placed with this key, if any.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn find(pool: &PgPool, user: UserId, key: uuid::Uuid) -> Result<Option<CheckoutId>> {
    Ok(sqlx::query_scalar!("select id from checkouts where user_id = $1 and idempotency_key = $2", user.0, key)
        .fetch_optional(pool)
        .await?
        .map(CheckoutId))
}

/// Reserves the user's cart and makes the orders, or refuses with why: the cart is
/// empty, less is left than the customer reviewed, or a price moved since. Lines
/// are taken as far as stock goes, as the cart told the customer.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn begin(
    services: &Services,
    user: UserId,
    key: uuid::Uuid,
    ship_to: &ShipTo,
    reviewed_total_minor: i64,
    card: &CardOnFile,
    meta: &RequestMeta,
) -> Result<Begun> {
    let mut tx = services.pool.begin().await?;
    let rows = sqlx::query!(
        r#"select p.id, p.creator_id, p.name_en, p.slug, p.price_minor, p.currency, p.status,
                  p.stock_on_hand - p.stock_reserved as "available!", i.quantity, m.user_id = $1 as "own!"
           from cart_items i
           join carts c on c.id = i.cart_id
           join products p on p.id = i.product_id
           join creators m on m.id = p.creator_id
           where c.user_id = $1
           order by p.id
           for update of p"#,
        user.0
    )
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        return Err(Error::Conflict(ErrorCode::CartEmpty));
    }
    // A maker's own products in their cart (put there before they signed in): buying
    // them would be a fake sale.
    if rows.iter().any(|r| r.own) {
        return Err(Error::Refused(ErrorCode::OwnListing));
    }
    // As the cart promised: each line as far as stock goes, sold-out and withdrawn
    // lines left in the cart.
    let lines: Vec<NewLine> = rows
        .iter()
        .filter(|r| r.status == "published" && r.available > 0)
        .map(|r| NewLine {
            product: ProductId(r.id),
            creator: CreatorId(r.creator_id),
            name: r.name_en.clone(),
            slug: r.slug.clone(),
            quantity: r.quantity.min(r.available),
            unit_price_minor: r.price_minor,
        })
        .collect();
    if lines.is_empty() {
        return Err(Error::Conflict(ErrorCode::SoldOut));
    }
    let short = rows.iter().any(|r| r.status != "published" || r.available < r.quantity);
    let currency = rows[0].currency.clone();
    if rows.iter().any(|r| r.currency != currency) {
        return Err(Error::Conflict(ErrorCode::MixedCurrencies));
    }
    let total: i64 = lines.iter().map(|l| l.unit_price_minor * i64::from(l.quantity)).sum();
    if total != reviewed_total_minor {
        // Less is left than the customer saw, or a price moved: either way they look again.
        return Err(Error::Conflict(if short { ErrorCode::SoldOut } else { ErrorCode::CartChanged }));
    }

    let id = CheckoutId::new();
    // A second tab (or a double click) with this key or while another checkout of
    // this customer runs meets the unique indexes; it then waits for that one.
    let inserted = sqlx::query_scalar!(
        "insert into checkouts (id, user_id, idempotency_key, state, currency, total_minor, card_brand, card_last4,
                                lease_until, expires_at)
         values ($1, $2, $3, 'authorizing', $4, $5, $6, $7, now() + make_interval(secs => $8),
                 now() + make_interval(mins => $9))
         on conflict do nothing
         returning id",
        id.0,
        user.0,
        key,
        currency,
        total,
        card.brand,
        card.last4,
        LEASE_SECS,
        RESERVATION_MINUTES
    )
    .fetch_optional(&mut *tx)
    .await?;
    if inserted.is_none() {
        drop(tx);
        let existing = sqlx::query_scalar!(
            "select id from checkouts where user_id = $1 and (idempotency_key = $2 or state not in ('completed', 'failed'))
             order by (idempotency_key = $2) desc limit 1",
            user.0,
            key
        )
        .fetch_optional(&services.pool)
        .await?;
        // Gone already (the other checkout ended between the two statements): the
        // customer's next try starts afresh.
        return existing.map(|e| Begun::Existing(CheckoutId(e))).ok_or(Error::Conflict(ErrorCode::CartChanged));
    }

    let metadata = EventMetadata::from_request(meta);
    for line in &lines {
        // Under the row lock taken above, so the check still holds; the condition
        // stays as the database's own guard.
        let version = sqlx::query_scalar!(
            "update products set stock_reserved = stock_reserved + $2, version = version + 1, updated_at = now()
             where id = $1 and stock_on_hand - stock_reserved >= $2
             returning version",
            line.product.0,
            line.quantity
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::Conflict(ErrorCode::SoldOut))?;
        events::publish(
            &mut tx,
            product_event(
                EventType::ProductUpdated,
                line.product,
                version,
                json!({ "stock_reserved": line.quantity, "checkout": id }),
            ),
            &metadata,
        )
        .await?;
    }
    sqlx::query!(
        "insert into checkout_lines (checkout_id, product_id, quantity)
         select $1, * from unnest($2::uuid[], $3::int[])",
        id.0,
        &lines.iter().map(|l| l.product.0).collect::<Vec<_>>(),
        &lines.iter().map(|l| l.quantity).collect::<Vec<_>>()
    )
    .execute(&mut *tx)
    .await?;
    let group = orders::create(&mut tx, id, user, &currency, ship_to, &lines, &services.settings, &metadata).await?;
    // Reserved, and the authorization recorded as begun before it is asked for (a
    // crash after this commit finds it and asks the provider what became of it).
    saga::record_step(&mut tx, id, CheckoutState::Reserved, json!({ "order": group.number })).await?;
    saga::record_step(&mut tx, id, CheckoutState::Authorizing, json!({})).await?;
    tx.commit().await?;
    Ok(Begun::New(id))
}

//! Orders: an order group per checkout and a sub-order per creator, each with a
//! status that moves only along `SubOrderStatus::can_become` and a timeline of every
//! move. Owns `order_groups`, `sub_orders`, `order_lines` and `sub_order_history`.

pub mod fulfil;
pub mod notices;
pub mod read;

use serde_json::json;
use sqlx::PgConnection;
use types::TextEnum;
use types::{
    ErrorCode,
    ids::{CheckoutId, CreatorId, OrderGroupId, ProductId, SubOrderId, UserId},
    orders::{ShipTo, SubOrderStatus},
};

use crate::{
    Error, Result,
    events::{self, EventMetadata, EventType, NewEvent},
    ledger::commission,
};

/// One product line as checkout priced it.
#[derive(Debug, Clone)]
pub struct NewLine {
    pub product: ProductId,
    pub creator: CreatorId,
    pub name: String,
    pub slug: String,
    pub quantity: i32,
    pub unit_price_minor: i64,
}

/// A sub-order as created: what the ledger books when it is paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedSubOrder {
    pub id: SubOrderId,
    pub creator: CreatorId,
    pub subtotal_minor: i64,
    pub commission_minor: i64,
}

#[derive(Debug, Clone)]
pub struct CreatedGroup {
    pub id: OrderGroupId,
    pub number: String,
    pub sub_orders: Vec<CreatedSubOrder>,
}

/// Makes the order group and one sub-order per creator (in the order the lines
/// name creators), with each line's commission, all `pending_payment`, and
/// publishes `order.created`.
#[expect(clippy::too_many_arguments, reason = "one order's whole description; a struct would only rename them")]
pub async fn create(
    conn: &mut PgConnection,
    checkout: CheckoutId,
    customer: UserId,
    currency: &str,
    ship_to: &ShipTo,
    lines: &[NewLine],
    settings: &crate::Settings,
    metadata: &EventMetadata,
) -> Result<CreatedGroup> {
    let id = OrderGroupId::new();
    let seq = sqlx::query_scalar!(r#"select nextval('order_numbers') as "n!""#).fetch_one(&mut *conn).await?;
    let number = format!("OA-{seq}");
    let total: i64 = lines.iter().map(|l| l.unit_price_minor * i64::from(l.quantity)).sum();
    sqlx::query!(
        "insert into order_groups (id, number, customer_id, checkout_id, currency, total_minor, ship_to, is_test)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        id.0,
        number,
        customer.0,
        checkout.0,
        currency,
        total,
        serde_json::to_value(ship_to).map_err(anyhow::Error::from)?,
        settings.test_mode
    )
    .execute(&mut *conn)
    .await?;

    let mut creators: Vec<CreatorId> = Vec::new();
    for line in lines {
        if !creators.contains(&line.creator) {
            creators.push(line.creator);
        }
    }
    let mut sub_orders = Vec::new();
    for (i, creator) in creators.into_iter().enumerate() {
        let own: Vec<&NewLine> = lines.iter().filter(|l| l.creator == creator).collect();
        let products: Vec<ProductId> = own.iter().map(|l| l.product).collect();
        let rates = commission::rates(conn, creator, &products, settings.commerce.commission_bps).await?;
        let sub = SubOrderId::new();
        let line_totals: Vec<i64> = own.iter().map(|l| l.unit_price_minor * i64::from(l.quantity)).collect();
        let line_commissions: Vec<i64> =
            line_totals.iter().zip(&rates).map(|(total, bps)| commission::on(*total, *bps)).collect();
        let subtotal: i64 = line_totals.iter().sum();
        let commission_minor: i64 = line_commissions.iter().sum();
        sqlx::query!(
            "insert into sub_orders (id, group_id, number, creator_id, status, subtotal_minor, commission_minor)
             values ($1, $2, $3, $4, 'pending_payment', $5, $6)",
            sub.0,
            id.0,
            format!("{number}-{}", i + 1),
            creator.0,
            subtotal,
            commission_minor
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            "insert into order_lines (sub_order_id, product_id, product_name, product_slug, quantity,
                                      unit_price_minor, commission_bps, commission_minor)
             select $1, * from unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::int8[], $7::int[], $8::int8[])",
            sub.0,
            &products.iter().map(|p| p.0).collect::<Vec<_>>(),
            &own.iter().map(|l| l.name.clone()).collect::<Vec<_>>(),
            &own.iter().map(|l| l.slug.clone()).collect::<Vec<_>>(),
            &own.iter().map(|l| l.quantity).collect::<Vec<_>>(),
            &own.iter().map(|l| l.unit_price_minor).collect::<Vec<_>>(),
            &rates,
            &line_commissions
        )
        .execute(&mut *conn)
        .await?;
        record(conn, sub, SubOrderStatus::PendingPayment, None, "").await?;
        sub_orders.push(CreatedSubOrder { id: sub, creator, subtotal_minor: subtotal, commission_minor });
    }
    publish(
        conn,
        EventType::OrderCreated,
        id,
        json!({ "number": number, "total_minor": total, "currency": currency }),
        metadata,
    )
    .await?;
    Ok(CreatedGroup { id, number, sub_orders })
}

async fn record(
    conn: &mut PgConnection,
    sub_order: SubOrderId,
    status: SubOrderStatus,
    actor: Option<UserId>,
    note: &str,
) -> Result<()> {
    sqlx::query!(
        "insert into sub_order_history (sub_order_id, status, actor_id, note) values ($1, $2, $3, $4)",
        sub_order.0,
        status.as_str(),
        actor.map(|a| a.0),
        note
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves a sub-order to `to` if its current status allows, and records the move.
/// Returns the status it had.
pub async fn change_status(
    conn: &mut PgConnection,
    sub_order: SubOrderId,
    to: SubOrderStatus,
    actor: Option<UserId>,
    note: &str,
) -> Result<SubOrderStatus> {
    let current = sqlx::query_scalar!("select status from sub_orders where id = $1 for update", sub_order.0)
        .fetch_optional(&mut *conn)
        .await?
        .and_then(|s| SubOrderStatus::parse(&s))
        .ok_or(Error::NotFound)?;
    if !current.can_become(to) {
        return Err(Error::Conflict(ErrorCode::OrderStatusConflict));
    }
    set_status(conn, sub_order, to, actor, note).await?;
    Ok(current)
}

/// Writes a status (already checked by the caller) and its timeline entry.
pub async fn set_status(
    conn: &mut PgConnection,
    sub_order: SubOrderId,
    to: SubOrderStatus,
    actor: Option<UserId>,
    note: &str,
) -> Result<()> {
    sqlx::query!("update sub_orders set status = $2, updated_at = now() where id = $1", sub_order.0, to.as_str())
        .execute(&mut *conn)
        .await?;
    record(conn, sub_order, to, actor, note).await
}

/// Moves every sub-order of a group from `from` to `to` (payment confirmed, payment
/// failed) and publishes the group's event.
pub async fn change_group(
    conn: &mut PgConnection,
    group: OrderGroupId,
    from: SubOrderStatus,
    to: SubOrderStatus,
    note: &str,
    event: EventType,
    metadata: &EventMetadata,
) -> Result<()> {
    let subs = sqlx::query_scalar!(
        "select id from sub_orders where group_id = $1 and status = $2 order by number for update",
        group.0,
        from.as_str()
    )
    .fetch_all(&mut *conn)
    .await?;
    for sub in &subs {
        set_status(conn, SubOrderId(*sub), to, None, note).await?;
    }
    let number =
        sqlx::query_scalar!("select number from order_groups where id = $1", group.0).fetch_one(&mut *conn).await?;
    publish(conn, event, group, json!({ "number": number, "status": to.as_str() }), metadata).await
}

pub(crate) async fn publish(
    conn: &mut PgConnection,
    event_type: EventType,
    group: OrderGroupId,
    data: serde_json::Value,
    metadata: &EventMetadata,
) -> Result<()> {
    // The group's version: how many changes its sub-orders went through.
    let version = sqlx::query_scalar!(
        r#"select count(*) as "n!" from sub_order_history h join sub_orders s on s.id = h.sub_order_id
           where s.group_id = $1"#,
        group.0
    )
    .fetch_one(&mut *conn)
    .await?;
    events::publish(
        conn,
        NewEvent {
            event_type,
            aggregate_type: "order",
            aggregate_id: group.to_string(),
            aggregate_version: version,
            data,
        },
        metadata,
    )
    .await?;
    Ok(())
}

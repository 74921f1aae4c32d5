//! After payment: the creator ships and marks delivered, the customer may cancel
//! before shipment, and admins refund in full or in part. Each is one transaction
//! with its timeline entry, its ledger transaction and its event.

use serde_json::json;
use sqlx::PgConnection;
use types::TextEnum;
use types::{
    ErrorCode, FieldError,
    ids::{CreatorId, OrderGroupId, ProductId, SubOrderId, UserId},
    orders::SubOrderStatus,
};

use super::{change_status, publish, set_status};
use crate::{
    Error, RequestMeta, Result, Services,
    catalog::listing::product_event,
    events::{self, EventMetadata, EventType},
    fields,
    ledger::{self, Account, Kind, Posting, commission},
};

/// A sub-order locked for a change, with what the rules need to know.
struct Locked {
    id: SubOrderId,
    group: OrderGroupId,
    creator: CreatorId,
    creator_user: UserId,
    customer: UserId,
    status: SubOrderStatus,
    subtotal: i64,
    commission: i64,
    currency: String,
    refunded: i64,
    payment_reference: Option<String>,
}

async fn lock(conn: &mut PgConnection, number: &str) -> Result<Locked> {
    let r = sqlx::query!(
        r#"select s.id, s.group_id, s.creator_id, c.user_id as creator_user, g.customer_id, s.status,
                  s.subtotal_minor, s.commission_minor, g.currency, p.reference as "reference?",
                  (select coalesce(sum(amount_minor), 0) from refunds r where r.sub_order_id = s.id)::int8 as "refunded!"
           from sub_orders s
           join order_groups g on g.id = s.group_id
           join creators c on c.id = s.creator_id
           left join payments p on p.checkout_id = g.checkout_id
           where s.number = $1
           for update of s"#,
        number.trim()
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)?;
    Ok(Locked {
        id: SubOrderId(r.id),
        group: OrderGroupId(r.group_id),
        creator: CreatorId(r.creator_id),
        creator_user: UserId(r.creator_user),
        customer: UserId(r.customer_id),
        status: SubOrderStatus::parse(&r.status).unwrap_or(SubOrderStatus::PendingPayment),
        subtotal: r.subtotal_minor,
        commission: r.commission_minor,
        currency: r.currency,
        refunded: r.refunded,
        payment_reference: r.reference,
    })
}

/// The creator marks their sub-order shipped with the carrier and tracking number.
/// Anyone else's sub-order is "not found".
#[tracing::instrument(skip_all, fields(creator_user = %creator_user))]
pub async fn ship(
    services: &Services,
    creator_user: UserId,
    number: &str,
    carrier: &str,
    tracking: &str,
    meta: &RequestMeta,
) -> Result<()> {
    let mut errors: Vec<FieldError> = Vec::new();
    let carrier = fields::text("carrier", carrier, true, 60, &mut errors);
    let tracking = fields::text("tracking_number", tracking, true, 60, &mut errors);
    if !tracking.is_empty() && !tracking.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ') {
        errors.push(FieldError::new("tracking_number", ErrorCode::InvalidInput));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let mut tx = services.pool.begin().await?;
    let s = lock(&mut tx, number).await?;
    if s.creator_user != creator_user {
        return Err(Error::NotFound);
    }
    change_status(&mut tx, s.id, SubOrderStatus::Shipped, Some(creator_user), &format!("{carrier} {tracking}")).await?;
    sqlx::query!("update sub_orders set carrier = $2, tracking_number = $3 where id = $1", s.id.0, carrier, tracking)
        .execute(&mut *tx)
        .await?;
    let data = json!({ "sub_order": number, "carrier": carrier, "tracking_number": tracking });
    publish(&mut tx, EventType::OrderShipped, s.group, data, &EventMetadata::from_request(meta)).await?;
    tx.commit().await?;
    Ok(())
}

/// The creator marks a shipped sub-order delivered; its money becomes available
/// after the hold period (see [`release_due`]).
#[tracing::instrument(skip_all, fields(creator_user = %creator_user))]
pub async fn deliver(services: &Services, creator_user: UserId, number: &str, meta: &RequestMeta) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let s = lock(&mut tx, number).await?;
    if s.creator_user != creator_user {
        return Err(Error::NotFound);
    }
    change_status(&mut tx, s.id, SubOrderStatus::Delivered, Some(creator_user), "").await?;
    publish(
        &mut tx,
        EventType::OrderDelivered,
        s.group,
        json!({ "sub_order": number }),
        &EventMetadata::from_request(meta),
    )
    .await?;
    tx.commit().await?;
    release_due(services).await?;
    Ok(())
}

/// Moves the money of sub-orders delivered more than the hold period ago from
/// pending to available, once each. Returns how many were released.
#[tracing::instrument(skip_all)]
pub async fn release_due(services: &Services) -> Result<usize> {
    let due = sqlx::query!(
        r#"select s.id, s.creator_id, g.currency from sub_orders s join order_groups g on g.id = s.group_id
           where exists (select 1 from sub_order_history h where h.sub_order_id = s.id and h.status = 'delivered'
                         and h.at <= now() - make_interval(days => $1))
             and not exists (select 1 from ledger_transactions t where t.reference = 'release:' || s.id::text)
           limit 500"#,
        services.settings.commerce.payout_hold_days
    )
    .fetch_all(&services.pool)
    .await?;
    let mut released = 0;
    for row in due {
        let mut tx = services.pool.begin().await?;
        let sub = SubOrderId(row.id);
        let creator = CreatorId(row.creator_id);
        let amount = ledger::pending_for_sub_order(&mut tx, sub).await?;
        let posting = Posting::new(Kind::Release, format!("release:{}", sub.0), &row.currency)
            .entry(Account::CreatorPending(creator), amount, Some(sub))
            .entry(Account::CreatorAvailable(creator), -amount, Some(sub));
        if ledger::post(&mut tx, posting).await?.is_some() {
            released += 1;
        }
        tx.commit().await?;
    }
    Ok(released)
}

/// Who gives money back, and whether the goods come back into stock with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundBy {
    /// The customer cancelled before shipment: everything back, stock back.
    CustomerCancel(UserId),
    /// An admin, for any amount up to what is left, with a reason.
    Admin(UserId),
}

/// The customer cancels a paid, unshipped sub-order of their own: the full amount is
/// refunded and the stock returns.
#[tracing::instrument(skip_all, fields(customer = %customer))]
pub async fn cancel(services: &Services, customer: UserId, number: &str, meta: &RequestMeta) -> Result<()> {
    refund(services, number, None, "cancelled by the customer", RefundBy::CustomerCancel(customer), meta).await
}

/// Gives back `amount` (all that is left when `None`) of a sub-order through the
/// provider and books it. Never more than was paid in all; the provider call carries
/// a key made of the sub-order and the amounts, so a retry after a crash refunds once.
#[tracing::instrument(skip_all)]
pub async fn refund(
    services: &Services,
    number: &str,
    amount: Option<i64>,
    reason: &str,
    by: RefundBy,
    meta: &RequestMeta,
) -> Result<()> {
    let mut errors = Vec::new();
    let reason = fields::text("reason", reason, true, 500, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let mut tx = services.pool.begin().await?;
    let s = lock(&mut tx, number).await?;
    let (actor, cancelling) = match by {
        RefundBy::CustomerCancel(user) if user != s.customer => return Err(Error::NotFound),
        RefundBy::CustomerCancel(user) => {
            if !s.status.cancellable() {
                return Err(Error::Conflict(ErrorCode::OrderStatusConflict));
            }
            (user, true)
        }
        RefundBy::Admin(user) if user == s.customer || user == s.creator_user => {
            let own =
                crate::four_eyes::refuse(&services.pool, user, "order.refund", "sub_order", s.id.0, ErrorCode::OwnCase);
            return Err(own.await);
        }
        RefundBy::Admin(user) => (user, false),
    };
    if !s.status.refundable() {
        return Err(Error::Conflict(ErrorCode::OrderStatusConflict));
    }
    let left = s.subtotal - s.refunded;
    let amount = amount.unwrap_or(left);
    if amount <= 0 {
        return Err(Error::field("amount", ErrorCode::OutOfRange));
    }
    if amount > left {
        return Err(Error::field("amount", ErrorCode::RefundTooLarge));
    }
    let reference = s.payment_reference.clone().ok_or_else(|| anyhow::anyhow!("a paid sub-order without a payment"))?;
    let key = format!("refund-{}-{}-{amount}", s.id.0.simple(), s.refunded);
    let provider_ref = match services.payments.refund(&reference, amount, &key).await {
        Ok(r) => r,
        Err(crate::commerce::payments::ProviderError::Refused(_)) => {
            return Err(Error::field("amount", ErrorCode::RefundTooLarge));
        }
        Err(crate::commerce::payments::ProviderError::Unavailable) => {
            return Err(Error::Conflict(ErrorCode::PaymentUnavailable));
        }
    };
    let refund_id = types::ids::RefundId::new();
    sqlx::query!(
        "insert into refunds (id, payment_id, sub_order_id, amount_minor, reason, actor_id, provider_reference)
         select $1, p.id, $2, $3, $4, $5, $6 from payments p where p.reference = $7",
        refund_id.0,
        s.id.0,
        amount,
        reason,
        actor.0,
        provider_ref,
        reference
    )
    .execute(&mut *tx)
    .await?;
    let back = commission::on_refund(s.commission, s.subtotal, s.refunded, amount);
    let released =
        sqlx::query_scalar!("select 1 from ledger_transactions where reference = 'release:' || $1::uuid::text", s.id.0)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
    let creator_account =
        if released { Account::CreatorAvailable(s.creator) } else { Account::CreatorPending(s.creator) };
    let mut posting = Posting::new(Kind::Refund, format!("refund:{}", refund_id.0), &s.currency)
        .entry(Account::Cash, -amount, None)
        .entry(creator_account, amount - back, Some(s.id))
        .entry(Account::Commission, back, Some(s.id));
    posting.memo = reason.clone();
    ledger::post(&mut tx, posting).await?;
    let metadata = EventMetadata::from_request(meta);
    if cancelling {
        set_status(&mut tx, s.id, SubOrderStatus::Cancelled, Some(actor), &reason).await?;
        let restocked = sqlx::query!(
            "update products p set stock_on_hand = p.stock_on_hand + l.quantity, version = p.version + 1,
                                   updated_at = now()
             from order_lines l where l.sub_order_id = $1 and p.id = l.product_id
             returning p.id, p.version",
            s.id.0
        )
        .fetch_all(&mut *tx)
        .await?;
        for p in restocked {
            let event =
                product_event(EventType::ProductUpdated, ProductId(p.id), p.version, json!({ "restocked": number }));
            events::publish(&mut tx, event, &metadata).await?;
        }
        publish(&mut tx, EventType::OrderCancelled, s.group, json!({ "sub_order": number }), &metadata).await?;
    } else {
        let status = SubOrderStatus::after_refund(s.refunded + amount, s.subtotal);
        set_status(&mut tx, s.id, status, Some(actor), &reason).await?;
    }
    publish(
        &mut tx,
        EventType::PaymentRefunded,
        s.group,
        json!({ "sub_order": number, "amount_minor": amount, "currency": s.currency }),
        &metadata,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

//! Payouts: a creator requests up to their available balance (at least
//! [`MINIMUM_PAYOUT_MINOR`]); an admin approves or rejects with a reason, then marks
//! an approved payout paid with the bank's reference. Each step is a ledger
//! transaction and a `payout.processed` event in one database transaction. Requests
//! lock the creator's row, so two at once cannot overdraw the balance.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use types::TextEnum;
use types::{
    ErrorCode,
    catalog::Money,
    ids::{CreatorId, PayoutId, UserId},
    money::{Balances, PayoutStatus, PayoutView},
};

use super::{Account, Kind, Posting, creator_balances, post};
use crate::{
    Error, RequestMeta, Result,
    events::{self, EventMetadata, EventType, NewEvent},
    fields,
};

/// The smallest payout, in minor units of the currency ($50.00).
pub const MINIMUM_PAYOUT_MINOR: i64 = 5_000;
/// The marketplace sells in one currency today (see `types::cart`).
pub const CURRENCY: &str = "USD";

/// The creator behind `user`, locked for a balance-changing step.
async fn creator_of(conn: &mut PgConnection, user: UserId) -> Result<CreatorId> {
    sqlx::query_scalar!("select id from creators where user_id = $1 for update", user.0)
        .fetch_optional(conn)
        .await?
        .map(CreatorId)
        .ok_or(Error::Forbidden)
}

/// The creator's balances as the portal shows them.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn balances(pool: &PgPool, user: UserId) -> Result<Balances> {
    let mut conn = pool.acquire().await?;
    let creator = sqlx::query_scalar!("select id from creators where user_id = $1", user.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::Forbidden)?;
    let b = creator_balances(&mut conn, CreatorId(creator), CURRENCY).await?;
    Ok(Balances {
        pending: Money::new(b.pending, CURRENCY),
        available: Money::new(b.available, CURRENCY),
        in_payout: Money::new(b.in_payout, CURRENCY),
        minimum_payout: Money::new(MINIMUM_PAYOUT_MINOR, CURRENCY),
    })
}

async fn event(
    conn: &mut PgConnection,
    id: PayoutId,
    status: PayoutStatus,
    amount: i64,
    meta: &RequestMeta,
) -> Result<()> {
    events::publish(
        conn,
        NewEvent {
            event_type: EventType::PayoutProcessed,
            aggregate_type: "payout",
            aggregate_id: id.to_string(),
            aggregate_version: match status {
                PayoutStatus::Requested => 1,
                PayoutStatus::Approved | PayoutStatus::Rejected => 2,
                PayoutStatus::Paid => 3,
            },
            data: json!({ "status": status.as_str(), "amount_minor": amount, "currency": CURRENCY }),
        },
        &EventMetadata::from_request(meta),
    )
    .await?;
    Ok(())
}

/// Requests a payout of `amount` from the available balance.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn request(pool: &PgPool, user: UserId, amount: i64, meta: &RequestMeta) -> Result<PayoutId> {
    if amount < MINIMUM_PAYOUT_MINOR {
        return Err(Error::field("amount", ErrorCode::BelowMinimumPayout));
    }
    let mut tx = pool.begin().await?;
    let creator = creator_of(&mut tx, user).await?;
    let available = creator_balances(&mut tx, creator, CURRENCY).await?.available;
    if amount > available {
        return Err(Error::field("amount", ErrorCode::ExceedsAvailable));
    }
    let id = PayoutId::new();
    sqlx::query!(
        "insert into payouts (id, creator_id, amount_minor, currency) values ($1, $2, $3, $4)",
        id.0,
        creator.0,
        amount,
        CURRENCY
    )
    .execute(&mut *tx)
    .await?;
    let posting = Posting::new(Kind::PayoutRequested, format!("payout_requested:{}", id.0), CURRENCY)
        .entry(Account::CreatorAvailable(creator), amount, None)
        .entry(Account::CreatorPayout(creator), -amount, None);
    post(&mut tx, posting).await?;
    event(&mut tx, id, PayoutStatus::Requested, amount, meta).await?;
    tx.commit().await?;
    Ok(id)
}

/// An admin's decision on a payout.
#[derive(Debug, Clone)]
pub enum Decision {
    Approve,
    Reject { reason: String },
    Paid { reference: String },
}

/// Moves a payout on as an admin decided, with its ledger transaction.
#[tracing::instrument(skip_all, fields(admin = %admin, id = %id))]
pub async fn decide(pool: &PgPool, admin: UserId, id: PayoutId, decision: Decision, meta: &RequestMeta) -> Result<()> {
    let mut errors = Vec::new();
    let (to, note) = match &decision {
        Decision::Approve => (PayoutStatus::Approved, String::new()),
        Decision::Reject { reason } => (PayoutStatus::Rejected, fields::text("reason", reason, true, 500, &mut errors)),
        Decision::Paid { reference } => {
            (PayoutStatus::Paid, fields::text("reference", reference, true, 100, &mut errors))
        }
    };
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        "select p.creator_id, p.amount_minor, p.status, c.user_id as maker
         from payouts p join creators c on c.id = p.creator_id
         where p.id = $1 for update of p",
        id.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    if row.maker == admin.0 {
        let action = format!("payout.{}", to.as_str());
        let own = crate::four_eyes::refuse(pool, admin, &action, "payout", id.0, ErrorCode::OwnCase);
        return Err(own.await);
    }
    let from = PayoutStatus::parse(&row.status).ok_or_else(|| anyhow::anyhow!("unknown payout status"))?;
    if !from.can_become(to) {
        return Err(Error::Conflict(ErrorCode::PayoutStatusConflict));
    }
    let creator = CreatorId(row.creator_id);
    let amount = row.amount_minor;
    let (kind, debit, credit) = match to {
        PayoutStatus::Approved => {
            (Kind::PayoutApproved, Account::CreatorPayout(creator), Account::CreatorPayoutApproved(creator))
        }
        PayoutStatus::Rejected => {
            (Kind::PayoutRejected, Account::CreatorPayout(creator), Account::CreatorAvailable(creator))
        }
        PayoutStatus::Paid | PayoutStatus::Requested => {
            (Kind::PayoutPaid, Account::CreatorPayoutApproved(creator), Account::Cash)
        }
    };
    let posting = Posting::new(kind, format!("{}:{}", kind.as_str(), id.0), CURRENCY)
        .entry(debit, amount, None)
        .entry(credit, -amount, None);
    post(&mut tx, posting).await?;
    sqlx::query!(
        "update payouts set status = $2,
                reason = case when $2 = 'rejected' then $3 else reason end,
                reference = case when $2 = 'paid' then $3 else reference end,
                decided_at = case when $2 in ('approved', 'rejected') then now() else decided_at end,
                decided_by = case when $2 in ('approved', 'rejected') then $4 else decided_by end,
                paid_at = case when $2 = 'paid' then now() else paid_at end
         where id = $1",
        id.0,
        to.as_str(),
        note,
        admin.0
    )
    .execute(&mut *tx)
    .await?;
    event(&mut tx, id, to, amount, meta).await?;
    tx.commit().await?;
    Ok(())
}

/// Payouts of one creator (`Some`, by their user) or of everyone (admins), newest
/// first, as `reader` sees them (their own shop's are not theirs to decide).
#[tracing::instrument(skip_all, fields(creator_user = ?creator_user, reader = %reader))]
pub async fn list(pool: &PgPool, creator_user: Option<UserId>, reader: UserId) -> Result<Vec<PayoutView>> {
    let rows = sqlx::query!(
        r#"select p.id, c.display_name, p.amount_minor, p.currency, p.status, p.reason, p.reference,
                  p.requested_at as "requested_at: DateTime<Utc>", p.decided_at as "decided_at: DateTime<Utc>",
                  p.paid_at as "paid_at: DateTime<Utc>", c.user_id = $2 as "own_case!"
           from payouts p join creators c on c.id = p.creator_id
           where $1::uuid is null or c.user_id = $1
           order by (p.status in ('requested', 'approved')) desc, p.requested_at desc
           limit 500"#,
        creator_user.map(|u| u.0),
        reader.0
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PayoutView {
            id: PayoutId(r.id),
            creator_name: r.display_name,
            amount: Money::new(r.amount_minor, r.currency),
            status: PayoutStatus::parse(&r.status).unwrap_or(PayoutStatus::Requested),
            reason: r.reason,
            reference: r.reference,
            requested_at: r.requested_at,
            decided_at: r.decided_at,
            paid_at: r.paid_at,
            own_case: r.own_case,
        })
        .collect())
}

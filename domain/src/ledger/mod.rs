//! The double-entry ledger: every payment, commission, refund and payout is one
//! transaction whose entries sum to zero per currency. The database refuses an
//! unbalanced transaction and any change to a posted one (see the migration), so the
//! books cannot drift; balances and revenue are sums of entries, never counters.
//!
//! Signs: an entry's amount is positive for a debit and negative for a credit. `cash`
//! (what the payment provider holds for the platform) is an asset and carries a
//! debit balance; the creator accounts and `commission` (platform revenue) carry
//! credit balances, which reports show as positive amounts.

pub mod commission;
pub mod payout_notices;
pub mod payouts;
pub mod reconcile;
pub mod revenue;

use sqlx::PgConnection;
use types::TextEnum;
use types::ids::{CreatorId, LedgerTransactionId, SubOrderId};

use crate::Result;

/// An account of the books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Account {
    /// Money the payment provider holds for the platform.
    Cash,
    /// The platform's commission revenue.
    Commission,
    /// Owed to a creator for sales not yet delivered (or still in the hold period).
    CreatorPending(CreatorId),
    /// Owed to a creator and free to pay out.
    CreatorAvailable(CreatorId),
    /// Requested for payout, awaiting an admin.
    CreatorPayout(CreatorId),
    /// Approved for payout, not yet sent.
    CreatorPayoutApproved(CreatorId),
}

impl Account {
    fn parts(self) -> (&'static str, Option<CreatorId>) {
        match self {
            Account::Cash => ("cash", None),
            Account::Commission => ("commission", None),
            Account::CreatorPending(c) => ("creator_pending", Some(c)),
            Account::CreatorAvailable(c) => ("creator_available", Some(c)),
            Account::CreatorPayout(c) => ("creator_payout", Some(c)),
            Account::CreatorPayoutApproved(c) => ("creator_payout_approved", Some(c)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Kind {
    Payment,
    Refund,
    Release,
    PayoutRequested,
    PayoutRejected,
    PayoutApproved,
    PayoutPaid,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub account: Account,
    pub amount_minor: i64,
    pub sub_order: Option<SubOrderId>,
}

impl Entry {
    pub fn new(account: Account, amount_minor: i64, sub_order: Option<SubOrderId>) -> Entry {
        Entry { account, amount_minor, sub_order }
    }
}

/// A transaction about to be posted.
#[derive(Debug, Clone)]
pub struct Posting {
    pub kind: Kind,
    /// What it records, unique across the ledger: posting the same reference twice
    /// posts once (a retried step cannot book a payment twice).
    pub reference: String,
    pub memo: String,
    pub currency: String,
    pub entries: Vec<Entry>,
}

impl Posting {
    pub fn new(kind: Kind, reference: String, currency: &str) -> Posting {
        Posting { kind, reference, memo: String::new(), currency: currency.to_owned(), entries: Vec::new() }
    }

    /// Adds an entry; zero amounts are left out (a 0 % commission books nothing).
    pub fn entry(mut self, account: Account, amount_minor: i64, sub_order: Option<SubOrderId>) -> Posting {
        if amount_minor != 0 {
            self.entries.push(Entry::new(account, amount_minor, sub_order));
        }
        self
    }

    pub fn balances(&self) -> bool {
        self.entries.len() >= 2 && self.entries.iter().map(|e| e.amount_minor).sum::<i64>() == 0
    }
}

/// Posts a transaction in the caller's database transaction. Returns `None` when its
/// reference was already posted, or when it has nothing to book. An unbalanced
/// posting is a bug and fails here before the database would refuse it.
pub async fn post(conn: &mut PgConnection, posting: Posting) -> Result<Option<LedgerTransactionId>> {
    if posting.entries.is_empty() {
        return Ok(None);
    }
    if !posting.balances() {
        return Err(anyhow::anyhow!("unbalanced ledger posting {}: {:?}", posting.reference, posting.entries).into());
    }
    let id = LedgerTransactionId::new();
    let inserted = sqlx::query_scalar!(
        "insert into ledger_transactions (id, kind, reference, memo) values ($1, $2, $3, $4)
         on conflict (reference) do nothing returning id",
        id.0,
        posting.kind.as_str(),
        posting.reference,
        posting.memo
    )
    .fetch_optional(&mut *conn)
    .await?;
    if inserted.is_none() {
        return Ok(None);
    }
    let (accounts, creators): (Vec<&str>, Vec<Option<uuid::Uuid>>) =
        posting.entries.iter().map(|e| e.account.parts()).map(|(a, c)| (a, c.map(|c| c.0))).unzip();
    let amounts: Vec<i64> = posting.entries.iter().map(|e| e.amount_minor).collect();
    let sub_orders: Vec<Option<uuid::Uuid>> = posting.entries.iter().map(|e| e.sub_order.map(|s| s.0)).collect();
    sqlx::query!(
        "insert into ledger_entries (transaction_id, account, creator_id, sub_order_id, amount_minor, currency)
         select $1, a, c, s, m, $6
         from unnest($2::text[], $3::uuid[], $4::uuid[], $5::int8[]) as t(a, c, s, m)",
        id.0,
        &accounts as &[&str],
        &creators as &[Option<uuid::Uuid>],
        &sub_orders as &[Option<uuid::Uuid>],
        &amounts,
        posting.currency
    )
    .execute(&mut *conn)
    .await?;
    Ok(Some(id))
}

/// A creator's money as the portal shows it, derived from their entries (credit
/// balances shown positive).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CreatorBalances {
    pub pending: i64,
    pub available: i64,
    pub in_payout: i64,
}

pub async fn creator_balances(conn: &mut PgConnection, creator: CreatorId, currency: &str) -> Result<CreatorBalances> {
    let rows = sqlx::query!(
        r#"select account, -sum(amount_minor)::int8 as "balance!" from ledger_entries
           where creator_id = $1 and currency = $2 group by account"#,
        creator.0,
        currency
    )
    .fetch_all(conn)
    .await?;
    let mut balances = CreatorBalances::default();
    for r in rows {
        match r.account.as_str() {
            "creator_pending" => balances.pending = r.balance,
            "creator_available" => balances.available = r.balance,
            "creator_payout" | "creator_payout_approved" => balances.in_payout += r.balance,
            _ => {}
        }
    }
    Ok(balances)
}

/// What is still booked as pending for one sub-order (its net, less refunds taken
/// from pending), shown positive.
pub async fn pending_for_sub_order(conn: &mut PgConnection, sub_order: SubOrderId) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        r#"select coalesce(-sum(amount_minor), 0)::int8 as "n!" from ledger_entries
           where sub_order_id = $1 and account = 'creator_pending'"#,
        sub_order.0
    )
    .fetch_one(conn)
    .await?)
}

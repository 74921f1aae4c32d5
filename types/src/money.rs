//! A creator's money as the portal shows it (balances, payouts, revenue per
//! period) and the books as finance staff see them. Every figure is derived from
//! ledger entries on the server.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{catalog::Money, ids::PayoutId};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum PayoutStatus {
    Requested,
    Approved,
    Rejected,
    Paid,
}

impl PayoutStatus {
    pub fn can_become(self, next: PayoutStatus) -> bool {
        use PayoutStatus::*;
        matches!((self, next), (Requested, Approved) | (Requested, Rejected) | (Approved, Paid))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutView {
    pub id: PayoutId,
    pub creator_name: String,
    pub amount: Money,
    pub status: PayoutStatus,
    pub reason: Option<String>,
    pub reference: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    /// To the reader's own shop: another admin decides it.
    pub own_case: bool,
}

/// What a creator is owed, by where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balances {
    /// Sold, not yet delivered or still in the hold period.
    pub pending: Money,
    /// Free to pay out.
    pub available: Money,
    /// Requested or approved, not yet paid.
    pub in_payout: Money,
    /// The smallest payout one may request.
    pub minimum_payout: Money,
}

/// One month of a creator's sales, from the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevenuePeriod {
    /// `2026-11`.
    pub period: String,
    pub gross: Money,
    pub commission: Money,
    /// Given back to customers, net of the commission returned with it.
    pub refunds: Money,
    pub net: Money,
}

#[cfg(test)]
mod tests {
    use super::PayoutStatus::*;

    #[test]
    fn a_payout_is_approved_or_rejected_once_and_paid_only_when_approved() {
        assert!(Requested.can_become(Approved) && Requested.can_become(Rejected) && Approved.can_become(Paid));
        assert!(!Requested.can_become(Paid), "nothing is paid without approval");
        assert!(!Rejected.can_become(Approved) && !Paid.can_become(Rejected) && !Approved.can_become(Rejected));
    }
}

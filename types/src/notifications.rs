//! In-app notifications: the bell in the header and its list.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::NotificationId;

/// What happened; the text is rendered in the reader's language from this and `params`.
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
pub enum NotificationKind {
    SubmissionApproved,
    SubmissionRejected,
    ChangesRequested,
    /// An analytics alert rule crossed its threshold (`title`, `value`, `threshold`).
    AlertCrossed,
    /// An analytics alert rule is back on the right side of its threshold.
    AlertRecovered,
    /// A webhook endpoint failed for days and was switched off (`title` its address, `days`).
    WebhookDisabled,
    /// A customer's order was paid (`order`, `total`).
    OrderPaid,
    /// Part of a customer's order left the maker (`order`, `sub_order`, `carrier`, `tracking`).
    OrderShipped,
    /// Part of a customer's order arrived (`order`, `sub_order`).
    OrderDelivered,
    /// Part of a customer's order was cancelled (`order`, `sub_order`).
    OrderCancelled,
    /// Money went back to the customer (`order`, `amount`).
    OrderRefunded,
    /// A maker has a paid order to ship (`sub_order`, `items`: how many pieces).
    SaleToShip,
    /// A maker's paid order was cancelled before shipping (`sub_order`).
    SaleCancelled,
    /// A maker's payout was approved, rejected or paid (`amount`).
    PayoutApproved,
    PayoutRejected,
    PayoutPaid,
    /// Someone signed in to the account from a browser it had not used (`browser`).
    NewSignIn,
}

impl NotificationKind {
    /// The preference that decides where this notice goes.
    pub fn topic(self) -> crate::profile::NotificationKind {
        use crate::profile::NotificationKind as Topic;
        match self {
            Self::SubmissionApproved | Self::SubmissionRejected | Self::ChangesRequested => Topic::ReviewDecisions,
            Self::AlertCrossed | Self::AlertRecovered => Topic::AnalyticsSummary,
            Self::WebhookDisabled | Self::NewSignIn => Topic::AccountSecurity,
            Self::OrderPaid
            | Self::OrderShipped
            | Self::OrderDelivered
            | Self::OrderCancelled
            | Self::OrderRefunded
            | Self::SaleToShip
            | Self::SaleCancelled => Topic::OrderUpdates,
            Self::PayoutApproved | Self::PayoutRejected | Self::PayoutPaid => Topic::Payouts,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    pub kind: NotificationKind,
    /// `title` (what it is about), `feedback`, `review_kind`.
    pub params: BTreeMap<String, String>,
    /// Where to go to act on it.
    pub link: String,
    pub read: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NotificationList {
    pub unread: u32,
    pub items: Vec<Notification>,
    /// The cursor of the next, older page, when there is one.
    pub older: Option<NotificationId>,
}

/// What an open page is told when the reader's notifications change: the unread count
/// and the newest notice, its text already in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LiveState {
    pub unread: u32,
    pub newest: Option<LiveNotice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveNotice {
    pub id: NotificationId,
    pub text: String,
    pub link: String,
    pub read: bool,
}

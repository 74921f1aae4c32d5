//! In-app notifications: the bell in the header and its list.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    UserId,
    ids::{NoticeDeliveryId, NotificationId},
    profile::NotificationChannel,
};

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
    /// The account's password was changed and its other sessions signed out.
    PasswordChanged,
    /// A maker asked to be paid (`amount`, `currency`, `maker`); told to finance admins.
    PayoutRequested,
    /// New items came into the review queue in the last hour (`count`).
    ReviewDigest,
    /// A sale left few of a maker's product (`title`, `stock`: how many are left).
    StockLow,
    /// A product's certificate expires soon (`title`, `days`: 30 or 7, `expires`: the date).
    CertificateExpiring,
    /// Mail to the account's address bounced for good; no more is sent (`title`: the address).
    MailBounced,
    /// A message from OpenAero (`title_en`, `body_en`, `title_zh`, `body_zh`).
    Announcement,
    /// A customer's review of a maker's product or shop was published (`title`, `stars`, `review`).
    RatingPublished,
    /// An admin gave the account a role (`role`), or took one away: a change they did
    /// not expect must not go unnoticed.
    RoleGranted,
    RoleRemoved,
    /// The store's week in figures against the week before (`from`, `to`, and each
    /// figure now and `_before`), for those who read the analytics and asked for it.
    WeeklySummary,
}

impl NotificationKind {
    /// The preference that decides where this notice goes.
    pub fn topic(self) -> crate::profile::NotificationKind {
        use crate::profile::NotificationKind as Topic;
        match self {
            Self::SubmissionApproved | Self::SubmissionRejected | Self::ChangesRequested => Topic::ReviewDecisions,
            Self::AlertCrossed | Self::AlertRecovered => Topic::Alerts,
            Self::WebhookDisabled
            | Self::NewSignIn
            | Self::PasswordChanged
            | Self::MailBounced
            | Self::RoleGranted
            | Self::RoleRemoved => Topic::AccountSecurity,
            Self::OrderPaid
            | Self::OrderShipped
            | Self::OrderDelivered
            | Self::OrderCancelled
            | Self::OrderRefunded
            | Self::SaleToShip
            | Self::SaleCancelled => Topic::OrderUpdates,
            Self::PayoutApproved | Self::PayoutRejected | Self::PayoutPaid | Self::PayoutRequested => Topic::Payouts,
            Self::ReviewDigest => Topic::ReviewQueue,
            Self::StockLow | Self::CertificateExpiring | Self::RatingPublished => Topic::Listings,
            Self::Announcement => Topic::Announcements,
            Self::WeeklySummary => Topic::AnalyticsSummary,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    pub kind: NotificationKind,
    /// `title` (what it is about), `feedback`, `review_kind`.
    pub params: BTreeMap<String, String>,
    /// What it says, in the reader's language, as the template in use words it.
    pub text: String,
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

/// Where one notice stands on one channel. In-app notices are delivered when written;
/// mail and the other channels are queued, sent by their provider, and then (when the
/// provider reports it) delivered or bounced. A delivery that failed every attempt is
/// failed; any finished one may be sent again.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DeliveryStatus {
    Queued,
    Sent,
    Delivered,
    Bounced,
    Failed,
}

impl DeliveryStatus {
    /// Whether a delivery may move from `self` to `next`.
    pub fn can_become(self, next: DeliveryStatus) -> bool {
        use DeliveryStatus::*;
        match (self, next) {
            (Queued, Sent | Delivered | Failed) => true,
            // What the provider reports later.
            (Sent, Delivered | Bounced | Failed) => true,
            (Delivered, Bounced) => true,
            // Sent again.
            (Sent | Delivered | Bounced | Failed, Queued) => true,
            _ => false,
        }
    }

    /// Still on its way: sending it again would send it twice.
    pub fn in_flight(self) -> bool {
        self == DeliveryStatus::Queued
    }
}

/// One delivery, as admins and its recipient see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDelivery {
    pub id: NoticeDeliveryId,
    pub user: UserId,
    /// The recipient's email, for admins finding a person.
    pub email: String,
    pub kind: NotificationKind,
    pub channel: NotificationChannel,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// What the provider calls it (a mail's `Message-ID`).
    pub provider_ref: Option<String>,
    pub last_error: Option<String>,
    /// The subject of a mail, the first words of other channels.
    pub summary: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Which deliveries to list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryFilter {
    /// Part of the recipient's email (admins only; a person sees their own).
    pub person: Option<String>,
    pub kind: Option<NotificationKind>,
    pub channel: Option<NotificationChannel>,
    pub status: Option<DeliveryStatus>,
    /// The page after this delivery.
    pub before: Option<NoticeDeliveryId>,
}

impl DeliveryFilter {
    /// The filter as a URL query (`person=…&status=failed&before=…`), for links to
    /// another page of the same search.
    pub fn to_query(&self) -> String {
        use crate::TextEnum;
        let pairs = [
            ("person", self.person.clone()),
            ("kind", self.kind.map(|k| k.as_str().to_owned())),
            ("channel", self.channel.map(|c| c.as_str().to_owned())),
            ("status", self.status.map(|s| s.as_str().to_owned())),
            ("before", self.before.map(|b| b.to_string())),
        ];
        pairs
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| format!("{name}={}", crate::search::encode_component(&v))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Whether anything narrows the list (a page further back does not).
    pub fn narrows(&self) -> bool {
        self.person.is_some() || self.kind.is_some() || self.channel.is_some() || self.status.is_some()
    }
}

/// A page of deliveries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryPage {
    pub items: Vec<NoticeDelivery>,
    pub older: Option<NoticeDeliveryId>,
}

#[cfg(test)]
mod tests {
    use super::DeliveryStatus::*;

    #[test]
    fn a_filter_is_its_own_link() {
        let filter =
            super::DeliveryFilter { person: Some("ada lovelace".into()), status: Some(Failed), ..Default::default() };
        assert_eq!(filter.to_query(), "person=ada+lovelace&status=failed");
        assert!(filter.narrows());
        assert_eq!(super::DeliveryFilter::default().to_query(), "");
    }

    #[test]
    fn a_delivery_moves_only_forward_or_is_sent_again() {
        assert!(Queued.can_become(Sent));
        assert!(Sent.can_become(Bounced));
        assert!(Failed.can_become(Queued));
        assert!(!Queued.can_become(Queued), "a queued delivery is not queued twice");
        assert!(!Queued.can_become(Bounced), "nothing bounces before it is sent");
        assert!(!Failed.can_become(Delivered));
        assert!(!Bounced.can_become(Delivered));
    }
}

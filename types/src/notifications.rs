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
}

//! Announcements: one message from the platform to everyone holding a role (every
//! customer, every maker, the reviewers), in both languages, sent at a set rate
//! through the same notices as everything else, and stoppable while it runs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Role, ids::AnnouncementId};

/// How far an announcement has gone.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AnnouncementStatus {
    Sending,
    Cancelled,
    Done,
}

/// The fewest and most people told per minute.
pub const RATE_RANGE: std::ops::RangeInclusive<u32> = 1..=10_000;
/// Title and text limits, in characters.
pub const MAX_TITLE: usize = 120;
pub const MAX_BODY: usize = 2_000;

/// What an admin writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementDraft {
    pub audience: Role,
    pub title_en: String,
    pub body_en: String,
    pub title_zh: String,
    pub body_zh: String,
    /// People told per minute.
    pub per_minute: u32,
}

/// An announcement as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementView {
    pub id: AnnouncementId,
    pub audience: Role,
    pub title_en: String,
    pub status: AnnouncementStatus,
    pub per_minute: u32,
    /// People told so far.
    pub told: u32,
    /// Everyone it is for, counted when it was sent.
    pub total: u32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

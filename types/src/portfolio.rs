//! Portfolio items: the creator's showcase of work, as the portal edits it and the
//! public creator page shows it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{files::FileInfo, ids::PortfolioItemId};

/// Where the working version stands. Whether the item is on the public page is
/// separate: an approved version stays there while changes wait for review.
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
pub enum PortfolioStatus {
    Draft,
    Submitted,
    Approved,
    Rejected,
    Archived,
}

/// The fields a creator edits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioDraft {
    pub title: String,
    pub description: String,
    /// A catalog category's slug, or empty.
    pub category: String,
    /// In display order; the first picture is the cover.
    pub media: Vec<FileInfo>,
}

/// An item as its creator sees it in the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioEntry {
    pub id: PortfolioItemId,
    pub status: PortfolioStatus,
    pub draft: PortfolioDraft,
    /// Whether an approved version is on the public creator page.
    pub public: bool,
    /// The reviewer's last feedback, shown until the next submission.
    pub feedback: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl PortfolioEntry {
    /// Not while a reviewer has it, nor once archived.
    pub fn editable(&self) -> bool {
        !matches!(self.status, PortfolioStatus::Submitted | PortfolioStatus::Archived)
    }

    pub fn can_submit(&self) -> bool {
        matches!(self.status, PortfolioStatus::Draft | PortfolioStatus::Rejected)
    }
}

/// An approved item on the public creator page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowcaseItem {
    pub title: String,
    pub description: String,
    pub category: Option<String>,
    pub media: Vec<FileInfo>,
    pub published_at: DateTime<Utc>,
}

//! A creator's products as the creator portal shows and edits them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    catalog::{Money, ProductStatus},
    files::FileInfo,
    ids::ProductId,
};

/// Every editable field of a product, as the editor shows it. Numbers the maker types
/// stay text until the server parses them, so a mistyped value comes back as typed
/// with its error beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductDraft {
    pub category: String,
    pub name_en: String,
    pub name_zh: String,
    pub summary_en: String,
    pub summary_zh: String,
    pub description_en: String,
    pub description_zh: String,
    pub price: String,
    pub stock: String,
    /// Each specification as typed, by its key (`draft[measures][weight_g]` in the form).
    pub measures: std::collections::BTreeMap<crate::specs::Spec, String>,
    pub ip_rating: String,
    /// One per line.
    pub compatibility: String,
    pub features: String,
    pub tags: String,
    /// Pictures, videos and documents in display order.
    pub media: Vec<FileInfo>,
}

/// Where a product stands in the editor: its live status, and whether changes to a
/// published product wait for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorProduct {
    pub id: ProductId,
    pub slug: String,
    pub status: ProductStatus,
    /// For a published product: the state of its pending changes, if any.
    pub revision: Option<RevisionStatus>,
    pub draft: ProductDraft,
    /// The reviewer's last feedback, shown until the next submission.
    pub feedback: Option<String>,
}

impl EditorProduct {
    /// Whether the maker may change it now (not while a reviewer has it).
    pub fn editable(&self) -> bool {
        self.status != ProductStatus::Archived && self.waiting().is_none()
    }

    /// `Some` while a submission waits for review.
    pub fn waiting(&self) -> Option<()> {
        (self.status == ProductStatus::Submitted || self.revision == Some(RevisionStatus::Submitted)).then_some(())
    }
}

/// Pending changes to a published product.
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
pub enum RevisionStatus {
    Draft,
    Submitted,
    Rejected,
}

/// A row of the portal's product list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalProduct {
    pub id: ProductId,
    pub slug: String,
    pub name: String,
    pub status: ProductStatus,
    pub revision: Option<RevisionStatus>,
    pub price: Money,
    pub available: i32,
    pub updated_at: DateTime<Utc>,
}

/// The portal's first page.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Dashboard {
    pub counts: Vec<(ProductStatus, u32)>,
    pub low_stock: Vec<PortalProduct>,
    pub products: Vec<PortalProduct>,
    pub storage: crate::files::StorageUse,
}

/// Stock at or below this shows as low on the dashboard.
pub const LOW_STOCK: i32 = 3;

/// A category a product may be placed in (a subcategory, under its parent's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryChoice {
    pub slug: String,
    pub name: String,
    pub parent: String,
}

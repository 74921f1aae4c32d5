//! Certification applications as creators and reviewers see them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    catalog::{CertificationLevel, CertificationView, TestResult},
    files::FileInfo,
    ids::{CertificationApplicationId, ReviewItemId},
};

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
pub enum CertificationApplicationStatus {
    Open,
    Granted,
    Refused,
}

/// A result as recorded on an open application; `id` lets a reviewer take back a
/// mistyped one before the decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResult {
    pub id: i64,
    pub result: TestResult,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificationApplication {
    pub id: CertificationApplicationId,
    pub review_item: Option<ReviewItemId>,
    pub product_slug: String,
    pub product_name: String,
    pub requested_level: CertificationLevel,
    pub message: String,
    pub status: CertificationApplicationStatus,
    pub documents: Vec<FileInfo>,
    pub results: Vec<RecordedResult>,
    /// The reviewer's reason, when refused.
    pub feedback: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A product's certification as its creator follows it: the certificate it holds
/// (valid or expired) and every application, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductCertification {
    pub product_name: String,
    pub product_slug: String,
    /// Only a published product may apply.
    pub published: bool,
    pub current: Option<CertificationView>,
    pub applications: Vec<CertificationApplication>,
}

impl ProductCertification {
    /// Whether a new application may be made now.
    pub fn can_apply(&self) -> bool {
        self.published && !self.applications.iter().any(|a| a.status == CertificationApplicationStatus::Open)
    }
}

/// What a reviewer sees of a certification application, and what the grant form
/// starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificationReview {
    pub application: CertificationApplication,
    pub defaults: GrantDefaults,
}

/// What the reviewer's grant form starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrantDefaults {
    pub today: NaiveDate,
    /// Two years on, the usual validity.
    pub expires: NaiveDate,
}

/// The reviewer's grant form (level, body, dates), as submitted with an approval.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantInput {
    pub level: String,
    pub body: String,
    /// `YYYY-MM-DD`.
    pub granted_on: String,
    pub expires_on: String,
}

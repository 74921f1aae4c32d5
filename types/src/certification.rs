//! Certification applications as creators and reviewers see them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{catalog::CertificationLevel, files::FileInfo, ids::ReviewItemId};

string_enum!(
    CertificationApplicationStatus {
        Open => "open",
        Granted => "granted",
        Refused => "refused",
    }
);

/// One measurement a reviewer recorded while testing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResult {
    pub test_name: String,
    pub metric: String,
    /// As typed (a decimal), kept as text so nothing is lost to floating point.
    pub value: String,
    pub unit: String,
    pub passed: bool,
    pub tested_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificationApplication {
    pub id: uuid::Uuid,
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

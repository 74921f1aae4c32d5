//! Becoming a creator: the application a user fills in and reviewers verify.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    catalog::{CreatorKind, CreatorStatus},
    files::FileInfo,
};

impl CreatorStatus {
    /// Whether the application may be (re)submitted: before the first submission, and
    /// after a rejection. A pending one waits for its reviewer; a verified creator is done.
    pub fn may_submit(self) -> bool {
        matches!(self, CreatorStatus::Unverified | CreatorStatus::Rejected)
    }

    /// Whether a reviewer may decide it.
    pub fn awaits_review(self) -> bool {
        self == CreatorStatus::Pending
    }
}

/// The application form as submitted: every field as typed (a missing one is empty
/// and reported on itself), the address's fields beside the others.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub business_name: String,
    pub kind: String,
    pub tax_id: String,
    #[serde(flatten)]
    pub address: Address,
    pub contact_email: String,
    pub contact_phone: String,
    /// The uploaded documents' ids (posted apart, as one comma-separated field).
    #[serde(skip)]
    pub documents: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Address {
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
}

impl Address {
    /// One line, for lists and snapshots.
    pub fn one_line(&self) -> String {
        [&self.line1, &self.line2, &self.city, &self.region, &self.postal_code, &self.country]
            .into_iter()
            .filter(|p| !p.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A creator application as its owner and reviewers see it. The tax id is only ever
/// shown masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub status: CreatorStatus,
    pub business_name: String,
    pub kind: CreatorKind,
    pub tax_id_masked: String,
    pub address: Address,
    pub contact_email: String,
    pub contact_phone: String,
    pub documents: Vec<FileInfo>,
    pub rejection_reason: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub verified_at: Option<DateTime<Utc>>,
    /// The public page, once verified.
    pub slug: String,
}

/// `•••• 4321`: the last characters, enough to recognise, too few to use.
pub fn mask_tax_id(last4: &str) -> String {
    format!("•••• {last4}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_new_and_rejected_applications_may_be_submitted() {
        assert!(CreatorStatus::Unverified.may_submit());
        assert!(CreatorStatus::Rejected.may_submit());
        assert!(!CreatorStatus::Pending.may_submit());
        assert!(!CreatorStatus::Verified.may_submit());
        assert!(CreatorStatus::Pending.awaits_review());
        assert!(!CreatorStatus::Verified.awaits_review());
    }
}

//! The review queue as reviewers and creators see it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{creators::Application, ids::ReviewItemId};

/// What is being reviewed. A `rating` is a customer's, so its decision goes to
/// the customer, not the creator.
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
pub enum ReviewKind {
    CreatorVerification,
    ProductSubmission,
    PortfolioItem,
    CertificationApplication,
    Rating,
}

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
pub enum ReviewStatus {
    Open,
    Approved,
    Rejected,
    ChangesRequested,
    Withdrawn,
}

/// A reviewer's decision. Rejecting and asking for changes need feedback.
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
pub enum Decision {
    #[strum(serialize = "approved")]
    Approve,
    #[strum(serialize = "rejected")]
    Reject,
    #[strum(serialize = "changes_requested")]
    RequestChanges,
}

impl Decision {
    pub fn needs_feedback(self) -> bool {
        self != Decision::Approve
    }

    pub fn outcome(self) -> ReviewStatus {
        match self {
            Decision::Approve => ReviewStatus::Approved,
            Decision::Reject => ReviewStatus::Rejected,
            Decision::RequestChanges => ReviewStatus::ChangesRequested,
        }
    }
}

/// Which items the queue shows.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ClaimFilter {
    #[default]
    All,
    Mine,
    Unclaimed,
}

impl ClaimFilter {
    pub fn parse(s: &str) -> ClaimFilter {
        match s {
            "mine" => ClaimFilter::Mine,
            "unclaimed" => ClaimFilter::Unclaimed,
            _ => ClaimFilter::All,
        }
    }
}

/// A row of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: ReviewItemId,
    pub kind: ReviewKind,
    pub title: String,
    pub creator_name: String,
    pub status: ReviewStatus,
    pub submitted_at: DateTime<Utc>,
    /// The reviewer working on it, if any.
    pub claimed_by: Option<String>,
    pub claimed_by_me: bool,
    /// Submitted by the reader or about their own shop: someone else decides it.
    pub own_case: bool,
}

/// One field of a submission beside the same field of the last approved one (or,
/// when nothing was approved yet, the previous submission).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl FieldChange {
    /// An empty field and a missing one are the same: neither is a change.
    pub fn changed(&self) -> bool {
        self.before.as_deref().unwrap_or_default() != self.after.as_deref().unwrap_or_default()
    }
}

/// Pairs the fields of two snapshots, in the order of the newer one, then fields
/// only the older one had.
pub fn compare(before: Option<&[(String, String)]>, after: &[(String, String)]) -> Vec<FieldChange> {
    let find = |list: &[(String, String)], field: &str| list.iter().find(|(f, _)| f == field).map(|(_, v)| v.clone());
    let mut changes: Vec<FieldChange> = after
        .iter()
        .map(|(field, value)| FieldChange {
            field: field.clone(),
            before: before.and_then(|b| find(b, field)),
            after: Some(value.clone()),
        })
        .collect();
    for (field, value) in before.unwrap_or_default() {
        if !after.iter().any(|(f, _)| f == field) {
            changes.push(FieldChange { field: field.clone(), before: Some(value.clone()), after: None });
        }
    }
    changes
}

/// Something that happened to a subject: a submission or a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    /// `None` for a submission.
    pub decision: Option<Decision>,
    pub feedback: String,
}

/// What a reviewer sees when they open an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemDetail {
    pub item: QueueItem,
    /// Whether `changes` compares with an approved submission (or only the previous one).
    pub compared_with_approved: bool,
    pub has_previous: bool,
    pub changes: Vec<FieldChange>,
    pub application: Option<Application>,
    /// A product submission's pictures, videos and documents, as submitted.
    pub media: Vec<crate::files::FileInfo>,
    /// A certification application's documents, results and grant defaults.
    pub certification: Option<crate::certification::CertificationReview>,
    /// Oldest first.
    pub history: Vec<HistoryEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TextEnum;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn snapshots_are_compared_field_by_field() {
        let before = pairs(&[("name", "Kestrel"), ("price", "$10.00"), ("colour", "red")]);
        let after = pairs(&[("name", "Kestrel"), ("price", "$12.00"), ("weight", "900 g")]);
        let changes = compare(Some(&before), &after);
        let changed: Vec<&str> = changes.iter().filter(|c| c.changed()).map(|c| c.field.as_str()).collect();
        assert_eq!(changed, vec!["price", "weight", "colour"]);
        assert!(compare(None, &after).iter().all(|c| c.before.is_none() && c.changed()));
        let blank = pairs(&[("summary", "")]);
        assert!(!compare(None, &blank)[0].changed(), "an empty field on a first submission is no change");
    }

    #[test]
    fn only_approval_goes_without_feedback() {
        assert!(!Decision::Approve.needs_feedback());
        assert!(Decision::Reject.needs_feedback() && Decision::RequestChanges.needs_feedback());
        assert_eq!(Decision::parse("changes_requested"), Some(Decision::RequestChanges));
    }
}

//! What the admin console shows: rows the domain reads and the browser renders.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Role, UserId, ids::EventId};

/// A row of the user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub is_active: bool,
    pub email_verified: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// An audit log entry; `details` is the recorded JSON, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub actor_email: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub details: String,
    pub created_at: DateTime<Utc>,
}

/// An event delivery that ran out of attempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadDelivery {
    pub event_id: EventId,
    pub handler: String,
    pub event_type: String,
    pub aggregate_id: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A text message the SMS sandbox carried, for the development mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentText {
    pub to: String,
    pub body: String,
    /// `pending` until the sandbox reports it, then `delivered` or `undelivered`.
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// A mail the app sent, for the development mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMail {
    pub id: uuid::Uuid,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

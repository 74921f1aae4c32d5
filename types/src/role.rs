use serde::{Deserialize, Serialize};

/// What a user may be. A user holds one or more roles; permissions hang off roles.
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
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    Customer,
    Creator,
    Reviewer,
    Admin,
}

/// A capability checked by server functions. The role → permission table lives in the
/// database (seeded by a migration) so it can grow without a deploy of new enum arms
/// breaking old rows; these are the ones code asks about.
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
#[strum(serialize_all = "snake_case")]
pub enum Permission {
    /// Open the creator portal and manage one's own listings.
    #[strum(serialize = "creator.portal")]
    CreatorPortal,
    /// Open the admin console and work the review queue.
    #[strum(serialize = "review.queue")]
    ReviewQueue,
    /// Find users and grant or revoke roles.
    #[strum(serialize = "users.manage")]
    ManageUsers,
    /// Read the audit log.
    #[strum(serialize = "audit.read")]
    ReadAuditLog,
    /// See and retry failed domain event deliveries.
    #[strum(serialize = "events.manage")]
    ManageEvents,
    /// Find any order and refund it.
    #[strum(serialize = "orders.manage")]
    ManageOrders,
    /// Decide payouts and read the books.
    #[strum(serialize = "finance.manage")]
    ManageFinance,
    /// List, create, change and retire feature flags.
    #[strum(serialize = "flags.manage")]
    ManageFlags,
    /// Read the store's analytics.
    #[strum(serialize = "analytics.view")]
    ViewAnalytics,
}

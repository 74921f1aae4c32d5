use serde::{Deserialize, Serialize};

/// What a user may be. A user holds one or more roles; permissions hang off roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Customer,
    Creator,
    Reviewer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Customer, Role::Creator, Role::Reviewer, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Creator => "creator",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A capability checked by server functions. The role → permission table lives in the
/// database (seeded by a migration) so it can grow without a deploy of new enum arms
/// breaking old rows; these are the ones code asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// Open the creator portal and manage one's own listings.
    CreatorPortal,
    /// Open the admin console and work the review queue.
    ReviewQueue,
    /// Find users and grant or revoke roles.
    ManageUsers,
    /// Read the audit log.
    ReadAuditLog,
    /// See and retry failed domain event deliveries.
    ManageEvents,
    /// Find any order and refund it.
    ManageOrders,
    /// Decide payouts and read the books.
    ManageFinance,
}

impl Permission {
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::CreatorPortal => "creator.portal",
            Permission::ReviewQueue => "review.queue",
            Permission::ManageUsers => "users.manage",
            Permission::ReadAuditLog => "audit.read",
            Permission::ManageEvents => "events.manage",
            Permission::ManageOrders => "orders.manage",
            Permission::ManageFinance => "finance.manage",
        }
    }
}

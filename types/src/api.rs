//! Personal access tokens for the public API (`/api/v1`): what a token may do, and how
//! the account page lists them. The secret itself is shown once and never stored.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Permission, TextEnum, ids::ApiTokenId};

/// What a token may do. A scope that needs a permission is offered only to users who
/// hold it, and counts only while they still do: a token never outlives its user's
/// rights.
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
pub enum Scope {
    /// Read the public catalog: products, categories, makers.
    #[strum(serialize = "catalog:read")]
    #[serde(rename = "catalog:read")]
    CatalogRead,
    /// Read one's own products as a maker.
    #[strum(serialize = "products:read")]
    #[serde(rename = "products:read")]
    ProductsRead,
    /// Create, change, submit and archive one's own products; set price and stock.
    #[strum(serialize = "products:write")]
    #[serde(rename = "products:write")]
    ProductsWrite,
    /// Read one's own orders as a customer.
    #[strum(serialize = "orders:read")]
    #[serde(rename = "orders:read")]
    OrdersRead,
    /// Cancel one's own orders before they ship.
    #[strum(serialize = "orders:write")]
    #[serde(rename = "orders:write")]
    OrdersWrite,
    /// Read and fulfil the sub-orders sold as a maker: ship, deliver.
    #[strum(serialize = "orders:fulfil")]
    #[serde(rename = "orders:fulfil")]
    OrdersFulfil,
    /// Read one's balances and payouts as a maker.
    #[strum(serialize = "payouts:read")]
    #[serde(rename = "payouts:read")]
    PayoutsRead,
    /// Request payouts as a maker.
    #[strum(serialize = "payouts:write")]
    #[serde(rename = "payouts:write")]
    PayoutsWrite,
    /// Register and change webhook endpoints.
    #[strum(serialize = "webhooks:write")]
    #[serde(rename = "webhooks:write")]
    WebhooksWrite,
    /// Find any order and refund it.
    #[strum(serialize = "admin:orders")]
    #[serde(rename = "admin:orders")]
    AdminOrders,
    /// Decide payouts and mark them paid.
    #[strum(serialize = "admin:payouts")]
    #[serde(rename = "admin:payouts")]
    AdminPayouts,
    /// Work the review queue.
    #[strum(serialize = "admin:review")]
    #[serde(rename = "admin:review")]
    AdminReview,
    /// Find users and change their roles.
    #[strum(serialize = "admin:users")]
    #[serde(rename = "admin:users")]
    AdminUsers,
}

impl Scope {
    /// The permission a user must hold to give a token this scope, and to use it.
    pub fn needs(self) -> Option<Permission> {
        match self {
            Scope::CatalogRead | Scope::OrdersRead | Scope::OrdersWrite | Scope::WebhooksWrite => None,
            Scope::ProductsRead
            | Scope::ProductsWrite
            | Scope::OrdersFulfil
            | Scope::PayoutsRead
            | Scope::PayoutsWrite => Some(Permission::CreatorPortal),
            Scope::AdminOrders => Some(Permission::ManageOrders),
            Scope::AdminPayouts => Some(Permission::ManageFinance),
            Scope::AdminReview => Some(Permission::ReviewQueue),
            Scope::AdminUsers => Some(Permission::ManageUsers),
        }
    }

    /// The scopes someone holding `permissions` may give a token.
    pub fn offered(permissions: &[String]) -> impl Iterator<Item = Scope> + '_ {
        Scope::ALL
            .iter()
            .copied()
            .filter(|s| s.needs().is_none_or(|p| permissions.iter().any(|held| held == p.as_str())))
    }
}

/// How long a new token lasts.
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
#[strum(serialize_all = "snake_case")]
pub enum Lifetime {
    #[strum(serialize = "7")]
    Week,
    #[strum(serialize = "30")]
    Month,
    #[default]
    #[strum(serialize = "90")]
    Quarter,
    #[strum(serialize = "365")]
    Year,
    /// Until revoked (an integration on a server that is hard to rotate).
    #[strum(serialize = "never")]
    Never,
}

impl Lifetime {
    pub fn days(self) -> Option<i64> {
        match self {
            Lifetime::Week => Some(7),
            Lifetime::Month => Some(30),
            Lifetime::Quarter => Some(90),
            Lifetime::Year => Some(365),
            Lifetime::Never => None,
        }
    }
}

/// A token as its owner's account page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenView {
    pub id: ApiTokenId,
    pub name: String,
    /// The first characters of the secret, so the owner can tell tokens apart.
    pub prefix: String,
    pub scopes: Vec<Scope>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    /// Past its expiry: kept in the list so the owner sees why a client stopped working.
    pub expired: bool,
}

/// What a token's creation answers, once: the secret is not kept anywhere after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedApiToken {
    pub id: ApiTokenId,
    pub name: String,
    pub secret: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_as_their_documented_names() {
        assert_eq!(Scope::ProductsWrite.as_str(), "products:write");
        assert_eq!(Scope::parse("orders:fulfil"), Some(Scope::OrdersFulfil));
        assert_eq!(serde_json::to_string(&Scope::AdminPayouts).expect("json"), "\"admin:payouts\"");
    }

    #[test]
    fn a_customer_is_offered_no_maker_or_admin_scope() {
        let offered: Vec<Scope> = Scope::offered(&[]).collect();
        assert_eq!(offered, [Scope::CatalogRead, Scope::OrdersRead, Scope::OrdersWrite, Scope::WebhooksWrite]);
        let maker = vec![Permission::CreatorPortal.as_str().to_owned()];
        assert!(Scope::offered(&maker).any(|s| s == Scope::ProductsWrite));
        assert!(!Scope::offered(&maker).any(|s| s == Scope::AdminOrders));
    }
}

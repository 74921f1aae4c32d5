//! Creator server functions for what was sold: the creator's own sub-orders,
//! shipping and delivering them, balances, revenue and payouts. The rules live in
//! `domain::commerce::orders` and `domain::ledger`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use types::{
    catalog::Money,
    money::{Balances, PayoutView, RevenuePeriod},
    orders::{CreatorOrderSummary, CreatorOrderView},
};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{request_meta, require_permission, services};
#[cfg(feature = "ssr")]
use types::Permission;

/// How many months the revenue chart covers.
pub const REVENUE_MONTHS: u32 = 12;

/// One of the creator's sub-orders with what it earns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatorOrderDetail {
    pub order: CreatorOrderView,
    /// Given back to the customer, less the commission the platform returned with it.
    pub refunds_net: Money,
    /// Subtotal, less commission, less `refunds_net`.
    pub you_receive: Money,
}

#[cfg(feature = "ssr")]
impl From<CreatorOrderView> for CreatorOrderDetail {
    fn from(order: CreatorOrderView) -> Self {
        use domain::ledger::commission::on_refund;
        let sub = &order.sub_order;
        let currency = sub.subtotal.currency.clone();
        let commission = sub.commission.as_ref().map_or(0, |c| c.minor);
        // Refunds give commission back in proportion, by the ledger's own rounding.
        let refunds_net = sub.refunded.minor - on_refund(commission, sub.subtotal.minor, 0, sub.refunded.minor);
        let you_receive = sub.subtotal.minor - commission - refunds_net;
        CreatorOrderDetail {
            refunds_net: Money::new(refunds_net, currency.clone()),
            you_receive: Money::new(you_receive, currency),
            order,
        }
    }
}

/// The caller's sub-orders, newest first.
#[server(endpoint = "creator/orders")]
pub async fn creator_orders() -> Result<Vec<CreatorOrderSummary>, AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    Ok(domain::commerce::orders::read::for_creator(&services()?.pool, user.id).await?)
}

/// One of the caller's sub-orders by its number; anyone else's is not found.
#[server(endpoint = "creator/order")]
pub async fn creator_order(number: String) -> Result<CreatorOrderDetail, AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    let order = domain::commerce::orders::read::creator_order(&services()?.pool, user.id, &number).await?;
    Ok(order.into())
}

#[server(endpoint = "creator/order/ship")]
pub async fn ship_order(
    number: String,
    #[server(default)] carrier: String,
    #[server(default)] tracking_number: String,
) -> Result<(), AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    let services = services()?;
    domain::commerce::orders::fulfil::ship(&services, user.id, &number, &carrier, &tracking_number, &request_meta())
        .await?;
    Ok(())
}

#[server(endpoint = "creator/order/deliver")]
pub async fn deliver_order(number: String) -> Result<(), AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    domain::commerce::orders::fulfil::deliver(&services()?, user.id, &number, &request_meta()).await?;
    Ok(())
}

#[server(endpoint = "creator/balances")]
pub async fn creator_balances() -> Result<Balances, AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    Ok(domain::ledger::payouts::balances(&services()?.pool, user.id).await?)
}

/// The last [`REVENUE_MONTHS`] months, oldest first, a month without sales as zeros.
#[server(endpoint = "creator/revenue")]
pub async fn creator_revenue() -> Result<Vec<RevenuePeriod>, AppError> {
    use domain::ledger::{payouts::CURRENCY, revenue::by_month};
    let user = require_permission(Permission::CreatorPortal)?;
    let months = i32::try_from(REVENUE_MONTHS).unwrap_or(12);
    let periods = by_month(&services()?.pool, user.id, months).await?;
    let today = chrono::Utc::now().date_naive();
    Ok(super::money::every_month(periods, today, REVENUE_MONTHS, CURRENCY))
}

/// The caller's payouts, open ones first.
#[server(endpoint = "creator/payouts")]
pub async fn creator_payouts() -> Result<Vec<PayoutView>, AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    Ok(domain::ledger::payouts::list(&services()?.pool, Some(user.id), user.id).await?)
}

/// Requests a payout of `amount`, typed as people write it (`120.50`).
#[server(endpoint = "creator/payouts/request")]
pub async fn request_payout(#[server(default)] amount: String) -> Result<(), AppError> {
    let user = require_permission(Permission::CreatorPortal)?;
    let amount = types::catalog::parse_amount(&amount).map_err(|code| domain::Error::field("amount", code))?;
    domain::ledger::payouts::request(&services()?.pool, user.id, amount, &request_meta()).await?;
    Ok(())
}

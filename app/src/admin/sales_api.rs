//! Admin server functions for orders and money: finding orders and refunding them
//! (`ManageOrders`), deciding payouts and reconciling the books (`ManageFinance`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use types::{
    money::PayoutView,
    orders::{OrderSummary, OrderView},
};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{refuse, request_meta, require_permission, services};
#[cfg(feature = "ssr")]
use types::{ErrorCode, Permission};

/// Orders matching every filter given, newest first. Dates are `YYYY-MM-DD` (UTC);
/// `status` is a sub-order status, empty for any.
#[server(endpoint = "admin/orders")]
pub async fn search_orders(
    #[server(default)] number: String,
    #[server(default)] email: String,
    #[server(default)] creator: String,
    #[server(default)] status: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<Vec<OrderSummary>, AppError> {
    use domain::commerce::orders::read::{OrderFilter, search};
    require_permission(Permission::ManageOrders)?;
    let filter = OrderFilter::parse(number, email, creator, &status, &from, &to)?;
    Ok(search(&services()?.pool, &filter).await?)
}

/// Any order by its number, with each sub-order's commission.
#[server(endpoint = "admin/order")]
pub async fn admin_order(number: String) -> Result<OrderView, AppError> {
    use domain::commerce::orders::read::{Reader, order};
    let admin = require_permission(Permission::ManageOrders)?;
    Ok(order(&services()?.pool, &number, Reader::Admin(admin.id)).await?)
}

/// Refunds `amount` of a sub-order (typed as people write it; empty for all that is
/// left), with the reason the customer is shown.
#[server(endpoint = "admin/order/refund")]
pub async fn refund_sub_order(
    sub_order: String,
    #[server(default)] amount: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use domain::commerce::orders::fulfil::{RefundBy, refund};
    let admin = require_permission(Permission::ManageOrders)?;
    let amount = match amount.trim() {
        "" => None,
        raw => Some(types::catalog::parse_amount(raw).map_err(|code| domain::Error::field("amount", code))?),
    };
    refund(&services()?, &sub_order, amount, &reason, RefundBy::Admin(admin.id), &request_meta()).await?;
    Ok(())
}

/// Every creator's payouts, open ones first.
#[server(endpoint = "admin/payouts")]
pub async fn all_payouts() -> Result<Vec<PayoutView>, AppError> {
    let admin = require_permission(Permission::ManageFinance)?;
    Ok(domain::ledger::payouts::list(&services()?.pool, None, admin.id).await?)
}

#[cfg(feature = "ssr")]
async fn decide(id: &str, decision: domain::ledger::payouts::Decision) -> Result<(), AppError> {
    let admin = require_permission(Permission::ManageFinance)?;
    let id = id.parse().map_err(|_| refuse(ErrorCode::NotFound))?;
    domain::ledger::payouts::decide(&services()?.pool, admin.id, id, decision, &request_meta()).await?;
    Ok(())
}

#[server(endpoint = "admin/payouts/approve")]
pub async fn approve_payout(id: String) -> Result<(), AppError> {
    decide(&id, domain::ledger::payouts::Decision::Approve).await
}

#[server(endpoint = "admin/payouts/reject")]
pub async fn reject_payout(id: String, #[server(default)] reason: String) -> Result<(), AppError> {
    decide(&id, domain::ledger::payouts::Decision::Reject { reason }).await
}

/// Records that an approved payout was sent, with the bank's reference.
#[server(endpoint = "admin/payouts/paid")]
pub async fn mark_payout_paid(id: String, #[server(default)] reference: String) -> Result<(), AppError> {
    decide(&id, domain::ledger::payouts::Decision::Paid { reference }).await
}

/// The reconciliation as the ledger page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerReport {
    pub transactions: i64,
    pub entries: i64,
    pub balanced: bool,
    pub checks: Vec<LedgerCheck>,
    pub accounts: Vec<LedgerAccount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerCheck {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerAccount {
    pub account: String,
    pub currency: String,
    /// As booked: debits positive, credits negative.
    pub balance: i64,
}

/// Reconciles the books now.
#[server(endpoint = "admin/ledger")]
pub async fn reconcile() -> Result<LedgerReport, AppError> {
    require_permission(Permission::ManageFinance)?;
    let report = domain::ledger::reconcile::run(&services()?.pool).await?;
    Ok(LedgerReport {
        transactions: report.transactions,
        entries: report.entries,
        balanced: report.balanced(),
        checks: report
            .checks
            .into_iter()
            .map(|c| LedgerCheck { name: c.name.to_owned(), ok: c.ok, detail: c.detail })
            .collect(),
        accounts: report
            .accounts
            .into_iter()
            .map(|a| LedgerAccount { account: a.account, currency: a.currency, balance: a.balance })
            .collect(),
    })
}

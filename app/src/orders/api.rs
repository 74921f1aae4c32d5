//! A customer's own orders. The reads live in `domain::commerce::orders::read`.

use leptos::prelude::*;
use types::orders::{OrderSummary, OrderView};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{request_meta, require_user, services};

/// The caller's orders, newest first.
#[server(endpoint = "orders")]
pub async fn orders() -> Result<Vec<OrderSummary>, AppError> {
    let user = require_user()?;
    Ok(domain::commerce::orders::read::for_customer(&services()?.pool, user.id).await?)
}

/// One of the caller's orders by its number; anyone else's is not found.
#[server(endpoint = "orders/detail")]
pub async fn order_detail(number: String) -> Result<OrderView, AppError> {
    use domain::commerce::orders::read::{Reader, order};
    let user = require_user()?;
    Ok(order(&services()?.pool, &number, Reader::Customer(user.id)).await?)
}

/// Cancels one of the caller's paid, unshipped sub-orders (`number` is the
/// sub-order's): everything paid for it is refunded and the stock goes back.
#[server(endpoint = "orders/cancel")]
pub async fn cancel_sub_order(number: String) -> Result<(), AppError> {
    let user = require_user()?;
    Ok(domain::commerce::orders::fulfil::cancel(&services()?, user.id, &number, &request_meta()).await?)
}

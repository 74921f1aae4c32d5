//! A customer's own orders. The reads live in `domain::commerce::orders::read`.

use leptos::prelude::*;
use types::{
    ids::ProductId,
    orders::{OrderSummary, OrderView},
};

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

/// Whether one of the caller's orders still waits for the card network: what its
/// page asks, every few seconds, while it does.
#[server(endpoint = "orders/awaiting-payment")]
pub async fn order_awaits_payment(number: String) -> Result<bool, AppError> {
    Ok(super::awaiting_payment(&order_detail(number).await?))
}

/// Cancels one of the caller's paid, unshipped sub-orders (`number` is the
/// sub-order's): everything paid for it is refunded and the stock goes back.
#[server(endpoint = "orders/cancel")]
pub async fn cancel_sub_order(number: String) -> Result<(), AppError> {
    let user = require_user()?;
    Ok(domain::commerce::orders::fulfil::cancel(&services()?, user.id, &number, &request_meta()).await?)
}

/// Rates a product the caller received (`number` is the sub-order's, which must have
/// been delivered): once per order line, or again after a reviewer asked for changes.
/// `stars` is absent from a form sent with no star chosen: that is a field error.
#[server(endpoint = "orders/rate-product")]
pub async fn rate_product(
    number: String,
    product: ProductId,
    #[server(default)] stars: String,
    body: String,
) -> Result<(), AppError> {
    use domain::ratings::{Target, submit};
    let user = require_user()?;
    let target = Target::Product { sub_order: &number, product };
    Ok(submit(&services()?, &user, target, &stars, &body, &request_meta()).await?)
}

/// Rates the maker of one of the caller's delivered sub-orders: once per sub-order,
/// or again after a reviewer asked for changes. `stars` as for [`rate_product`].
#[server(endpoint = "orders/rate-maker")]
pub async fn rate_maker(number: String, #[server(default)] stars: String, body: String) -> Result<(), AppError> {
    use domain::ratings::{Target, submit};
    let user = require_user()?;
    Ok(submit(&services()?, &user, Target::Maker { sub_order: &number }, &stars, &body, &request_meta()).await?)
}

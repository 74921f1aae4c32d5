//! Checkout server functions, for signed-in customers only. The saga lives in
//! `domain::commerce::checkout`; these parse the form and say how it ended.

use leptos::prelude::*;
use types::checkout::{CheckoutOutcome, CheckoutPage};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{refuse, request_meta, require_user, services};

/// The cart as it will be ordered, the saved addresses, and the key to place it with.
#[server(endpoint = "checkout")]
pub async fn checkout() -> Result<CheckoutPage, AppError> {
    let user = require_user()?;
    let services = services()?;
    let page = domain::commerce::checkout::page(&services.pool, user.id).await?;
    if page.cart.count() > 0 {
        record_checkout_started(&services, user.id);
    }
    Ok(page)
}

/// Counts a checkout opened with something in it, a step of the store's funnel, with
/// the same rules as a page view.
#[cfg(feature = "ssr")]
fn record_checkout_started(services: &domain::Services, user: types::UserId) {
    use domain::analytics::Event;
    if let Some(visitor) = crate::ssr::countable_visitor() {
        services.analytics.record(Event {
            visitor,
            user: Some(user.0),
            ..Event::new(types::analytics::EventKind::CheckoutStarted, chrono::Utc::now())
        });
    }
}

/// Places the order. `address` is a saved address's id, or `new` (or absent) for the
/// address typed in the other fields. Paid or waiting for the card network, the
/// browser goes to the order; otherwise the answer is why nothing was bought (the
/// cart is as it was, and the page shows it again with a fresh key).
#[server(endpoint = "checkout/place")]
pub async fn place_order(
    #[server(default)] key: String,
    #[server(default)] total: String,
    #[server(default)] address: Option<String>,
    #[server(flatten)] ship_to: types::orders::ShipTo,
    #[server(default)] save_address: Option<String>,
    #[server(flatten)] card: types::checkout::CardForm,
) -> Result<CheckoutOutcome, AppError> {
    use domain::commerce::checkout::{self, OrderForm, PlaceOrder};
    let user = require_user()?;
    let form = OrderForm {
        key,
        total,
        address: address.unwrap_or_default(),
        ship_to,
        save_address: save_address.is_some(),
        card,
    };
    let order = PlaceOrder::from_form(form, chrono::Utc::now().date_naive())?;
    let outcome = checkout::place(&services()?, user.id, order, &request_meta()).await?;
    match &outcome {
        CheckoutOutcome::Completed { order_number, .. } | CheckoutOutcome::Pending { order_number, .. } => {
            leptos_axum::redirect(&format!("/orders/{order_number}?placed=1"));
            Ok(outcome)
        }
        CheckoutOutcome::Failed { reason, .. } => Err(refuse(*reason)),
    }
}

//! Cart server functions, for anonymous visitors and signed-in customers alike: the
//! session says whose cart it is. The rules live in `domain::commerce::cart`.

use leptos::prelude::*;
use types::cart::CartView;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{cart_owner, refuse, services};

#[cfg(feature = "ssr")]
fn product_id(raw: &str) -> Result<types::ids::ProductId, AppError> {
    raw.parse().map_err(|_| refuse(types::ErrorCode::NotFound))
}

#[server(endpoint = "cart")]
pub async fn cart() -> Result<CartView, AppError> {
    Ok(domain::commerce::cart::view(&services()?.pool, cart_owner().await?).await?)
}

/// Items in the cart, for the header.
#[server(endpoint = "cart/count")]
pub async fn cart_count() -> Result<u32, AppError> {
    Ok(domain::commerce::cart::count(&services()?.pool, cart_owner().await?).await?)
}

/// Puts `quantity` (default 1) of the product with slug `product` in the cart and
/// answers how many the cart now holds. Without JavaScript the browser goes back to
/// the page it came from, whose header shows the new count.
#[server(endpoint = "cart/add")]
pub async fn add_to_cart(product: String, #[server(default)] quantity: Option<String>) -> Result<i32, AppError> {
    use domain::commerce::cart::{self, CartOwner};
    let pool = services()?.pool;
    let owner = cart_owner().await?;
    let product = cart::product_by_slug(&pool, &product).await?;
    let quantity = cart::parse_quantity(quantity.as_deref())?;
    let (id, held) = cart::add(&pool, owner, product, quantity).await?;
    record_add_to_cart(product, quantity).await;
    if owner == CartOwner::Anonymous(None) {
        crate::ssr::tower_session()?
            .insert(crate::ssr::SESSION_CART_ID, id)
            .await
            .map_err(|_| refuse(types::ErrorCode::Internal))?;
    }
    Ok(held)
}

/// Counts an add to the cart in the analytics, when the visitor may be counted. A
/// failure here is logged, never the shopper's problem.
#[cfg(feature = "ssr")]
async fn record_add_to_cart(product: types::ids::ProductId, quantity: i32) {
    use domain::analytics::{Event, product_ref};
    let (Some(visitor), Ok(services)) = (crate::ssr::countable_visitor(), services()) else { return };
    match product_ref(&services.pool, product.0).await {
        Ok(found) => services.analytics.record(Event {
            visitor,
            user: crate::ssr::session_user().map(|u| u.id.0),
            product: found,
            quantity,
            ..Event::new(types::analytics::EventKind::AddToCart, chrono::Utc::now())
        }),
        Err(e) => tracing::warn!(error = %e, "counting an add to the cart failed"),
    }
}

/// Sets a line's quantity (0 removes it); answers the quantity now held, which is
/// less than asked when stock ran short.
#[server(endpoint = "cart/update")]
pub async fn update_cart(product: String, #[server(default)] quantity: Option<String>) -> Result<i32, AppError> {
    let quantity = domain::commerce::cart::parse_quantity(quantity.as_deref())?;
    let pool = services()?.pool;
    Ok(domain::commerce::cart::set_quantity(&pool, cart_owner().await?, product_id(&product)?, quantity).await?)
}

#[server(endpoint = "cart/remove")]
pub async fn remove_from_cart(product: String) -> Result<(), AppError> {
    let pool = services()?.pool;
    Ok(domain::commerce::cart::remove(&pool, cart_owner().await?, product_id(&product)?).await?)
}

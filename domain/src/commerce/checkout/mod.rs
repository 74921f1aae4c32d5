//! Checkout: the customer's cart becomes an order group and a payment, as a saga
//! whose every step is recorded (`checkouts.state`, `checkout_steps`):
//!
//! 1. **reserve** ([`start`]): one database transaction locks the products, reserves
//!    the stock with a conditional update, and creates the order group with a
//!    sub-order per creator, `pending_payment`. Either all of it or none.
//! 2. **authorize**, 3. **capture** ([`saga`]): provider calls, each with an
//!    idempotency key derived from the checkout, each recorded before it is made.
//! 4. **confirm**: one transaction commits the stock, marks the orders paid, books
//!    the ledger and publishes the events.
//!
//! Any failure compensates: the payment is voided, the reservation released, the
//! orders cancelled. A worker that dies mid-way leaves its lease to run out; the
//! [`recovery`] worker of any instance then resumes or compensates from the recorded
//! state. Unpaid reservations expire after [`saga::RESERVATION_MINUTES`].

pub mod recovery;
pub mod saga;
pub mod start;
pub mod webhooks;

use std::time::Duration;

use sqlx::PgPool;
use types::{
    ErrorCode,
    checkout::{CardForm, CheckoutOutcome, CheckoutPage, CheckoutState},
    ids::{AddressId, CheckoutId, UserId},
    orders::ShipTo,
};

use super::{addresses, cart, payments::CardDetails};
use crate::{Error, RequestMeta, Result, Services};

/// Where the order ships: a saved address, or one typed at checkout (saved to the
/// profile when the customer asks).
#[derive(Debug, Clone)]
pub enum ShipToChoice {
    Saved(AddressId),
    New { address: ShipTo, save: bool },
}

/// A checkout as the form sends it.
#[derive(Debug)]
pub struct PlaceOrder {
    /// The key the checkout page was rendered with.
    pub key: String,
    /// The total the customer reviewed; a different total now means the cart changed.
    pub reviewed_total_minor: i64,
    pub ship_to: ShipToChoice,
    pub card: CardDetails,
}

/// The checkout form's fields as they arrive, unchecked.
#[derive(Debug, Clone, Default)]
pub struct OrderForm {
    pub key: String,
    /// The reviewed total in minor units, as the page wrote it.
    pub total: String,
    /// A saved address's id, or `new` (or empty) for the address typed in `ship_to`.
    pub address: String,
    pub ship_to: ShipTo,
    pub save_address: bool,
    pub card: CardForm,
}

impl PlaceOrder {
    /// Reads the form: card and typed-address problems are reported together, each
    /// on its field; a tampered total or address id is a bad request / not found.
    pub fn from_form(form: OrderForm, today: chrono::NaiveDate) -> Result<PlaceOrder> {
        let reviewed_total_minor = form.total.trim().parse().map_err(|_| Error::BadRequest(ErrorCode::BadRequest))?;
        let ship_to = match form.address.trim() {
            "" | "new" => ShipToChoice::New { address: form.ship_to, save: form.save_address },
            id => ShipToChoice::Saved(id.parse().map_err(|_| Error::NotFound)?),
        };
        let card = CardDetails::parse(&form.card.card_number, &form.card.card_expiry, &form.card.card_cvc, today);
        let mut fields = card.as_ref().err().cloned().unwrap_or_default();
        if let ShipToChoice::New { address, .. } = &ship_to
            && let Err(Error::Validation(errors)) = addresses::validate(address)
        {
            fields.extend(errors);
        }
        match card {
            Ok(card) if fields.is_empty() => Ok(PlaceOrder { key: form.key, reviewed_total_minor, ship_to, card }),
            _ => Err(Error::Validation(fields)),
        }
    }
}

/// What the checkout page needs: the cart, saved addresses and this cart's key.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn page(pool: &PgPool, user: UserId) -> Result<CheckoutPage> {
    let cart = cart::view(pool, cart::CartOwner::User(user)).await?;
    let addresses = addresses::list(pool, user).await?;
    let key = cart::checkout_key(pool, user).await?.map(|k| k.to_string()).unwrap_or_default();
    Ok(CheckoutPage { cart, addresses, key })
}

/// Places the order: runs the saga as far as it goes now and answers how it ended
/// (or that the card network will confirm later). The same key again answers the
/// first checkout's outcome instead of starting another.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn place(
    services: &Services,
    user: UserId,
    order: PlaceOrder,
    meta: &RequestMeta,
) -> Result<CheckoutOutcome> {
    let key: uuid::Uuid = order.key.trim().parse().map_err(|_| Error::BadRequest(ErrorCode::CartChanged))?;
    if let Some(existing) = start::find(&services.pool, user, key).await? {
        return wait_for_outcome(&services.pool, existing).await;
    }
    let ship_to = match order.ship_to {
        ShipToChoice::Saved(id) => {
            addresses::get(&services.pool, user, id).await.map_err(|_| Error::field("address", ErrorCode::Required))?
        }
        ShipToChoice::New { address, save } => {
            let address = addresses::validate(&address)?;
            if save {
                addresses::save(&services.pool, user, &address).await?;
            }
            address
        }
    };
    let card = start::CardOnFile { brand: order.card.brand(), last4: order.card.last4().to_owned() };
    match start::begin(services, user, key, &ship_to, order.reviewed_total_minor, &card, meta).await? {
        start::Begun::New(id) => {
            saga::run(services, id, Some(&order.card)).await?;
            outcome(&services.pool, id).await
        }
        start::Begun::Existing(id) => wait_for_outcome(&services.pool, id).await,
    }
}

/// How a checkout stands, as the customer is told.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn outcome(pool: &PgPool, id: CheckoutId) -> Result<CheckoutOutcome> {
    let c = saga::load(pool, id).await?;
    Ok(match (c.state, c.failure) {
        (CheckoutState::Completed, _) => CheckoutOutcome::Completed { checkout: id, order_number: c.order_number },
        // Decided, though voiding or releasing may still be under way.
        (CheckoutState::Failed | CheckoutState::Compensating, reason) => {
            CheckoutOutcome::Failed { checkout: id, reason: reason.unwrap_or(ErrorCode::Internal) }
        }
        _ => CheckoutOutcome::Pending { checkout: id, order_number: c.order_number },
    })
}

/// The outcome of a checkout another request is running (a double click, a second
/// tab): waits briefly for it to settle.
async fn wait_for_outcome(pool: &PgPool, id: CheckoutId) -> Result<CheckoutOutcome> {
    for _ in 0..100 {
        let state = saga::load(pool, id).await?.state;
        if state.is_final() || matches!(state, CheckoutState::Compensating | CheckoutState::AwaitingConfirmation) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    outcome(pool, id).await
}

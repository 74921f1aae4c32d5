//! What the analytics count: the kinds of events and of storefront pages.

use serde::{Deserialize, Serialize};

/// Something that happened in the store, as the analytics count it.
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
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EventKind {
    /// A storefront page other than a product's was served (rendered, from the page
    /// cache, or confirmed unchanged to a browser that had it).
    PageView,
    /// A product's page was served: its page view, with its product, maker and category.
    ProductView,
    Search,
    AddToCart,
    CheckoutStarted,
    /// One line of an order was paid (one event per line, so products and makers add up).
    OrderPaid,
    OrderRefunded,
    Signup,
    CreatorApplication,
    ReviewDecided,
}

/// Which kind of storefront page a page view was.
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
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum PageKind {
    Home,
    /// A category's listing (`/c/…`).
    Listing,
    Search,
    Product,
    /// A maker's public page (`/creators/…`).
    Maker,
    Cart,
    Checkout,
    /// Signing in or up, the account and its orders.
    Account,
    Other,
}

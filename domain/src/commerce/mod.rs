//! Commerce: carts, saved addresses, checkout, orders and payments.

pub mod addresses;
pub mod cart;
pub mod checkout;
pub mod orders;
pub mod payments;

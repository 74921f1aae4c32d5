//! Commerce: carts now; checkout, orders and payments next (issue 5). Owns its
//! tables and, in time, the `order.*` and `payment.*` events.

pub mod cart;

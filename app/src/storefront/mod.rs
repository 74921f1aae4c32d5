//! The storefront: home, listings and search, product pages, makers' pages.

pub mod api;
pub mod card;
pub mod creator;
pub mod home;
pub mod product;
pub mod search;
pub mod search_box;

//! The design system: layout, forms, guards and small pieces every page uses.

pub mod actions;
pub mod address;
pub mod commerce;
pub mod form;
pub mod guard;
pub mod layout;
pub mod list;
pub mod rating;
pub mod time;
pub mod upload;

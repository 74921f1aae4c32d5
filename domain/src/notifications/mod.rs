//! Notifications: mail and in-app; SMS and push join behind the same module.

pub mod account_mail;
pub mod in_app;
pub mod mail;
pub mod order_mail;
pub mod review_mail;
mod templates;

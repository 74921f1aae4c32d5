//! Notifications: mail today; in-app, SMS and push join behind the same module.

pub mod account_mail;
pub mod mail;
mod templates;

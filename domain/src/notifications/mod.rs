//! Notifications: the mail transport and its templates, in-app notices, and
//! [`notices::send`], which tells a person on the channels they chose. The handlers
//! that decide who hears what live with the module whose events they follow
//! (`users::mail`, `review::mail`, `commerce::orders::notices`, `ledger::payouts::notices`).

pub mod in_app;
pub mod mail;
pub mod notices;
pub mod templates;

//! Notifications: the mail transport and its templates, and in-app notices. The
//! handlers that decide who hears what live with the module whose events they follow
//! (`users::mail`, `review::mail`, `commerce::orders::mail`).

pub mod in_app;
pub mod mail;
pub mod templates;

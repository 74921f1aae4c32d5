//! Notifications: the mail, SMS and Web Push transports, the words of each notice (`texts`, kept as
//! versioned `notice_templates` admins edit), and in-app notices with their live
//! fan-out. `users::notices::send` tells a person on the channels they chose (it
//! reads their preferences, which the accounts own). The handlers that decide who hears
//! what live with the module whose events they follow (`users::mail`, `review::mail`,
//! `commerce::orders::notices`, `ledger::payout_notices`).

pub mod deliveries;
pub mod in_app;
pub mod live;
pub mod mail;
pub mod notice_templates;
pub mod push;
pub mod sms;
pub mod texts;

//! Server-only business rules and data access. Each module owns its tables, its
//! events and its rules; server functions and HTTP handlers call in here and stay thin.
//!
//! Belongs here: every rule and every SQL statement, as plain functions over
//! `&Services` or a connection, tested without HTTP. Does not: HTML, HTTP status codes,
//! cookies, sessions or configuration parsing (`app` and `server`), and no module
//! reaches up: `events` and `review` know no subject, and `registry` is the one place
//! that lists what each module plugs in (docs/ARCHITECTURE.md, "Which module may use
//! which").

pub mod analytics;
pub mod announcements;
pub mod audit;
pub mod catalog;
pub mod commerce;
pub mod copy;
pub mod creators;
pub mod crypto;
pub mod demo;
pub mod error;
pub mod events;
pub mod fields;
pub mod files;
pub mod flags;
pub mod four_eyes;
pub mod idempotency;
pub mod ledger;
pub mod notifications;
pub mod privacy;
pub mod ratings;
pub mod registry;
pub mod review;
pub mod search;
pub mod services;
pub mod signing;
pub mod slugs;
pub mod throttle;
pub mod trace_context;
pub mod users;
pub mod webhooks;

pub use error::{Error, Result};
pub use services::{CommerceSettings, Environment, RequestMeta, Services, Settings};

/// The schema migrations, embedded so the server and tests apply exactly these.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

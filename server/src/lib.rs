//! The OpenAero server: configuration, telemetry, middleware, non-Leptos routes and
//! the commands that set a deployment up.
//!
//! Belongs here: what turns the domain and the app into a running process (the router
//! and its layers, the page cache, compression, assets, workers, the CLI). Does not:
//! pages (`app`) or rules (`domain`); a handler here is as thin as a server function.

pub mod analytics_bench;
pub mod analytics_export;
pub mod assets;
pub mod bench;
pub mod cli;
pub mod client_address;
pub mod compression;
pub mod config;
pub mod data_export;
pub mod edge_limits;
pub mod files;
pub mod form_flash;
pub mod health;
pub mod http_cache;
pub mod mail_reports;
pub mod media;
pub mod metrics;
pub mod middleware;
pub mod notification_stream;
pub mod page_views;
pub mod payments;
pub mod run_to_end;
pub mod security_headers;
pub mod sms_reports;
pub mod startup;
pub mod telemetry;
pub mod unsubscribe;

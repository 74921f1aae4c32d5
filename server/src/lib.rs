//! The OpenAero server: configuration, telemetry, middleware, non-Leptos routes and
//! the commands that set a deployment up.

pub mod assets;
pub mod bench;
pub mod cli;
pub mod client_address;
pub mod compression;
pub mod config;
pub mod files;
pub mod form_flash;
pub mod health;
pub mod http_cache;
pub mod media;
pub mod middleware;
pub mod payments;
pub mod security_headers;
pub mod startup;
pub mod telemetry;

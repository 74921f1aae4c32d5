//! The OpenAero server: configuration, telemetry, middleware, non-Leptos routes and
//! the commands that set a deployment up.

pub mod bench;
pub mod cli;
pub mod config;
pub mod files;
pub mod health;
pub mod http_cache;
pub mod media;
pub mod middleware;
pub mod payments;
pub mod startup;
pub mod telemetry;

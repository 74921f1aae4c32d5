//! Probes for load balancers and orchestrators.

use std::sync::Arc;

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use domain::Services;
use sqlx::PgPool;

/// What `/ready` reads: the services, and whether this instance is shutting down.
#[derive(Clone)]
pub struct Readiness {
    pub services: Services,
    pub draining: Draining,
}

/// Set once shutdown begins: the instance still serves, but asks to get no more.
/// Long-lived responses (`live`'s event streams) end when it is set.
#[derive(Clone)]
pub struct Draining(Arc<tokio::sync::watch::Sender<bool>>);

impl Default for Draining {
    fn default() -> Self {
        Draining(Arc::new(tokio::sync::watch::channel(false).0))
    }
}

impl Draining {
    pub fn start(&self) {
        self.0.send_replace(true);
    }

    fn is_on(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once draining has begun.
    pub async fn begun(&self) {
        let mut on = self.0.subscribe();
        // The sender lives as long as `self`, so this cannot fail.
        let _ = on.wait_for(|on| *on).await;
    }
}

/// Alive: the process answers.
pub async fn health() -> &'static str {
    "ok"
}

/// Ready: not shutting down, the database answers and every migration this build
/// knows is applied. An instance whose search index is still loading is ready
/// (PostgreSQL answers searches meanwhile) and says so.
pub async fn ready(State(Readiness { services, draining }): State<Readiness>) -> impl IntoResponse {
    if draining.is_on() {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down".to_owned());
    }
    match pending_migrations(&services.pool).await {
        Ok(0) if services.search.enabled() && !services.search.is_ready() => {
            (StatusCode::OK, "ready; search index loading".to_owned())
        }
        Ok(0) => (StatusCode::OK, "ready".to_owned()),
        Ok(n) => (StatusCode::SERVICE_UNAVAILABLE, format!("{n} migrations not applied")),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable".to_owned())
        }
    }
}

async fn pending_migrations(pool: &PgPool) -> Result<usize, sqlx::Error> {
    let applied: Vec<i64> =
        sqlx::query_scalar("select version from _sqlx_migrations where success").fetch_all(pool).await?;
    Ok(domain::MIGRATOR.iter().filter(|m| !applied.contains(&m.version)).count())
}

//! Which server instances are running, so each knows its share of a store-wide limit.
//! Every instance writes its row every few seconds; a row not seen for
//! [`GONE_AFTER_SECS`] belongs to an instance that died, and stops counting.

use std::{sync::Arc, time::Duration};

use sqlx::PgPool;
use tokio::sync::watch;
use uuid::Uuid;

use super::rate::RateLimiter;
use crate::Result;

pub const EVERY: Duration = Duration::from_secs(5);
pub const GONE_AFTER_SECS: f64 = 15.0;

/// Marks `id` as running and answers how many instances are.
pub async fn heartbeat(pool: &PgPool, id: Uuid) -> Result<u32> {
    let mut tx = pool.begin().await?;
    sqlx::query!("insert into instances (id) values ($1) on conflict (id) do update set seen_at = now()", id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("delete from instances where seen_at < now() - interval '1 hour'").execute(&mut *tx).await?;
    let running = sqlx::query_scalar!(
        r#"select count(*) as "running!" from instances where seen_at > now() - make_interval(secs => $1)"#,
        GONE_AFTER_SECS
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(u32::try_from(running).unwrap_or(u32::MAX))
}

/// Keeps this instance's row fresh and the limiter's share current until told to
/// stop; then removes the row, so the others' shares grow at their next beat.
pub async fn run(pool: PgPool, limiter: Arc<RateLimiter>, mut stop: watch::Receiver<bool>) {
    let id = Uuid::new_v4();
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            _ = tick.tick() => match heartbeat(&pool, id).await {
                Ok(running) => {
                    limiter.set_instances(running);
                    metrics::gauge!("instances_running").set(f64::from(running));
                }
                Err(e) => tracing::warn!(error = ?e, "recording this instance failed"),
            },
            _ = stop.changed() => break,
        }
    }
    if let Err(e) = sqlx::query!("delete from instances where id = $1", id).execute(&pool).await {
        tracing::warn!(error = %e, "removing this instance's row failed");
    }
}

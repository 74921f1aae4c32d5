//! Delivers outbox events to their handlers, at least once, with retries.
//!
//! Each instance runs one dispatcher. A delivery is claimed with `FOR UPDATE SKIP
//! LOCKED` and a lease, so two instances never run the same delivery at once; a
//! delivery whose instance died is retried when its lease runs out. Failures back off
//! exponentially and, after [`MAX_ATTEMPTS`], the delivery goes to the dead-letter
//! state where admins can see and retry it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgListener;
use tokio::sync::watch;
use tracing::Instrument;
use types::{admin::DeadDelivery, ids::EventId};

use super::{StoredEvent, find};
use crate::{Result, Services};

/// The `LISTEN` channel `publish` notifies on commit.
pub const CHANNEL: &str = "outbox";
pub const MAX_ATTEMPTS: i32 = 8;
const LEASE_SECS: f64 = 60.0;
const BATCH: i64 = 16;
/// How often to look for due retries when nothing is notified.
const POLL: Duration = Duration::from_secs(2);

/// Delay before attempt `attempts + 1`: 2, 4, 8 … seconds, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 12) as u32;
    Duration::from_secs((1u64 << exp).min(3600))
}

/// Runs until `shutdown` flips to true; finishes the delivery in hand first.
pub async fn run(services: Services, mut shutdown: watch::Receiver<bool>) {
    let mut listener = match PgListener::connect_with(&services.pool).await {
        Ok(mut l) => match l.listen(CHANNEL).await {
            Ok(()) => Some(l),
            Err(e) => {
                tracing::warn!(error = %e, "outbox LISTEN failed; polling only");
                None
            }
        },
        Err(e) => {
            tracing::warn!(error = %e, "outbox listener connection failed; polling only");
            None
        }
    };
    loop {
        if *shutdown.borrow() {
            break;
        }
        match run_once(&services).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::error!(error = ?e, "outbox dispatch failed"),
        }
        let wake = async {
            match listener.as_mut() {
                Some(l) => {
                    let _ = tokio::time::timeout(POLL, l.recv()).await;
                }
                None => tokio::time::sleep(POLL).await,
            }
        };
        tokio::select! {
            () = wake => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!("outbox dispatcher stopped");
}

/// Claims and runs one batch of due deliveries; returns how many it ran. Not a span of
/// its own: each delivery continues the trace of the work that published its event.
pub async fn run_once(services: &Services) -> Result<usize> {
    let claimed = sqlx::query!(
        r#"update event_deliveries d
           set locked_until = now() + make_interval(secs => $2),
               attempts = d.attempts + 1,
               updated_at = now()
           from (select event_id, handler from event_deliveries
                 where status = 'pending' and next_attempt_at <= now()
                   and (locked_until is null or locked_until < now())
                 order by next_attempt_at
                 limit $1
                 for update skip locked) due
           where d.event_id = due.event_id and d.handler = due.handler
           returning d.event_id, d.handler, d.attempts"#,
        BATCH,
        LEASE_SECS,
    )
    .fetch_all(&services.pool)
    .await?;

    for row in &claimed {
        let event_id = EventId(row.event_id);
        let outcome = deliver(services, &row.handler, event_id).await;
        match outcome {
            Ok(()) => {
                sqlx::query!(
                    "update event_deliveries
                     set status = 'delivered', delivered_at = now(), locked_until = null,
                         last_error = null, updated_at = now()
                     where event_id = $1 and handler = $2",
                    row.event_id,
                    row.handler
                )
                .execute(&services.pool)
                .await?;
                metrics::counter!("outbox_deliveries_total", "outcome" => "delivered").increment(1);
            }
            Err(e) => {
                let dead = row.attempts >= MAX_ATTEMPTS;
                metrics::counter!("outbox_deliveries_total", "outcome" => if dead { "dead" } else { "retry" })
                    .increment(1);
                let delay = backoff(row.attempts).as_secs_f64();
                tracing::warn!(
                    event.id = %event_id, handler = %row.handler, attempts = row.attempts, dead,
                    error = format!("{e:#}"), "event delivery failed"
                );
                sqlx::query!(
                    "update event_deliveries
                     set status = case when $3 then 'dead' else 'pending' end,
                         next_attempt_at = now() + make_interval(secs => $4),
                         locked_until = null, last_error = left($5, 2000), updated_at = now()
                     where event_id = $1 and handler = $2",
                    row.event_id,
                    row.handler,
                    dead,
                    delay,
                    format!("{e:#}"),
                )
                .execute(&services.pool)
                .await?;
            }
        }
    }
    Ok(claimed.len())
}

/// What waits in the outbox, for the operator's metrics.
#[derive(Debug, Clone, Copy)]
pub struct Backlog {
    pub pending: i64,
    pub oldest_pending_secs: f64,
    pub dead: i64,
    /// The newest event's place in the log (0 when there is none).
    pub last_seq: i64,
}

pub async fn backlog(pool: &sqlx::PgPool) -> Result<Backlog> {
    let row = sqlx::query!(
        r#"select count(*) filter (where status = 'pending') as "pending!",
                  coalesce(extract(epoch from now() - min(created_at) filter (where status = 'pending')), 0)::float8
                      as "oldest_pending_secs!",
                  count(*) filter (where status = 'dead') as "dead!",
                  (select coalesce(max(seq), 0) from outbox_events) as "last_seq!"
           from event_deliveries where status <> 'delivered'"#
    )
    .fetch_one(pool)
    .await?;
    Ok(Backlog {
        pending: row.pending,
        oldest_pending_secs: row.oldest_pending_secs,
        dead: row.dead,
        last_seq: row.last_seq,
    })
}

async fn deliver(services: &Services, handler: &str, event_id: EventId) -> anyhow::Result<()> {
    let handler = services.event_handlers.get(handler).ok_or_else(|| anyhow::anyhow!("no handler named {handler}"))?;
    let mut conn = services.pool.acquire().await?;
    let event: StoredEvent =
        find(&mut conn, event_id).await?.ok_or_else(|| anyhow::anyhow!("event {event_id} vanished"))?;
    drop(conn);
    let span = tracing::info_span!(
        parent: None,
        "outbox.deliver",
        otel.name = format!("deliver {} to {}", event.event_type, handler.name()),
        event.id = %event.id,
        event_type = %event.event_type,
        handler = handler.name(),
    );
    crate::trace_context::continue_trace(&span, event.metadata.traceparent.as_deref(), None);
    handler.handle(services, &event).instrument(span).await
}

#[tracing::instrument(skip_all)]
pub async fn list_dead(services: &Services, limit: i64) -> Result<Vec<DeadDelivery>> {
    let rows = sqlx::query!(
        r#"select d.event_id, d.handler, e.event_type, e.aggregate_id, d.attempts, d.last_error,
                d.updated_at as "updated_at: DateTime<Utc>"
         from event_deliveries d join outbox_events e on e.id = d.event_id
         where d.status = 'dead'
         order by d.updated_at desc
         limit $1"#,
        limit
    )
    .fetch_all(&services.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DeadDelivery {
            event_id: EventId(r.event_id),
            handler: r.handler,
            event_type: r.event_type,
            aggregate_id: r.aggregate_id,
            attempts: r.attempts,
            last_error: r.last_error,
            updated_at: r.updated_at,
        })
        .collect())
}

/// Puts a dead delivery back in the queue with a fresh set of attempts.
#[tracing::instrument(skip_all, fields(actor = %actor, event_id = %event_id))]
pub async fn retry_dead(services: &Services, actor: types::UserId, event_id: EventId, handler: &str) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let updated = sqlx::query!(
        "update event_deliveries
         set status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = null,
             updated_at = now()
         where event_id = $1 and handler = $2 and status = 'dead'",
        event_id.0,
        handler
    )
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(crate::Error::NotFound);
    }
    crate::audit::record(
        &mut tx,
        Some(actor),
        "event_delivery.retry",
        "event",
        &event_id.to_string(),
        serde_json::json!({ "handler": handler }),
    )
    .await?;
    sqlx::query!("select pg_notify($1, '')", CHANNEL).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps_at_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(2), Duration::from_secs(4));
        assert_eq!(backoff(5), Duration::from_secs(32));
        assert_eq!(backoff(40), Duration::from_secs(3600));
    }
}

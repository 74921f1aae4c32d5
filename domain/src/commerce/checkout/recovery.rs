//! Takes over checkouts nobody is advancing: their worker died (a crash, a deploy)
//! and its lease ran out, or they waited for the card network past their
//! reservation. Runs in every instance; `for update skip locked` and the lease give
//! each checkout to one of them.

use std::time::Duration;
use types::TextEnum;

use serde_json::json;
use tokio::sync::watch;
use tracing::Instrument;
use types::{ErrorCode, checkout::CheckoutState, ids::CheckoutId};

use super::saga::{self, LEASE_SECS};
use crate::{Result, Services};

/// How often each instance looks for abandoned checkouts.
pub const EVERY: Duration = Duration::from_secs(5);

/// Resumes or compensates every checkout whose lease ran out (and every unconfirmed
/// one whose reservation expired). Returns how many it took over. Each one taken over
/// is a trace of its own; a sweep that finds nothing makes none.
pub async fn recover(services: &Services) -> Result<usize> {
    let claimed = sqlx::query!(
        "update checkouts set lease_until = now() + make_interval(secs => $1)
         where id in (select id from checkouts
                      where state not in ('completed', 'failed') and lease_until < now()
                        and (state <> 'awaiting_confirmation' or expires_at < now())
                      order by lease_until limit 50
                      for update skip locked)
         returning id, state",
        LEASE_SECS
    )
    .fetch_all(&services.pool)
    .await?;
    for row in &claimed {
        let id = CheckoutId(row.id);
        let span = tracing::info_span!(parent: None, "recover_checkout", checkout = %id, from = %row.state);
        recover_one(services, id, &row.state).instrument(span).await?;
    }
    Ok(claimed.len())
}

async fn recover_one(services: &Services, id: CheckoutId, state: &str) -> Result<()> {
    if state == CheckoutState::AwaitingConfirmation.as_str() {
        let mut conn = services.pool.acquire().await?;
        saga::transition(
            &mut conn,
            id,
            CheckoutState::AwaitingConfirmation,
            CheckoutState::Compensating,
            Some(ErrorCode::CheckoutExpired),
            json!({ "expired": true }),
        )
        .await?;
    }
    if let Err(e) = saga::run(services, id, None).await {
        tracing::warn!(checkout = %id, error = ?e, "resuming a checkout failed; will retry");
    } else {
        metrics::counter!("checkout_outcomes_total", "outcome" => "recovered").increment(1);
        tracing::info!(checkout = %id, from = state, "took over an abandoned checkout");
    }
    Ok(())
}

/// Recovers at start-up and then every [`EVERY`] until told to stop.
pub async fn run(services: Services, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(e) = recover(&services).await {
                    tracing::warn!(error = ?e, "checkout recovery failed");
                }
            }
            _ = stop.changed() => break,
        }
    }
}

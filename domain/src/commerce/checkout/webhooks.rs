//! Payment webhooks: verified (signature and replay window), recorded once by the
//! provider's notification id, and applied to the checkout waiting for them. A
//! replay finds its id already recorded and changes nothing.

use std::{sync::Arc, time::Duration};
use types::TextEnum;

use chrono::Utc;
use serde_json::json;
use tokio::sync::watch;
use types::{ErrorCode, checkout::CheckoutState, ids::CheckoutId};

use super::saga;
use crate::{
    Error, Result, Services,
    commerce::payments::{WebhookError, WebhookOutcome, sandbox::Sandbox},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// Applied to its checkout.
    Applied,
    /// Seen before (a replay or a retry): nothing changed.
    Duplicate,
    /// Genuine, but nothing waits for it any more (the checkout expired meanwhile).
    Ignored,
}

/// Handles one webhook body as it arrived, with its signature header.
#[tracing::instrument(skip_all)]
pub async fn receive(services: &Services, signature: &str, body: &[u8]) -> Result<Receipt> {
    let provider = &services.payments;
    let hook = provider.verify_webhook(signature, body, Utc::now()).map_err(|e| {
        tracing::warn!(error = ?e, "refused a payment webhook");
        Error::BadRequest(match e {
            WebhookError::OutsideWindow => ErrorCode::TokenExpired,
            WebhookError::Malformed | WebhookError::BadSignature => ErrorCode::TokenInvalid,
        })
    })?;
    let mut tx = services.pool.begin().await?;
    let first = sqlx::query_scalar!(
        "insert into payment_webhooks (provider, event_id, event_type) values ($1, $2, $3)
         on conflict do nothing returning event_id",
        provider.name(),
        hook.id,
        hook.outcome.as_str()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if first.is_none() {
        return Ok(Receipt::Duplicate);
    }
    let waiting = sqlx::query_scalar!(
        "select c.id from payments p join checkouts c on c.id = p.checkout_id
         where p.provider = $1 and p.reference = $2 and c.state = 'awaiting_confirmation'
         for update of c",
        provider.name(),
        hook.reference
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(CheckoutId);
    let Some(id) = waiting else {
        tx.commit().await?;
        return Ok(Receipt::Ignored);
    };
    let detail = json!({ "webhook": hook.id });
    match hook.outcome {
        WebhookOutcome::Authorized => {
            sqlx::query!("update payments set status = 'authorized', updated_at = now() where checkout_id = $1", id.0)
                .execute(&mut *tx)
                .await?;
            saga::transition(&mut tx, id, CheckoutState::AwaitingConfirmation, CheckoutState::Authorized, None, detail)
                .await?;
        }
        WebhookOutcome::Declined => {
            saga::transition(
                &mut tx,
                id,
                CheckoutState::AwaitingConfirmation,
                CheckoutState::Compensating,
                Some(ErrorCode::CardDeclined),
                detail,
            )
            .await?;
        }
    }
    tx.commit().await?;
    saga::run(services, id, None).await?;
    Ok(Receipt::Applied)
}

/// The sandbox network's side: sends its due webhooks to [`receive`] (the same entry
/// the HTTP endpoint uses) and retries any that fail.
pub async fn run_sandbox(services: Services, sandbox: Arc<Sandbox>, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let due = match sandbox.take_due_webhooks(Utc::now()).await {
                    Ok(due) => due,
                    Err(e) => {
                        tracing::warn!(error = %e, "sandbox webhooks unavailable");
                        continue;
                    }
                };
                for hook in due {
                    match receive(&services, &hook.signature, &hook.body).await {
                        Ok(_) => {
                            let _ = sandbox.delivered(&hook.reference).await;
                        }
                        Err(e) => tracing::warn!(error = ?e, "sandbox webhook not accepted; will retry"),
                    }
                }
            }
            _ = stop.changed() => break,
        }
    }
}

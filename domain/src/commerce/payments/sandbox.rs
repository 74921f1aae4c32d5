//! The built-in sandbox provider: behaves like a card network for development, demos
//! and tests. The documented test cards (`types::checkout::TEST_CARDS`) succeed,
//! decline, fail as if the network were down, or confirm (or decline) later through a
//! signed webhook. Its records live in its own tables, standing in for the network's
//! side: they survive our restarts as a real provider's would, and the application
//! reads them only through [`PaymentProvider`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use types::TextEnum;
use types::checkout::{TestCardBehaviour, test_card_behaviour};

use super::{
    Authorization, AuthorizeRequest, PaymentProvider, ProviderError, Webhook, WebhookError, WebhookOutcome, signature,
};

/// How long a "confirms later" card keeps the network thinking.
pub const CONFIRM_AFTER_SECS: i32 = 2;

pub struct Sandbox {
    pool: PgPool,
    secret: Vec<u8>,
}

/// A webhook the sandbox sends, signed and ready for the receiving endpoint.
#[derive(Debug, Clone)]
pub struct SignedWebhook {
    pub reference: String,
    pub signature: String,
    pub body: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct WebhookBody {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    reference: String,
}

fn unavailable(e: sqlx::Error) -> ProviderError {
    tracing::warn!(error = %e, "sandbox provider storage failed");
    ProviderError::Unavailable
}

fn authorization(status: &str, reference: String) -> Authorization {
    match status {
        "pending" => Authorization::Pending { reference },
        "declined" => Authorization::Declined,
        _ => Authorization::Approved { reference },
    }
}

impl Sandbox {
    pub fn new(pool: PgPool, webhook_secret: &[u8]) -> Sandbox {
        Sandbox { pool, secret: webhook_secret.to_vec() }
    }

    /// Signs a webhook body as this sandbox does (tests forge and replay with it).
    pub fn sign(&self, at: DateTime<Utc>, body: &[u8]) -> String {
        signature::sign(&self.secret, at, body)
    }

    /// The webhooks now due, each claimed for 30 s so that two instances do not send
    /// the same one at once; the network retries any not acknowledged with
    /// [`Sandbox::delivered`]. The notification's id is stable across retries.
    pub async fn take_due_webhooks(&self, now: DateTime<Utc>) -> Result<Vec<SignedWebhook>, ProviderError> {
        let rows = sqlx::query!(
            r#"update sandbox_payments set webhook_at = now() + interval '30 seconds',
                      status = case when status = 'pending' then webhook_outcome else status end
               where reference in (select reference from sandbox_payments
                                   where webhook_at <= now() order by webhook_at limit 20
                                   for update skip locked)
               returning reference, webhook_outcome as "outcome!""#
        )
        .fetch_all(&self.pool)
        .await
        .map_err(unavailable)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let kind =
                    if r.outcome == "authorized" { WebhookOutcome::Authorized } else { WebhookOutcome::Declined };
                let body = WebhookBody {
                    id: format!("evt_{}", r.reference),
                    kind: kind.as_str().to_owned(),
                    reference: r.reference.clone(),
                };
                let body = serde_json::to_vec(&body).unwrap_or_default();
                SignedWebhook { signature: self.sign(now, &body), reference: r.reference, body }
            })
            .collect())
    }

    /// The receiver acknowledged the webhook: it is not sent again.
    pub async fn delivered(&self, reference: &str) -> Result<(), ProviderError> {
        sqlx::query!("update sandbox_payments set webhook_at = null where reference = $1", reference)
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    /// Runs one money-moving operation once per idempotency key: a repeat returns the
    /// first answer. `apply` checks and changes the payment inside the transaction.
    async fn operation(
        &self,
        key: &str,
        reference: &str,
        operation: &str,
        amount: i64,
        apply: impl AsyncFnOnce(&mut sqlx::PgConnection) -> Result<String, ProviderError>,
    ) -> Result<String, ProviderError> {
        let mut tx = self.pool.begin().await.map_err(unavailable)?;
        let known = sqlx::query_scalar!("select result from sandbox_operations where idempotency_key = $1", key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(unavailable)?;
        if let Some(result) = known {
            return finish(result);
        }
        let found = sqlx::query_scalar!("select 1 from sandbox_payments where reference = $1 for update", reference)
            .fetch_optional(&mut *tx)
            .await
            .map_err(unavailable)?;
        if found.is_none() {
            return Err(ProviderError::Refused("no_such_payment".into()));
        }
        let result = match apply(&mut tx).await {
            Ok(ok) => ok,
            Err(ProviderError::Refused(why)) => format!("refused:{why}"),
            Err(e) => return Err(e),
        };
        sqlx::query!(
            "insert into sandbox_operations (idempotency_key, reference, operation, amount_minor, result)
             values ($1, $2, $3, $4, $5)",
            key,
            reference,
            operation,
            amount,
            result
        )
        .execute(&mut *tx)
        .await
        .map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        finish(result)
    }
}

fn finish(result: String) -> Result<String, ProviderError> {
    match result.strip_prefix("refused:") {
        Some(why) => Err(ProviderError::Refused(why.to_owned())),
        None => Ok(result),
    }
}

#[async_trait::async_trait]
impl PaymentProvider for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn authorize(&self, request: AuthorizeRequest<'_>) -> Result<Authorization, ProviderError> {
        if let Some(known) = self.find_authorization(request.idempotency_key).await? {
            return Ok(known);
        }
        let behaviour = test_card_behaviour(request.card.digits()).unwrap_or(TestCardBehaviour::Succeeds);
        let (status, later) = match behaviour {
            TestCardBehaviour::NetworkDown => return Err(ProviderError::Unavailable),
            TestCardBehaviour::Succeeds => ("authorized", None),
            TestCardBehaviour::Declined => ("declined", None),
            TestCardBehaviour::ConfirmsLater => ("pending", Some("authorized")),
            TestCardBehaviour::DeclinedLater => ("pending", Some("declined")),
        };
        let reference = format!("sbx_{}", uuid::Uuid::new_v4().simple());
        // Two identical requests at once: one row, and both read it back.
        sqlx::query!(
            "insert into sandbox_payments
                 (reference, idempotency_key, amount_minor, currency, card_last4, status, webhook_at, webhook_outcome)
             values ($1, $2, $3, $4, $5, $6,
                     case when $7::text is null then null else now() + make_interval(secs => $8) end, $7)
             on conflict (idempotency_key) do nothing",
            reference,
            request.idempotency_key,
            request.amount_minor,
            request.currency,
            request.card.last4(),
            status,
            later,
            f64::from(CONFIRM_AFTER_SECS),
        )
        .execute(&self.pool)
        .await
        .map_err(unavailable)?;
        self.find_authorization(request.idempotency_key).await?.ok_or(ProviderError::Unavailable)
    }

    async fn find_authorization(&self, idempotency_key: &str) -> Result<Option<Authorization>, ProviderError> {
        let row =
            sqlx::query!("select reference, status from sandbox_payments where idempotency_key = $1", idempotency_key)
                .fetch_optional(&self.pool)
                .await
                .map_err(unavailable)?;
        Ok(row.map(|r| authorization(&r.status, r.reference)))
    }

    async fn capture(&self, reference: &str, amount_minor: i64, idempotency_key: &str) -> Result<(), ProviderError> {
        self.operation(idempotency_key, reference, "capture", amount_minor, async |conn| {
            let done = sqlx::query!(
                "update sandbox_payments set status = 'captured', captured_minor = $2
                 where reference = $1 and status = 'authorized' and amount_minor >= $2",
                reference,
                amount_minor
            )
            .execute(conn)
            .await
            .map_err(unavailable)?;
            if done.rows_affected() == 1 {
                Ok("captured".into())
            } else {
                Err(ProviderError::Refused("not_capturable".into()))
            }
        })
        .await
        .map(drop)
    }

    async fn void(&self, reference: &str, idempotency_key: &str) -> Result<(), ProviderError> {
        self.operation(idempotency_key, reference, "void", 0, async |conn| {
            let status = sqlx::query_scalar!(
                "update sandbox_payments set status = case when status in ('authorized', 'pending') then 'voided'
                                                          else status end,
                        webhook_at = null
                 where reference = $1 returning status",
                reference
            )
            .fetch_one(conn)
            .await
            .map_err(unavailable)?;
            if status == "captured" {
                Err(ProviderError::Refused("already_captured".into()))
            } else {
                Ok("voided".into())
            }
        })
        .await
        .map(drop)
    }

    async fn refund(&self, reference: &str, amount_minor: i64, idempotency_key: &str) -> Result<String, ProviderError> {
        self.operation(idempotency_key, reference, "refund", amount_minor, async |conn| {
            let done = sqlx::query!(
                "update sandbox_payments set refunded_minor = refunded_minor + $2::int8
                 where reference = $1 and status = 'captured' and $2::int8 > 0 and refunded_minor + $2::int8 <= captured_minor",
                reference,
                amount_minor
            )
            .execute(conn)
            .await
            .map_err(unavailable)?;
            if done.rows_affected() == 1 {
                Ok(format!("sbr_{}", uuid::Uuid::new_v4().simple()))
            } else {
                Err(ProviderError::Refused("exceeds_captured".into()))
            }
        })
        .await
    }

    fn verify_webhook(&self, signature: &str, body: &[u8], now: DateTime<Utc>) -> Result<Webhook, WebhookError> {
        signature::verify(&self.secret, signature, body, now)?;
        let body: WebhookBody = serde_json::from_slice(body).map_err(|_| WebhookError::Malformed)?;
        let outcome = match body.kind.as_str() {
            "payment.authorized" => WebhookOutcome::Authorized,
            "payment.declined" => WebhookOutcome::Declined,
            _ => return Err(WebhookError::Malformed),
        };
        Ok(Webhook { id: body.id, reference: body.reference, outcome })
    }
}

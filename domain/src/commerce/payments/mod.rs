//! Payments through a provider: the interface every provider implements (shaped after
//! card processors' REST APIs: idempotency keys on every call, signed webhooks), the
//! card details a customer types, and the built-in [`sandbox`].

pub mod card;
pub mod sandbox;
pub mod signature;

use chrono::{DateTime, Utc};

pub use card::CardDetails;

/// What an authorization came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorization {
    /// The money is held; capture takes it.
    Approved {
        reference: String,
    },
    /// The network decides later and says so by webhook.
    Pending {
        reference: String,
    },
    Declined,
}

/// A call that did not get an answer on its merits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// Not reached, or no answer: the call may be repeated with the same key.
    #[error("the payment provider could not be reached")]
    Unavailable,
    /// Reached and refused (capturing what was voided, refunding more than was taken).
    #[error("the payment provider refused: {0}")]
    Refused(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookError {
    Malformed,
    BadSignature,
    /// Signed too long ago (or in the future): possibly a replay.
    OutsideWindow,
}

/// A verified notification from the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// The provider's id for this notification: the same id twice is one notification.
    pub id: String,
    pub reference: String,
    pub outcome: WebhookOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum WebhookOutcome {
    #[strum(serialize = "payment.authorized")]
    Authorized,
    #[strum(serialize = "payment.declined")]
    Declined,
}

/// One authorization request. `idempotency_key` makes a repeated call return the
/// first call's answer instead of holding the money twice.
#[derive(Debug)]
pub struct AuthorizeRequest<'a> {
    pub amount_minor: i64,
    pub currency: &'a str,
    pub card: &'a CardDetails,
    pub idempotency_key: &'a str,
}

/// A payment provider. Every call that moves money takes an idempotency key, so a
/// retry after a timeout or a crash has one effect.
#[async_trait::async_trait]
pub trait PaymentProvider: Send + Sync + 'static {
    /// The name payments and webhooks are filed under (`sandbox`).
    fn name(&self) -> &'static str;

    async fn authorize(&self, request: AuthorizeRequest<'_>) -> Result<Authorization, ProviderError>;

    /// What an earlier `authorize` with this key came to, if it reached the provider:
    /// how a restarted checkout learns whether money is held.
    async fn find_authorization(&self, idempotency_key: &str) -> Result<Option<Authorization>, ProviderError>;

    async fn capture(&self, reference: &str, amount_minor: i64, idempotency_key: &str) -> Result<(), ProviderError>;

    /// Releases held money; voiding what was never authorized or already voided is fine.
    async fn void(&self, reference: &str, idempotency_key: &str) -> Result<(), ProviderError>;

    /// Gives back part or all of what was captured; answers the refund's reference.
    async fn refund(&self, reference: &str, amount_minor: i64, idempotency_key: &str) -> Result<String, ProviderError>;

    /// Checks a webhook's signature (and that it is recent) and reads it.
    fn verify_webhook(&self, signature: &str, body: &[u8], now: DateTime<Utc>) -> Result<Webhook, WebhookError>;
}

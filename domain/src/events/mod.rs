//! Domain events and the transactional outbox.
//!
//! A use-case calls [`publish`] inside its own transaction: the event row and one
//! delivery row per subscribed handler commit together with the change, or not at
//! all. The [`dispatcher`] then delivers them at least once, in any number of server
//! instances. Consumers that must see every event in every instance (an in-process
//! search index, later) follow `outbox_events.seq` with their own cursor instead.

pub mod dispatcher;
pub mod handlers;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgConnection;
use types::TextEnum;
use types::ids::EventId;

pub use handlers::{Handler, Handlers};

use crate::{RequestMeta, Result};

/// The kinds of event the platform emits; the string form is the wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum EventType {
    #[strum(serialize = "user.registered")]
    UserRegistered,
    #[strum(serialize = "user.verified")]
    UserVerified,
    #[strum(serialize = "user.profile.updated")]
    UserProfileUpdated,
    /// Someone tried to register an email that already has an account: the owner is
    /// told by mail, the visitor sees the usual answer (no account enumeration).
    #[strum(serialize = "user.registration.duplicate")]
    UserRegistrationDuplicate,
    #[strum(serialize = "user.password_reset.requested")]
    UserPasswordResetRequested,
    #[strum(serialize = "user.verification.requested")]
    UserVerificationRequested,
    #[strum(serialize = "user.password.changed")]
    UserPasswordChanged,
    /// A sign-in from a browser the person had not used, when they had used others.
    #[strum(serialize = "user.signed_in.new_device")]
    UserSignedInNewDevice,
    #[strum(serialize = "user.roles.changed")]
    UserRolesChanged,
    /// A person closed their account: what named them is erased.
    #[strum(serialize = "user.closed")]
    UserClosed,
    /// A creator made a new (draft) product.
    #[strum(serialize = "product.created")]
    ProductCreated,
    /// A published product changed (price, stock, approved content, archived);
    /// storefront caches and search indexes follow it.
    #[strum(serialize = "product.updated")]
    ProductUpdated,
    /// A product passed review and is in the storefront.
    #[strum(serialize = "product.published")]
    ProductPublished,
    /// A product was granted a certificate (level, body, expiry in `data`).
    #[strum(serialize = "product.certified")]
    ProductCertified,
    /// A user applied to sell for the first time.
    #[strum(serialize = "creator.registered")]
    CreatorRegistered,
    /// A creator's application was approved: they may sell.
    #[strum(serialize = "creator.verified")]
    CreatorVerified,
    /// Something of a creator's went into the review queue.
    #[strum(serialize = "creator.submission.created")]
    CreatorSubmissionCreated,
    #[strum(serialize = "creator.submission.approved")]
    CreatorSubmissionApproved,
    /// Rejected, or sent back with changes requested (`data.decision` says which).
    #[strum(serialize = "creator.submission.rejected")]
    CreatorSubmissionRejected,
    /// A creator took an approved portfolio item off their public page.
    #[strum(serialize = "creator.portfolio.changed")]
    CreatorPortfolioChanged,
    /// A checkout made an order group (its sub-orders await payment).
    #[strum(serialize = "order.created")]
    OrderCreated,
    /// The payment was captured: every sub-order of the group is paid.
    #[strum(serialize = "order.paid")]
    OrderPaid,
    #[strum(serialize = "order.shipped")]
    OrderShipped,
    #[strum(serialize = "order.delivered")]
    OrderDelivered,
    /// Sub-orders were cancelled (payment failed or expired, or the customer cancelled).
    #[strum(serialize = "order.cancelled")]
    OrderCancelled,
    /// A payment was captured.
    #[strum(serialize = "payment.processed")]
    PaymentProcessed,
    /// A payment was declined, could not be made, or was voided.
    #[strum(serialize = "payment.failed")]
    PaymentFailed,
    #[strum(serialize = "payment.refunded")]
    PaymentRefunded,
    /// A payout moved: requested, approved, rejected or paid (`data.status`).
    #[strum(serialize = "payout.processed")]
    PayoutProcessed,
    /// A customer rated a product or a maker; the rating waits for moderation.
    #[strum(serialize = "rating.submitted")]
    RatingSubmitted,
    /// An approved rating changed a product's average (storefront caches follow).
    #[strum(serialize = "product.rated")]
    ProductRated,
    /// An approved rating changed a maker's average.
    #[strum(serialize = "creator.rated")]
    CreatorRated,
    /// Products were written in bulk (an import, a search rebuild): every instance
    /// reloads its search index.
    #[strum(serialize = "catalog.reindexed")]
    CatalogReindexed,
    /// An admin created, changed or retired a feature flag: every instance reloads
    /// its copy of the flags.
    #[strum(serialize = "flag.changed")]
    FeatureFlagChanged,
    /// An analytics alert rule crossed its threshold or recovered (`data.crossed`).
    #[strum(serialize = "analytics.alert.changed")]
    AnalyticsAlertChanged,
    /// A week ended: its analytics summary goes to those who asked (`data.from`, `data.to`).
    #[strum(serialize = "analytics.summary.due")]
    AnalyticsSummaryDue,
    /// A notice was queued on a channel other than the app (a mail): its sender
    /// takes it from here.
    #[strum(serialize = "notice.delivery.queued")]
    NoticeDeliveryQueued,
}

/// Who and what caused an event, for tracing a chain of effects back to a request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventMetadata {
    pub correlation_id: Option<String>,
    pub causation_id: Option<EventId>,
    pub user_id: Option<types::UserId>,
    pub source: String,
    /// The W3C trace context of the work that published the event, so its handling
    /// joins that trace; filled in by [`publish`] from the current span.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceparent: Option<String>,
}

impl EventMetadata {
    pub fn from_request(meta: &RequestMeta) -> Self {
        Self {
            correlation_id: meta.request_id.clone(),
            causation_id: None,
            user_id: meta.user_id,
            source: "openaero".into(),
            traceparent: None,
        }
    }
}

/// An event about to be written.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event_type: EventType,
    pub aggregate_type: &'static str,
    pub aggregate_id: String,
    pub aggregate_version: i64,
    pub data: Value,
}

/// An event as stored, as handlers receive it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub id: EventId,
    pub seq: i64,
    pub event_type: String,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub aggregate_version: i64,
    pub data: Value,
    pub metadata: EventMetadata,
    pub occurred_at: DateTime<Utc>,
}

/// Writes the event and its deliveries in the caller's transaction and wakes the
/// dispatchers when that transaction commits.
pub async fn publish(conn: &mut PgConnection, event: NewEvent, metadata: &EventMetadata) -> Result<EventId> {
    let id = EventId::new();
    let traceparent = metadata.traceparent.clone().or_else(crate::trace_context::current);
    let metadata = EventMetadata { traceparent, ..metadata.clone() };
    // One round trip: the event, its deliveries and the wake-up call.
    sqlx::query!(
        "with event as (
             insert into outbox_events (id, event_type, aggregate_type, aggregate_id, aggregate_version, data, metadata)
             values ($1, $2, $3, $4, $5, $6, $7)
         ), deliveries as (
             insert into event_deliveries (event_id, handler)
             select $1, handler from event_subscriptions where event_type = $2
         )
         select pg_notify($8, '')",
        id.0,
        event.event_type.as_str(),
        event.aggregate_type,
        event.aggregate_id,
        event.aggregate_version,
        event.data,
        serde_json::to_value(&metadata).map_err(anyhow::Error::from)?,
        dispatcher::CHANNEL,
    )
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Reads one stored event.
pub async fn find(conn: &mut PgConnection, id: EventId) -> Result<Option<StoredEvent>> {
    let row = sqlx::query!(
        r#"select id, seq, event_type, aggregate_type, aggregate_id, aggregate_version, data,
                metadata, occurred_at as "occurred_at: DateTime<Utc>"
         from outbox_events where id = $1"#,
        id.0
    )
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(StoredEvent {
            id: EventId(r.id),
            seq: r.seq,
            event_type: r.event_type,
            aggregate_type: r.aggregate_type,
            aggregate_id: r.aggregate_id,
            aggregate_version: r.aggregate_version,
            data: r.data,
            metadata: serde_json::from_value(r.metadata).map_err(anyhow::Error::from)?,
            occurred_at: r.occurred_at,
        })
    })
    .transpose()
}

//! Outgoing webhooks: the events an endpoint may subscribe to, and how an owner sees
//! their endpoints and each delivery.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    Permission,
    ids::{WebhookDeliveryId, WebhookEndpointId},
};

/// What an endpoint hears. Each names an object the receiver may read through the API.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
pub enum WebhookEvent {
    /// An order was paid: to its customer, its makers, and order admins.
    #[strum(serialize = "order.paid")]
    #[serde(rename = "order.paid")]
    OrderPaid,
    /// A part of an order was cancelled.
    #[strum(serialize = "order.cancelled")]
    #[serde(rename = "order.cancelled")]
    OrderCancelled,
    #[strum(serialize = "sub_order.shipped")]
    #[serde(rename = "sub_order.shipped")]
    SubOrderShipped,
    #[strum(serialize = "sub_order.delivered")]
    #[serde(rename = "sub_order.delivered")]
    SubOrderDelivered,
    /// A product went live: to its maker and reviewers.
    #[strum(serialize = "product.published")]
    #[serde(rename = "product.published")]
    ProductPublished,
    /// Review approved or refused a product (or its changes).
    #[strum(serialize = "product.review_decided")]
    #[serde(rename = "product.review_decided")]
    ProductReviewDecided,
    /// A payout was paid: to its maker and finance admins.
    #[strum(serialize = "payout.paid")]
    #[serde(rename = "payout.paid")]
    PayoutPaid,
}

impl WebhookEvent {
    /// The permission that lets someone hear this event about everyone, not only
    /// about their own orders, products and payouts.
    pub fn for_everyone(self) -> Permission {
        match self {
            WebhookEvent::OrderPaid
            | WebhookEvent::OrderCancelled
            | WebhookEvent::SubOrderShipped
            | WebhookEvent::SubOrderDelivered => Permission::ManageOrders,
            WebhookEvent::ProductPublished | WebhookEvent::ProductReviewDecided => Permission::ReviewQueue,
            WebhookEvent::PayoutPaid => Permission::ManageFinance,
        }
    }
}

/// Where a delivery stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its first or next attempt.
    Pending,
    /// The receiver answered 2xx.
    Succeeded,
    /// Every attempt failed; "send again" tries once more.
    Failed,
}

/// An endpoint as its owner sees it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointView {
    pub id: WebhookEndpointId,
    pub url: String,
    pub description: String,
    pub events: Vec<WebhookEvent>,
    pub enabled: bool,
    /// Why it was switched off, when it was.
    pub disabled_reason: Option<String>,
    /// Since when every delivery has failed, if they are failing.
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// One event sent (or to be sent) to one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: WebhookDeliveryId,
    pub event: WebhookEvent,
    pub status: DeliveryStatus,
    pub attempts: i32,
    /// The receiver's last HTTP status, if it answered.
    pub response_status: Option<i32>,
    /// Why the last attempt failed, when it did not answer.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// A new endpoint with its signing secret, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedEndpoint {
    pub endpoint: EndpointView,
    pub secret: String,
}

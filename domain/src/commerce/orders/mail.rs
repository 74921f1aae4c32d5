//! The handler that keeps customers informed by mail at each step of their order:
//! paid (the confirmation), shipped (with tracking), delivered, cancelled, refunded.

use anyhow::Context;
use types::TextEnum;
use types::{Locale, catalog::Money};

use crate::notifications::templates::{self, OrderUpdate};
use crate::{
    Services,
    events::{EventType, Handler, StoredEvent},
};

/// Tells customers by mail at each step of their order.
pub struct OrderMail;

#[async_trait::async_trait]
impl Handler for OrderMail {
    fn name(&self) -> &'static str {
        "order_mail"
    }

    fn events(&self) -> &'static [EventType] {
        &[
            EventType::OrderPaid,
            EventType::OrderShipped,
            EventType::OrderDelivered,
            EventType::OrderCancelled,
            EventType::PaymentRefunded,
        ]
    }

    async fn handle(&self, services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
        handle(services, event).await
    }
}

async fn handle(services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
    let group: uuid::Uuid = event.aggregate_id.parse().context("the event names no order")?;
    let row = sqlx::query!(
        "select g.number, g.total_minor, g.currency, u.email, u.name, u.locale
         from order_groups g join users u on u.id = g.customer_id where g.id = $1",
        group
    )
    .fetch_optional(&services.pool)
    .await?;
    let Some(row) = row else {
        return Ok(());
    };
    let data = &event.data;
    let text = |key: &str| data[key].as_str().unwrap_or_default().to_owned();
    let update = match EventType::parse(&event.event_type) {
        Some(EventType::OrderPaid) => OrderUpdate::Paid { total: Money::new(row.total_minor, row.currency.clone()) },
        Some(EventType::OrderShipped) => OrderUpdate::Shipped {
            sub_order: text("sub_order"),
            carrier: text("carrier"),
            tracking: text("tracking_number"),
        },
        Some(EventType::OrderDelivered) => OrderUpdate::Delivered { sub_order: text("sub_order") },
        // A checkout whose payment failed cancels orders the customer never had:
        // they were told on the spot. Only a paid sub-order's cancellation is news.
        Some(EventType::OrderCancelled) if data.get("sub_order").is_some() => OrderUpdate::Cancelled,
        Some(EventType::PaymentRefunded) => OrderUpdate::Refunded {
            amount: Money::new(data["amount_minor"].as_i64().unwrap_or_default(), row.currency.clone()),
        },
        _ => return Ok(()),
    };
    let locale = Locale::from_tag(&row.locale).unwrap_or_default();
    let link = format!("{}/orders/{}", services.settings.base_url, row.number);
    let mail = templates::order_update(locale, &row.email, &row.name, &row.number, &update, &link);
    services.mailer.send(&services.pool, &format!("{}:order_mail", event.id), mail).await
}

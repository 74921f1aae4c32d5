//! What the store decides, taken from the outbox: orders paid (the order, and each of
//! its lines as a purchase of its product, so products and makers add up), refunds, signups, applications to sell and review
//! decisions. Each outbox event is recorded once, however often it is delivered: its
//! id is claimed in `analytics_recorded_facts` in the transaction that writes it.

use anyhow::Context as _;
use types::{TextEnum, analytics::EventKind};
use uuid::Uuid;

use super::{Event, ProductRef, partitions};
use crate::{
    Services,
    events::{EventType, Handler, StoredEvent},
};

/// Records the store's decisions as analytics events.
pub struct StoreFacts;

#[async_trait::async_trait]
impl Handler for StoreFacts {
    fn name(&self) -> &'static str {
        "analytics"
    }

    fn events(&self) -> &'static [EventType] {
        &[
            EventType::OrderPaid,
            EventType::PaymentRefunded,
            EventType::UserRegistered,
            EventType::CreatorRegistered,
            EventType::CreatorSubmissionApproved,
            EventType::CreatorSubmissionRejected,
        ]
    }

    async fn handle(&self, services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
        partitions::ensure_days(&services.pool, &[event.occurred_at.date_naive()]).await?;
        let mut tx = services.pool.begin().await?;
        let claimed = sqlx::query!(
            "insert into analytics_recorded_facts (key) values ($1) on conflict (key) do nothing",
            event.id.0.to_string()
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Ok(());
        }
        let facts = facts_of(&mut tx, event).await?;
        services.analytics.write(&mut tx, &facts).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The analytics events one outbox event stands for.
async fn facts_of(conn: &mut sqlx::PgConnection, event: &StoredEvent) -> anyhow::Result<Vec<Event>> {
    let aggregate = || event.aggregate_id.parse::<Uuid>().context("the event names no aggregate");
    let fact = |kind: EventKind| {
        let mut fact = Event::new(kind, event.occurred_at);
        fact.user = event.metadata.user_id.map(|u| u.0);
        fact
    };
    let facts = match EventType::parse(&event.event_type) {
        Some(EventType::OrderPaid) => {
            let lines = sqlx::query!(
                "select l.product_id, s.creator_id, p.category_id as \"category_id?\", l.quantity,
                        l.unit_price_minor * l.quantity as \"amount!\", g.currency, g.customer_id, g.total_minor
                 from order_lines l
                 join sub_orders s on s.id = l.sub_order_id
                 join order_groups g on g.id = s.group_id
                 left join products p on p.id = l.product_id
                 where g.id = $1",
                aggregate()?
            )
            .fetch_all(&mut *conn)
            .await?;
            let order = lines.first().map(|line| Event {
                user: Some(line.customer_id),
                amount_minor: line.total_minor,
                currency: Some(line.currency.clone()),
                ..fact(EventKind::OrderPaid)
            });
            let purchases = lines.into_iter().map(|line| Event {
                user: Some(line.customer_id),
                product: Some(ProductRef {
                    product: line.product_id,
                    creator: line.creator_id,
                    category: line.category_id,
                }),
                quantity: line.quantity,
                amount_minor: line.amount,
                currency: Some(line.currency),
                ..fact(EventKind::ProductPurchased)
            });
            order.into_iter().chain(purchases).collect()
        }
        Some(EventType::PaymentRefunded) => {
            let number = event.data["sub_order"].as_str().unwrap_or_default();
            let sub = sqlx::query!(
                "select s.creator_id, g.customer_id, g.currency from sub_orders s
                 join order_groups g on g.id = s.group_id where s.number = $1",
                number
            )
            .fetch_optional(&mut *conn)
            .await?;
            sub.map(|sub| Event {
                user: Some(sub.customer_id),
                creator: Some(sub.creator_id),
                amount_minor: event.data["amount_minor"].as_i64().unwrap_or_default(),
                currency: Some(sub.currency),
                ..fact(EventKind::OrderRefunded)
            })
            .into_iter()
            .collect()
        }
        Some(EventType::UserRegistered) => vec![Event { user: Some(aggregate()?), ..fact(EventKind::Signup) }],
        Some(EventType::CreatorRegistered) => {
            let user = event.data["user_id"].as_str().and_then(|u| u.parse().ok());
            vec![Event { creator: Some(aggregate()?), user, ..fact(EventKind::CreatorApplication) }]
        }
        Some(EventType::CreatorSubmissionApproved | EventType::CreatorSubmissionRejected) => {
            vec![Event { creator: Some(aggregate()?), ..fact(EventKind::ReviewDecided) }]
        }
        _ => Vec::new(),
    };
    Ok(facts)
}

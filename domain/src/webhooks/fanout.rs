//! From a committed domain event to one delivery per endpoint entitled to hear it.
//! An endpoint hears an event about its owner's own order, product or payout, or about
//! anyone's when its owner holds the permission that covers them all (order admins
//! hear every order). What a delivery says is thin: the ids and numbers to read the
//! objects by through the API, and only those its owner may read.

use anyhow::Context;
use serde_json::{Value, json};
use types::{TextEnum, webhooks::WebhookEvent};
use uuid::Uuid;

use crate::{
    Services,
    events::{EventType, Handler, StoredEvent},
};

/// Writes the deliveries of each event an endpoint may subscribe to.
pub struct WebhookFanout;

#[async_trait::async_trait]
impl Handler for WebhookFanout {
    fn name(&self) -> &'static str {
        "webhook_fanout"
    }

    fn events(&self) -> &'static [EventType] {
        &[
            EventType::OrderPaid,
            EventType::OrderCancelled,
            EventType::OrderShipped,
            EventType::OrderDelivered,
            EventType::ProductPublished,
            EventType::CreatorSubmissionApproved,
            EventType::CreatorSubmissionRejected,
            EventType::PayoutProcessed,
        ]
    }

    async fn handle(&self, services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
        let Some(news) = news(services, event).await? else { return Ok(()) };
        let endpoints = sqlx::query!(
            r#"select e.id, e.owner_id,
                      exists(select 1 from user_roles ur join role_permissions rp on rp.role = ur.role
                             where ur.user_id = e.owner_id and rp.permission = $2) as "everyone!"
               from webhook_endpoints e join users u on u.id = e.owner_id
               where e.enabled and u.is_active and $1 = any(e.events)"#,
            news.event.as_str(),
            news.event.for_everyone().as_str()
        )
        .fetch_all(&services.pool)
        .await?;
        for endpoint in endpoints {
            let data = if endpoint.everyone {
                Some(news.everything.clone())
            } else {
                news.concerned.iter().find(|(user, _)| *user == endpoint.owner_id).map(|(_, data)| data.clone())
            };
            let Some(data) = data else { continue };
            let payload = json!({
                "id": event.id,
                "type": news.event.as_str(),
                "created": event.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "api_version": "v1",
                "data": data,
            });
            sqlx::query!(
                "insert into webhook_deliveries (id, endpoint_id, event_id, event, payload) values ($1, $2, $3, $4, $5)
                 on conflict (endpoint_id, event_id) do nothing",
                Uuid::new_v4(),
                endpoint.id,
                event.id.0,
                news.event.as_str(),
                payload
            )
            .execute(&services.pool)
            .await?;
        }
        Ok(())
    }
}

/// An event as webhooks tell it: what everyone-hearers are told, and what each
/// concerned user is told about their own part.
struct News {
    event: WebhookEvent,
    everything: Value,
    concerned: Vec<(Uuid, Value)>,
}

async fn news(services: &Services, event: &StoredEvent) -> anyhow::Result<Option<News>> {
    let pool = &services.pool;
    let data = &event.data;
    let kind = EventType::parse(&event.event_type);
    let order_event = match kind {
        Some(EventType::OrderPaid) => Some(WebhookEvent::OrderPaid),
        // A checkout whose payment failed cancels orders nobody had: not news.
        Some(EventType::OrderCancelled) if data.get("sub_order").is_some() => Some(WebhookEvent::OrderCancelled),
        Some(EventType::OrderShipped) => Some(WebhookEvent::SubOrderShipped),
        Some(EventType::OrderDelivered) => Some(WebhookEvent::SubOrderDelivered),
        _ => None,
    };
    if let Some(webhook) = order_event {
        let group: Uuid = event.aggregate_id.parse().context("the event names no order")?;
        let only = data["sub_order"].as_str();
        let parts = sqlx::query!(
            "select g.number as order_number, g.customer_id, s.number, c.user_id as maker
             from order_groups g join sub_orders s on s.group_id = g.id join creators c on c.id = s.creator_id
             where g.id = $1 and ($2::text is null or s.number = $2) order by s.number",
            group,
            only
        )
        .fetch_all(pool)
        .await?;
        let Some(first) = parts.first() else { return Ok(None) };
        let told = |mut told: Value, numbers: Vec<&str>| {
            told["sub_orders"] = json!(numbers);
            if webhook == WebhookEvent::SubOrderShipped {
                told["carrier"] = data["carrier"].clone();
                told["tracking_number"] = data["tracking_number"].clone();
            }
            told
        };
        let everything =
            told(json!({ "order": first.order_number }), parts.iter().map(|p| p.number.as_str()).collect());
        let mut concerned = vec![(first.customer_id, everything.clone())];
        // A maker is told their own parts only, which they read as `/maker/sub_orders/{number}`.
        let mut makers: Vec<Uuid> = parts.iter().map(|p| p.maker).collect();
        makers.sort();
        makers.dedup();
        for maker in makers {
            let own = parts.iter().filter(|p| p.maker == maker).map(|p| p.number.as_str()).collect();
            concerned.push((maker, told(json!({}), own)));
        }
        return Ok(Some(News { event: webhook, everything, concerned }));
    }
    match kind {
        Some(EventType::ProductPublished) => {
            let product: Uuid = event.aggregate_id.parse().context("the event names no product")?;
            let Some(row) = sqlx::query!(
                "select p.slug, c.user_id from products p join creators c on c.id = p.creator_id where p.id = $1",
                product
            )
            .fetch_optional(pool)
            .await?
            else {
                return Ok(None);
            };
            let told = json!({ "product": product, "slug": row.slug });
            Ok(Some(News {
                event: WebhookEvent::ProductPublished,
                everything: told.clone(),
                concerned: vec![(row.user_id, told)],
            }))
        }
        Some(EventType::CreatorSubmissionApproved | EventType::CreatorSubmissionRejected) => {
            let Some(item) = data["review_item_id"].as_str().and_then(|s| s.parse::<Uuid>().ok()) else {
                return Ok(None);
            };
            let Some(row) = sqlx::query!(
                "select r.subject_id, c.user_id from review_items r join creators c on c.id = r.creator_id
                 where r.id = $1 and r.kind = 'product_submission'",
                item
            )
            .fetch_optional(pool)
            .await?
            else {
                return Ok(None);
            };
            let told = json!({ "product": row.subject_id, "decision": data["decision"] });
            Ok(Some(News {
                event: WebhookEvent::ProductReviewDecided,
                everything: told.clone(),
                concerned: vec![(row.user_id, told)],
            }))
        }
        Some(EventType::PayoutProcessed) if data["status"] == "paid" => {
            let payout: Uuid = event.aggregate_id.parse().context("the event names no payout")?;
            let Some(maker) = sqlx::query_scalar!(
                "select c.user_id from payouts p join creators c on c.id = p.creator_id where p.id = $1",
                payout
            )
            .fetch_optional(pool)
            .await?
            else {
                return Ok(None);
            };
            let told = json!({ "payout": payout, "amount": data["amount_minor"], "currency": data["currency"] });
            Ok(Some(News { event: WebhookEvent::PayoutPaid, everything: told.clone(), concerned: vec![(maker, told)] }))
        }
        _ => Ok(None),
    }
}

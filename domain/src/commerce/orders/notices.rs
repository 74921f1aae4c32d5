//! Who hears of an order's steps: the customer (paid, shipped with tracking,
//! delivered, cancelled, refunded) and each maker of their own part (a paid order to
//! ship, a paid order cancelled, and a product the sale left few of), in the app and by
//! mail as each chose.

use std::collections::BTreeMap;

use anyhow::Context;
use types::{TextEnum, UserId, notifications::NotificationKind, orders::ShipTo};

use crate::{
    Services,
    events::{EventType, Handler, StoredEvent},
    users::notices::{self, Notice},
};

/// Tells customers and makers of each step of an order.
pub struct OrderNotices;

#[async_trait::async_trait]
impl Handler for OrderNotices {
    /// The name it had when it sent only the customer's mail: deliveries are stored under it.
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
        let group: uuid::Uuid = event.aggregate_id.parse().context("the event names no order")?;
        let Some(kind) = EventType::parse(&event.event_type) else { return Ok(()) };
        tell_customer(services, event, kind, group).await?;
        tell_makers(services, event, kind, group).await?;
        if kind == EventType::OrderPaid {
            tell_low_stock(services, event, group).await?;
        }
        Ok(())
    }
}

/// A sale that leaves this many or fewer to sell tells the maker to restock.
pub const LOW_STOCK: i32 = 3;

/// Tells each maker whose product this order left with [`LOW_STOCK`] or fewer to sell,
/// once per order: each sale while stock is low says how many are left.
async fn tell_low_stock(services: &Services, event: &StoredEvent, group: uuid::Uuid) -> anyhow::Result<()> {
    let low = sqlx::query!(
        "select p.id, p.name_en, p.stock_on_hand - p.stock_reserved as \"left!\", c.user_id
         from order_lines l
         join sub_orders s on s.id = l.sub_order_id
         join products p on p.id = l.product_id
         join creators c on c.id = p.creator_id
         where s.group_id = $1 and p.stock_on_hand - p.stock_reserved <= $2
         order by p.id",
        group,
        LOW_STOCK
    )
    .fetch_all(&services.pool)
    .await?;
    for product in low {
        let left = product.left.max(0);
        let notice = Notice {
            user: UserId(product.user_id),
            kind: NotificationKind::StockLow,
            params: BTreeMap::from([
                ("title".to_owned(), product.name_en.clone()),
                ("stock".to_owned(), left.to_string()),
            ]),
            link: format!("/creator/products/{}", product.id),
        };
        notices::send(services, &format!("{}:stock:{}", event.id, product.id), notice).await?;
    }
    Ok(())
}

async fn tell_customer(
    services: &Services,
    event: &StoredEvent,
    kind: EventType,
    group: uuid::Uuid,
) -> anyhow::Result<()> {
    let Some(row) =
        sqlx::query!("select number, total_minor, currency, customer_id from order_groups where id = $1", group)
            .fetch_optional(&services.pool)
            .await?
    else {
        return Ok(());
    };
    let data = &event.data;
    let text = |key: &str| data[key].as_str().unwrap_or_default().to_owned();
    let money = |minor: i64| [("amount", minor.to_string()), ("currency", row.currency.clone())];
    let (kind, params): (_, Vec<(&str, String)>) = match kind {
        EventType::OrderPaid => (NotificationKind::OrderPaid, money(row.total_minor).into()),
        EventType::OrderShipped => (
            NotificationKind::OrderShipped,
            vec![("sub_order", text("sub_order")), ("carrier", text("carrier")), ("tracking", text("tracking_number"))],
        ),
        EventType::OrderDelivered => (NotificationKind::OrderDelivered, vec![("sub_order", text("sub_order"))]),
        // A checkout whose payment failed cancels orders the customer never had:
        // they were told on the spot. Only a paid sub-order's cancellation is news.
        EventType::OrderCancelled if data.get("sub_order").is_some() => {
            (NotificationKind::OrderCancelled, vec![("sub_order", text("sub_order"))])
        }
        EventType::PaymentRefunded => {
            (NotificationKind::OrderRefunded, money(data["amount_minor"].as_i64().unwrap_or_default()).into())
        }
        _ => return Ok(()),
    };
    let mut params: BTreeMap<String, String> = params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    params.insert("order".to_owned(), row.number.clone());
    let notice = Notice { user: UserId(row.customer_id), kind, params, link: format!("/orders/{}", row.number) };
    notices::send(services, &format!("{}:customer", event.id), notice).await?;
    Ok(())
}

/// A maker hears of a paid order to ship and of a paid one cancelled, each of their
/// own part only.
async fn tell_makers(
    services: &Services,
    event: &StoredEvent,
    kind: EventType,
    group: uuid::Uuid,
) -> anyhow::Result<()> {
    let only = match kind {
        EventType::OrderPaid => None,
        EventType::OrderCancelled => match event.data["sub_order"].as_str() {
            Some(number) => Some(number),
            None => return Ok(()),
        },
        _ => return Ok(()),
    };
    let parts = sqlx::query!(
        r#"select s.id, s.number, c.user_id as maker, g.ship_to,
                  coalesce((select array_agg(l.quantity order by l.product_name) from order_lines l
                            where l.sub_order_id = s.id), '{}') as "quantities!",
                  coalesce((select array_agg(l.product_name order by l.product_name) from order_lines l
                            where l.sub_order_id = s.id), '{}') as "names!"
           from sub_orders s join order_groups g on g.id = s.group_id join creators c on c.id = s.creator_id
           where s.group_id = $1 and ($2::text is null or s.number = $2)
           order by s.number"#,
        group,
        only
    )
    .fetch_all(&services.pool)
    .await?;
    for part in parts {
        let mut params = BTreeMap::from([("sub_order".to_owned(), part.number.clone())]);
        let notice_kind = if kind == EventType::OrderPaid {
            let ship_to: ShipTo = serde_json::from_value(part.ship_to).unwrap_or_default();
            let destination = [ship_to.city, ship_to.country].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>();
            let lines = part.quantities.iter().zip(&part.names).map(|(q, n)| format!("  {q} × {n}"));
            params.insert("items".to_owned(), part.quantities.iter().sum::<i32>().to_string());
            params.insert("item_lines".to_owned(), lines.collect::<Vec<_>>().join("\n"));
            params.insert("destination".to_owned(), destination.join(", "));
            NotificationKind::SaleToShip
        } else {
            NotificationKind::SaleCancelled
        };
        let notice = Notice {
            user: UserId(part.maker),
            kind: notice_kind,
            params,
            link: format!("/creator/orders/{}", part.number),
        };
        notices::send(services, &format!("{}:maker:{}", event.id, part.id), notice).await?;
    }
    Ok(())
}

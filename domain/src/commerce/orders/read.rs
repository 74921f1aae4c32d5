//! Reading orders for the people allowed to see them: a customer their own groups,
//! a creator their own sub-orders, an admin any group. Each read is a fixed number
//! of queries, however many sub-orders.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use types::TextEnum;
use types::{
    ErrorCode, FieldError,
    catalog::Money,
    ids::{OrderGroupId, ProductId, SubOrderId, UserId},
    orders::{
        CreatorOrderSummary, CreatorOrderView, OrderLine, OrderSummary, OrderView, PaymentSummary, SubOrderStatus,
        SubOrderView, TimelineEntry,
    },
};

use crate::{Error, Result};

/// Who is reading: what they may see follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Customer(UserId),
    /// Any group; the parts that are this admin's own order or shop are marked, as
    /// another admin refunds them.
    Admin(UserId),
}

impl Reader {
    fn customer(self) -> Option<uuid::Uuid> {
        match self {
            Reader::Customer(user) => Some(user.0),
            Reader::Admin(_) => None,
        }
    }
}

/// A customer's orders, newest first.
#[tracing::instrument(skip_all, fields(customer = %customer))]
pub async fn for_customer(pool: &PgPool, customer: UserId) -> Result<Vec<OrderSummary>> {
    summaries(pool, &OrderFilter::default(), Some(customer)).await
}

/// One order group by its number, if `reader` may see it (a customer only their
/// own: someone else's is "not found", not "forbidden", so numbers cannot be probed).
#[tracing::instrument(skip_all)]
pub async fn order(pool: &PgPool, number: &str, reader: Reader) -> Result<OrderView> {
    let group = sqlx::query!(
        r#"select g.id, g.number, g.created_at as "created_at: DateTime<Utc>", g.total_minor, g.currency,
                  g.ship_to, u.email, u.name, g.is_test,
                  p.status as "payment_status?", c.card_brand, c.card_last4
           from order_groups g
           join users u on u.id = g.customer_id
           join checkouts c on c.id = g.checkout_id
           left join payments p on p.checkout_id = g.checkout_id
           where g.number = $1 and ($2::uuid is null or g.customer_id = $2)"#,
        number.trim(),
        reader.customer()
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound)?;
    let sub_orders = sub_orders(pool, OrderGroupId(group.id), None, Some(reader)).await?;
    let payment = match (group.payment_status, group.card_brand, group.card_last4) {
        (Some(status), Some(brand), Some(last4)) => {
            Some(PaymentSummary { card: format!("{brand} •••• {last4}"), status })
        }
        _ => None,
    };
    Ok(OrderView {
        id: OrderGroupId(group.id),
        number: group.number,
        placed_at: group.created_at,
        customer_email: group.email,
        customer_name: group.name,
        total: Money::new(group.total_minor, group.currency),
        ship_to: serde_json::from_value(group.ship_to).unwrap_or_default(),
        payment,
        sub_orders,
        is_test: group.is_test,
    })
}

/// The sub-orders of a group (or just `only`), with lines, timelines and the
/// customer's ratings, in four queries. Read by the customer, they carry no commission
/// (that is for creators and admins) and say whether they may be rated; read by an
/// admin, they say which are the admin's own case. `None`: read by their maker.
pub(crate) async fn sub_orders(
    pool: &PgPool,
    group: OrderGroupId,
    only: Option<SubOrderId>,
    reader: Option<Reader>,
) -> Result<Vec<SubOrderView>> {
    let by_customer = matches!(reader, Some(Reader::Customer(_)));
    let admin = match reader {
        Some(Reader::Admin(admin)) => Some(admin.0),
        _ => None,
    };
    let subs = sqlx::query!(
        r#"select s.id, s.number, s.status, s.subtotal_minor, s.commission_minor, s.carrier, s.tracking_number,
                  g.currency, c.display_name, c.slug, $3::uuid in (g.customer_id, c.user_id) as "own_case?",
                  (select coalesce(sum(r.amount_minor), 0) from refunds r where r.sub_order_id = s.id)::int8
                      as "refunded!"
           from sub_orders s join order_groups g on g.id = s.group_id join creators c on c.id = s.creator_id
           where s.group_id = $1 and ($2::uuid is null or s.id = $2)
           order by s.number"#,
        group.0,
        only.map(|s| s.0),
        admin
    )
    .fetch_all(pool)
    .await?;
    let ids: Vec<uuid::Uuid> = subs.iter().map(|s| s.id).collect();
    let lines = sqlx::query!(
        "select sub_order_id, product_id, product_name, product_slug, quantity, unit_price_minor
         from order_lines where sub_order_id = any($1) order by product_name",
        &ids
    )
    .fetch_all(pool)
    .await?;
    let history = sqlx::query!(
        r#"select sub_order_id, status, note, at as "at: DateTime<Utc>"
           from sub_order_history where sub_order_id = any($1) order by id"#,
        &ids
    )
    .fetch_all(pool)
    .await?;
    let mut ratings = crate::ratings::read::given(pool, &ids).await?;
    Ok(subs
        .into_iter()
        .map(|s| SubOrderView {
            id: SubOrderId(s.id),
            number: s.number,
            creator_name: s.display_name,
            creator_slug: s.slug,
            status: SubOrderStatus::parse(&s.status).unwrap_or(SubOrderStatus::PendingPayment),
            subtotal: Money::new(s.subtotal_minor, s.currency.clone()),
            commission: (!by_customer).then(|| Money::new(s.commission_minor, s.currency.clone())),
            refunded: Money::new(s.refunded, s.currency.clone()),
            carrier: s.carrier,
            tracking_number: s.tracking_number,
            lines: lines
                .iter()
                .filter(|l| l.sub_order_id == s.id)
                .map(|l| OrderLine {
                    product: ProductId(l.product_id),
                    name: l.product_name.clone(),
                    slug: l.product_slug.clone(),
                    quantity: l.quantity,
                    unit_price: Money::new(l.unit_price_minor, s.currency.clone()),
                    rating: ratings.remove(&(s.id, Some(l.product_id))),
                })
                .collect(),
            timeline: history
                .iter()
                .filter(|h| h.sub_order_id == s.id)
                .filter_map(|h| {
                    Some(TimelineEntry { status: SubOrderStatus::parse(&h.status)?, note: h.note.clone(), at: h.at })
                })
                .collect(),
            maker_rating: ratings.remove(&(s.id, None)),
            own_case: s.own_case.unwrap_or(false),
            // Delivered at some time: a refund after delivery does not take it back.
            can_rate: by_customer
                && history.iter().any(|h| h.sub_order_id == s.id && h.status == SubOrderStatus::Delivered.as_str()),
        })
        .collect())
}

/// A creator's own sub-orders, newest first; nobody else's.
#[tracing::instrument(skip_all, fields(creator_user = %creator_user))]
pub async fn for_creator(pool: &PgPool, creator_user: UserId) -> Result<Vec<CreatorOrderSummary>> {
    let rows = sqlx::query!(
        r#"select s.number, g.created_at as "created_at: DateTime<Utc>", s.status, s.subtotal_minor, g.currency,
                  g.ship_to->>'full_name' as "ship_to_name?", g.is_test,
                  (select coalesce(sum(l.quantity), 0) from order_lines l where l.sub_order_id = s.id)::int8 as "items!"
           from sub_orders s
           join order_groups g on g.id = s.group_id
           join creators c on c.id = s.creator_id
           where c.user_id = $1
           order by g.created_at desc, s.number
           limit 500"#,
        creator_user.0
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CreatorOrderSummary {
            number: r.number,
            placed_at: r.created_at,
            status: SubOrderStatus::parse(&r.status).unwrap_or(SubOrderStatus::PendingPayment),
            subtotal: Money::new(r.subtotal_minor, r.currency),
            items: r.items,
            ship_to_name: r.ship_to_name.unwrap_or_default(),
            is_test: r.is_test,
        })
        .collect())
}

/// One of the creator's own sub-orders by its number, with where to ship it. Another
/// creator's is "not found".
#[tracing::instrument(skip_all, fields(creator_user = %creator_user))]
pub async fn creator_order(pool: &PgPool, creator_user: UserId, number: &str) -> Result<CreatorOrderView> {
    let r = sqlx::query!(
        r#"select s.id, g.id as group_id, g.number, g.created_at as "created_at: DateTime<Utc>", g.ship_to, g.is_test
           from sub_orders s
           join order_groups g on g.id = s.group_id
           join creators c on c.id = s.creator_id
           where s.number = $1 and c.user_id = $2"#,
        number.trim(),
        creator_user.0
    )
    .fetch_optional(pool)
    .await?
    .ok_or(Error::NotFound)?;
    let sub_order =
        sub_orders(pool, OrderGroupId(r.group_id), Some(SubOrderId(r.id)), None).await?.pop().ok_or(Error::NotFound)?;
    Ok(CreatorOrderView {
        group_number: r.number,
        placed_at: r.created_at,
        ship_to: serde_json::from_value(r.ship_to).unwrap_or_default(),
        sub_order,
        is_test: r.is_test,
    })
}

/// What an admin searches orders by; every part optional.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// An order or sub-order number, or part of one.
    pub number: String,
    /// The customer's email, or part of it.
    pub email: String,
    /// The creator's display name or slug, or part of it.
    pub creator: String,
    pub status: Option<SubOrderStatus>,
    /// Placed on or after / on or before (dates, `YYYY-MM-DD`, UTC).
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

impl OrderFilter {
    /// Reads an admin's search as typed: dates `YYYY-MM-DD` (UTC), `status` a
    /// sub-order status or empty for any. Each part that does not read is named.
    pub fn parse(number: String, email: String, creator: String, status: &str, from: &str, to: &str) -> Result<Self> {
        let mut errors = Vec::new();
        let mut date = |field: &str, raw: &str| match raw.trim() {
            "" => None,
            raw => chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .inspect_err(|_| errors.push(FieldError::new(field, ErrorCode::DateInvalid)))
                .ok(),
        };
        let (from, to) = (date("from", from), date("to", to));
        let status = match status.trim() {
            "" => None,
            raw => {
                let parsed = SubOrderStatus::parse(raw);
                if parsed.is_none() {
                    errors.push(FieldError::new("status", ErrorCode::InvalidInput));
                }
                parsed
            }
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        Ok(OrderFilter { number, email, creator, status, from, to })
    }
}

/// Orders matching the filter, newest first (at most 200): an admin's search.
#[tracing::instrument(skip_all)]
pub async fn search(pool: &PgPool, filter: &OrderFilter) -> Result<Vec<OrderSummary>> {
    summaries(pool, filter, None).await
}

async fn summaries(pool: &PgPool, filter: &OrderFilter, customer: Option<UserId>) -> Result<Vec<OrderSummary>> {
    let like = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")))
    };
    let rows = sqlx::query!(
        r#"select g.number, g.created_at as "created_at: DateTime<Utc>", g.total_minor, g.currency, u.email, g.is_test,
                  (select coalesce(sum(l.quantity), 0) from order_lines l join sub_orders s on s.id = l.sub_order_id
                   where s.group_id = g.id)::int8 as "items!",
                  array(select s.status from sub_orders s where s.group_id = g.id order by s.number) as "statuses!"
           from order_groups g join users u on u.id = g.customer_id
           where ($1::text is null or g.number ilike $1
                  or exists (select 1 from sub_orders s where s.group_id = g.id and s.number ilike $1))
             and ($2::text is null or u.email ilike $2)
             and ($3::text is null or exists (select 1 from sub_orders s join creators c on c.id = s.creator_id
                                              where s.group_id = g.id and (c.display_name ilike $3 or c.slug ilike $3)))
             and ($4::text is null or exists (select 1 from sub_orders s where s.group_id = g.id and s.status = $4))
             and ($5::text is null or g.created_at >= $5::text::date::timestamp at time zone 'UTC')
             and ($6::text is null or g.created_at < ($6::text::date + 1)::timestamp at time zone 'UTC')
             -- A customer's list leaves out checkouts that failed before any payment:
             -- they were told on the spot, and nothing was bought.
             and ($7::uuid is null or (g.customer_id = $7 and exists (
                      select 1 from checkouts c where c.id = g.checkout_id and c.state <> 'failed')))
           order by g.created_at desc
           limit 200"#,
        like(&filter.number),
        like(&filter.email),
        like(&filter.creator),
        filter.status.map(SubOrderStatus::as_str),
        filter.from.map(|d| d.to_string()),
        filter.to.map(|d| d.to_string()),
        customer.map(|c| c.0),
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OrderSummary {
            number: r.number,
            placed_at: r.created_at,
            total: Money::new(r.total_minor, r.currency),
            items: r.items,
            statuses: r.statuses.iter().filter_map(|s| SubOrderStatus::parse(s)).collect(),
            customer_email: r.email,
            is_test: r.is_test,
        })
        .collect())
}

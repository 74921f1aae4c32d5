//! Ratings and reviews: a customer rates each product they received (once per order
//! line) and the maker who sent it (once per sub-order). Every rating goes through
//! the review queue; approved ones are public, and the averages the store shows,
//! sorts and filters by are recomputed from them. Owns `ratings` and the
//! `rating_*` columns of products and creators.

pub mod maker_notices;
pub mod moderate;
pub mod read;

use types::TextEnum;
use types::{
    ErrorCode, SessionUser,
    ids::{CreatorId, ProductId, RatingId},
    ratings::{RatingInput, RatingStatus},
    review::ReviewKind,
};

use crate::{
    Error, RequestMeta, Result, Services,
    error::OnConstraint,
    events::{self, EventMetadata, EventType, NewEvent},
    review::queue,
};

/// What a customer rates, named by the sub-order they received it in.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Product { sub_order: &'a str, product: ProductId },
    Maker { sub_order: &'a str },
}

impl Target<'_> {
    fn sub_order(&self) -> &str {
        match self {
            Target::Product { sub_order, .. } | Target::Maker { sub_order } => sub_order,
        }
    }

    fn product(&self) -> Option<ProductId> {
        match self {
            Target::Product { product, .. } => Some(*product),
            Target::Maker { .. } => None,
        }
    }
}

/// The sub-order a rating hangs on, checked: the customer's own, and delivered.
struct Received {
    id: uuid::Uuid,
    creator: CreatorId,
    maker_name: String,
    own_shop: bool,
}

async fn received(conn: &mut sqlx::PgConnection, customer: &SessionUser, number: &str) -> Result<Received> {
    let row = sqlx::query!(
        r#"select s.id, s.creator_id, c.display_name, c.user_id = $2 as "own_shop!",
                  exists (select 1 from sub_order_history h where h.sub_order_id = s.id and h.status = 'delivered')
                      as "delivered!"
           from sub_orders s
           join order_groups g on g.id = s.group_id
           join creators c on c.id = s.creator_id
           where s.number = $1 and g.customer_id = $2"#,
        number,
        customer.id.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    if !row.delivered {
        return Err(Error::Conflict(ErrorCode::NotDelivered));
    }
    Ok(Received {
        id: row.id,
        creator: CreatorId(row.creator_id),
        maker_name: row.display_name,
        own_shop: row.own_shop,
    })
}

/// Records the customer's rating and puts it in the review queue. A second rating
/// of the same line (or maker, per sub-order) is refused, unless a reviewer sent the
/// first back for changes: then this one replaces it and is reviewed again.
#[tracing::instrument(skip_all, fields(customer = %customer.id))]
pub async fn submit(
    services: &Services,
    customer: &SessionUser,
    target: Target<'_>,
    stars: &str,
    body: &str,
    meta: &RequestMeta,
) -> Result<()> {
    let input = RatingInput::parse(stars, body).map_err(Error::Validation)?;
    let mut tx = services.pool.begin().await?;
    let sub_order = received(&mut tx, customer, target.sub_order()).await?;
    if sub_order.own_shop {
        return Err(Error::Conflict(ErrorCode::OwnProduct));
    }
    let product = target.product();
    let title = match product {
        Some(product) => sqlx::query_scalar!(
            "select product_name from order_lines where sub_order_id = $1 and product_id = $2",
            sub_order.id,
            product.0
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?,
        None => sub_order.maker_name.clone(),
    };
    // Serializes two submits of the same line: the second sees the first's row.
    let existing = sqlx::query!(
        "select id, status from ratings where sub_order_id = $1 and product_id is not distinct from $2 for update",
        sub_order.id,
        product.map(|p| p.0)
    )
    .fetch_optional(&mut *tx)
    .await?;
    let id = match existing {
        Some(row) if RatingStatus::parse(&row.status).is_some_and(RatingStatus::editable) => {
            sqlx::query!(
                "update ratings set stars = $2, body = $3, status = 'pending', updated_at = now() where id = $1",
                row.id,
                i16::from(input.stars.get()),
                input.body
            )
            .execute(&mut *tx)
            .await?;
            RatingId(row.id)
        }
        Some(_) => return Err(Error::Conflict(ErrorCode::AlreadyRated)),
        None => {
            let unique = if product.is_some() { "ratings_one_per_line_idx" } else { "ratings_one_per_maker_idx" };
            let id = RatingId::new();
            sqlx::query!(
                "insert into ratings (id, sub_order_id, product_id, creator_id, customer_id, stars, body)
                 values ($1, $2, $3, $4, $5, $6, $7)",
                id.0,
                sub_order.id,
                product.map(|p| p.0),
                sub_order.creator.0,
                customer.id.0,
                i16::from(input.stars.get()),
                input.body
            )
            .execute(&mut *tx)
            .await
            .on_constraint(unique, || Error::Conflict(ErrorCode::AlreadyRated))?;
            id
        }
    };
    let stars_shown = format!("{} ({}/5)", input.stars.glyphs(), input.stars.get());
    let mut snapshot = vec![("stars".to_owned(), stars_shown), ("review".to_owned(), input.body.clone())];
    if product.is_some() {
        snapshot.push(("product".to_owned(), title.clone()));
    }
    snapshot.push(("customer".to_owned(), customer.name.clone()));
    snapshot.push(("order".to_owned(), target.sub_order().to_owned()));
    queue::open(&mut tx, ReviewKind::Rating, id.0, sub_order.creator, &title, &snapshot).await?;
    let event = rating_event(EventType::RatingSubmitted, id, product, sub_order.creator, input.stars.get());
    events::publish(&mut tx, event, &EventMetadata::from_request(meta)).await?;
    tx.commit().await?;
    Ok(())
}

fn rating_event(
    event_type: EventType,
    id: RatingId,
    product: Option<ProductId>,
    creator: CreatorId,
    stars: u8,
) -> NewEvent {
    let data = serde_json::json!({ "rating_id": id, "product_id": product, "creator_id": creator, "stars": stars });
    match (event_type, product) {
        (EventType::ProductRated, Some(product)) => NewEvent {
            event_type,
            aggregate_type: "product",
            aggregate_id: product.to_string(),
            aggregate_version: 1,
            data,
        },
        (EventType::CreatorRated, _) => NewEvent {
            event_type,
            aggregate_type: "creator",
            aggregate_id: creator.to_string(),
            aggregate_version: 1,
            data,
        },
        _ => {
            NewEvent { event_type, aggregate_type: "rating", aggregate_id: id.to_string(), aggregate_version: 1, data }
        }
    }
}

//! A customer's own orders (`orders:read`, `orders:write`): list, read, cancel a part
//! before it ships. Someone else's order is 404, so numbers cannot be probed. The
//! order shapes here are shared with the maker's and the admin's doors.

use axum::{Json, extract::State, http::HeaderMap, response::Response};
use chrono::{DateTime, Utc};
use domain::commerce::orders::{
    fulfil,
    read::{self, Reader},
};
use serde::Serialize;
use types::{
    TextEnum,
    api::Scope,
    orders::{OrderSummary, OrderView, ShipTo, SubOrderView},
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    ApiState,
    auth::Caller,
    catalog::Price,
    error::{ApiResult, ErrorResponse},
    etag,
    extract::{ApiPath, ApiQuery},
    list::{List, Page},
};

pub fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(list_orders)).routes(routes!(get_order)).routes(routes!(cancel))
}

pub fn price(m: types::catalog::Money) -> Price {
    Price { amount: m.minor, currency: m.currency }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Address {
    pub full_name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub phone: String,
}

impl From<ShipTo> for Address {
    fn from(a: ShipTo) -> Self {
        Address {
            full_name: a.full_name,
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            region: a.region,
            postal_code: a.postal_code,
            country: a.country,
            phone: a.phone,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Line {
    pub product: uuid::Uuid,
    pub slug: String,
    pub name: String,
    pub quantity: i32,
    pub unit_price: Price,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusChange {
    pub status: String,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// One maker's part of an order, shipped on its own.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubOrder {
    pub number: String,
    pub maker_name: String,
    pub maker_slug: String,
    /// `pending_payment`, `paid`, `shipped`, `delivered`, `cancelled`, `refunded`, …
    pub status: String,
    pub subtotal: Price,
    /// The platform's commission: shown to the maker and to admins only.
    pub commission: Option<Price>,
    pub refunded: Price,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub lines: Vec<Line>,
    pub timeline: Vec<StatusChange>,
}

impl From<SubOrderView> for SubOrder {
    fn from(s: SubOrderView) -> Self {
        SubOrder {
            number: s.number,
            maker_name: s.creator_name,
            maker_slug: s.creator_slug,
            status: s.status.as_str().to_owned(),
            subtotal: price(s.subtotal),
            commission: s.commission.map(price),
            refunded: price(s.refunded),
            carrier: s.carrier,
            tracking_number: s.tracking_number,
            lines: s
                .lines
                .into_iter()
                .map(|l| Line {
                    product: l.product.0,
                    slug: l.slug,
                    name: l.name,
                    quantity: l.quantity,
                    unit_price: price(l.unit_price),
                })
                .collect(),
            timeline: s
                .timeline
                .into_iter()
                .map(|t| StatusChange { status: t.status.as_str().to_owned(), note: t.note, at: t.at })
                .collect(),
        }
    }
}

/// An order: what was bought in one checkout, in one part per maker.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Order {
    pub number: String,
    pub placed_at: DateTime<Utc>,
    pub customer_name: String,
    pub customer_email: String,
    pub total: Price,
    pub ship_to: Address,
    /// e.g. `Visa •••• 4242`.
    pub card: Option<String>,
    pub payment_status: Option<String>,
    pub sub_orders: Vec<SubOrder>,
    /// Placed with the sandbox card network: no money moved.
    pub is_test: bool,
}

impl From<OrderView> for Order {
    fn from(o: OrderView) -> Self {
        Order {
            number: o.number,
            placed_at: o.placed_at,
            customer_name: o.customer_name,
            customer_email: o.customer_email,
            total: price(o.total),
            ship_to: o.ship_to.into(),
            card: o.payment.as_ref().map(|p| p.card.clone()),
            payment_status: o.payment.map(|p| p.status),
            sub_orders: o.sub_orders.into_iter().map(SubOrder::from).collect(),
            is_test: o.is_test,
        }
    }
}

/// An order in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrderListItem {
    pub number: String,
    pub placed_at: DateTime<Utc>,
    pub total: Price,
    /// Units bought.
    pub items: i64,
    /// Each part's status.
    pub statuses: Vec<String>,
    pub customer_email: String,
    pub is_test: bool,
}

impl From<OrderSummary> for OrderListItem {
    fn from(o: OrderSummary) -> Self {
        OrderListItem {
            number: o.number,
            placed_at: o.placed_at,
            total: price(o.total),
            items: o.items,
            statuses: o.statuses.iter().map(|s| s.as_str().to_owned()).collect(),
            customer_email: o.customer_email,
            is_test: o.is_test,
        }
    }
}

/// The caller's orders, newest first.
#[utoipa::path(
    get,
    path = "/orders",
    tag = "orders",
    params(Page),
    responses(
        (status = 200, description = "A page of the caller's orders", body = List<OrderListItem>),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["orders:read"]))
)]
pub async fn list_orders(
    State(state): State<ApiState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<Json<List<OrderListItem>>> {
    caller.require(Scope::OrdersRead)?;
    let orders = read::for_customer(&state.services.pool, caller.user()).await?;
    Ok(Json(page.slice(orders, |o| o.number.clone())?.map(OrderListItem::from)))
}

/// One of the caller's orders, by its number.
#[utoipa::path(
    get,
    path = "/orders/{number}",
    tag = "orders",
    params(("number" = String, Path, description = "The order's number")),
    responses(
        (status = 200, description = "The order", body = Order, headers(("ETag" = String))),
        (status = 304, description = "Not changed since the ETag sent in If-None-Match"),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, description = "Not one of the caller's orders", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["orders:read"]))
)]
pub async fn get_order(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    caller.require(Scope::OrdersRead)?;
    let order: Order = read::order(&state.services.pool, &number, Reader::Customer(caller.user())).await?.into();
    Ok(etag::respond(&headers, etag::of_body(&order), &order))
}

/// Cancels one part of the caller's order before it ships: the whole amount is
/// refunded and the stock returns. Answers the order as it is now.
#[utoipa::path(
    post,
    path = "/orders/{number}/sub_orders/{sub_order}/cancel",
    tag = "orders",
    params(
        ("number" = String, Path, description = "The order's number"),
        ("sub_order" = String, Path, description = "The part's number"),
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer"),
    ),
    responses(
        (status = 200, description = "The order after the cancellation", body = Order),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
        (status = 409, description = "Already shipped, or not paid", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["orders:write"]))
)]
pub async fn cancel(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath((number, sub_order)): ApiPath<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<Order>> {
    caller.require(Scope::OrdersWrite)?;
    let services = &state.services;
    let reader = Reader::Customer(caller.user());
    let order = read::order(&services.pool, &number, reader).await?;
    if !order.sub_orders.iter().any(|s| s.number == sub_order) {
        return Err(crate::error::ApiError::not_found());
    }
    fulfil::cancel(services, caller.user(), &sub_order, &caller.meta(&headers)).await?;
    Ok(Json(read::order(&services.pool, &number, reader).await?.into()))
}

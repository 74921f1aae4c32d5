//! A maker's sales and money: the parts of orders they ship (`orders:fulfil`), their
//! balances and payouts (`payouts:read`, `payouts:write`). Another maker's sale is
//! 404.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use domain::{
    commerce::orders::{fulfil, read},
    ledger::payouts,
};
use serde::{Deserialize, Serialize};
use types::{
    TextEnum,
    api::Scope,
    money::PayoutView,
    orders::{CreatorOrderSummary, CreatorOrderView},
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    ApiState,
    auth::Caller,
    catalog::Price,
    error::{ApiError, ApiResult, ErrorResponse},
    etag,
    extract::{ApiJson, ApiPath, ApiQuery},
    list::{List, Page},
    orders::{Address, SubOrder, price},
};

pub fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_sub_orders))
        .routes(routes!(get_sub_order))
        .routes(routes!(ship))
        .routes(routes!(deliver))
        .routes(routes!(balances))
        .routes(routes!(list_payouts, request_payout))
}

/// A sale in a list: the maker's part of an order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubOrderListItem {
    /// The part's number (what ship and deliver take).
    pub number: String,
    pub placed_at: DateTime<Utc>,
    pub status: String,
    pub subtotal: Price,
    pub items: i64,
    pub ship_to_name: String,
    pub is_test: bool,
}

impl From<CreatorOrderSummary> for SubOrderListItem {
    fn from(s: CreatorOrderSummary) -> Self {
        SubOrderListItem {
            number: s.number,
            placed_at: s.placed_at,
            status: s.status.as_str().to_owned(),
            subtotal: price(s.subtotal),
            items: s.items,
            ship_to_name: s.ship_to_name,
            is_test: s.is_test,
        }
    }
}

/// A sale with where it goes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MakerSubOrder {
    /// The whole order's number.
    pub order_number: String,
    pub placed_at: DateTime<Utc>,
    pub ship_to: Address,
    pub sub_order: SubOrder,
    pub is_test: bool,
}

impl From<CreatorOrderView> for MakerSubOrder {
    fn from(v: CreatorOrderView) -> Self {
        MakerSubOrder {
            order_number: v.group_number,
            placed_at: v.placed_at,
            ship_to: v.ship_to.into(),
            sub_order: v.sub_order.into(),
            is_test: v.is_test,
        }
    }
}

/// The caller's sales, newest first.
#[utoipa::path(
    get,
    path = "/maker/sub_orders",
    tag = "maker",
    params(Page),
    responses(
        (status = 200, description = "A page of the caller's sales", body = List<SubOrderListItem>),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["orders:fulfil"]))
)]
pub async fn list_sub_orders(
    State(state): State<ApiState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<Json<List<SubOrderListItem>>> {
    caller.require(Scope::OrdersFulfil)?;
    let sales = read::for_creator(&state.services.pool, caller.user()).await?;
    Ok(Json(page.slice(sales, |s| s.number.clone())?.map(SubOrderListItem::from)))
}

async fn sub_order(state: &ApiState, caller: &Caller, number: &str) -> ApiResult<MakerSubOrder> {
    Ok(read::creator_order(&state.services.pool, caller.user(), number).await?.into())
}

/// One of the caller's sales, by its number.
#[utoipa::path(
    get,
    path = "/maker/sub_orders/{number}",
    tag = "maker",
    params(("number" = String, Path, description = "The part's number")),
    responses(
        (status = 200, description = "The sale", body = MakerSubOrder, headers(("ETag" = String))),
        (status = 304, description = "Not changed since the ETag sent in If-None-Match"),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["orders:fulfil"]))
)]
pub async fn get_sub_order(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    caller.require(Scope::OrdersFulfil)?;
    let body = sub_order(&state, &caller, &number).await?;
    Ok(etag::respond(&headers, etag::of_body(&body), &body))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Shipment {
    /// e.g. `DHL`; up to 60 characters.
    pub carrier: String,
    /// Letters, digits, spaces and dashes; up to 60.
    pub tracking_number: String,
}

/// Marks a paid sale shipped with its carrier and tracking number; the customer is told.
#[utoipa::path(
    post,
    path = "/maker/sub_orders/{number}/ship",
    tag = "maker",
    params(
        ("number" = String, Path, description = "The part's number"),
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer"),
    ),
    request_body = Shipment,
    responses(
        (status = 200, description = "The sale, shipped", body = MakerSubOrder),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse),
        (status = 409, description = "Not paid, or already shipped", body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["orders:fulfil"]))
)]
pub async fn ship(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(shipment): ApiJson<Shipment>,
) -> ApiResult<Json<MakerSubOrder>> {
    caller.require(Scope::OrdersFulfil)?;
    let meta = caller.meta(&headers);
    fulfil::ship(&state.services, caller.user(), &number, &shipment.carrier, &shipment.tracking_number, &meta).await?;
    Ok(Json(sub_order(&state, &caller, &number).await?))
}

/// Marks a shipped sale delivered; its money becomes available after the hold.
#[utoipa::path(
    post,
    path = "/maker/sub_orders/{number}/deliver",
    tag = "maker",
    params(
        ("number" = String, Path, description = "The part's number"),
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer"),
    ),
    responses(
        (status = 200, description = "The sale, delivered", body = MakerSubOrder),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
        (status = 409, description = "Not shipped yet", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["orders:fulfil"]))
)]
pub async fn deliver(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Json<MakerSubOrder>> {
    caller.require(Scope::OrdersFulfil)?;
    fulfil::deliver(&state.services, caller.user(), &number, &caller.meta(&headers)).await?;
    Ok(Json(sub_order(&state, &caller, &number).await?))
}

/// What the caller is owed, by where it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Balances {
    /// Sold, not yet delivered or still in the hold period.
    pub pending: Price,
    /// Free to pay out.
    pub available: Price,
    /// Requested or approved, not yet paid.
    pub in_payout: Price,
    /// The smallest payout one may request.
    pub minimum_payout: Price,
}

#[utoipa::path(
    get,
    path = "/maker/balances",
    tag = "maker",
    responses(
        (status = 200, description = "The caller's balances", body = Balances),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["payouts:read"]))
)]
pub async fn balances(State(state): State<ApiState>, caller: Caller) -> ApiResult<Json<Balances>> {
    caller.require(Scope::PayoutsRead)?;
    let b = payouts::balances(&state.services.pool, caller.user()).await?;
    Ok(Json(Balances {
        pending: price(b.pending),
        available: price(b.available),
        in_payout: price(b.in_payout),
        minimum_payout: price(b.minimum_payout),
    }))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Payout {
    pub id: uuid::Uuid,
    pub maker_name: String,
    pub amount: Price,
    /// `requested`, `approved`, `rejected` or `paid`.
    pub status: String,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// The bank transfer's reference, once paid.
    pub reference: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
}

impl From<PayoutView> for Payout {
    fn from(p: PayoutView) -> Self {
        Payout {
            id: p.id.0,
            maker_name: p.creator_name,
            amount: price(p.amount),
            status: p.status.as_str().to_owned(),
            reason: p.reason,
            reference: p.reference,
            requested_at: p.requested_at,
            decided_at: p.decided_at,
            paid_at: p.paid_at,
        }
    }
}

/// The caller's payouts, open ones first.
#[utoipa::path(
    get,
    path = "/maker/payouts",
    tag = "maker",
    params(Page),
    responses(
        (status = 200, description = "A page of the caller's payouts", body = List<Payout>),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["payouts:read"]))
)]
pub async fn list_payouts(
    State(state): State<ApiState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<Json<List<Payout>>> {
    caller.require(Scope::PayoutsRead)?;
    let all = payouts::list(&state.services.pool, Some(caller.user()), caller.user()).await?;
    Ok(Json(page.slice(all, |p| p.id.to_string())?.map(Payout::from)))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutRequest {
    /// In minor units of the balance's currency; at least the minimum payout and at
    /// most what is available.
    #[schema(minimum = 1)]
    pub amount: i64,
}

/// Requests a payout from the available balance; an admin decides it.
#[utoipa::path(
    post,
    path = "/maker/payouts",
    tag = "maker",
    params(("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer")),
    request_body = PayoutRequest,
    responses(
        (status = 201, description = "The payout, requested", body = Payout),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse),
        (status = 422, description = "Below the minimum, or more than is available", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["payouts:write"]))
)]
pub async fn request_payout(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(request): ApiJson<PayoutRequest>,
) -> ApiResult<Response> {
    caller.require(Scope::PayoutsWrite)?;
    let pool = &state.services.pool;
    let id = payouts::request(pool, caller.user(), request.amount, &caller.meta(&headers)).await?;
    let made = payouts::list(pool, Some(caller.user()), caller.user())
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(ApiError::not_found)?;
    Ok((StatusCode::CREATED, Json(Payout::from(made))).into_response())
}

//! A maker's own products (`products:read`, `products:write`): list them, read one
//! with its version, change price and stock (`If-Match`), and set many products'
//! stock in one all-or-nothing request. Another maker's product is 404, as if it did
//! not exist.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use domain::catalog::inventory::{self, Change, Inventory};
use serde::{Deserialize, Serialize};
use types::{TextEnum, api::Scope, ids::ProductId};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    ApiState,
    auth::Caller,
    catalog::Price,
    error::{ApiError, ApiResult, ErrorResponse},
    etag,
    list::{List, Page},
};

pub fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_products))
        .routes(routes!(get_product, update_product))
        .routes(routes!(set_stock))
}

/// One of the caller's products, as its maker manages it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MakerProduct {
    pub id: Uuid,
    pub slug: String,
    /// The English name.
    pub name: String,
    /// `draft`, `submitted`, `under_review`, `published`, `rejected` or `archived`.
    pub status: String,
    pub price: Price,
    pub stock_on_hand: i32,
    /// Held for checkouts under way; stock may not be set below it.
    pub stock_reserved: i32,
    /// What shoppers can buy now.
    pub available: i32,
    /// Goes up with every change; the ETag carries it.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<Inventory> for MakerProduct {
    fn from(i: Inventory) -> Self {
        MakerProduct {
            id: i.id.0,
            slug: i.slug,
            name: i.name,
            status: i.status.as_str().to_owned(),
            price: Price { amount: i.price_minor, currency: i.currency },
            available: (i.stock_on_hand - i.stock_reserved).max(0),
            stock_on_hand: i.stock_on_hand,
            stock_reserved: i.stock_reserved,
            version: i.version,
            updated_at: i.updated_at,
        }
    }
}

/// A domain refusal with its fields named as this API names them (`stock` is
/// `stock_on_hand` here, `price_minor` is `price_amount`).
fn in_api_names(error: domain::Error) -> ApiError {
    match error {
        domain::Error::Validation(fields) => ApiError::fields(
            fields
                .into_iter()
                .map(|mut f| {
                    let (path, name) = f.field.rsplit_once('.').map_or(("", f.field.as_str()), |(p, n)| (p, n));
                    let renamed = match name {
                        "stock" => "stock_on_hand",
                        "price_minor" => "price_amount",
                        other => other,
                    };
                    f.field = if path.is_empty() { renamed.to_owned() } else { format!("{path}.{renamed}") };
                    f
                })
                .collect(),
        ),
        other => other.into(),
    }
}

fn answer(product: MakerProduct, headers: &HeaderMap) -> Response {
    let tag = etag::of_version(product.id, product.version);
    etag::respond(headers, tag, &product)
}

/// The caller's products, newest first.
#[utoipa::path(
    get,
    path = "/maker/products",
    tag = "maker",
    params(Page),
    responses(
        (status = 200, description = "A page of the caller's products", body = List<MakerProduct>),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["products:read"]))
)]
pub async fn list_products(
    State(state): State<ApiState>,
    caller: Caller,
    Query(page): Query<Page>,
) -> ApiResult<Json<List<MakerProduct>>> {
    caller.require(Scope::ProductsRead)?;
    let limit = page.limit()?;
    let (items, has_more) =
        inventory::list(&state.services.pool, caller.user(), limit, page.after_id()?.map(ProductId)).await?;
    Ok(Json(List { data: items.into_iter().map(MakerProduct::from).collect(), has_more }))
}

/// One of the caller's products.
#[utoipa::path(
    get,
    path = "/maker/products/{id}",
    tag = "maker",
    params(("id" = Uuid, Path, description = "The product's id")),
    responses(
        (status = 200, description = "The product", body = MakerProduct, headers(("ETag" = String))),
        (status = 304, description = "Not changed since the ETag sent in If-None-Match"),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, description = "Not one of the caller's products", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["products:read"]))
)]
pub async fn get_product(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    caller.require(Scope::ProductsRead)?;
    let product = inventory::read(&state.services.pool, caller.user(), ProductId(id)).await?;
    Ok(answer(product.into(), &headers))
}

/// What a product update changes; a field left out stays as it is.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductUpdate {
    /// The price in the product's currency's minor units.
    #[schema(minimum = 0)]
    pub price_amount: Option<i64>,
    /// Units on hand; at least what is reserved.
    #[schema(minimum = 0)]
    pub stock_on_hand: Option<i32>,
}

/// Changes a product's price or stock at once (no review: they are operational).
/// Send `If-Match` with the ETag you read to refuse the change (412) if the product
/// has changed since.
#[utoipa::path(
    patch,
    path = "/maker/products/{id}",
    tag = "maker",
    params(
        ("id" = Uuid, Path, description = "The product's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag of the version this change is based on"),
    ),
    request_body = ProductUpdate,
    responses(
        (status = 200, description = "The product as it is now", body = MakerProduct, headers(("ETag" = String))),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse),
        (status = 409, description = "The product is archived", body = ErrorResponse),
        (status = 412, description = "Changed since the version in If-Match", body = ErrorResponse),
        (status = 422, description = "A field was refused", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["products:write"]))
)]
pub async fn update_product(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    body: Result<Json<ProductUpdate>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Response> {
    caller.require(Scope::ProductsWrite)?;
    let Json(update) = body.map_err(|e| ApiError::malformed(e.body_text()))?;
    let expected = etag::expected_version(&headers, id)?;
    let change = Change { price_minor: update.price_amount, stock: update.stock_on_hand };
    let product =
        inventory::change(&state.services.pool, caller.user(), ProductId(id), change, expected, &caller.meta(&headers))
            .await
            .map_err(in_api_names)?;
    Ok(answer(product.into(), &HeaderMap::new()))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockItem {
    /// The product's id.
    pub product: Uuid,
    /// Units on hand; at least what is reserved.
    #[schema(minimum = 0)]
    pub stock_on_hand: i32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockUpdate {
    /// 1 to 500 products, each at most once.
    pub items: Vec<StockItem>,
}

/// Sets the stock of many products at once. All or nothing: if one item is refused
/// (not the caller's, archived, below what is reserved) nothing changes, and each
/// refusal is named at its item, e.g. `items[2].stock_on_hand`.
#[utoipa::path(
    post,
    path = "/maker/stock",
    tag = "maker",
    params(("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer")),
    request_body = StockUpdate,
    responses(
        (status = 200, description = "The products as they are now, in the order sent", body = List<MakerProduct>),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse), (status = 409, body = ErrorResponse),
        (status = 422, description = "An item was refused; nothing changed", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["products:write"]))
)]
pub async fn set_stock(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Json<StockUpdate>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Response> {
    caller.require(Scope::ProductsWrite)?;
    let Json(update) = body.map_err(|e| ApiError::malformed(e.body_text()))?;
    let items: Vec<(ProductId, i32)> = update.items.iter().map(|i| (ProductId(i.product), i.stock_on_hand)).collect();
    let done = inventory::set_stock(&state.services.pool, caller.user(), &items, &caller.meta(&headers))
        .await
        .map_err(in_api_names)?;
    let data = done.into_iter().map(MakerProduct::from).collect();
    Ok((StatusCode::OK, Json(List { data, has_more: false })).into_response())
}

//! A maker's own products (`products:read`, `products:write`): list them, read one
//! with its version, change price and stock (`If-Match`), and set many products'
//! stock in one all-or-nothing request. Another maker's product is 404, as if it did
//! not exist.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use domain::catalog::inventory::{self, Change, Inventory};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use domain::catalog::listing;
use types::{TextEnum, api::Scope, ids::ProductId, products::ProductDraft, specs::SPECS};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    ApiState,
    auth::Caller,
    catalog::Price,
    error::{ApiError, ApiResult, ErrorResponse},
    etag,
    extract::{ApiJson, ApiPath, ApiQuery},
    list::{List, Page},
};

pub fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_products, create_product))
        .routes(routes!(get_product, update_product, replace_product))
        .routes(routes!(submit_product))
        .routes(routes!(archive_product))
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
                        "stock" => "stock_on_hand".to_owned(),
                        "price" | "price_minor" => "price_amount".to_owned(),
                        spec if SPECS.iter().any(|s| s.key == spec) => format!("specifications.{spec}"),
                        other => other.to_owned(),
                    };
                    f.field = if path.is_empty() { renamed } else { format!("{path}.{renamed}") };
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
    ApiQuery(page): ApiQuery<Page>,
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
    ApiPath(id): ApiPath<Uuid>,
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
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    ApiJson(update): ApiJson<ProductUpdate>,
) -> ApiResult<Response> {
    caller.require(Scope::ProductsWrite)?;
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
    ApiJson(update): ApiJson<StockUpdate>,
) -> ApiResult<Response> {
    caller.require(Scope::ProductsWrite)?;
    let items: Vec<(ProductId, i32)> = update.items.iter().map(|i| (ProductId(i.product), i.stock_on_hand)).collect();
    let done = inventory::set_stock(&state.services.pool, caller.user(), &items, &caller.meta(&headers))
        .await
        .map_err(in_api_names)?;
    let data = done.into_iter().map(MakerProduct::from).collect();
    Ok((StatusCode::OK, Json(List { data, has_more: false })).into_response())
}

/// A product's content as the portal's editor has it. Creating a product makes a
/// draft; replacing a published product's content makes a revision that review
/// approves, while price and stock change at once.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductContent {
    /// A subcategory's slug (`GET /categories` lists them as `children`).
    pub category: String,
    pub name_en: String,
    /// The English name when left out.
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub summary_en: String,
    #[serde(default)]
    pub summary_zh: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub description_zh: String,
    /// In minor units of USD.
    #[schema(minimum = 1)]
    pub price_amount: i64,
    #[schema(minimum = 0)]
    pub stock_on_hand: i32,
    /// Stated measurements by key, e.g. `{"flight_time_min": 55, "weight_g": 1900}`.
    #[serde(default)]
    pub specifications: BTreeMap<String, i32>,
    /// e.g. `IP54`.
    #[serde(default)]
    pub ip_rating: Option<String>,
    #[serde(default)]
    pub compatibility: Vec<String>,
    #[serde(default)]
    pub features: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Ids of files you uploaded, pictures first, in display order.
    #[serde(default)]
    pub media: Vec<uuid::Uuid>,
}

impl ProductContent {
    /// The editor's form as a person would have typed it: one rule for both doors.
    fn draft(self) -> ApiResult<(ProductDraft, Vec<String>)> {
        let mut measures = BTreeMap::new();
        let mut unknown = Vec::new();
        for (key, value) in self.specifications {
            match SPECS.iter().find(|s| s.key == key) {
                Some(info) => {
                    measures.insert(info.spec, value.to_string());
                }
                None => unknown
                    .push(types::FieldError::new(format!("specifications.{key}"), types::ErrorCode::InvalidInput)),
            }
        }
        if !unknown.is_empty() {
            return Err(ApiError::fields(unknown));
        }
        let amount = self.price_amount;
        let price = if amount < 0 { amount.to_string() } else { format!("{}.{:02}", amount / 100, amount % 100) };
        let draft = ProductDraft {
            category: self.category,
            name_en: self.name_en,
            name_zh: self.name_zh,
            summary_en: self.summary_en,
            summary_zh: self.summary_zh,
            description_en: self.description_en,
            description_zh: self.description_zh,
            price,
            stock: self.stock_on_hand.to_string(),
            measures,
            ip_rating: self.ip_rating.unwrap_or_default(),
            compatibility: self.compatibility.join("\n"),
            features: self.features.join("\n"),
            tags: self.tags.join("\n"),
            media: Vec::new(),
        };
        Ok((draft, self.media.iter().map(uuid::Uuid::to_string).collect()))
    }
}

/// Creates a draft product; submit it for review to publish it.
#[utoipa::path(
    post,
    path = "/maker/products",
    tag = "maker",
    params(("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer")),
    request_body = ProductContent,
    responses(
        (status = 201, description = "The draft", body = MakerProduct, headers(("ETag" = String))),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse),
        (status = 422, description = "A field was refused", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["products:write"]))
)]
pub async fn create_product(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(content): ApiJson<ProductContent>,
) -> ApiResult<Response> {
    caller.require(Scope::ProductsWrite)?;
    let (draft, media) = content.draft()?;
    let services = &state.services;
    let id =
        listing::create(services, caller.user(), &draft, &media, &caller.meta(&headers)).await.map_err(in_api_names)?;
    let product: MakerProduct = inventory::read(&services.pool, caller.user(), id).await?.into();
    let mut response = answer(product, &HeaderMap::new());
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

/// Replaces a product's content, as the editor's "Save" does. A published product
/// keeps its live content until review approves the change.
#[utoipa::path(
    put,
    path = "/maker/products/{id}",
    tag = "maker",
    params(("id" = Uuid, Path, description = "The product's id")),
    request_body = ProductContent,
    responses(
        (status = 200, description = "The product as it is now", body = MakerProduct, headers(("ETag" = String))),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse),
        (status = 409, description = "Waiting for review, or archived", body = ErrorResponse),
        (status = 422, description = "A field was refused", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["products:write"]))
)]
pub async fn replace_product(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    ApiJson(content): ApiJson<ProductContent>,
) -> ApiResult<Response> {
    caller.require(Scope::ProductsWrite)?;
    let (draft, media) = content.draft()?;
    let services = &state.services;
    let id = ProductId(id);
    listing::save(services, caller.user(), id, &draft, &media, &caller.meta(&headers)).await.map_err(in_api_names)?;
    Ok(answer(inventory::read(&services.pool, caller.user(), id).await?.into(), &HeaderMap::new()))
}

/// Sends a draft, or a published product's changes, to review.
#[utoipa::path(
    post,
    path = "/maker/products/{id}/submit",
    tag = "maker",
    params(
        ("id" = Uuid, Path, description = "The product's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer"),
    ),
    responses(
        (status = 200, description = "The product, waiting for review", body = MakerProduct),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse),
        (status = 409, description = "Already in review, or nothing to submit", body = ErrorResponse),
        (status = 422, description = "Not complete enough to review", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["products:write"]))
)]
pub async fn submit_product(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
) -> ApiResult<Json<MakerProduct>> {
    caller.require(Scope::ProductsWrite)?;
    let services = &state.services;
    listing::submit(services, caller.user(), ProductId(id), &caller.meta(&headers)).await.map_err(in_api_names)?;
    Ok(Json(inventory::read(&services.pool, caller.user(), ProductId(id)).await?.into()))
}

/// Takes a product off sale for good; its orders and history stay.
#[utoipa::path(
    post,
    path = "/maker/products/{id}/archive",
    tag = "maker",
    params(
        ("id" = Uuid, Path, description = "The product's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer"),
    ),
    responses(
        (status = 200, description = "The product, archived", body = MakerProduct),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse), (status = 409, body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["products:write"]))
)]
pub async fn archive_product(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
) -> ApiResult<Json<MakerProduct>> {
    caller.require(Scope::ProductsWrite)?;
    let services = &state.services;
    listing::archive(services, caller.user(), ProductId(id), &caller.meta(&headers)).await?;
    Ok(Json(inventory::read(&services.pool, caller.user(), ProductId(id)).await?.into()))
}

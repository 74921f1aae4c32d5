//! The caller's webhook endpoints (`webhooks:write`): register one (its signing
//! secret is answered once), read one with its delivery log, switch it on again,
//! remove it, send a delivery again.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use domain::webhooks::endpoints;
use serde::{Deserialize, Serialize};
use types::{
    TextEnum,
    api::Scope,
    ids::{WebhookDeliveryId, WebhookEndpointId},
    webhooks::{DeliveryView, EndpointView},
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    ApiState,
    auth::Caller,
    error::{ApiResult, ErrorResponse},
    extract::{ApiJson, ApiPath, ApiQuery},
    list::{List, Page},
};

pub fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(list_endpoints, create_endpoint))
        .routes(routes!(get_endpoint, delete_endpoint))
        .routes(routes!(enable_endpoint))
        .routes(routes!(send_again))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Endpoint {
    pub id: uuid::Uuid,
    pub url: String,
    pub description: String,
    /// e.g. `order.paid`, `sub_order.shipped`, `product.published`, `payout.paid`.
    pub events: Vec<String>,
    pub enabled: bool,
    /// `failing` when it was switched off after failing for days.
    pub disabled_reason: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<EndpointView> for Endpoint {
    fn from(e: EndpointView) -> Self {
        Endpoint {
            id: e.id.0,
            url: e.url,
            description: e.description,
            events: e.events.iter().map(|e| e.as_str().to_owned()).collect(),
            enabled: e.enabled,
            disabled_reason: e.disabled_reason,
            failing_since: e.failing_since,
            created_at: e.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Delivery {
    pub id: uuid::Uuid,
    pub event: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub attempts: i32,
    /// The receiver's last HTTP status.
    pub response_status: Option<i32>,
    /// Why the last attempt got no answer.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<DeliveryView> for Delivery {
    fn from(d: DeliveryView) -> Self {
        Delivery {
            id: d.id.0,
            event: d.event.as_str().to_owned(),
            status: d.status.as_str().to_owned(),
            attempts: d.attempts,
            response_status: d.response_status,
            error: d.error,
            created_at: d.created_at,
            next_attempt_at: d.next_attempt_at,
            delivered_at: d.delivered_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EndpointWithLog {
    #[serde(flatten)]
    pub endpoint: Endpoint,
    /// The newest deliveries, newest first (at most 50).
    pub deliveries: Vec<Delivery>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedEndpoint {
    #[serde(flatten)]
    pub endpoint: Endpoint,
    /// Verifies the `OpenAero-Signature` of each delivery; answered only now.
    pub secret: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEndpoint {
    /// `https://…` (plain `http` only outside production).
    pub url: String,
    #[serde(default)]
    pub description: String,
    pub events: Vec<String>,
}

/// The caller's endpoints, newest first.
#[utoipa::path(
    get,
    path = "/webhook_endpoints",
    tag = "webhooks",
    params(Page),
    responses(
        (status = 200, description = "A page of endpoints", body = List<Endpoint>),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["webhooks:write"]))
)]
pub async fn list_endpoints(
    State(state): State<ApiState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<Json<List<Endpoint>>> {
    caller.require(Scope::WebhooksWrite)?;
    let all = endpoints::list(&state.services.pool, caller.user()).await?;
    Ok(Json(page.slice(all, |e| e.id.to_string())?.map(Endpoint::from)))
}

/// Registers an endpoint for events. Each delivery is signed with the secret answered
/// here: `OpenAero-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
#[utoipa::path(
    post,
    path = "/webhook_endpoints",
    tag = "webhooks",
    params(("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer")),
    request_body = NewEndpoint,
    responses(
        (status = 201, description = "The endpoint with its secret", body = CreatedEndpoint),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse), (status = 422, body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["webhooks:write"]))
)]
pub async fn create_endpoint(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(new): ApiJson<NewEndpoint>,
) -> ApiResult<Response> {
    caller.require(Scope::WebhooksWrite)?;
    let events = endpoints::read_events(&new.events)?;
    let made =
        endpoints::create(&state.services, &caller.0.user, &new.url, &new.description, &events, &caller.meta(&headers))
            .await?;
    let body = CreatedEndpoint { endpoint: made.endpoint.into(), secret: made.secret };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// One of the caller's endpoints with its delivery log.
#[utoipa::path(
    get,
    path = "/webhook_endpoints/{id}",
    tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "The endpoint's id")),
    responses(
        (status = 200, description = "The endpoint and its newest deliveries", body = EndpointWithLog),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["webhooks:write"]))
)]
pub async fn get_endpoint(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
) -> ApiResult<Json<EndpointWithLog>> {
    caller.require(Scope::WebhooksWrite)?;
    let (endpoint, log) = endpoints::get(&state.services.pool, caller.user(), WebhookEndpointId(id)).await?;
    Ok(Json(EndpointWithLog { endpoint: endpoint.into(), deliveries: log.into_iter().map(Delivery::from).collect() }))
}

/// Removes an endpoint and its delivery log.
#[utoipa::path(
    delete,
    path = "/webhook_endpoints/{id}",
    tag = "webhooks",
    params(("id" = uuid::Uuid, Path, description = "The endpoint's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["webhooks:write"]))
)]
pub async fn delete_endpoint(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    caller.require(Scope::WebhooksWrite)?;
    endpoints::delete(&state.services.pool, caller.user(), WebhookEndpointId(id), &caller.meta(&headers)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Switches an endpoint on again (after it was switched off for failing).
#[utoipa::path(
    post,
    path = "/webhook_endpoints/{id}/enable",
    tag = "webhooks",
    params(
        ("id" = uuid::Uuid, Path, description = "The endpoint's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer"),
    ),
    responses(
        (status = 200, description = "The endpoint, on", body = Endpoint),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["webhooks:write"]))
)]
pub async fn enable_endpoint(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
) -> ApiResult<Json<Endpoint>> {
    caller.require(Scope::WebhooksWrite)?;
    let pool = &state.services.pool;
    let id = WebhookEndpointId(id);
    endpoints::set_enabled(pool, caller.user(), id, true).await?;
    Ok(Json(endpoints::get(pool, caller.user(), id).await?.0.into()))
}

/// Sends a delivery again, now.
#[utoipa::path(
    post,
    path = "/webhook_endpoints/{id}/deliveries/{delivery}/send_again",
    tag = "webhooks",
    params(
        ("id" = uuid::Uuid, Path, description = "The endpoint's id"),
        ("delivery" = uuid::Uuid, Path, description = "The delivery's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer"),
    ),
    responses(
        (status = 202, description = "Queued: it is sent within seconds"),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["webhooks:write"]))
)]
pub async fn send_again(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath((id, delivery)): ApiPath<(uuid::Uuid, uuid::Uuid)>,
) -> ApiResult<StatusCode> {
    caller.require(Scope::WebhooksWrite)?;
    endpoints::send_again(&state.services.pool, caller.user(), WebhookEndpointId(id), WebhookDeliveryId(delivery))
        .await?;
    Ok(StatusCode::ACCEPTED)
}

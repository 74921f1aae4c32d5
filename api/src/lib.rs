//! The public API, `/api/v1`: JSON over the same domain functions as the pages (one
//! rule, two doors), for makers' own systems, back offices and other storefronts.
//!
//! Conventions (see `docs/API.md`): bearer tokens with scopes ([`auth`]); one error
//! shape ([`error`]); cursor pagination ([`list`]); `Idempotency-Key` on POST
//! ([`idempotency`]); ETags on reads and `If-Match` on updates ([`etag`]); money in
//! integer minor units with its currency; timestamps in RFC 3339. The OpenAPI 3.1
//! document is generated from the handlers below ([`openapi`]).

pub mod admin;
pub mod auth;
pub mod catalog;
pub mod error;
pub mod etag;
pub mod extract;
pub mod files;
pub mod idempotency;
pub mod list;
pub mod maker;
pub mod openapi;
pub mod orders;
pub mod sales;
pub mod webhooks;

use axum::{Router, middleware};
use domain::Services;
use utoipa_axum::router::OpenApiRouter;

/// What every handler reads.
#[derive(Clone)]
pub struct ApiState {
    pub services: Services,
    /// Whether each token is held to its rate (`auth::PER_TOKEN`); off only for load
    /// benchmarks, with the edge's limits (`OPENAERO_EDGE_LIMITS=false`).
    pub limit_tokens: bool,
}

/// The routes whose POST bodies are JSON, kept whole for `Idempotency-Key`.
fn json_routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::with_openapi(openapi::base())
        .merge(catalog::routes())
        .merge(maker::routes())
        .merge(sales::routes())
        .merge(orders::routes())
        .merge(admin::routes())
        .merge(webhooks::routes())
}

/// The documented routes, before the document is split off.
fn documented() -> OpenApiRouter<ApiState> {
    json_routes().merge(files::routes())
}

/// The API under `/api/v1`, with its document at `/api/v1/openapi.json` and a
/// reference page at `/api/v1/docs`.
pub fn router(services: Services, limit_tokens: bool) -> Router {
    let state = ApiState { services, limit_tokens };
    let (routes, _) = json_routes().split_for_parts();
    let (uploads, _) = files::routes().split_for_parts();
    let guarded = routes
        .layer(middleware::from_fn_with_state(state.clone(), idempotency::replay_or_run))
        .merge(uploads)
        .layer(middleware::from_fn_with_state(state.clone(), auth::authenticate));
    let v1 = guarded.merge(openapi::routes(document())).fallback(|| async { error::ApiError::not_found() });
    Router::new().nest("/api/v1", v1).with_state(state)
}

/// The document as served, for tests and for `openaero api-document`.
pub fn document() -> utoipa::openapi::OpenApi {
    openapi::with_common_answers(documented().split_for_parts().1)
}

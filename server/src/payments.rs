//! The payment provider's webhook endpoint. It sits outside the session and
//! cross-site layers (the provider is neither a browser nor a user); what makes it
//! safe is the signature, checked by the domain before anything is read.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use domain::{
    Services,
    commerce::checkout::webhooks::{self, Receipt},
};
use serde_json::json;

/// The header a provider signs its webhooks with.
pub const SIGNATURE_HEADER: &str = "openaero-signature";

pub fn routes(services: Services) -> Router {
    Router::new().route("/webhooks/payments/{provider}", post(receive)).with_state(services)
}

async fn receive(
    State(services): State<Services>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if provider != services.payments.name() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    match webhooks::receive(&services, signature, &body).await {
        Ok(receipt) => {
            let receipt = match receipt {
                Receipt::Applied => "applied",
                Receipt::Duplicate => "duplicate",
                Receipt::Ignored => "ignored",
            };
            metrics::counter!("payment_webhooks_total", "result" => receipt).increment(1);
            Json(json!({ "received": receipt })).into_response()
        }
        Err(domain::Error::BadRequest(code)) => {
            metrics::counter!("payment_webhooks_total", "result" => "refused").increment(1);
            (StatusCode::BAD_REQUEST, Json(json!({ "error": code }))).into_response()
        }
        Err(e) => {
            tracing::error!(error = ?e, "handling a payment webhook failed");
            // The provider retries a 5xx, which is what should happen.
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

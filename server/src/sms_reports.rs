//! `POST /webhooks/sms`: the SMS provider's delivery reports, a form per message,
//! signed in `X-Twilio-Signature` with the provider's auth token over our address and
//! the form. Outside the session and cross-site layers: the signature is what makes it
//! safe. Without an SMS provider the route does not exist. The rules are
//! `domain::notifications::sms::reports`.

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use domain::{
    Error, Services,
    notifications::sms::{
        REPORTS_PATH,
        reports::{self, SIGNATURE_HEADER},
    },
};

pub fn routes(services: Services) -> Router {
    if services.sms.is_none() {
        return Router::new();
    }
    Router::new().route(REPORTS_PATH, post(receive)).with_state(services)
}

async fn receive(State(services): State<Services>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(channel) = &services.sms else { return StatusCode::NOT_FOUND.into_response() };
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let params: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    // The provider signs the address we gave it, which is the configured one.
    let url = format!("{}{REPORTS_PATH}", services.settings.base_url);
    match reports::receive(&services, channel, &url, &params, signature).await {
        Ok(_) => StatusCode::OK.into_response(),
        Err(Error::Forbidden) => {
            metrics::counter!("sms_reports_total", "result" => "refused").increment(1);
            StatusCode::FORBIDDEN.into_response()
        }
        Err(Error::BadRequest(_)) => StatusCode::BAD_REQUEST.into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "applying an SMS report failed");
            // The provider sends it again; a report applied twice changes nothing.
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

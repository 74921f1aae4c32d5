//! `POST /webhooks/mail`: the mail provider's delivery reports (delivered, bounced,
//! complained), one or a batch, signed like payment webhooks (`OpenAero-Signature:
//! t=…,v1=…` over the body with `OPENAERO_MAIL_REPORTS_SECRET`). Outside the session
//! and cross-site layers: the signature is what makes it safe. Without the secret the
//! route does not exist. The rules are `domain::users::mail_reports`.

use std::sync::Arc;

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use domain::{
    Services,
    commerce::payments::signature,
    users::mail_reports::{self, Applied, Report},
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

use crate::payments::SIGNATURE_HEADER;

pub const PATH: &str = "/webhooks/mail";

#[derive(Clone)]
struct Reports {
    services: Services,
    secret: Arc<SecretString>,
}

/// One report or a batch of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum Body {
    One(Report),
    Many(Vec<Report>),
}

pub fn routes(services: Services, secret: Option<SecretString>) -> Router {
    match secret {
        Some(secret) => {
            Router::new().route(PATH, post(receive)).with_state(Reports { services, secret: Arc::new(secret) })
        }
        None => Router::new(),
    }
}

async fn receive(State(reports): State<Reports>, headers: HeaderMap, body: Bytes) -> Response {
    let header = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let secret = reports.secret.expose_secret().as_bytes();
    if signature::verify(secret, header, &body, chrono::Utc::now()).is_err() {
        metrics::counter!("mail_reports_total", "result" => "refused").increment(1);
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "signature" }))).into_response();
    }
    let batch = match serde_json::from_slice::<Body>(&body) {
        Ok(Body::One(report)) => vec![report],
        Ok(Body::Many(reports)) => reports,
        Err(_) => {
            metrics::counter!("mail_reports_total", "result" => "refused").increment(1);
            return (StatusCode::BAD_REQUEST, Json(json!({ "error": "body" }))).into_response();
        }
    };
    let (mut applied, mut ignored, mut unknown) = (0, 0, 0);
    for report in &batch {
        match mail_reports::apply(&reports.services, report).await {
            Ok(Applied::Applied) => applied += 1,
            Ok(Applied::Ignored) => ignored += 1,
            Ok(Applied::Unknown) => unknown += 1,
            Err(e) => {
                tracing::error!(error = ?e, "applying a mail report failed");
                // The provider sends it again, which is what should happen; reports
                // applied before this one change nothing the second time.
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    }
    for (result, n) in [("applied", applied), ("ignored", ignored), ("unknown", unknown)] {
        metrics::counter!("mail_reports_total", "result" => result).increment(n);
    }
    Json(json!({ "applied": applied, "ignored": ignored, "unknown": unknown })).into_response()
}

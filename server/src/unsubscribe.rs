//! `POST /unsubscribe?token=…`: a mail client's one-click unsubscribe (RFC 8058, body
//! `List-Unsubscribe=One-Click`) and the unsubscribe page's button. The signed token is
//! the authority, not a session, so there is no cookie for a forged request to ride on.
//! Thin: the rules are `domain::users::unsubscribe`.

use app::ssr::AppState;
use axum::{
    Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::post,
};
use serde::Deserialize;
use types::profile::UNSUBSCRIBE_PATH;

pub fn routes() -> Router<AppState> {
    Router::new().route(UNSUBSCRIBE_PATH, post(one_click))
}

#[derive(Deserialize)]
struct Link {
    token: String,
}

async fn one_click(State(state): State<AppState>, Query(Link { token }): Query<Link>, headers: HeaderMap) -> Response {
    let browser = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    match domain::users::unsubscribe::apply(&state.services, &token).await {
        // The page says what was done, or that the link is not valid, in the reader's
        // language (a valid token is URL-safe as made).
        Ok(_) if browser => Redirect::to(&format!("{UNSUBSCRIBE_PATH}?token={token}&done=1")).into_response(),
        Err(domain::Error::NotFound) if browser => Redirect::to(UNSUBSCRIBE_PATH).into_response(),
        Ok(_) => (StatusCode::OK, "Unsubscribed.").into_response(),
        Err(domain::Error::NotFound) => (StatusCode::NOT_FOUND, "This unsubscribe link is not valid.").into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "unsubscribing failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

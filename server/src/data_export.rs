//! `GET /account/export`: everything stored about the signed-in person, as a JSON file
//! to download (`domain::privacy::export`, which also audits it).

use app::ssr::{AppState, CurrentUser};
use axum::{
    Extension, Router,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use types::profile::EXPORT_PATH;

pub fn routes() -> Router<AppState> {
    Router::new().route(EXPORT_PATH, get(download))
}

async fn download(State(state): State<AppState>, Extension(user): Extension<CurrentUser>) -> Response {
    let Some(user) = user.0 else {
        return Redirect::to(&format!("/login?next={EXPORT_PATH}")).into_response();
    };
    let document = match domain::privacy::export::collect(&state.services, user.id).await {
        Ok(document) => document,
        Err(e) => {
            tracing::error!(error = ?e, "exporting a person's data failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let name = format!("openaero-data-{}.json", chrono::Utc::now().format("%Y-%m-%d"));
    let body = serde_json::to_vec_pretty(&document).unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

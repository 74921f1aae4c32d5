//! Generated product pictures. Each URL always draws the same picture, so browsers and
//! proxies may keep it for a year.

use axum::{
    extract::Path,
    http::{StatusCode, header},
    response::IntoResponse,
};
use domain::catalog::artwork;

pub async fn generated_art(Path(path): Path<String>) -> impl IntoResponse {
    match artwork::parse_path(&path) {
        Some((shape, hue, view)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            artwork::render(shape, hue, view),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

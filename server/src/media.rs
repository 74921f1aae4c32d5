//! Generated product media: pictures (each URL always draws the same picture, so
//! browsers and proxies may keep it for a year) and specification sheets (drawn from
//! the live catalog, so kept briefly).

use axum::{
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::{
    Services,
    catalog::{artwork, cached, spec_sheet},
};
use types::Locale;

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

/// `/media/spec-sheets/{slug}.pdf`: the product's specification sheet.
pub async fn spec_sheet(State(services): State<Services>, Path(file): Path<String>) -> Response {
    let Some(slug) = file.strip_suffix(".pdf") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match cached::product(&services, slug, Locale::En).await {
        Ok((_, product)) => {
            let page = format!("{}/p/{slug}", services.settings.base_url);
            let disposition = format!("inline; filename=\"{slug}-spec-sheet.pdf\"");
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                ],
                spec_sheet::render(&product, &page),
            )
                .into_response()
        }
        Err(domain::Error::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = ?e, "spec sheet failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

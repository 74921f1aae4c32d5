//! Every analytics table as a CSV file, for a spreadsheet. Thin: the same reports as the
//! pages (`domain::analytics::report`), the same checks, and `Table::to_csv`.
//!
//! - `GET /admin/analytics/{section}/{table}.csv?from=…&to=…` (permission `analytics.view`)
//! - `GET /creator/analytics/{table}.csv?from=…&to=…` (the signed-in maker's own)

use app::ssr::{AppState, CurrentUser, RequestLocale};
use axum::{
    Extension, Router,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use domain::analytics::report::Period;
use serde::Deserialize;
use types::{
    ErrorCode, Permission, SessionUser,
    analytics::table::{Dashboard, Section, TableName},
};

use crate::files::ApiError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/analytics/{section}/{file}", get(console))
        .route("/creator/analytics/{file}", get(maker))
}

#[derive(Deserialize)]
struct Dates {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

fn allowed(user: CurrentUser, permission: Permission) -> Result<SessionUser, ApiError> {
    let user = user.0.ok_or(ErrorCode::NotAuthenticated)?;
    if user.can(permission) { Ok(user) } else { Err(ErrorCode::Forbidden.into()) }
}

/// `days.csv` names the table `days`.
fn table_name(file: &str) -> Result<TableName, ApiError> {
    file.strip_suffix(".csv").and_then(|name| name.parse().ok()).ok_or_else(|| ErrorCode::NotFound.into())
}

fn period(dates: &Dates) -> Result<Period, ApiError> {
    Ok(Period::parse(&dates.from, &dates.to, chrono::Utc::now().date_naive())?)
}

/// The table as a download. The byte-order mark makes spreadsheets read the file as
/// UTF-8 (names in Chinese, say); the file is never cached, its figures are private.
fn download(dashboard: Dashboard, name: TableName, prefix: &str) -> Result<Response, ApiError> {
    let table = dashboard.table(name).ok_or(ErrorCode::NotFound)?;
    let file = format!("openaero-{prefix}{}-{}-{}.csv", <&str>::from(name), dashboard.from, dashboard.to);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        format!("\u{feff}{}", table.to_csv()),
    )
        .into_response())
}

async fn console(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(locale): Extension<RequestLocale>,
    Path((section, file)): Path<(String, String)>,
    Query(dates): Query<Dates>,
) -> Result<Response, ApiError> {
    allowed(user, Permission::ViewAnalytics)?;
    let section: Section = section.parse().map_err(|_| ErrorCode::NotFound)?;
    let name = table_name(&file)?;
    let dashboard = state.services.reports.dashboard(section, period(&dates)?, locale.0).await?;
    download(dashboard, name, "")
}

async fn maker(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(locale): Extension<RequestLocale>,
    Path(file): Path<String>,
    Query(dates): Query<Dates>,
) -> Result<Response, ApiError> {
    let user = allowed(user, Permission::CreatorPortal)?;
    let name = table_name(&file)?;
    let figures = state.services.reports.maker(user.id, period(&dates)?, locale.0).await?;
    download(figures.into(), name, "maker-")
}

//! File uploads and downloads over HTTP. Thin: the rules live in `domain::files`.
//!
//! - `POST /api/files` (multipart, any number of `file` fields, optional `access`)
//! - `POST /api/files/uploads` `{name, size, access}` starts a resumable upload;
//!   `GET /api/files/uploads/{id}` says which chunks arrived;
//!   `PUT /api/files/uploads/{id}/chunks/{n}` sends one; `POST …/complete` finishes.
//! - `POST /api/files/{id}/share` `{ttl_secs}` makes a signed, expiring link.
//! - `GET /files/{id}` and `GET /files/{id}/{small|large}.webp` read a file.

use app::{
    error::AppError,
    ssr::{AppState, CurrentUser},
};
use axum::{
    Extension, Json, Router,
    body::{Body, Bytes},
    extract::{DefaultBodyLimit, Multipart, Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post, put},
};
use domain::files::{self, Served, SignedLink, Variant, byte_range, chunked, ingest};
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;
use types::TextEnum;
use types::{
    ErrorCode, SessionUser,
    files::{FileAccess, FileInfo, FileKind, ThumbnailSize, UploadStatus},
    ids::{FileId, UploadId},
};

pub fn routes() -> Router<AppState> {
    // Multipart bodies are counted by the domain as they stream; this only stops a
    // body far beyond any accepted file.
    let largest = FileKind::ALL.iter().map(|k| k.max_bytes()).max().unwrap_or(0) as usize;
    Router::new()
        .route("/api/files", post(upload_whole).layer(DefaultBodyLimit::max(largest + (1 << 20))))
        .route("/api/files/uploads", post(begin_upload))
        .route("/api/files/uploads/{id}", get(upload_status))
        .route(
            "/api/files/uploads/{id}/chunks/{index}",
            put(put_chunk).layer(DefaultBodyLimit::max(chunked::CHUNK_SIZE as usize)),
        )
        .route("/api/files/uploads/{id}/complete", post(complete_upload))
        .route("/api/files/{id}/share", post(share))
        .route("/files/{id}", get(download))
        .route("/files/{id}/{variant}", get(download_thumbnail))
}

/// An error answered as JSON with its status, like a server function's.
pub struct ApiError(AppError);

impl From<domain::Error> for ApiError {
    fn from(e: domain::Error) -> Self {
        ApiError(AppError::from(e))
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        ApiError(AppError::new(code))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0)).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

fn signed_in(user: &CurrentUser) -> ApiResult<SessionUser> {
    user.0.clone().ok_or_else(|| ErrorCode::NotAuthenticated.into())
}

fn access(raw: Option<&str>) -> ApiResult<FileAccess> {
    match raw {
        None | Some("") => Ok(FileAccess::Private),
        Some(s) => FileAccess::parse(s).ok_or_else(|| ErrorCode::BadRequest.into()),
    }
}

/// Stores every `file` field. Files are taken one by one: a refused file stops the
/// request with its reason, and the files stored before it are kept and listed in
/// the browser's next request for them (each is whole and valid on its own).
async fn upload_whole(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Query(query): Query<AccessQuery>,
    mut form: Multipart,
) -> ApiResult<(StatusCode, Json<Vec<FileInfo>>)> {
    let user = signed_in(&user)?;
    let mut access = access(query.access.as_deref())?;
    let mut stored = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|_| ApiError::from(ErrorCode::BadRequest))? {
        match field.name() {
            Some("access") => {
                let text = field.text().await.map_err(|_| ApiError::from(ErrorCode::BadRequest))?;
                access = self::access(Some(&text))?;
            }
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let body =
                    field.map_err(|_| domain::Error::BadRequest(ErrorCode::BadRequest)).map_ok(Bytes::from).boxed();
                let incoming = ingest::Incoming { owner: user.id, name, access };
                stored.push(ingest::ingest(&state.services, incoming, body).await?);
            }
            _ => {}
        }
    }
    if stored.is_empty() {
        return Err(ErrorCode::Required.into());
    }
    Ok((StatusCode::CREATED, Json(stored)))
}

#[derive(Deserialize)]
struct AccessQuery {
    access: Option<String>,
}

#[derive(Deserialize)]
struct BeginUpload {
    name: String,
    size: u64,
    access: Option<String>,
}

async fn begin_upload(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Json(begin): Json<BeginUpload>,
) -> ApiResult<(StatusCode, Json<UploadStatus>)> {
    let user = signed_in(&user)?;
    let access = access(begin.access.as_deref())?;
    let status = chunked::begin(&state.services, user.id, &begin.name, begin.size, access).await?;
    Ok((StatusCode::CREATED, Json(status)))
}

fn upload_id(raw: &str) -> ApiResult<UploadId> {
    raw.parse().map_err(|_| ErrorCode::NotFound.into())
}

async fn upload_status(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> ApiResult<Json<UploadStatus>> {
    let user = signed_in(&user)?;
    Ok(Json(chunked::status(&state.services, user.id, upload_id(&id)?).await?))
}

async fn put_chunk(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((id, index)): Path<(String, u32)>,
    body: Bytes,
) -> ApiResult<Json<UploadStatus>> {
    let user = signed_in(&user)?;
    Ok(Json(chunked::put_chunk(&state.services, user.id, upload_id(&id)?, index, body).await?))
}

async fn complete_upload(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<FileInfo>)> {
    let user = signed_in(&user)?;
    Ok((StatusCode::CREATED, Json(chunked::complete(&state.services, user.id, upload_id(&id)?).await?)))
}

#[derive(Deserialize)]
struct ShareRequest {
    ttl_secs: i64,
}

#[derive(serde::Serialize)]
struct Shared {
    url: String,
}

async fn share(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Json(request): Json<ShareRequest>,
) -> ApiResult<Json<Shared>> {
    let user = signed_in(&user)?;
    let id: FileId = id.parse().map_err(|_| ApiError::from(ErrorCode::NotFound))?;
    Ok(Json(Shared { url: files::share(&state.services, &user, id, request.ttl_secs).await? }))
}

#[derive(Deserialize)]
struct LinkQuery {
    expires: Option<i64>,
    signature: Option<String>,
}

async fn download(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(id): Path<String>,
    Query(link): Query<LinkQuery>,
    headers: HeaderMap,
) -> Response {
    let range = headers.get(header::RANGE).and_then(|r| r.to_str().ok());
    serve(&state, &user, &id, Variant::Original, link, range).await
}

async fn download_thumbnail(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((id, variant)): Path<(String, String)>,
    Query(link): Query<LinkQuery>,
) -> Response {
    let size = variant.strip_suffix(".webp").and_then(ThumbnailSize::parse);
    match size {
        Some(size) => serve(&state, &user, &id, Variant::Thumbnail(size), link, None).await,
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn serve(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    variant: Variant,
    link: LinkQuery,
    range: Option<&str>,
) -> Response {
    let Ok(id) = id.parse::<FileId>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let link = match (link.expires, link.signature) {
        (Some(expires), Some(signature)) => Some(SignedLink { expires, signature }),
        _ => None,
    };
    match files::open(&state.services, user.0.as_ref(), id, variant, link.as_ref(), range).await {
        Ok((record, served)) => {
            let info = &record.info;
            let size = info.size_bytes;
            let (status, body, length, content_range) = match served {
                Served::Whole(stream) => {
                    let length = (variant == Variant::Original).then_some(size);
                    (StatusCode::OK, Body::from_stream(stream), length, None)
                }
                Served::Part(part, stream) => {
                    let content_range = byte_range::content_range(&part, size);
                    (
                        StatusCode::PARTIAL_CONTENT,
                        Body::from_stream(stream),
                        Some(part.end - part.start),
                        Some(content_range),
                    )
                }
                Served::Unsatisfiable => {
                    (StatusCode::RANGE_NOT_SATISFIABLE, Body::empty(), None, Some(format!("bytes */{size}")))
                }
            };
            let content_type = match variant {
                Variant::Original => info.content_type.clone(),
                Variant::Thumbnail(_) => "image/webp".to_owned(),
            };
            // Content never changes under an id, so a public file may be kept for good.
            let cache = match info.access {
                FileAccess::Public if link.is_none() => "public, max-age=31536000, immutable",
                _ => "private, no-store",
            };
            let mut response = Response::new(body);
            *response.status_mut() = status;
            let headers = response.headers_mut();
            let mut set = |name, value: String| {
                if let Ok(value) = value.parse() {
                    headers.insert(name, value);
                }
            };
            set(header::CONTENT_TYPE, content_type);
            set(header::CACHE_CONTROL, cache.to_owned());
            set(header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned());
            // Served files never run script in this site's origin, whatever they hold.
            // (Chromium's PDF viewer refuses a sandboxed document; PDFs cannot reach
            // the page's origin from inside the viewer anyway.)
            if info.content_type != "application/pdf" || variant != Variant::Original {
                set(
                    header::CONTENT_SECURITY_POLICY,
                    "sandbox; default-src 'none'; img-src 'self'; media-src 'self'".to_owned(),
                );
            }
            set(header::CONTENT_DISPOSITION, files::name::content_disposition(true, &info.name));
            if variant == Variant::Original {
                // Videos can be scrubbed and large downloads resumed.
                set(header::ACCEPT_RANGES, "bytes".to_owned());
            }
            if let Some(length) = length {
                set(header::CONTENT_LENGTH, length.to_string());
            }
            if let Some(content_range) = content_range {
                set(header::CONTENT_RANGE, content_range);
            }
            response
        }
        Err(domain::Error::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

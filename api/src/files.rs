//! Uploading a file (`products:write`): a product's pictures, video and documents are
//! sent here first, then named by id in the product's `media`. The body is the file's
//! bytes, streamed to storage through `files::ingest` like the portal's uploads: the
//! type is read from the content, the size counted as it arrives.
//!
//! `Idempotency-Key` is honoured here rather than by [`crate::idempotency`]'s
//! middleware, which would hold the whole body in memory: the file is stored first
//! and its SHA-256 stands for the body. A repeat answers the first upload and its
//! copy is removed.

use axum::{
    Json,
    body::Body,
    extract::State,
    http::{HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
};
use domain::{
    files::{self, ingest},
    idempotency,
};
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use types::{
    TextEnum,
    api::Scope,
    files::{FileAccess, FileInfo},
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    ApiState,
    auth::Caller,
    error::{ApiError, ApiResult, ErrorResponse},
    extract::ApiQuery,
    idempotency as replay,
};

pub fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new().routes(routes!(upload_file))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name, shown to shoppers and used for downloads: `frame.jpg`.
    #[param(example = "frame.jpg")]
    pub name: String,
    /// `public` (a product's pictures) or `private` (only you and reviewers); private
    /// when left out.
    pub access: Option<String>,
}

/// A stored file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct File {
    pub id: Uuid,
    /// `image`, `document` or `video`.
    pub kind: String,
    /// As read from the content, not from the name.
    pub content_type: String,
    pub name: String,
    pub size_bytes: u64,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    /// In pixels, for pictures.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// `public` or `private`.
    pub access: String,
    /// Where it is read: public files by anyone, private ones signed in.
    pub url: String,
}

impl From<FileInfo> for File {
    fn from(info: FileInfo) -> Self {
        File {
            id: info.id.0,
            kind: info.kind.as_str().to_owned(),
            url: info.url(),
            content_type: info.content_type,
            name: info.name,
            size_bytes: info.size_bytes,
            sha256: info.sha256,
            width: info.width,
            height: info.height,
            access: info.access.as_str().to_owned(),
        }
    }
}

/// Stores a file: JPEG, PNG or WebP pictures up to 20 MB, PDF documents up to 25 MB,
/// MP4 or WebM video up to 512 MB, within your 2 GB of storage. A file that no
/// product or application uses a day after its upload is removed.
#[utoipa::path(
    post,
    path = "/files",
    tag = "maker",
    params(
        UploadQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the same file again with the same key answers the first upload"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, description = "The file as stored", body = File),
        (status = 400, description = "The query does not read, or an Idempotency-Key used for another file", body = ErrorResponse),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 409, description = "The first upload with this Idempotency-Key is still running", body = ErrorResponse),
        (status = 413, description = "Over its kind's size, or over your storage", body = ErrorResponse),
        (status = 415, description = "Not a kind of file the marketplace takes", body = ErrorResponse),
        (status = 422, description = "Empty or broken, or a name that is not allowed", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["products:write"]))
)]
pub async fn upload_file(
    State(state): State<ApiState>,
    caller: Caller,
    uri: Uri,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<UploadQuery>,
    body: Body,
) -> ApiResult<Response> {
    caller.require(Scope::ProductsWrite)?;
    let key = replay::key(&headers)?;
    let access = match query.access.as_deref() {
        None => FileAccess::Private,
        Some(raw) => FileAccess::parse(raw).ok_or_else(|| ApiError::malformed("access is `public` or `private`"))?,
    };
    let services = &state.services;
    let incoming = ingest::Incoming { owner: caller.user(), name: query.name, access };
    let bytes = body.into_data_stream().map_err(|_| domain::Error::BadRequest(types::ErrorCode::BadRequest));
    let stored = ingest::ingest(services, incoming, bytes).await?;
    let Some(key) = key else { return Ok((StatusCode::CREATED, Json(File::from(stored))).into_response()) };

    let target = uri.path_and_query().map_or_else(|| uri.path(), |p| p.as_str());
    let fingerprint = idempotency::fingerprint("POST", target, stored.sha256.as_bytes());
    let pool = &services.pool;
    let claim = idempotency::claim(pool, caller.user(), &key, &fingerprint).await?;
    if let Some(earlier) = replay::settled(claim) {
        files::discard(services, caller.user(), stored.id).await?;
        return Ok(earlier);
    }
    let answer = serde_json::to_vec(&File::from(stored)).map_err(|e| domain::Error::Internal(e.into()))?;
    idempotency::complete(pool, caller.user(), &key, StatusCode::CREATED.as_u16(), &answer).await?;
    Ok(replay::answer(StatusCode::CREATED, answer))
}

//! Resumable uploads: a large file is sent in numbered chunks, in any order, each
//! retried on its own; the browser asks which chunks arrived and sends the rest. The
//! chunks wait in storage (shared by every instance) until the upload completes, then
//! go through [`ingest`](super::ingest) like any other upload.

use bytes::Bytes;
use futures::{StreamExt, stream};
use types::TextEnum;
use types::{
    ErrorCode, UserId,
    files::{FileAccess, FileInfo, FileKind, UploadStatus},
    ids::UploadId,
};

use super::{
    ingest::{Incoming, ingest},
    name,
    storage::keys,
};
use crate::{Error, Result, Services};

/// Bytes per chunk. Small enough that a lost chunk costs little to resend and the
/// progress bar moves often; large enough that a 500 MB video is 128 requests.
pub const CHUNK_SIZE: u32 = 4 << 20;
/// An upload not completed within a day is abandoned and swept.
const LIFETIME_HOURS: i64 = 24;

struct Upload {
    owner: UserId,
    name: String,
    size: u64,
    chunk_size: u32,
    access: FileAccess,
    received: Vec<u32>,
}

impl Upload {
    fn chunks(&self) -> u32 {
        self.size.div_ceil(u64::from(self.chunk_size)) as u32
    }

    /// The length chunk `index` must have: all are full but the last.
    fn chunk_len(&self, index: u32) -> u64 {
        let start = u64::from(index) * u64::from(self.chunk_size);
        (self.size - start).min(u64::from(self.chunk_size))
    }

    fn status(&self, id: UploadId) -> UploadStatus {
        UploadStatus { id, chunk_size: self.chunk_size, chunks: self.chunks(), received: self.received.clone() }
    }
}

/// Starts an upload of `size` bytes. The size is checked against the largest kind
/// now and against the file's real kind when it completes.
#[tracing::instrument(skip_all, fields(owner = %owner))]
pub async fn begin(
    services: &Services,
    owner: UserId,
    file_name: &str,
    size: u64,
    access: FileAccess,
) -> Result<UploadStatus> {
    let file_name = name::check(file_name)?;
    let largest = FileKind::ALL.iter().map(|k| k.max_bytes()).max().unwrap_or(0);
    if size == 0 {
        return Err(Error::BadRequest(ErrorCode::FileBroken));
    }
    if size > largest {
        return Err(Error::BadRequest(ErrorCode::FileTooLarge));
    }
    super::quota::ensure_room(&mut *services.pool.acquire().await?, owner, size, true).await?;
    let id = UploadId::new();
    sqlx::query!(
        "insert into file_uploads (id, owner_id, original_name, size_bytes, chunk_size, access, expires_at)
         values ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))",
        id.0,
        owner.0,
        file_name,
        size as i64,
        CHUNK_SIZE as i32,
        access.as_str(),
        LIFETIME_HOURS as i32,
    )
    .execute(&services.pool)
    .await?;
    let upload = Upload { owner, name: file_name, size, chunk_size: CHUNK_SIZE, access, received: Vec::new() };
    Ok(upload.status(id))
}

/// Someone else's upload is "not found", never "forbidden": its existence is not told.
async fn load(services: &Services, owner: UserId, id: UploadId) -> Result<Upload> {
    let row = sqlx::query!(
        "select owner_id, original_name, size_bytes, chunk_size, access, received
         from file_uploads where id = $1 and expires_at > now()",
        id.0
    )
    .fetch_optional(&services.pool)
    .await?
    .filter(|r| r.owner_id == owner.0)
    .ok_or(Error::NotFound)?;
    Ok(Upload {
        owner: UserId(row.owner_id),
        name: row.original_name,
        size: row.size_bytes as u64,
        chunk_size: row.chunk_size as u32,
        access: FileAccess::parse(&row.access).unwrap_or_default(),
        received: row.received.into_iter().map(|i| i as u32).collect(),
    })
}

#[tracing::instrument(skip_all, fields(owner = %owner, id = %id))]
pub async fn status(services: &Services, owner: UserId, id: UploadId) -> Result<UploadStatus> {
    Ok(load(services, owner, id).await?.status(id))
}

/// Stores chunk `index`. Sending a chunk again replaces it (a retry after a timeout).
#[tracing::instrument(skip_all, fields(owner = %owner, id = %id))]
pub async fn put_chunk(
    services: &Services,
    owner: UserId,
    id: UploadId,
    index: u32,
    bytes: Bytes,
) -> Result<UploadStatus> {
    let upload = load(services, owner, id).await?;
    if index >= upload.chunks() || bytes.len() as u64 != upload.chunk_len(index) {
        return Err(Error::BadRequest(ErrorCode::BadRequest));
    }
    services.files.storage.put(&keys::chunk(id, index), bytes).await?;
    let received: Vec<i32> = sqlx::query_scalar!(
        r#"update file_uploads
           set received = array(select distinct r from unnest(received || $2::int) r order by r)
           where id = $1
           returning received as "received!""#,
        id.0,
        index as i32
    )
    .fetch_one(&services.pool)
    .await?;
    let upload = Upload { received: received.into_iter().map(|i| i as u32).collect(), ..upload };
    Ok(upload.status(id))
}

/// Joins the chunks into a file. A file refused by the checks ends the upload and
/// removes its chunks; a missing chunk leaves it open to resume.
#[tracing::instrument(skip_all, fields(owner = %owner, id = %id))]
pub async fn complete(services: &Services, owner: UserId, id: UploadId) -> Result<FileInfo> {
    let upload = load(services, owner, id).await?;
    let chunks = upload.chunks();
    if upload.received.len() as u32 != chunks {
        return Err(Error::Conflict(ErrorCode::UploadIncomplete));
    }
    let storage = services.files.storage.clone();
    let body = stream::iter(0..chunks)
        .then(move |index| {
            let storage = storage.clone();
            async move { storage.read(&keys::chunk(id, index)).await.map_err(Error::from) }
        })
        .boxed();
    let incoming = Incoming { owner: upload.owner, name: upload.name.clone(), access: upload.access };
    let outcome = ingest(services, incoming, body).await;
    if !matches!(outcome, Err(Error::Internal(_))) {
        discard(services, id, chunks).await?;
    }
    outcome
}

async fn discard(services: &Services, id: UploadId, chunks: u32) -> Result<()> {
    let keys: Vec<_> = (0..chunks).map(|i| keys::chunk(id, i)).collect();
    services.files.storage.delete_all(&keys).await;
    sqlx::query!("delete from file_uploads where id = $1", id.0).execute(&services.pool).await?;
    Ok(())
}

/// Removes uploads abandoned past their lifetime, with their chunks.
#[tracing::instrument(skip_all)]
pub async fn sweep_expired(services: &Services) -> Result<usize> {
    let expired =
        sqlx::query!("select id, size_bytes, chunk_size from file_uploads where expires_at <= now() limit 500")
            .fetch_all(&services.pool)
            .await?;
    for row in &expired {
        let chunks = (row.size_bytes as u64).div_ceil(row.chunk_size as u64) as u32;
        discard(services, UploadId(row.id), chunks).await?;
    }
    Ok(expired.len())
}

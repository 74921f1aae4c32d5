//! From uploaded bytes to a stored file. Every upload, whole or in chunks, comes
//! through here: the type is read from the content, the size is counted as bytes
//! arrive (not taken from a header), the SHA-256 is computed on the way to storage,
//! pictures are decoded and thumbnailed. A refused file leaves nothing behind: not in
//! storage, not in the database.

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt, stream};
use object_store::{ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};
use types::TextEnum;
use types::{
    ErrorCode, UserId,
    files::{FileAccess, FileInfo, FileKind},
    ids::FileId,
};

use super::{
    images, name, quota,
    sniff::{self, HEADER_LEN},
    storage::keys,
};
use crate::{Error, Result, Services};

/// What the uploader said about the file: only the name and who may read it.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub owner: UserId,
    pub name: String,
    pub access: FileAccess,
}

/// The bytes of the last kilobyte, to check a document's end.
const TAIL_LEN: usize = 1024;
/// Parts in flight to object storage at once.
const PUT_CONCURRENCY: usize = 4;

struct Written {
    id: FileId,
    kind: FileKind,
    content_type: &'static str,
    size: u64,
    sha256: [u8; 32],
    /// The whole picture, kept for decoding (pictures are at most 20 MB).
    picture: Option<Vec<u8>>,
}

/// Stores the file whose bytes `body` yields and records it.
#[tracing::instrument(skip_all)]
pub async fn ingest<S>(services: &Services, incoming: Incoming, body: S) -> Result<FileInfo>
where
    S: Stream<Item = Result<Bytes>> + Send + Unpin,
{
    let stored = store(services, incoming, body).await;
    let result = match &stored {
        Ok(info) => {
            metrics::counter!("upload_bytes_total").increment(info.size_bytes);
            "stored"
        }
        Err(_) => "refused",
    };
    metrics::counter!("uploads_total", "result" => result).increment(1);
    stored
}

async fn store<S>(services: &Services, incoming: Incoming, body: S) -> Result<FileInfo>
where
    S: Stream<Item = Result<Bytes>> + Send + Unpin,
{
    let name = name::check(&incoming.name)?;
    // Counted as the bytes arrive, and again when the file is recorded (two uploads
    // at once may both have fit when they started).
    let (used, _) = quota::used_and_reserved(&mut *services.pool.acquire().await?, incoming.owner).await?;
    let room = quota::QUOTA_BYTES.saturating_sub(used);
    let written = write_original(services, body, room).await?;
    let id = written.id;
    match describe_and_record(services, &incoming, name, written).await {
        Ok(info) => Ok(info),
        Err(e) => {
            services.files.storage.delete_all(&keys::all(id)).await;
            Err(e)
        }
    }
}

/// Streams the body to storage under a new id. On any refusal or failure the partial
/// object is aborted, so nothing is left.
async fn write_original<S>(services: &Services, mut body: S, room: u64) -> Result<Written>
where
    S: Stream<Item = Result<Bytes>> + Send + Unpin,
{
    // Enough of the start to know the type, before anything is written.
    let mut head = BytesMut::new();
    let mut first = Vec::new();
    while head.len() < HEADER_LEN {
        match body.next().await {
            Some(chunk) => {
                let chunk = chunk?;
                head.extend_from_slice(&chunk[..chunk.len().min(HEADER_LEN - head.len())]);
                first.push(chunk);
            }
            None => break,
        }
    }
    if head.is_empty() {
        return Err(Error::BadRequest(ErrorCode::FileBroken));
    }
    let (kind, content_type) = sniff::detect(&head).ok_or(Error::BadRequest(ErrorCode::FileTypeNotAllowed))?;

    let id = FileId::new();
    let key = keys::original(id);
    let upload = services.files.storage.store().put_multipart(&key).await.map_err(anyhow::Error::from)?;
    let mut writer = WriteMultipart::new(upload);
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut picture = (kind == FileKind::Image).then(Vec::new);
    let mut tail: Vec<u8> = Vec::new();
    let mut chunks = stream::iter(first.into_iter().map(Ok)).chain(body);
    let outcome: Result<()> = async {
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            if size > kind.max_bytes() {
                return Err(Error::BadRequest(ErrorCode::FileTooLarge));
            }
            if size > room {
                return Err(Error::BadRequest(ErrorCode::StorageQuotaExceeded));
            }
            hasher.update(&chunk);
            if let Some(picture) = picture.as_mut() {
                picture.extend_from_slice(&chunk);
            }
            tail.extend_from_slice(&chunk[chunk.len().saturating_sub(TAIL_LEN)..]);
            if tail.len() > TAIL_LEN {
                tail.drain(..tail.len() - TAIL_LEN);
            }
            writer.wait_for_capacity(PUT_CONCURRENCY).await.map_err(anyhow::Error::from)?;
            writer.put(chunk);
        }
        if !sniff::tail_is_complete(content_type, &tail) {
            return Err(Error::BadRequest(ErrorCode::FileBroken));
        }
        Ok(())
    }
    .await;
    if let Err(e) = outcome {
        if let Err(abort) = writer.abort().await {
            tracing::warn!(error = %abort, "aborting a refused upload failed");
        }
        return Err(e);
    }
    writer.finish().await.map_err(anyhow::Error::from)?;
    Ok(Written { id, kind, content_type, size, sha256: hasher.finalize().into(), picture })
}

async fn describe_and_record(
    services: &Services,
    incoming: &Incoming,
    name: String,
    written: Written,
) -> Result<FileInfo> {
    let id = written.id;
    let (dimensions, thumbnails) = match written.picture {
        Some(bytes) => {
            let processed = images::process_bounded(bytes).await.map_err(|refused| {
                Error::BadRequest(match refused {
                    images::Refused::Broken => ErrorCode::FileBroken,
                    images::Refused::TooLarge => ErrorCode::ImageTooLarge,
                })
            })?;
            for thumb in &processed.thumbnails {
                services.files.storage.put(&keys::thumbnail(id, thumb.size), Bytes::from(thumb.webp.clone())).await?;
            }
            (Some((processed.width, processed.height)), processed.thumbnails)
        }
        None => (None, Vec::new()),
    };

    let mut tx = services.pool.begin().await?;
    // One owner's uploads are recorded one at a time, each against what is stored.
    sqlx::query!("select id from users where id = $1 for update", incoming.owner.0).fetch_one(&mut *tx).await?;
    quota::ensure_room(&mut tx, incoming.owner, written.size, false).await?;
    sqlx::query!(
        "insert into files (id, owner_id, kind, content_type, original_name, size_bytes, sha256, width, height, access)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        id.0,
        incoming.owner.0,
        written.kind.as_str(),
        written.content_type,
        name,
        written.size as i64,
        &written.sha256[..],
        dimensions.map(|d| d.0 as i32),
        dimensions.map(|d| d.1 as i32),
        incoming.access.as_str(),
    )
    .execute(&mut *tx)
    .await?;
    for thumb in &thumbnails {
        sqlx::query!(
            "insert into file_thumbnails (file_id, size, width, height, size_bytes) values ($1, $2, $3, $4, $5)",
            id.0,
            thumb.size.as_str(),
            thumb.width as i32,
            thumb.height as i32,
            thumb.webp.len() as i64,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(FileInfo {
        id,
        kind: written.kind,
        content_type: written.content_type.to_owned(),
        name,
        size_bytes: written.size,
        sha256: hex(&written.sha256),
        width: dimensions.map(|d| d.0),
        height: dimensions.map(|d| d.1),
        access: incoming.access,
    })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

//! Files: uploads (whole or in resumable chunks), what they are, who may read them,
//! and links that share a private file for a while. Owns `files`, `file_thumbnails`
//! and `file_uploads`; the bytes live in [`storage`].

pub mod attach;
pub mod byte_range;
pub mod chunked;
pub mod images;
pub mod ingest;
pub mod links;
pub mod name;
pub mod quota;
pub mod sniff;
pub mod storage;

use bytes::Bytes;
use chrono::Utc;
use futures::stream::BoxStream;
use types::TextEnum;
use types::{
    ErrorCode, Permission, SessionUser, UserId,
    files::{FileAccess, FileInfo, FileKind, ThumbnailSize},
    ids::FileId,
};

use self::{links::LinkSigner, storage::Storage};
use crate::{Error, Result, Services};

/// The file service: storage and the key that signs shared links.
#[derive(Clone, Debug)]
pub struct Files {
    pub storage: Storage,
    pub links: LinkSigner,
}

/// A stored file and its owner.
#[derive(Debug, Clone)]
pub struct FileRecord {
    pub info: FileInfo,
    pub owner: UserId,
}

impl FileRecord {
    /// Public files are for anyone; private ones for their owner and staff.
    pub fn may_read(&self, user: Option<&SessionUser>) -> bool {
        self.info.access == FileAccess::Public
            || user.is_some_and(|u| u.id == self.owner || u.can(Permission::ReviewQueue))
    }
}

/// Removes a file its owner has just stored twice (an API upload sent again with
/// its `Idempotency-Key`, answered with the first). A file in use stays.
pub async fn discard(services: &Services, owner: UserId, id: FileId) -> Result<()> {
    let removed = sqlx::query!("delete from files where id = $1 and owner_id = $2", id.0, owner.0)
        .execute(&services.pool)
        .await?;
    if removed.rows_affected() > 0 {
        services.files.storage.delete_all(&storage::keys::all(id)).await;
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn find(services: &Services, id: FileId) -> Result<Option<FileRecord>> {
    let mut conn = services.pool.acquire().await?;
    Ok(records_in(&mut conn, &[id]).await?.pop())
}

/// The files with these ids, in the order given (missing ones left out), in one query.
pub async fn records_in(conn: &mut sqlx::PgConnection, ids: &[FileId]) -> Result<Vec<FileRecord>> {
    let ids: Vec<uuid::Uuid> = ids.iter().map(|i| i.0).collect();
    let rows = sqlx::query!(
        r#"select f.id, f.owner_id, f.kind, f.content_type, f.original_name, f.size_bytes, f.sha256, f.width,
                  f.height, f.access
           from unnest($1::uuid[]) with ordinality as wanted(id, position)
           join files f on f.id = wanted.id
           order by wanted.position"#,
        &ids
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| FileRecord {
            owner: UserId(r.owner_id),
            info: FileInfo {
                id: FileId(r.id),
                kind: FileKind::parse(&r.kind).unwrap_or(FileKind::Document),
                content_type: r.content_type,
                name: r.original_name,
                size_bytes: r.size_bytes as u64,
                sha256: ingest::hex(&r.sha256),
                width: r.width.map(|w| w as u32),
                height: r.height.map(|h| h as u32),
                access: FileAccess::parse(&r.access).unwrap_or_default(),
            },
        })
        .collect())
}

/// Which bytes of a file are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Original,
    Thumbnail(ThumbnailSize),
}

/// A signed link's parts, as they came in the query.
#[derive(Debug, Clone)]
pub struct SignedLink {
    pub expires: i64,
    pub signature: String,
}

/// A file's bytes as a request gets them.
pub enum Served {
    Whole(BoxStream<'static, object_store::Result<Bytes>>),
    /// The bytes of a `Range` request (originals only; end exclusive).
    Part(std::ops::Range<u64>, BoxStream<'static, object_store::Result<Bytes>>),
    /// The range asked for lies past the end.
    Unsatisfiable,
}

/// Opens a file for reading if `user` (or the signed link) may read it. A file the
/// caller may not read is "not found": private files are not confirmed to exist.
/// `range` is the request's `Range` header.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn open(
    services: &Services,
    user: Option<&SessionUser>,
    id: FileId,
    variant: Variant,
    link: Option<&SignedLink>,
    range: Option<&str>,
) -> Result<(FileRecord, Served)> {
    let record = find(services, id).await?.ok_or(Error::NotFound)?;
    let linked = link.is_some_and(|l| services.files.links.verify(id, l.expires, &l.signature, Utc::now().timestamp()));
    if !linked && !record.may_read(user) {
        return Err(Error::NotFound);
    }
    // Staff opening someone's private file (an identity document, say) is on the record.
    if let Some(reader) = user.filter(|u| record.info.access == FileAccess::Private && u.id != record.owner && !linked)
    {
        let mut conn = services.pool.acquire().await?;
        let details =
            serde_json::json!({ "owner": record.owner, "name": record.info.name, "variant": format!("{variant:?}") });
        crate::audit::record(&mut conn, Some(reader.id), "file.viewed", "file", &id.to_string(), details).await?;
    }
    let (key, wanted) = match variant {
        Variant::Original => (storage::keys::original(id), byte_range::parse(range, record.info.size_bytes)),
        Variant::Thumbnail(_) if record.info.kind != FileKind::Image => return Err(Error::NotFound),
        Variant::Thumbnail(size) => (storage::keys::thumbnail(id, size), byte_range::Wanted::Whole),
    };
    let storage = &services.files.storage;
    let served = match wanted {
        byte_range::Wanted::Whole => Served::Whole(storage.stream(&key, None).await?),
        byte_range::Wanted::Part(part) => Served::Part(part.clone(), storage.stream(&key, Some(part)).await?),
        byte_range::Wanted::Unsatisfiable => Served::Unsatisfiable,
    };
    Ok((record, served))
}

/// A link that opens the file for anyone holding it for `ttl_secs` (an hour at most);
/// only the owner shares a file. Staff read private files in the console, where each
/// view is audited; a link would take someone's identity document out of it.
#[tracing::instrument(skip_all, fields(user = %user.id, id = %id))]
pub async fn share(services: &Services, user: &SessionUser, id: FileId, ttl_secs: i64) -> Result<String> {
    let record = find(services, id).await?.ok_or(Error::NotFound)?;
    if user.id != record.owner {
        return Err(Error::NotFound);
    }
    if !(60..=links::MAX_TTL_SECS).contains(&ttl_secs) {
        return Err(Error::field("ttl_secs", ErrorCode::InvalidInput));
    }
    let expires = Utc::now().timestamp() + ttl_secs;
    Ok(format!("{}{}", services.settings.base_url, services.files.links.path(id, expires)))
}

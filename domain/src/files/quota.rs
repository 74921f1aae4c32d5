//! How much each account may store, and what happens to files nobody attached: an
//! upload that no product, application, portfolio item or certificate took within a
//! day is removed, from storage and the database, and gives its room back.

use sqlx::PgConnection;
use types::{ErrorCode, UserId, files::StorageUse};

use super::storage::keys;
use crate::{Error, Result, Services};

/// What one account may keep in files (a maker's photos, videos and documents).
pub const QUOTA_BYTES: u64 = 2 << 30;
/// How long an upload may wait to be attached before it is removed.
pub const UNATTACHED_HOURS: i32 = 24;

/// The bytes `owner`'s files take, and what is still being uploaded in chunks.
pub(super) async fn used_and_reserved(conn: &mut PgConnection, owner: UserId) -> Result<(u64, u64)> {
    let row = sqlx::query!(
        r#"select (select coalesce(sum(size_bytes), 0) from files where owner_id = $1)::int8 as "used!",
                  (select coalesce(sum(size_bytes), 0) from file_uploads
                    where owner_id = $1 and expires_at > now())::int8 as "reserved!""#,
        owner.0
    )
    .fetch_one(conn)
    .await?;
    Ok((row.used as u64, row.reserved as u64))
}

/// What `owner` stores, against the quota: for the portal.
pub async fn usage(conn: &mut PgConnection, owner: UserId) -> Result<StorageUse> {
    let (used, _) = used_and_reserved(conn, owner).await?;
    Ok(StorageUse { used_bytes: used, quota_bytes: QUOTA_BYTES })
}

/// Refuses an upload of `size` bytes that would take `owner` past the quota, counting
/// the uploads under way when `with_reserved` (starting one; finishing one counts only
/// stored files, as its own reservation is among those under way).
pub async fn ensure_room(conn: &mut PgConnection, owner: UserId, size: u64, with_reserved: bool) -> Result<()> {
    let (used, reserved) = used_and_reserved(conn, owner).await?;
    let taken = if with_reserved { used + reserved } else { used };
    if taken + size > QUOTA_BYTES {
        return Err(Error::BadRequest(ErrorCode::StorageQuotaExceeded));
    }
    Ok(())
}

/// Removes files uploaded over a day ago that nothing refers to. A table that refers
/// to files with a foreign key protects its files even if it is missing here (the
/// delete is refused and the file stays); a draft's media live in JSON and are listed.
#[tracing::instrument(skip_all)]
pub async fn sweep_unattached(services: &Services) -> Result<usize> {
    let candidates = sqlx::query_scalar!(
        "select f.id from files f
         where f.created_at < now() - make_interval(hours => $1)
           and not exists (select 1 from product_media m where m.file_id = f.id)
           and not exists (select 1 from creator_documents d where d.file_id = f.id)
           and not exists (select 1 from portfolio_media m where m.file_id = f.id)
           and not exists (select 1 from certification_application_documents d where d.file_id = f.id)
           and not exists (select 1 from product_revisions r where r.data -> 'media' ? f.id::text)
           and not exists (select 1 from users u where u.avatar_file_id = f.id)
         order by f.created_at
         limit 500",
        UNATTACHED_HOURS
    )
    .fetch_all(&services.pool)
    .await?;
    let mut removed = 0;
    for id in candidates {
        let id = types::ids::FileId(id);
        match sqlx::query!("delete from files where id = $1", id.0).execute(&services.pool).await {
            Ok(_) => {
                services.files.storage.delete_all(&keys::all(id)).await;
                removed += 1;
            }
            // Attached after all (by a table this query does not know): kept.
            Err(e) => tracing::debug!(error = %e, file = %id, "an unattached-looking file is referred to"),
        }
    }
    Ok(removed)
}

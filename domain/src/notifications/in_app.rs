//! In-app notifications: written in the same transaction as what they report, read
//! by the bell in the header. Owns `notifications`.

use std::collections::BTreeMap;
use types::TextEnum;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use types::{
    UserId,
    ids::NotificationId,
    notifications::{Notification, NotificationKind, NotificationList},
};

use crate::{Result, Services};

pub async fn notify(
    conn: &mut PgConnection,
    user: UserId,
    kind: NotificationKind,
    params: &BTreeMap<String, String>,
    link: &str,
) -> Result<()> {
    insert(conn, None, user, kind, params, link).await
}

/// Writes the notice unless one with `key` was written before.
pub async fn notify_once(
    conn: &mut PgConnection,
    key: &str,
    user: UserId,
    kind: NotificationKind,
    params: &BTreeMap<String, String>,
    link: &str,
) -> Result<()> {
    insert(conn, Some(key), user, kind, params, link).await
}

async fn insert(
    conn: &mut PgConnection,
    key: Option<&str>,
    user: UserId,
    kind: NotificationKind,
    params: &BTreeMap<String, String>,
    link: &str,
) -> Result<()> {
    sqlx::query!(
        "insert into notifications (id, user_id, kind, params, link, dedupe_key) values ($1, $2, $3, $4, $5, $6)
         on conflict (dedupe_key) do nothing",
        NotificationId::new().0,
        user.0,
        kind.as_str(),
        serde_json::to_value(params).map_err(anyhow::Error::from)?,
        link,
        key
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The newest notifications and how many are unread.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn list(services: &Services, user: UserId, limit: i64) -> Result<NotificationList> {
    let rows = sqlx::query!(
        r#"select id, kind, params, link, read_at is not null as "read!", created_at as "created_at: DateTime<Utc>"
           from notifications where user_id = $1 order by created_at desc limit $2"#,
        user.0,
        limit
    )
    .fetch_all(&services.pool)
    .await?;
    let unread = unread(services, user).await?;
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(Notification {
                id: NotificationId(r.id),
                kind: NotificationKind::parse(&r.kind)?,
                params: serde_json::from_value(r.params).unwrap_or_default(),
                link: r.link,
                read: r.read,
                created_at: r.created_at,
            })
        })
        .collect();
    Ok(NotificationList { unread, items })
}

#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn unread(services: &Services, user: UserId) -> Result<u32> {
    let n = sqlx::query_scalar!(
        r#"select count(*) as "n!" from notifications where user_id = $1 and read_at is null"#,
        user.0
    )
    .fetch_one(&services.pool)
    .await?;
    Ok(n as u32)
}

/// Marks one of the user's notifications read, or all of them (`None`).
#[tracing::instrument(skip_all, fields(user = %user, id = ?id))]
pub async fn mark_read(services: &Services, user: UserId, id: Option<NotificationId>) -> Result<()> {
    sqlx::query!(
        "update notifications set read_at = now()
         where user_id = $1 and read_at is null and ($2::uuid is null or id = $2)",
        user.0,
        id.map(|i| i.0)
    )
    .execute(&services.pool)
    .await?;
    Ok(())
}

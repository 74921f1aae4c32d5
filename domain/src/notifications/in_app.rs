//! In-app notifications: written in the same transaction as what they report, read
//! by the bell in the header and the notification centre. Every statement that changes
//! a person's notifications also notifies `live::CHANNEL`, so their open pages follow.
//! Owns `notifications`.

use std::collections::BTreeMap;
use types::TextEnum;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use types::{
    Locale, UserId,
    ids::NotificationId,
    notifications::{Notification, NotificationKind, NotificationList},
    profile::{NotificationChannel, NotificationKind as Topic},
};

use super::{live::CHANNEL, notice_templates, texts};
use crate::{Error, Result, Services};

/// Notices per page of the notification centre.
pub const PAGE: i64 = 30;

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
        "with written as (
             insert into notifications (id, user_id, kind, params, link, dedupe_key)
             values ($1, $2, $3, $4, $5, $6)
             on conflict (dedupe_key) do nothing
             returning user_id)
         select pg_notify($7, user_id::text) from written",
        NotificationId::new().0,
        user.0,
        kind.as_str(),
        serde_json::to_value(params).map_err(anyhow::Error::from)?,
        link,
        key,
        CHANNEL
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Which of a person's notifications to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub unread_only: bool,
    /// Only notices about this topic (the preference that sends them).
    pub topic: Option<Topic>,
    /// Only notices older than this one (the next page).
    pub before: Option<NotificationId>,
}

impl Filter {
    /// The kinds the topic covers, or none for every kind.
    fn kinds(&self) -> Option<Vec<String>> {
        self.topic.map(|topic| {
            NotificationKind::ALL.iter().filter(|k| k.topic() == topic).map(|k| k.as_str().to_owned()).collect()
        })
    }
}

/// The newest notifications and how many are unread, worded in `locale`.
pub async fn list(services: &Services, user: UserId, locale: Locale, limit: i64) -> Result<NotificationList> {
    page(services, user, locale, &Filter::default(), limit).await
}

/// One page of the person's notifications, newest first, worded in `locale`, and the
/// cursor of the next.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn page(
    services: &Services,
    user: UserId,
    locale: Locale,
    filter: &Filter,
    limit: i64,
) -> Result<NotificationList> {
    let kinds = filter.kinds();
    let mut rows = sqlx::query!(
        r#"select n.id, n.kind, n.params, n.link, n.read_at is not null as "read!",
                  n.created_at as "created_at: DateTime<Utc>"
           from notifications n
           left join notifications cursor on cursor.id = $4 and cursor.user_id = n.user_id
           where n.user_id = $1
             and (not $2 or n.read_at is null)
             and ($3::text[] is null or n.kind = any($3))
             and ($4::uuid is null or (n.created_at, n.id) < (cursor.created_at, cursor.id))
           order by n.created_at desc, n.id desc
           limit $5"#,
        user.0,
        filter.unread_only,
        kinds.as_deref(),
        filter.before.map(|b| b.0),
        limit + 1
    )
    .fetch_all(&services.pool)
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let mut items: Vec<Notification> = rows
        .into_iter()
        .filter_map(|r| {
            Some(Notification {
                id: NotificationId(r.id),
                kind: NotificationKind::parse(&r.kind)?,
                params: serde_json::from_value(r.params).unwrap_or_default(),
                text: String::new(),
                link: r.link,
                read: r.read,
                created_at: r.created_at,
            })
        })
        .collect();
    word(services, user, locale, &mut items).await?;
    let older = if more { items.last().map(|n| n.id) } else { None };
    Ok(NotificationList { unread: unread(services, user).await?, items, older })
}

/// Writes each notice's text from the in-app template in use for its kind, so what an
/// admin changes there reads in every list at once, old notices included.
async fn word(services: &Services, user: UserId, locale: Locale, items: &mut [Notification]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let mut conn = services.pool.acquire().await?;
    let name = sqlx::query_scalar!("select name from users where id = $1", user.0).fetch_one(&mut *conn).await?;
    let mut kinds: Vec<NotificationKind> = items.iter().map(|n| n.kind).collect();
    kinds.sort();
    kinds.dedup();
    let templates = notice_templates::current_for(&mut conn, NotificationChannel::InApp, locale, &kinds).await?;
    let site = &services.settings.base_url;
    for item in items {
        let link = format!("{site}{}", item.link);
        let values = texts::values(item.kind, locale, &item.params, &name, &link, site);
        item.text = notice_templates::render(&templates[&item.kind], &values).body;
    }
    Ok(())
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
        "with changed as (
             update notifications set read_at = now()
             where user_id = $1 and read_at is null and ($2::uuid is null or id = $2)
             returning user_id)
         -- One notice however many changed: PostgreSQL folds equal ones in a transaction.
         select pg_notify($3, user_id::text) from changed",
        user.0,
        id.map(|i| i.0),
        CHANNEL
    )
    .execute(&services.pool)
    .await?;
    Ok(())
}

/// Deletes one of the user's notifications; another person's is not found.
#[tracing::instrument(skip_all, fields(user = %user, id = %id))]
pub async fn delete(services: &Services, user: UserId, id: NotificationId) -> Result<()> {
    let deleted = sqlx::query_scalar!(
        "with gone as (delete from notifications where id = $2 and user_id = $1 returning user_id)
         select pg_notify($3, user_id::text) from gone",
        user.0,
        id.0,
        CHANNEL
    )
    .fetch_optional(&services.pool)
    .await?;
    deleted.map(|_| ()).ok_or(Error::NotFound)
}

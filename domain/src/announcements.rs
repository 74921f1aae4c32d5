//! Announcements: an admin writes one message, in both languages, to everyone holding a
//! role, at a rate (people per minute). It goes out a batch at a time through
//! `users::notices::send`, so each person's choices for announcements hold (in the
//! app, by mail, neither), each is told once, and each mail's delivery is tracked and
//! can be stopped in one click. Every instance looks every few seconds; the batch due
//! is claimed with `for update skip locked`, and people are told in id order after the
//! `cursor`, so two instances never tell anyone twice. Cancelling stops it before the
//! next batch.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use tokio::sync::watch;
use types::{
    ErrorCode, FieldError, Role, TextEnum, UserId,
    announcements::{AnnouncementDraft, AnnouncementStatus, AnnouncementView, MAX_BODY, MAX_TITLE, RATE_RANGE},
    ids::AnnouncementId,
    notifications::NotificationKind,
};

use crate::{
    Error, Result, Services,
    users::notices::{self, Notice},
};

/// Where a reader finds the whole message.
const CENTRE_PATH: &str = "/account/notifications";

/// How often each instance looks for a batch that is due.
pub const TICK: std::time::Duration = std::time::Duration::from_secs(5);

/// Checks a draft: every field is needed, within its length, and the rate in range.
fn check(draft: &AnnouncementDraft) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (field, text, max) in [
        ("title_en", &draft.title_en, MAX_TITLE),
        ("body_en", &draft.body_en, MAX_BODY),
        ("title_zh", &draft.title_zh, MAX_TITLE),
        ("body_zh", &draft.body_zh, MAX_BODY),
    ] {
        if text.trim().is_empty() {
            errors.push(FieldError::new(field, ErrorCode::Required));
        } else if text.chars().count() > max {
            errors.push(FieldError::new(field, ErrorCode::TooLong));
        }
    }
    if !RATE_RANGE.contains(&draft.per_minute) {
        errors.push(FieldError::new("per_minute", ErrorCode::OutOfRange));
    }
    errors
}

/// Starts sending `draft` to everyone who holds its role now.
#[tracing::instrument(skip_all, fields(admin = %admin))]
pub async fn send(services: &Services, admin: UserId, draft: &AnnouncementDraft) -> Result<AnnouncementId> {
    let errors = check(draft);
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let mut tx = services.pool.begin().await?;
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from users u join user_roles r on r.user_id = u.id
           where r.role = $1 and u.is_active"#,
        draft.audience.as_str()
    )
    .fetch_one(&mut *tx)
    .await?;
    let id = AnnouncementId::new();
    sqlx::query!(
        "insert into announcements (id, audience, title_en, body_en, title_zh, body_zh, per_minute, total, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        id.0,
        draft.audience.as_str(),
        draft.title_en.trim(),
        draft.body_en.trim(),
        draft.title_zh.trim(),
        draft.body_zh.trim(),
        draft.per_minute as i32,
        total as i32,
        admin.0
    )
    .execute(&mut *tx)
    .await?;
    crate::audit::record(
        &mut tx,
        Some(admin),
        "announcement.send",
        "announcement",
        &id.to_string(),
        json!({ "audience": draft.audience.as_str(), "total": total, "per_minute": draft.per_minute }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Stops an announcement that is still going; those told so far stay told.
#[tracing::instrument(skip_all, fields(admin = %admin, id = %id))]
pub async fn cancel(services: &Services, admin: UserId, id: AnnouncementId) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let cancelled = sqlx::query!(
        "update announcements set status = 'cancelled', finished_at = now() where id = $1 and status = 'sending'",
        id.0
    )
    .execute(&mut *tx)
    .await?;
    if cancelled.rows_affected() == 0 {
        return Err(Error::Conflict(ErrorCode::Conflict));
    }
    crate::audit::record(&mut tx, Some(admin), "announcement.cancel", "announcement", &id.to_string(), json!({}))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The newest announcements first.
pub async fn list(services: &Services) -> Result<Vec<AnnouncementView>> {
    let rows = sqlx::query!(
        r#"select a.id, a.audience, a.title_en, a.status, a.per_minute, a.told, a.total,
                  coalesce(u.email, '') as "created_by!", a.created_at as "created_at: DateTime<Utc>",
                  a.finished_at as "finished_at: DateTime<Utc>"
           from announcements a left join users u on u.id = a.created_by
           order by a.created_at desc limit 50"#
    )
    .fetch_all(&services.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(AnnouncementView {
                id: AnnouncementId(r.id),
                audience: Role::parse(&r.audience)?,
                title_en: r.title_en,
                status: AnnouncementStatus::parse(&r.status)?,
                per_minute: r.per_minute as u32,
                told: r.told as u32,
                total: r.total as u32,
                created_by: r.created_by,
                created_at: r.created_at,
                finished_at: r.finished_at,
            })
        })
        .collect())
}

/// How many to tell in one batch at `per_minute`, one batch every [`TICK`].
pub fn batch_size(per_minute: u32) -> i64 {
    let per_tick = u64::from(per_minute) * TICK.as_secs() / 60;
    per_tick.max(1) as i64
}

/// Tells the next batch of the announcement that is due, if any; returns how many
/// were told.
#[tracing::instrument(skip_all)]
pub async fn tell_next_batch(services: &Services) -> Result<usize> {
    let mut tx = services.pool.begin().await?;
    let Some(a) = sqlx::query!(
        "select id, audience, title_en, body_en, title_zh, body_zh, per_minute, cursor from announcements
         where status = 'sending' and next_batch_at <= now()
         order by next_batch_at limit 1 for update skip locked"
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        // Ended here, not left to the drop, so the connection goes back clean.
        tx.commit().await?;
        return Ok(0);
    };
    let people = next_people(&mut tx, &a.audience, a.cursor, batch_size(a.per_minute as u32)).await?;
    let id = AnnouncementId(a.id);
    // The whole message in both languages: the centre shows it in the reader's.
    let params = BTreeMap::from([
        ("title_en".to_owned(), a.title_en.clone()),
        ("body_en".to_owned(), a.body_en.clone()),
        ("title_zh".to_owned(), a.title_zh.clone()),
        ("body_zh".to_owned(), a.body_zh.clone()),
    ]);
    for person in &people {
        let notice = Notice {
            user: *person,
            kind: NotificationKind::Announcement,
            params: params.clone(),
            link: CENTRE_PATH.to_owned(),
        };
        notices::send(services, &format!("announcement:{id}:{person}"), notice).await?;
    }
    let last = people.last().map(|p| p.0);
    sqlx::query!(
        "update announcements
         set told = told + $2, cursor = coalesce($3, cursor),
             next_batch_at = now() + make_interval(secs => $4::float8),
             status = case when $5 then 'done' else status end,
             finished_at = case when $5 then now() else finished_at end
         where id = $1",
        id.0,
        people.len() as i32,
        last,
        // The batch's share of a minute: the rate holds however small it is.
        batch_size(a.per_minute as u32) as f64 * 60.0 / f64::from(a.per_minute),
        (people.len() as i64) < batch_size(a.per_minute as u32)
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(people.len())
}

/// The next `limit` active holders of `role` after `cursor`, in id order.
async fn next_people(
    conn: &mut PgConnection,
    role: &str,
    cursor: Option<uuid::Uuid>,
    limit: i64,
) -> Result<Vec<UserId>> {
    Ok(sqlx::query_scalar!(
        "select u.id from users u join user_roles r on r.user_id = u.id
         where r.role = $1 and u.is_active and ($2::uuid is null or u.id > $2)
         order by u.id limit $3",
        role,
        cursor,
        limit
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(UserId)
    .collect())
}

/// Tells batches as they fall due until `stop` flips to true.
pub async fn run(services: Services, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(TICK);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(e) = tell_next_batch(&services).await {
                    tracing::warn!(error = ?e, "telling an announcement's next batch failed");
                }
            }
            _ = stop.changed() => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::batch_size;

    #[test]
    fn a_rate_per_minute_is_told_a_twelfth_at_a_time() {
        assert_eq!(batch_size(600), 50);
        assert_eq!(batch_size(1), 1, "at least one a batch");
        assert_eq!(batch_size(10_000), 833);
    }
}

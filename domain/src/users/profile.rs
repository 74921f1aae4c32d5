//! The profile a user shows and the preferences they keep.

use serde_json::json;
use sqlx::PgConnection;
use types::TextEnum;
use types::{
    Locale, UserId,
    profile::{NotificationChannel, NotificationKind, Preferences, Profile},
};

use crate::{
    Error, RequestMeta, Result, Services,
    events::{self, EventMetadata, EventType},
};

pub async fn get_profile(conn: &mut PgConnection, user: UserId) -> Result<Profile> {
    let row = sqlx::query!("select name, bio, location, website, social_links from users where id = $1", user.0)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Profile {
        name: row.name,
        bio: row.bio,
        location: row.location,
        website: row.website,
        social_links: row.social_links,
    })
}

/// Saves the profile of `user` (always the caller's own: there is no way to name
/// another user here) and announces the change.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn update_profile(
    services: &Services,
    user: UserId,
    profile: Profile,
    meta: &RequestMeta,
) -> Result<Profile> {
    let profile = profile.validate().map_err(Error::Validation)?;
    let mut tx = services.pool.begin().await?;
    let updated = sqlx::query!(
        "update users set name = $2, bio = $3, location = $4, website = $5, social_links = $6,
                          updated_at = now()
         where id = $1",
        user.0,
        profile.name,
        profile.bio,
        profile.location,
        profile.website,
        &profile.social_links,
    )
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    events::publish(
        &mut tx,
        super::user_event(
            EventType::UserProfileUpdated,
            user,
            json!({
                "user_id": user,
                "name": profile.name,
                "location": profile.location,
                "website": profile.website,
            }),
        ),
        &EventMetadata::from_request(meta),
    )
    .await?;
    tx.commit().await?;
    Ok(profile)
}

/// New accounts' preferences (`Preferences::defaults`), for one or many at once.
pub(crate) async fn store_default_preferences(conn: &mut PgConnection, users: &[UserId]) -> Result<()> {
    let users: Vec<uuid::Uuid> = users.iter().map(|u| u.0).collect();
    let enabled = Preferences::defaults(Locale::En).enabled;
    let kinds: Vec<&str> = enabled.iter().map(|(k, _)| k.as_str()).collect();
    let channels: Vec<&str> = enabled.iter().map(|(_, c)| c.as_str()).collect();
    sqlx::query!(
        "insert into notification_preferences (user_id, kind, channel)
         select u, k, c from unnest($1::uuid[]) as u cross join unnest($2::text[], $3::text[]) as t(k, c)",
        &users,
        &kinds as &[&str],
        &channels as &[&str],
    )
    .execute(conn)
    .await?;
    Ok(())
}

async fn write_notification_preferences(
    conn: &mut PgConnection,
    user: UserId,
    enabled: &[(NotificationKind, NotificationChannel)],
) -> Result<()> {
    sqlx::query!("delete from notification_preferences where user_id = $1", user.0).execute(&mut *conn).await?;
    let kinds: Vec<&str> = enabled.iter().map(|(k, _)| k.as_str()).collect();
    let channels: Vec<&str> = enabled.iter().map(|(_, c)| c.as_str()).collect();
    sqlx::query!(
        "insert into notification_preferences (user_id, kind, channel)
         select $1, k, c from unnest($2::text[], $3::text[]) as t(k, c)",
        user.0,
        &kinds as &[&str],
        &channels as &[&str],
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get_preferences(conn: &mut PgConnection, user: UserId) -> Result<Preferences> {
    let locale = sqlx::query_scalar!("select locale from users where id = $1", user.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    let rows = sqlx::query!("select kind, channel from notification_preferences where user_id = $1", user.0)
        .fetch_all(&mut *conn)
        .await?;
    let enabled = rows
        .iter()
        .filter_map(|r| Some((NotificationKind::parse(&r.kind)?, NotificationChannel::parse(&r.channel)?)))
        .collect();
    Ok(Preferences { locale: Locale::from_tag(&locale).unwrap_or_default(), enabled })
}

#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn update_preferences(services: &Services, user: UserId, prefs: Preferences) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    set_locale(&mut tx, user, prefs.locale).await?;
    write_notification_preferences(&mut tx, user, &prefs.enabled).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_locale(conn: &mut PgConnection, user: UserId, locale: Locale) -> Result<()> {
    sqlx::query!("update users set locale = $2, updated_at = now() where id = $1", user.0, locale.tag())
        .execute(conn)
        .await?;
    Ok(())
}

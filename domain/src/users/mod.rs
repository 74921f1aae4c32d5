//! Accounts: registration, verification, login, password reset, profile, roles.

pub mod api_tokens;
pub mod auth;
pub mod devices;
pub mod mail;
pub mod mail_reports;
pub mod notices;
pub mod password_hash;
pub mod phone;
pub mod profile;
pub mod register;
pub mod roles;
pub mod tokens;
pub mod unsubscribe;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use types::TextEnum;
use types::{Email, Locale, Role, SessionUser, UserId};

use crate::{
    Result,
    events::{EventType, NewEvent},
};

/// A user row, without secrets.
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub is_active: bool,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub locale: Locale,
    pub auth_epoch: i32,
    pub created_at: DateTime<Utc>,
}

fn parse_locale(tag: &str) -> Locale {
    Locale::from_tag(tag).unwrap_or_default()
}

pub async fn find_by_id(conn: &mut PgConnection, id: UserId) -> Result<Option<User>> {
    let row = sqlx::query!(
        r#"select id, email, name, is_active, email_verified_at as "email_verified_at: DateTime<Utc>",
                last_login_at as "last_login_at: DateTime<Utc>", locale, auth_epoch,
                created_at as "created_at: DateTime<Utc>"
         from users where id = $1"#,
        id.0
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| User {
        id: UserId(r.id),
        email: r.email,
        name: r.name,
        is_active: r.is_active,
        email_verified_at: r.email_verified_at,
        last_login_at: r.last_login_at,
        locale: parse_locale(&r.locale),
        auth_epoch: r.auth_epoch,
        created_at: r.created_at,
    }))
}

/// How many mails of `event_type` were asked for `user` in the last hour (read from
/// the event log, which is what sends them).
pub(crate) async fn mails_in_the_last_hour(
    conn: &mut PgConnection,
    event_type: EventType,
    user: UserId,
) -> Result<i64> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "n!" from outbox_events
           where event_type = $1 and aggregate_id = $2 and occurred_at > now() - interval '1 hour'"#,
        event_type.as_str(),
        user.to_string()
    )
    .fetch_one(conn)
    .await?)
}

pub async fn find_id_by_email(conn: &mut PgConnection, email: &Email) -> Result<Option<UserId>> {
    let id = sqlx::query_scalar!("select id from users where email = $1", email.as_str()).fetch_optional(conn).await?;
    Ok(id.map(UserId))
}

/// The user behind a session, if the session is still valid: the account exists, is
/// active, and its password has not changed since the session was made (`epoch`).
pub async fn session_user(conn: &mut PgConnection, id: UserId, epoch: i32) -> Result<Option<SessionUser>> {
    active_user(conn, id, Some(epoch)).await
}

/// An active account with its roles and permissions as they are now; with `epoch`,
/// only if its password has not changed since.
pub(crate) async fn active_user(
    conn: &mut PgConnection,
    id: UserId,
    epoch: Option<i32>,
) -> Result<Option<SessionUser>> {
    // One round trip: this runs for every request that carries a session cookie.
    let row = sqlx::query!(
        r#"select u.name, u.email, u.locale, u.email_verified_at is not null as "verified!",
                  coalesce((select array_agg(role order by role) from user_roles where user_id = u.id), '{}')
                      as "roles!",
                  coalesce((select array_agg(distinct rp.permission order by rp.permission)
                              from user_roles ur join role_permissions rp on rp.role = ur.role
                             where ur.user_id = u.id), '{}') as "permissions!"
           from users u
           where u.id = $1 and u.is_active and ($2::int is null or u.auth_epoch = $2)"#,
        id.0,
        epoch
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| SessionUser {
        id,
        name: r.name,
        email: r.email,
        roles: r.roles.iter().filter_map(|n| Role::parse(n)).collect(),
        permissions: r.permissions,
        locale: parse_locale(&r.locale),
        email_verified: r.verified,
    }))
}

/// An event about one user account.
pub(crate) fn user_event(event_type: EventType, user: UserId, data: serde_json::Value) -> NewEvent {
    NewEvent { event_type, aggregate_type: "user", aggregate_id: user.to_string(), aggregate_version: 1, data }
}

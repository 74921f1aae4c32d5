//! Logging in, with throttling; verifying email; forgetting and resetting passwords.

use std::net::IpAddr;

use serde_json::json;
use sqlx::PgConnection;
use types::{Email, ErrorCode, FieldError, Password, UserId};

use super::{password_hash, tokens, tokens::TokenPurpose, user_event};
use crate::{
    Error, RequestMeta, Result, Services,
    events::{self, EventMetadata, EventType},
};

/// Failures allowed per account, and per client address, within the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const FAILURE_WINDOW_SECS: i64 = 15 * 60;

/// A successful login: who, and the epoch the session must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedIn {
    pub user_id: UserId,
    pub auth_epoch: i32,
}

/// How long until another attempt is allowed, if the account or address is over its limit.
async fn throttled_for(conn: &mut PgConnection, email: &str, ip: Option<IpAddr>) -> Result<Option<u64>> {
    let ip = ip.map(|ip| ip.to_string());
    let row = sqlx::query!(
        r#"select
             (select count(*) from login_failures
               where email = $1 and failed_at > now() - make_interval(secs => $3)) as "by_account!",
             (select extract(epoch from min(failed_at) + make_interval(secs => $3) - now())::bigint
                from (select failed_at from login_failures
                      where email = $1 and failed_at > now() - make_interval(secs => $3)
                      order by failed_at desc limit $4) recent) as account_wait,
             (select count(*) from login_failures
               where $2::text is not null and client_ip = $2
                 and failed_at > now() - make_interval(secs => $3)) as "by_address!",
             (select extract(epoch from min(failed_at) + make_interval(secs => $3) - now())::bigint
                from (select failed_at from login_failures
                      where client_ip = $2 and failed_at > now() - make_interval(secs => $3)
                      order by failed_at desc limit $5) recent) as address_wait"#,
        email,
        ip,
        FAILURE_WINDOW_SECS as f64,
        MAX_FAILURES_PER_ACCOUNT,
        MAX_FAILURES_PER_ADDRESS,
    )
    .fetch_one(conn)
    .await?;
    let wait = |w: Option<i64>| w.unwrap_or(1).max(1) as u64;
    if row.by_account >= MAX_FAILURES_PER_ACCOUNT {
        return Ok(Some(wait(row.account_wait)));
    }
    if row.by_address >= MAX_FAILURES_PER_ADDRESS {
        return Ok(Some(wait(row.address_wait)));
    }
    Ok(None)
}

/// Checks the credentials. Unknown email and wrong password give the same error and
/// take the same time; too many failures give `RateLimited` before any check.
pub async fn login(services: &Services, email: &str, password: &str, meta: &RequestMeta) -> Result<LoggedIn> {
    let email_norm = email.trim().to_lowercase();
    let mut conn = services.pool.acquire().await?;
    if let Some(retry_after_secs) = throttled_for(&mut conn, &email_norm, meta.client_ip).await? {
        return Err(Error::RateLimited { retry_after_secs });
    }
    let row = sqlx::query!("select id, password_hash, is_active, auth_epoch from users where email = $1", email_norm)
        .fetch_optional(&mut *conn)
        .await?;
    let ok = password_hash::verify(password.to_owned(), row.as_ref().map(|r| r.password_hash.clone())).await?;
    match row {
        Some(r) if ok && r.is_active => {
            sqlx::query!("delete from login_failures where email = $1", email_norm).execute(&mut *conn).await?;
            sqlx::query!("update users set last_login_at = now() where id = $1", r.id).execute(&mut *conn).await?;
            Ok(LoggedIn { user_id: UserId(r.id), auth_epoch: r.auth_epoch })
        }
        Some(r) if ok && !r.is_active => Err(Error::BadRequest(ErrorCode::AccountDisabled)),
        _ => {
            sqlx::query!(
                "insert into login_failures (email, client_ip) values ($1, $2)",
                email_norm,
                meta.client_ip.map(|ip| ip.to_string())
            )
            .execute(&mut *conn)
            .await?;
            Err(Error::BadRequest(ErrorCode::InvalidCredentials))
        }
    }
}

/// Forgets failures older than the window; run now and then by the server.
pub async fn prune_login_failures(services: &Services) -> Result<u64> {
    let done = sqlx::query!(
        "delete from login_failures where failed_at < now() - make_interval(secs => $1)",
        FAILURE_WINDOW_SECS as f64
    )
    .execute(&services.pool)
    .await?;
    Ok(done.rows_affected())
}

/// Confirms the email behind a verification link.
pub async fn verify_email(services: &Services, token: &str, meta: &RequestMeta) -> Result<UserId> {
    let mut tx = services.pool.begin().await?;
    let user = tokens::consume(&mut tx, token, TokenPurpose::VerifyEmail).await?;
    let newly = sqlx::query!(
        "update users set email_verified_at = now(), updated_at = now()
         where id = $1 and email_verified_at is null",
        user.0
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    if newly {
        events::publish(
            &mut tx,
            user_event(EventType::UserVerified, user, json!({ "user_id": user })),
            &EventMetadata::from_request(meta),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(user)
}

/// Sends a fresh verification link to a logged-in user who has not verified yet.
pub async fn resend_verification(services: &Services, user: UserId, meta: &RequestMeta) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let pending = sqlx::query_scalar!("select email_verified_at is null from users where id = $1", user.0)
        .fetch_optional(&mut *tx)
        .await?
        .flatten()
        .ok_or(Error::NotFound)?;
    if pending {
        events::publish(
            &mut tx,
            user_event(EventType::UserVerificationRequested, user, json!({ "user_id": user })),
            &EventMetadata::from_request(meta),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Starts a password reset. Says nothing about whether the email is known: an
/// unknown or malformed address is simply ignored.
pub async fn request_password_reset(services: &Services, email: &str, meta: &RequestMeta) -> Result<()> {
    let Ok(email) = Email::parse(email) else {
        return Err(Error::field("email", ErrorCode::EmailInvalid));
    };
    let mut tx = services.pool.begin().await?;
    let user = sqlx::query!("select id from users where email = $1 and is_active", email.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(user) = user {
        let user = UserId(user.id);
        // At most three reset mails an hour per account, so the form cannot be used to
        // flood someone's inbox; the requester sees the same answer either way.
        let recent = sqlx::query_scalar!(
            r#"select count(*) as "n!" from outbox_events
               where event_type = $1 and aggregate_id = $2 and occurred_at > now() - interval '1 hour'"#,
            EventType::UserPasswordResetRequested.as_str(),
            user.to_string()
        )
        .fetch_one(&mut *tx)
        .await?;
        if recent < 3 {
            events::publish(
                &mut tx,
                user_event(EventType::UserPasswordResetRequested, user, json!({ "user_id": user })),
                &EventMetadata::from_request(meta),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a new password from a reset link. Every existing session is signed out (the
/// epoch moves on) and any reset links still outstanding stop working.
pub async fn reset_password(
    services: &Services,
    token: &str,
    new_password: &str,
    meta: &RequestMeta,
) -> Result<UserId> {
    let mut tx = services.pool.begin().await?;
    let user = tokens::consume(&mut tx, token, TokenPurpose::ResetPassword).await?;
    let email = sqlx::query_scalar!("select email from users where id = $1", user.0).fetch_one(&mut *tx).await?;
    let email = Email::parse(&email).ok();
    let password = Password::parse(new_password, email.as_ref())
        .map_err(|c| Error::Validation(vec![FieldError::new("password", c)]))?;
    let hash = password_hash::hash(password.expose().to_owned()).await?;
    set_password(&mut tx, user, &hash, meta).await?;
    // Opening the link proves the mailbox is theirs.
    sqlx::query!("update users set email_verified_at = coalesce(email_verified_at, now()) where id = $1", user.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(user)
}

/// Changes the password of a logged-in user who knows the current one. Returns the
/// new epoch, so the caller can keep its own session alive.
pub async fn change_password(
    services: &Services,
    user: UserId,
    current: &str,
    new_password: &str,
    meta: &RequestMeta,
) -> Result<i32> {
    let row = sqlx::query!("select email, password_hash from users where id = $1", user.0)
        .fetch_optional(&services.pool)
        .await?
        .ok_or(Error::NotFound)?;
    if !password_hash::verify(current.to_owned(), Some(row.password_hash)).await? {
        return Err(Error::field("current_password", ErrorCode::WrongCurrentPassword));
    }
    let email = Email::parse(&row.email).ok();
    let password = Password::parse(new_password, email.as_ref()).map_err(|c| Error::field("new_password", c))?;
    let hash = password_hash::hash(password.expose().to_owned()).await?;
    let mut tx = services.pool.begin().await?;
    let epoch = set_password(&mut tx, user, &hash, meta).await?;
    tx.commit().await?;
    Ok(epoch)
}

async fn set_password(conn: &mut PgConnection, user: UserId, hash: &str, meta: &RequestMeta) -> Result<i32> {
    let epoch = sqlx::query_scalar!(
        "update users set password_hash = $2, auth_epoch = auth_epoch + 1, updated_at = now()
         where id = $1 returning auth_epoch",
        user.0,
        hash
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "update user_tokens set used_at = now()
         where user_id = $1 and purpose = 'reset_password' and used_at is null",
        user.0
    )
    .execute(&mut *conn)
    .await?;
    events::publish(
        conn,
        user_event(EventType::UserPasswordChanged, user, json!({ "user_id": user })),
        &EventMetadata::from_request(meta),
    )
    .await?;
    Ok(epoch)
}

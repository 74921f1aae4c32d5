//! Logging in, with throttling; verifying email; forgetting and resetting passwords.

use serde_json::json;
use sqlx::PgConnection;
use types::{Email, ErrorCode, FieldError, Password, UserId};

use super::{password_hash, tokens, tokens::TokenPurpose, user_event};
use crate::{
    Error, RequestMeta, Result, Services,
    events::{self, EventMetadata, EventType},
    throttle::{self, Policy},
};

/// Guesses at one account from one address: five at once, then waits of 1 s, 2 s, 4 s
/// and so on, up to a quarter of an hour.
const ACCOUNT_FROM_ADDRESS: Policy =
    Policy { free: 5, first_wait_secs: 1, max_wait_secs: 900, forget_after_secs: 3600 };
/// Attempts from one address at any accounts (trying leaked passwords on many).
const FROM_ADDRESS: Policy = Policy { free: 20, first_wait_secs: 1, max_wait_secs: 900, forget_after_secs: 3600 };
/// Attempts at one account from anywhere: mild (at most half a minute), so whoever
/// fails in someone's name from elsewhere slows them down but never shuts them out.
const AT_ACCOUNT: Policy = Policy { free: 10, first_wait_secs: 1, max_wait_secs: 30, forget_after_secs: 3600 };
/// Reset requests from one address (whatever the emails).
const RESET_FROM_ADDRESS: Policy = Policy { free: 5, ..throttle::MAIL_FORM };

/// A successful login: who, and the epoch the session must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoggedIn {
    pub user_id: UserId,
    pub auth_epoch: i32,
}

/// Checks the credentials. Unknown email and wrong password give the same error and
/// take the same time. Each attempt is claimed before the password is checked, from
/// the narrowest key to the widest (an attempt refused by one is not counted by the
/// next), so simultaneous guesses are counted one by one.
#[tracing::instrument(skip_all)]
pub async fn login(services: &Services, email: &str, password: &str, meta: &RequestMeta) -> Result<LoggedIn> {
    let email_norm = email.trim().to_lowercase();
    let address = throttle::address(meta);
    let (pair, from_address, account) =
        (format!("login:{email_norm}:{address}"), format!("login-from:{address}"), format!("login-at:{email_norm}"));
    let mut conn = services.pool.acquire().await?;
    throttle::claim(&mut conn, &pair, ACCOUNT_FROM_ADDRESS).await?;
    throttle::claim(&mut conn, &from_address, FROM_ADDRESS).await?;
    throttle::claim(&mut conn, &account, AT_ACCOUNT).await?;
    let row = sqlx::query!("select id, password_hash, is_active, auth_epoch from users where email = $1", email_norm)
        .fetch_optional(&mut *conn)
        .await?;
    let ok = password_hash::verify(password.to_owned(), row.as_ref().map(|r| r.password_hash.clone())).await?;
    match row {
        Some(r) if ok && r.is_active => {
            throttle::clear(&mut conn, &pair).await?;
            throttle::clear(&mut conn, &account).await?;
            // Only failures count against an address: many people may sign in from one.
            throttle::forgive(&mut conn, &from_address, FROM_ADDRESS).await?;
            sqlx::query!("update users set last_login_at = now() where id = $1", r.id).execute(&mut *conn).await?;
            Ok(LoggedIn { user_id: UserId(r.id), auth_epoch: r.auth_epoch })
        }
        Some(r) if ok && !r.is_active => Err(Error::BadRequest(ErrorCode::AccountDisabled)),
        _ => Err(Error::BadRequest(ErrorCode::InvalidCredentials)),
    }
}

/// Confirms the email behind a verification link.
#[tracing::instrument(skip_all)]
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
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn resend_verification(services: &Services, user: UserId, meta: &RequestMeta) -> Result<()> {
    throttle::claim(&mut *services.pool.acquire().await?, &format!("verify-mail:{user}"), throttle::MAIL_FORM).await?;
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
#[tracing::instrument(skip_all)]
pub async fn request_password_reset(services: &Services, email: &str, meta: &RequestMeta) -> Result<()> {
    let Ok(email) = Email::parse(email) else {
        return Err(Error::field("email", ErrorCode::EmailInvalid));
    };
    // Per address only: a limit per email would tell which addresses have accounts.
    let key = format!("reset-from:{}", throttle::address(meta));
    throttle::claim(&mut *services.pool.acquire().await?, &key, RESET_FROM_ADDRESS).await?;
    let mut tx = services.pool.begin().await?;
    let user = sqlx::query!("select id from users where email = $1 and is_active", email.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(user) = user {
        let user = UserId(user.id);
        // At most three reset mails an hour per account, so the form cannot be used to
        // flood someone's inbox; the requester sees the same answer either way.
        if super::mails_in_the_last_hour(&mut tx, EventType::UserPasswordResetRequested, user).await? < 3 {
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
#[tracing::instrument(skip_all)]
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
#[tracing::instrument(skip_all, fields(user = %user))]
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

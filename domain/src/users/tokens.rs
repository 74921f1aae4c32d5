//! Single-use, expiring tokens for email links. The raw token goes in the mail; only
//! its SHA-256 is stored.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Duration;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use types::TextEnum;
use types::{ErrorCode, UserId};

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
}

fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Creates a token valid for `ttl` and returns its raw form.
pub async fn issue(conn: &mut PgConnection, user: UserId, purpose: TokenPurpose, ttl: Duration) -> Result<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    sqlx::query!(
        "insert into user_tokens (token_hash, user_id, purpose, expires_at)
         values ($1, $2, $3, now() + make_interval(secs => $4))",
        digest(&token),
        user.0,
        purpose.as_str(),
        ttl.num_seconds() as f64,
    )
    .execute(conn)
    .await?;
    Ok(token)
}

/// Marks the token used and returns its user, in the caller's transaction so the use
/// and its effect commit together. Unknown, used and foreign-purpose tokens are all
/// "invalid"; a known but stale one is "expired".
pub async fn consume(conn: &mut PgConnection, raw: &str, purpose: TokenPurpose) -> Result<UserId> {
    if raw.is_empty() || raw.len() > 100 {
        return Err(Error::BadRequest(ErrorCode::TokenInvalid));
    }
    let row = sqlx::query!(
        r#"select user_id, used_at, expires_at < now() as "expired!"
           from user_tokens where token_hash = $1 and purpose = $2
           for update"#,
        digest(raw),
        purpose.as_str()
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Err(Error::BadRequest(ErrorCode::TokenInvalid));
    };
    if row.used_at.is_some() {
        return Err(Error::BadRequest(ErrorCode::TokenInvalid));
    }
    if row.expired {
        return Err(Error::BadRequest(ErrorCode::TokenExpired));
    }
    sqlx::query!("update user_tokens set used_at = now() where token_hash = $1", digest(raw))
        .execute(&mut *conn)
        .await?;
    Ok(UserId(row.user_id))
}

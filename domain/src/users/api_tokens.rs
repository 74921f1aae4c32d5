//! Personal access tokens for the public API. A user names a token, picks its scopes
//! and lifetime, and sees the secret once; only its SHA-256 is stored. A token acts
//! for its user with at most the scopes it was given, and only those the user's roles
//! still allow: taking a role away takes it from every token at once.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use types::{
    ErrorCode, FieldError, SessionUser, TextEnum, UserId,
    api::{ApiTokenView, CreatedApiToken, Lifetime, Scope},
    ids::ApiTokenId,
};

use super::active_user;
use crate::{Error, RequestMeta, Result, audit};

/// Every secret starts so: a leaked one is recognisable (secret scanners match it).
pub const SECRET_PREFIX: &str = "oa_";
/// Characters of the secret kept in the clear to tell tokens apart.
const SHOWN: usize = SECRET_PREFIX.len() + 6;
/// Tokens one user may hold at once (revoked ones do not count).
pub const MAX_TOKENS: i64 = 50;
const MAX_NAME: usize = 80;
/// `last_used_at` is written at most this often per token, not on every request.
const USE_RESOLUTION_SECS: f64 = 60.0;

fn digest(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Who a request with a valid token acts as.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: ApiTokenId,
    pub user: SessionUser,
    /// The token's scopes that the user's roles still allow.
    pub scopes: Vec<Scope>,
}

impl Caller {
    pub fn allows(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// Scopes and a lifetime as a form or a shell sends them (names; an empty lifetime is
/// the default), each name that is not one refused at its field.
pub fn read_choices(scopes: &[String], lifetime: &str) -> Result<(Vec<Scope>, Lifetime)> {
    let mut errors = Vec::new();
    let scopes = scopes.iter().map(|s| Scope::parse(s.trim())).collect::<Option<Vec<_>>>().unwrap_or_else(|| {
        errors.push(FieldError::new("scopes", ErrorCode::InvalidInput));
        Vec::new()
    });
    let lifetime = match lifetime.trim() {
        "" => Lifetime::default(),
        other => Lifetime::parse(other).unwrap_or_else(|| {
            errors.push(FieldError::new("lifetime", ErrorCode::InvalidInput));
            Lifetime::default()
        }),
    };
    if errors.is_empty() { Ok((scopes, lifetime)) } else { Err(Error::Validation(errors)) }
}

/// What the account page's form sends, checked.
pub fn validate(user: &SessionUser, name: &str, scopes: &[Scope]) -> Result<String> {
    let name = name.trim();
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::new("name", ErrorCode::Required));
    } else if name.chars().count() > MAX_NAME {
        errors.push(FieldError::new("name", ErrorCode::TooLong));
    }
    if scopes.is_empty() {
        errors.push(FieldError::new("scopes", ErrorCode::Required));
    } else if scopes.iter().any(|s| !Scope::offered(&user.permissions).any(|o| o == *s)) {
        errors.push(FieldError::new("scopes", ErrorCode::ScopeNotAllowed));
    }
    if errors.is_empty() { Ok(name.to_owned()) } else { Err(Error::Validation(errors)) }
}

/// Makes a token and returns its secret, the only time anyone sees it.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn create(
    pool: &PgPool,
    user: &SessionUser,
    name: &str,
    scopes: &[Scope],
    lifetime: Lifetime,
    meta: &RequestMeta,
) -> Result<CreatedApiToken> {
    let name = validate(user, name, scopes)?;
    let mut scopes = scopes.to_vec();
    scopes.sort();
    scopes.dedup();
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = format!("{SECRET_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let id = ApiTokenId::new();
    let names: Vec<String> = scopes.iter().map(|s| s.as_str().to_owned()).collect();
    let mut tx = pool.begin().await?;
    // Serialises one user's creations, so two at once cannot both pass the limit.
    sqlx::query!("select id from users where id = $1 for update", user.id.0).fetch_one(&mut *tx).await?;
    let held = sqlx::query_scalar!(
        r#"select count(*) as "n!" from api_tokens where user_id = $1 and revoked_at is null"#,
        user.id.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if held >= MAX_TOKENS {
        return Err(Error::field("name", ErrorCode::TooManyTokens));
    }
    sqlx::query!(
        "insert into api_tokens (id, user_id, name, prefix, token_hash, scopes, expires_at)
         values ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7::int))",
        id.0,
        user.id.0,
        name,
        &secret[..SHOWN],
        digest(&secret),
        &names,
        lifetime.days().map(|d| d as i32),
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        meta.user_id.or(Some(user.id)),
        "api_token.created",
        "api_token",
        &id.to_string(),
        json!({ "name": name, "scopes": names, "expires_in_days": lifetime.days() }),
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedApiToken { id, name, secret })
}

/// The user's tokens not revoked, newest first.
pub async fn list(pool: &PgPool, user: UserId) -> Result<Vec<ApiTokenView>> {
    let rows = sqlx::query!(
        r#"select id, name, prefix, scopes, created_at as "created_at: DateTime<Utc>",
                  expires_at as "expires_at: DateTime<Utc>", last_used_at as "last_used_at: DateTime<Utc>",
                  coalesce(expires_at < now(), false) as "expired!"
           from api_tokens where user_id = $1 and revoked_at is null
           order by created_at desc, id"#,
        user.0
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ApiTokenView {
            id: ApiTokenId(r.id),
            name: r.name,
            prefix: r.prefix,
            scopes: r.scopes.iter().filter_map(|s| Scope::parse(s)).collect(),
            created_at: r.created_at,
            expires_at: r.expires_at,
            last_used_at: r.last_used_at,
            expired: r.expired,
        })
        .collect())
}

/// Revokes one of the user's tokens; the next request made with it is refused.
pub async fn revoke(pool: &PgPool, user: UserId, id: ApiTokenId, meta: &RequestMeta) -> Result<()> {
    let mut tx = pool.begin().await?;
    let name = sqlx::query_scalar!(
        "update api_tokens set revoked_at = now() where id = $1 and user_id = $2 and revoked_at is null
         returning name",
        id.0,
        user.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    audit::record(
        &mut tx,
        meta.user_id.or(Some(user)),
        "api_token.revoked",
        "api_token",
        &id.to_string(),
        json!({ "name": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Why a presented secret was not accepted (the API says which, so a developer knows
/// whether to fix a typo or make a new token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a token of ours, or revoked, or its user is disabled.
    Invalid,
    Expired,
}

/// The caller behind a bearer secret. Marks the token used (once a minute at most).
pub async fn authenticate(pool: &PgPool, secret: &str) -> Result<Result<Caller, Refusal>> {
    if !secret.starts_with(SECRET_PREFIX) || secret.len() > 100 {
        return Ok(Err(Refusal::Invalid));
    }
    let mut conn = pool.acquire().await?;
    let row = sqlx::query!(
        r#"select id, user_id, scopes, expires_at as "expires_at: DateTime<Utc>",
                  last_used_at as "last_used_at: DateTime<Utc>"
           from api_tokens where token_hash = $1 and revoked_at is null"#,
        digest(secret)
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(Err(Refusal::Invalid)) };
    let Some(user) = active_user(&mut conn, UserId(row.user_id), None).await? else {
        return Ok(Err(Refusal::Invalid));
    };
    let now = Utc::now();
    if row.expires_at.is_some_and(|at| at <= now) {
        return Ok(Err(Refusal::Expired));
    }
    if row.last_used_at.is_none_or(|at: DateTime<Utc>| (now - at).num_seconds() as f64 >= USE_RESOLUTION_SECS) {
        sqlx::query!("update api_tokens set last_used_at = now() where id = $1", row.id).execute(&mut *conn).await?;
    }
    let offered: Vec<Scope> = Scope::offered(&user.permissions).collect();
    let scopes = row.scopes.iter().filter_map(|s| Scope::parse(s)).filter(|s| offered.contains(s)).collect();
    Ok(Ok(Caller { token: ApiTokenId(row.id), user, scopes }))
}

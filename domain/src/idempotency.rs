//! `Idempotency-Key` for the public API's POSTs: the first request with a key acts and
//! its answer is kept for a day; a retry with the same key and the same request gets
//! that answer again without acting, and the same key with another request is refused.

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use types::UserId;

use crate::Result;

/// A key whose first request never finished (its instance died) is free again after this.
const ABANDONED_SECS: f64 = 60.0;

/// What to do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The first with this key: act, then [`complete`] or [`release`].
    Fresh,
    /// Answered before: send this again.
    Replay { status: u16, body: Vec<u8> },
    /// The first request with this key is still being answered.
    InFlight,
    /// The key was used for a different request.
    Mismatch,
}

/// What identifies a request for its key: method, path and body.
pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let mut hash = Sha256::new();
    for part in [method.as_bytes(), b" ", path.as_bytes(), b"\n", body] {
        hash.update(part);
    }
    hash.finalize().to_vec()
}

pub async fn claim(pool: &PgPool, user: UserId, key: &str, request: &[u8]) -> Result<Claim> {
    let taken = sqlx::query_scalar!(
        "insert into api_idempotency (user_id, key, request_hash) values ($1, $2, $3)
         on conflict (user_id, key) do update set created_at = now()
             where api_idempotency.status is null and api_idempotency.request_hash = excluded.request_hash
               and api_idempotency.created_at < now() - make_interval(secs => $4)
         returning true",
        user.0,
        key,
        request,
        ABANDONED_SECS
    )
    .fetch_optional(pool)
    .await?;
    if taken.is_some() {
        return Ok(Claim::Fresh);
    }
    let kept = sqlx::query!(
        "select request_hash, status, body from api_idempotency where user_id = $1 and key = $2",
        user.0,
        key
    )
    .fetch_optional(pool)
    .await?;
    Ok(match kept {
        // Released between the two statements: the caller may simply retry.
        None => Claim::InFlight,
        Some(k) if k.request_hash != request => Claim::Mismatch,
        Some(k) => match k.status {
            Some(status) => Claim::Replay { status: status as u16, body: k.body.unwrap_or_default() },
            None => Claim::InFlight,
        },
    })
}

/// Keeps the answer of the request that claimed `key`.
pub async fn complete(pool: &PgPool, user: UserId, key: &str, status: u16, body: &[u8]) -> Result<()> {
    sqlx::query!(
        "update api_idempotency set status = $3, body = $4 where user_id = $1 and key = $2",
        user.0,
        key,
        status as i16,
        body
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Frees `key` without keeping an answer (the request failed on our side, or was
/// turned away before it acted): a retry acts afresh.
pub async fn release(pool: &PgPool, user: UserId, key: &str) -> Result<()> {
    sqlx::query!("delete from api_idempotency where user_id = $1 and key = $2 and status is null", user.0, key)
        .execute(pool)
        .await?;
    Ok(())
}

/// Forgets answers older than a day; run now and then by the server.
pub async fn prune(pool: &PgPool) -> Result<u64> {
    let done =
        sqlx::query!("delete from api_idempotency where created_at < now() - interval '1 day'").execute(pool).await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn a_request_is_known_by_its_method_path_and_body() {
        let a = fingerprint("POST", "/api/v1/stock", b"{\"items\":[]}");
        assert_eq!(a, fingerprint("POST", "/api/v1/stock", b"{\"items\":[]}"));
        assert_ne!(a, fingerprint("POST", "/api/v1/stock", b"{\"items\":[1]}"));
        assert_ne!(a, fingerprint("POST", "/api/v1/payouts", b"{\"items\":[]}"));
        // The separators keep parts from running into each other.
        assert_ne!(fingerprint("POST", "/a", b"b"), fingerprint("POST", "/ab", b""));
    }
}

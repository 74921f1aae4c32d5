//! Throttling by growing delays: each key (an account, a client address, a pair of
//! them) may make a few attempts freely, then waits longer after each one. Nothing is
//! ever locked outright, so nobody can lock another person out by failing in their
//! name; they can only slow themselves down.
//!
//! Claiming an attempt locks the key's row, so of many simultaneous attempts each sees
//! the ones before it: once the free ones are used, parallel guesses gain nothing.
//!
//! That suits the rare, costly forms (sign-in, sign-up, resets). Traffic too frequent
//! for a row lock per request is limited in memory by [`rate`], each instance taking
//! its share of the store-wide limit from the count [`instances`] keeps.

pub mod instances;
pub mod rate;

use sqlx::{Connection, PgConnection};

use crate::{Error, Result};

/// How a key's attempts are spaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Attempts that need no wait.
    pub free: i32,
    /// The wait after the first attempt past the free ones, doubled after each further one.
    pub first_wait_secs: i32,
    pub max_wait_secs: i32,
    /// A key left alone this long starts again with its free attempts.
    pub forget_after_secs: i32,
}

impl Policy {
    /// The wait after attempt number `attempt` (1-based).
    pub fn wait_after(self, attempt: i32) -> i64 {
        if attempt < self.free {
            return 0;
        }
        let doublings = u32::try_from(attempt - self.free).unwrap_or(0).min(30);
        (i64::from(self.first_wait_secs) << doublings).min(i64::from(self.max_wait_secs))
    }
}

/// The client address as part of a key (`unknown` when there is none, so those share one).
pub fn address(meta: &crate::RequestMeta) -> String {
    meta.client_ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// For forms that cost us work or send mail (sign-up, a new link): a few at once, then
/// a minute, two, four… up to an hour.
pub const MAIL_FORM: Policy = Policy { free: 3, first_wait_secs: 60, max_wait_secs: 3600, forget_after_secs: 3600 };

/// Takes an attempt for `key`, or refuses with how long to wait (`RateLimited`). A
/// refused attempt is not counted.
pub async fn claim(conn: &mut PgConnection, key: &str, policy: Policy) -> Result<()> {
    let mut tx = conn.begin().await?;
    sqlx::query!(
        "insert into throttles (key, attempts, next_allowed_at) values ($1, 0, to_timestamp(0)) on conflict do nothing",
        key
    )
    .execute(&mut *tx)
    .await?;
    // Locked: a simultaneous attempt on the same key waits here and sees this one. The
    // clock is read after the lock (not `now()`, the transaction's start, which may be
    // earlier than the time the previous holder wrote).
    let row = sqlx::query!(
        r#"select attempts, ceil(extract(epoch from next_allowed_at - clock_timestamp()))::int8 as "wait!",
                  updated_at < now() - make_interval(secs => $2) as "forgotten!"
           from throttles where key = $1 for update"#,
        key,
        f64::from(policy.forget_after_secs)
    )
    .fetch_one(&mut *tx)
    .await?;
    if row.wait > 0 && !row.forgotten {
        return Err(Error::RateLimited { retry_after_secs: row.wait as u64 });
    }
    let attempt = if row.forgotten { 1 } else { row.attempts + 1 };
    sqlx::query!(
        "update throttles set attempts = $2, next_allowed_at = clock_timestamp() + make_interval(secs => $3),
                updated_at = now()
         where key = $1",
        key,
        attempt,
        policy.wait_after(attempt) as f64
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes back one attempt of `key` (one that turned out well, so it should not count
/// against the others made from the same place).
pub async fn forgive(conn: &mut PgConnection, key: &str, policy: Policy) -> Result<()> {
    let mut tx = conn.begin().await?;
    let attempts = sqlx::query_scalar!("select attempts from throttles where key = $1 for update", key)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(attempts) = attempts {
        let attempts = (attempts - 1).max(0);
        // The wait the attempt before it set, counted from now (a little longer at most).
        let wait = if attempts == 0 { 0 } else { policy.wait_after(attempts) };
        sqlx::query!(
            "update throttles set attempts = $2,
                    next_allowed_at = least(next_allowed_at, clock_timestamp() + make_interval(secs => $3))
             where key = $1",
            key,
            attempts,
            wait as f64
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Gives `key` its free attempts back (a login that succeeded).
pub async fn clear(conn: &mut PgConnection, key: &str) -> Result<()> {
    sqlx::query!("delete from throttles where key = $1", key).execute(conn).await?;
    Ok(())
}

/// Forgets keys left alone for a day; run now and then by the server.
pub async fn prune(pool: &sqlx::PgPool) -> Result<u64> {
    let done = sqlx::query!("delete from throttles where updated_at < now() - interval '1 day'").execute(pool).await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::Policy;

    #[test]
    fn waits_grow_after_the_free_attempts_and_stop_at_the_cap() {
        let policy = Policy { free: 3, first_wait_secs: 2, max_wait_secs: 60, forget_after_secs: 3600 };
        let waits: Vec<i64> = (1..=10).map(|n| policy.wait_after(n)).collect();
        assert_eq!(waits, [0, 0, 2, 4, 8, 16, 32, 60, 60, 60]);
    }
}

//! A person's mobile number for text messages. It is used only once proven: a
//! six-digit code goes to it by SMS (straight to the provider, not a notice: it is
//! for the one who asked, now), and the number is theirs when they type the code back
//! within ten minutes and five tries. Another code waits a minute after the last.
//! Owns `users.phone`, `users.phone_verified_at` and `phone_codes`.

use chrono::Duration;
use rand::Rng;
use serde_json::json;
use sha2::{Digest, Sha256};
use types::{ErrorCode, Locale, UserId, profile::PhoneStatus};

use crate::{
    Error, Result, Services,
    notifications::sms::{self, Sms},
};

/// How long a code works, how often it may be tried, and the pause before another.
const CODE_LIFETIME: Duration = Duration::minutes(10);
const MAX_TRIES: i32 = 5;
const RESEND_AFTER: Duration = Duration::seconds(60);

fn hash(user: UserId, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{user}:{code}")))
}

/// Where the person's number stands.
pub async fn status(services: &Services, user: UserId) -> Result<PhoneStatus> {
    let row = sqlx::query!(
        r#"select u.phone, u.phone_verified_at is not null as "verified!", c.phone as "pending?"
           from users u left join phone_codes c on c.user_id = u.id and c.expires_at > now()
           where u.id = $1"#,
        user.0
    )
    .fetch_one(&services.pool)
    .await?;
    Ok(PhoneStatus {
        number: row.phone.filter(|_| row.verified),
        pending: row.pending,
        available: services.sms.is_some(),
    })
}

/// Sends a code to `raw` (a number in international form) for `user` to type back.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn start(services: &Services, user: UserId, raw: &str, locale: Locale) -> Result<()> {
    let Some(channel) = &services.sms else { return Err(Error::BadRequest(ErrorCode::SmsUnavailable)) };
    let phone = sms::e164(raw).ok_or_else(|| Error::field("phone", ErrorCode::PhoneInvalid))?;
    let wait = sqlx::query_scalar!(
        r#"select ceil(extract(epoch from sent_at + make_interval(secs => $2) - now()))::int8 as "wait!"
           from phone_codes where user_id = $1"#,
        user.0,
        RESEND_AFTER.num_seconds() as f64
    )
    .fetch_optional(&services.pool)
    .await?;
    if let Some(wait) = wait.filter(|w| *w > 0) {
        return Err(Error::RateLimited { retry_after_secs: wait as u64 });
    }
    let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000));
    sqlx::query!(
        "insert into phone_codes (user_id, phone, code_hash, expires_at)
         values ($1, $2, $3, now() + make_interval(mins => $4))
         on conflict (user_id) do update
         set phone = excluded.phone, code_hash = excluded.code_hash, attempts = 0,
             expires_at = excluded.expires_at, sent_at = now()",
        user.0,
        phone,
        hash(user, &code),
        CODE_LIFETIME.num_minutes() as i32
    )
    .execute(&services.pool)
    .await?;
    let body = match locale {
        Locale::En => format!(
            "OpenAero code: {code}. It confirms this number for your account and expires in 10 minutes. Never share it."
        ),
        Locale::Zh => format!("OpenAero 验证码：{code}。用于确认此号码属于您的账户，10 分钟内有效。请勿告诉他人。"),
    };
    channel.gateway.send(&Sms { to: phone, body }).await.map_err(|e| {
        tracing::warn!(error = %e, "a verification code could not be sent");
        Error::BadRequest(ErrorCode::SmsUnavailable)
    })?;
    Ok(())
}

/// Takes the code back: right, and the number is the person's for text messages.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn confirm(services: &Services, user: UserId, code: &str) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let pending = sqlx::query!(
        "select phone, code_hash, attempts from phone_codes where user_id = $1 and expires_at > now() for update",
        user.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::field("code", ErrorCode::CodeExpired))?;
    if pending.attempts >= MAX_TRIES {
        return Err(Error::field("code", ErrorCode::TooManyAttempts));
    }
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    if hash(user, &code) != pending.code_hash {
        sqlx::query!("update phone_codes set attempts = attempts + 1 where user_id = $1", user.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Err(Error::field("code", ErrorCode::CodeWrong));
    }
    sqlx::query!("update users set phone = $2, phone_verified_at = now() where id = $1", user.0, pending.phone)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("delete from phone_codes where user_id = $1", user.0).execute(&mut *tx).await?;
    crate::audit::record(&mut tx, Some(user), "user.phone_verified", "user", &user.to_string(), json!({})).await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets the person's number: no more text messages.
pub async fn remove(services: &Services, user: UserId) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    sqlx::query!("update users set phone = null, phone_verified_at = null where id = $1", user.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("delete from phone_codes where user_id = $1", user.0).execute(&mut *tx).await?;
    crate::audit::record(&mut tx, Some(user), "user.phone_removed", "user", &user.to_string(), json!({})).await?;
    tx.commit().await?;
    Ok(())
}

/// The number to text `user` at, when they proved one.
pub async fn verified(conn: &mut sqlx::PgConnection, user: UserId) -> Result<Option<String>> {
    Ok(sqlx::query_scalar!("select phone from users where id = $1 and phone_verified_at is not null", user.0)
        .fetch_optional(conn)
        .await?
        .flatten())
}

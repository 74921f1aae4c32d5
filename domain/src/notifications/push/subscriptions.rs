//! The browsers that show a person's push notices. A browser subscribes with the
//! site's key and hands over where its push service takes messages for it and the
//! keys to encrypt them with; it is the person's until they remove it, sign it up for
//! another account, or its push service says it is gone. Owns `push_subscriptions`.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use types::{
    ErrorCode, Locale, TextEnum, UserId,
    ids::PushSubscriptionId,
    profile::{NotificationChannel, NotificationKind, PushDevice, PushStatus},
};

use super::{Outcome, PushMessage};
use crate::{Error, Result, Services, notifications::deliveries::Undeliverable};

/// Devices one account keeps; a new one past this replaces the one unused longest.
const MAX_DEVICES: i64 = 20;

/// What a browser's `PushSubscription` gives us.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub endpoint: String,
    /// `keys.p256dh`, base64url.
    pub p256dh: String,
    /// `keys.auth`, base64url.
    pub auth: String,
}

/// A stored subscription, what sending needs.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: PushSubscriptionId,
    pub endpoint: String,
    pub p256dh: Vec<u8>,
    pub auth: Vec<u8>,
}

/// Whether push is offered and which of `user`'s browsers show it.
pub async fn status(services: &Services, user: UserId) -> Result<PushStatus> {
    let Some(push) = &services.push else { return Ok(PushStatus::default()) };
    let devices = sqlx::query!(
        r#"select id, device, endpoint, created_at as "created_at: DateTime<Utc>",
                  last_sent_at as "last_sent_at: DateTime<Utc>"
           from push_subscriptions where user_id = $1 order by created_at desc"#,
        user.0
    )
    .fetch_all(&services.pool)
    .await?
    .into_iter()
    .map(|r| PushDevice {
        id: PushSubscriptionId(r.id),
        device: r.device,
        endpoint: r.endpoint,
        created_at: r.created_at,
        last_sent_at: r.last_sent_at,
    })
    .collect();
    Ok(PushStatus { public_key: Some(push.public_key().to_owned()), devices })
}

/// Keeps `new` as a browser of `user`'s, called `device` ("Firefox on Android"). A
/// browser that was another account's is this one's now: it shows one person's notices.
/// The first browser also switches push on for what the person hears in the app.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn subscribe(services: &Services, user: UserId, new: &NewSubscription, device: &str) -> Result<()> {
    let Some(push) = &services.push else { return Err(Error::BadRequest(ErrorCode::PushUnavailable)) };
    if push.service_of(&new.endpoint).is_none() {
        return Err(Error::BadRequest(ErrorCode::PushServiceRefused));
    }
    let p256dh = URL_SAFE_NO_PAD.decode(new.p256dh.trim_end_matches('=')).ok();
    let auth = URL_SAFE_NO_PAD.decode(new.auth.trim_end_matches('=')).ok();
    let (Some(p256dh), Some(auth)) = (p256dh, auth) else { return Err(Error::BadRequest(ErrorCode::InvalidInput)) };
    if p256::PublicKey::from_sec1_bytes(&p256dh).is_err() || auth.len() != 16 || new.endpoint.len() > 2000 {
        return Err(Error::BadRequest(ErrorCode::InvalidInput));
    }
    let mut tx = services.pool.begin().await?;
    sqlx::query!(
        "insert into push_subscriptions (id, user_id, endpoint, p256dh, auth, device)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (endpoint) do update
         set user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
             device = excluded.device, created_at = now(), last_sent_at = null",
        PushSubscriptionId::new().0,
        user.0,
        new.endpoint,
        p256dh,
        auth,
        device.chars().take(100).collect::<String>(),
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from push_subscriptions where id in (
             select id from push_subscriptions where user_id = $1
             order by coalesce(last_sent_at, created_at) desc offset $2)",
        user.0,
        MAX_DEVICES
    )
    .execute(&mut *tx)
    .await?;
    switch_on_first_time(&mut tx, user).await?;
    crate::audit::record(&mut tx, Some(user), "push.subscribe", "user", &user.to_string(), json!({ "device": device }))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Someone who turns on push with no topic on for it gets it for what they hear in the
/// app (their choices there, and the security notices, which are always on there):
/// asking a browser to show notices means wanting some. Their choices stay theirs after.
async fn switch_on_first_time(conn: &mut PgConnection, user: UserId) -> Result<()> {
    let push = NotificationChannel::Push.as_str();
    let in_app = NotificationChannel::InApp.as_str();
    let chosen = sqlx::query_scalar!(
        r#"select exists(select 1 from notification_preferences where user_id = $1 and channel = $2) as "x!""#,
        user.0,
        push
    )
    .fetch_one(&mut *conn)
    .await?;
    if chosen {
        return Ok(());
    }
    // The kinds on in the app; a locked-on security notice is on whether stored or not.
    let security = NotificationKind::AccountSecurity.as_str();
    sqlx::query!(
        "insert into notification_preferences (user_id, kind, channel)
         select $1, kind, $2 from notification_preferences where user_id = $1 and channel = $3
         union select $1, $4, $2
         on conflict do nothing",
        user.0,
        push,
        in_app,
        security
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes one of `user`'s browsers; another's is not found.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn remove(services: &Services, user: UserId, id: PushSubscriptionId) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let removed = sqlx::query!("delete from push_subscriptions where id = $1 and user_id = $2", id.0, user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed == 0 {
        return Err(Error::NotFound);
    }
    crate::audit::record(&mut tx, Some(user), "push.remove", "user", &user.to_string(), json!({ "subscription": id }))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Pushes a test notice to one of `user`'s browsers now, so they see that it works
/// there. A browser its push service calls gone is removed and said to be.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn send_test(services: &Services, user: UserId, id: PushSubscriptionId, locale: Locale) -> Result<()> {
    let Some(push) = &services.push else { return Err(Error::BadRequest(ErrorCode::PushUnavailable)) };
    let row = sqlx::query!(
        "select endpoint, p256dh, auth from push_subscriptions where id = $1 and user_id = $2",
        id.0,
        user.0
    )
    .fetch_optional(&services.pool)
    .await?
    .ok_or(Error::NotFound)?;
    let to = Subscription { id, endpoint: row.endpoint, p256dh: row.p256dh, auth: row.auth };
    let (title, body) = match locale {
        Locale::En => ("OpenAero test", "Notifications reach this device. Tap to see your notification settings."),
        Locale::Zh => ("OpenAero 测试", "此设备可以收到通知。点按查看通知设置。"),
    };
    let message = PushMessage::new(title, body, "/account/preferences", "test");
    match push.deliver(&to, &message).await {
        Ok(Outcome::Accepted(_)) => Ok(()),
        Ok(Outcome::Gone) => {
            sqlx::query!("delete from push_subscriptions where id = $1", id.0).execute(&services.pool).await?;
            Err(Error::Conflict(ErrorCode::PushDeviceGone))
        }
        Err(e) => {
            tracing::warn!(error = %e, "a test push was not taken");
            Err(Error::BadRequest(ErrorCode::PushNotTaken))
        }
    }
}

/// Whether `user` has a browser to push to.
pub async fn any(conn: &mut PgConnection, user: UserId) -> Result<bool> {
    Ok(sqlx::query_scalar!(r#"select exists(select 1 from push_subscriptions where user_id = $1) as "x!""#, user.0)
        .fetch_one(conn)
        .await?)
}

/// Sends `message` to every browser of `user`'s; the push services' names for it. A
/// browser its service calls gone is removed. It counts as sent when one browser took
/// it (a retry would show it twice on the others); with none left it cannot be sent.
pub async fn send_to_all(services: &Services, user: UserId, message: &PushMessage) -> anyhow::Result<String> {
    let push = services.push.as_ref().ok_or_else(|| Undeliverable("push is no longer offered".into()))?;
    let subscriptions =
        sqlx::query!("select id, endpoint, p256dh, auth from push_subscriptions where user_id = $1", user.0)
            .fetch_all(&services.pool)
            .await?;
    let subscriptions: Vec<Subscription> = subscriptions
        .into_iter()
        .map(|r| Subscription { id: PushSubscriptionId(r.id), endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth })
        .collect();
    // The devices' push services are asked at once, and what they said is written in two statements.
    let outcomes = futures::future::join_all(subscriptions.iter().map(|to| push.deliver(to, message))).await;
    let (mut accepted, mut sent, mut gone, mut failures) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (to, outcome) in subscriptions.iter().zip(outcomes) {
        match outcome {
            Ok(Outcome::Accepted(reference)) => {
                sent.push(to.id.0);
                accepted.push(reference.unwrap_or_else(|| to.id.to_string()));
            }
            Ok(Outcome::Gone) => {
                tracing::info!(subscription = %to.id, "a push subscription has expired; removed");
                gone.push(to.id.0);
            }
            Err(e) => failures.push(format!("{e:#}")),
        }
    }
    sqlx::query!("update push_subscriptions set last_sent_at = now() where id = any($1)", &sent)
        .execute(&services.pool)
        .await?;
    sqlx::query!("delete from push_subscriptions where id = any($1)", &gone).execute(&services.pool).await?;
    if !accepted.is_empty() {
        return Ok(accepted.join(" "));
    }
    match failures.is_empty() {
        true => Err(Undeliverable("no browser is subscribed to push any more".into()).into()),
        false => Err(anyhow::anyhow!(failures.join("; "))),
    }
}

//! Each notice's delivery per channel. An in-app notice is delivered when it is
//! written. A mail is queued with its text, in the same transaction as the notice,
//! and sent by [`Deliverer`], an outbox handler: a failed send is retried with the
//! outbox's backoff and, after [`MAX_ATTEMPTS`], marked failed for admins to see and
//! send again. The provider's reference (a mail's `Message-ID`) is kept so its later
//! reports (delivered, bounced) find the delivery.

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgConnection;
use types::{
    ErrorCode, TextEnum, UserId,
    ids::NoticeDeliveryId,
    notifications::{DeliveryFilter, DeliveryPage, DeliveryStatus, NoticeDelivery, NotificationKind},
    profile::NotificationChannel,
};

use super::mail::Mail;
use crate::{
    Error, Result, Services,
    events::{self, EventMetadata, EventType, Handler, NewEvent, StoredEvent},
};

/// Sends of one delivery before it is marked failed. The outbox waits 2, 4, 8 and 16
/// seconds between them, so a provider that is down for half a minute loses nothing.
pub const MAX_ATTEMPTS: i32 = 5;

/// Deliveries per page of the lists.
pub const PAGE: i64 = 50;

/// What a queued delivery sends: everything the provider needs, so a resend sends
/// the same words.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "channel", rename_all = "snake_case")]
pub enum Payload {
    Email {
        to: String,
        subject: String,
        body: String,
        /// The one-click unsubscribe link, for a mail its reader may stop.
        unsubscribe: Option<String>,
    },
    Sms {
        to: String,
        body: String,
    },
    /// To every browser the person subscribed when it is sent.
    Push {
        to: UserId,
        message: super::push::PushMessage,
    },
}

/// A delivery no retry can help (nowhere left to send it): failed at once.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Undeliverable(pub String);

impl Payload {
    fn channel(&self) -> NotificationChannel {
        match self {
            Payload::Email { .. } => NotificationChannel::Email,
            Payload::Sms { .. } => NotificationChannel::Sms,
            Payload::Push { .. } => NotificationChannel::Push,
        }
    }

    fn summary(&self) -> &str {
        match self {
            Payload::Email { subject, .. } => subject,
            Payload::Sms { body, .. } => body,
            Payload::Push { message, .. } => &message.title,
        }
    }

    pub fn email(mail: Mail, unsubscribe: Option<String>) -> Payload {
        Payload::Email { to: mail.to, subject: mail.subject, body: mail.body, unsubscribe }
    }
}

/// Records a delivery that is over as soon as it starts: an in-app notice is
/// `Delivered` when written; a mail to a suppressed address is `Failed` with why.
pub async fn record(
    conn: &mut PgConnection,
    key: &str,
    user: UserId,
    kind: NotificationKind,
    channel: NotificationChannel,
    outcome: std::result::Result<(), &str>,
) -> Result<()> {
    let (status, error) = match outcome {
        Ok(()) => (DeliveryStatus::Delivered, None),
        Err(why) => (DeliveryStatus::Failed, Some(why)),
    };
    sqlx::query!(
        "insert into notice_deliveries (id, notice_key, user_id, kind, channel, status, attempts, last_error)
         values ($1, $2, $3, $4, $5, $6, 1, $7)
         on conflict (notice_key, channel) do nothing",
        NoticeDeliveryId::new().0,
        key,
        user.0,
        kind.as_str(),
        channel.as_str(),
        status.as_str(),
        error,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Queues the notice under `key` on `payload`'s channel, once: a second call with the
/// same key (a redelivered event) queues nothing.
pub async fn queue(
    conn: &mut PgConnection,
    key: &str,
    user: UserId,
    kind: NotificationKind,
    payload: &Payload,
) -> Result<()> {
    let id = sqlx::query_scalar!(
        "insert into notice_deliveries (id, notice_key, user_id, kind, channel, summary, payload)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (notice_key, channel) do nothing
         returning id",
        NoticeDeliveryId::new().0,
        key,
        user.0,
        kind.as_str(),
        payload.channel().as_str(),
        payload.summary(),
        serde_json::to_value(payload).map_err(anyhow::Error::from)?,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = id {
        announce(conn, NoticeDeliveryId(id)).await?;
    }
    Ok(())
}

/// Hands a queued delivery to the outbox, which runs [`Deliverer`] on it.
async fn announce(conn: &mut PgConnection, id: NoticeDeliveryId) -> Result<()> {
    let event = NewEvent {
        event_type: EventType::NoticeDeliveryQueued,
        aggregate_type: "notice_delivery",
        aggregate_id: id.to_string(),
        aggregate_version: 0,
        data: json!({}),
    };
    events::publish(conn, event, &EventMetadata { source: "notifications".into(), ..Default::default() }).await?;
    Ok(())
}

/// Sends a queued delivery through its channel's provider.
pub struct Deliverer;

#[async_trait::async_trait]
impl Handler for Deliverer {
    fn name(&self) -> &'static str {
        "notice_deliveries"
    }

    fn events(&self) -> &'static [EventType] {
        &[EventType::NoticeDeliveryQueued]
    }

    async fn handle(&self, services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
        let id: NoticeDeliveryId = event.aggregate_id.parse().context("the event names no delivery")?;
        attempt(services, id).await
    }
}

/// One try at sending `id`. An error asks the outbox to try again later; after the
/// last attempt the delivery is failed and the outbox is told it is done.
#[tracing::instrument(skip_all, fields(delivery = %id))]
async fn attempt(services: &Services, id: NoticeDeliveryId) -> anyhow::Result<()> {
    let Some(row) = sqlx::query!(
        "update notice_deliveries set attempts = attempts + 1, updated_at = now()
         where id = $1 and status = 'queued'
         returning notice_key, attempts, sends, payload",
        id.0
    )
    .fetch_optional(&services.pool)
    .await?
    else {
        // Sent already, or failed and not sent again since.
        return Ok(());
    };
    let payload: Payload = serde_json::from_value(row.payload).context("a delivery's payload")?;
    let channel = payload.channel();
    // A resend is a new mail, not the first one again.
    let key = format!("{}:{}:{}", row.notice_key, channel.as_str(), row.sends);
    match send(services, &key, payload).await {
        Ok(provider_ref) => {
            sqlx::query!(
                "update notice_deliveries
                 set status = 'sent', provider_ref = $2, last_error = null, updated_at = now()
                 where id = $1",
                id.0,
                provider_ref
            )
            .execute(&services.pool)
            .await?;
            metrics::counter!("notice_deliveries_total", "channel" => channel.as_str(), "result" => "sent")
                .increment(1);
            Ok(())
        }
        Err(e) => {
            let last = row.attempts >= MAX_ATTEMPTS || e.is::<Undeliverable>();
            let status = if last { DeliveryStatus::Failed } else { DeliveryStatus::Queued };
            sqlx::query!(
                "update notice_deliveries set status = $2, last_error = left($3, 1000), updated_at = now()
                 where id = $1",
                id.0,
                status.as_str(),
                format!("{e:#}")
            )
            .execute(&services.pool)
            .await?;
            if last {
                tracing::warn!(error = %e, attempts = row.attempts, "notice delivery failed for good");
                metrics::counter!("notice_deliveries_total", "channel" => channel.as_str(), "result" => "failed")
                    .increment(1);
                Ok(())
            } else {
                Err(e)
            }
        }
    }
}

/// Hands `payload` to its channel's provider; returns the provider's reference.
async fn send(services: &Services, key: &str, payload: Payload) -> anyhow::Result<String> {
    match payload {
        Payload::Email { to, subject, body, unsubscribe } => {
            services.mailer.deliver(&services.pool, key, Mail { to, subject, body }, unsubscribe.as_deref()).await
        }
        Payload::Sms { to, body } => {
            let channel = services.sms.as_ref().context("no SMS provider is configured")?;
            channel.gateway.send(&super::sms::Sms { to, body }).await
        }
        Payload::Push { to, message } => super::push::subscriptions::send_to_all(services, to, &message).await,
    }
}

/// Moves the delivery the provider calls `provider_ref` on `channel` to `next`, as
/// [`DeliveryStatus::can_become`] allows: `None` when there is no such delivery,
/// else whether it moved.
pub async fn reported(
    conn: &mut PgConnection,
    channel: NotificationChannel,
    provider_ref: &str,
    next: DeliveryStatus,
    detail: &str,
) -> Result<Option<bool>> {
    let Some(row) = sqlx::query!(
        "select id, status from notice_deliveries where provider_ref = $1 and channel = $2 for update",
        provider_ref,
        channel.as_str()
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let now = DeliveryStatus::parse(&row.status).context("a stored delivery status")?;
    if !now.can_become(next) {
        return Ok(Some(false));
    }
    sqlx::query!(
        "update notice_deliveries set status = $2, last_error = nullif($3, ''), updated_at = now() where id = $1",
        row.id,
        next.as_str(),
        detail
    )
    .execute(conn)
    .await?;
    Ok(Some(true))
}

/// Queues a finished delivery again, with fresh attempts, for an admin who fixed
/// what made it fail (or a person who says a mail never came).
#[tracing::instrument(skip_all, fields(actor = %actor, delivery = %id))]
pub async fn resend(services: &Services, actor: UserId, id: NoticeDeliveryId) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let row = sqlx::query!("select status, channel from notice_deliveries where id = $1 for update", id.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    let status = DeliveryStatus::parse(&row.status).context("a stored delivery status")?;
    if row.channel == NotificationChannel::InApp.as_str() || !status.can_become(DeliveryStatus::Queued) {
        // In the app it is on the page already; a queued one is on its way.
        return Err(Error::Conflict(ErrorCode::DeliveryNotResendable));
    }
    sqlx::query!(
        "update notice_deliveries
         set status = 'queued', attempts = 0, sends = sends + 1, last_error = null, updated_at = now()
         where id = $1",
        id.0
    )
    .execute(&mut *tx)
    .await?;
    crate::audit::record(&mut tx, Some(actor), "notice_delivery.resend", "notice_delivery", &id.to_string(), json!({}))
        .await?;
    announce(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// A page of deliveries matching `filter`, newest first; only `user`'s when given
/// (a person reading their own).
#[tracing::instrument(skip_all)]
pub async fn search(services: &Services, filter: &DeliveryFilter, user: Option<UserId>) -> Result<DeliveryPage> {
    let person = filter.person.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(|p| format!("%{p}%"));
    let rows = sqlx::query!(
        r#"select d.id, d.user_id, u.email, d.kind, d.channel, d.status, d.attempts, d.provider_ref,
                  d.last_error, d.summary, d.created_at as "created_at: DateTime<Utc>",
                  d.updated_at as "updated_at: DateTime<Utc>"
           from notice_deliveries d join users u on u.id = d.user_id
           where ($1::uuid is null or d.user_id = $1)
             and ($2::text is null or u.email ilike $2)
             and ($3::text is null or d.kind = $3)
             and ($4::text is null or d.channel = $4)
             and ($5::text is null or d.status = $5)
             and ($6::uuid is null or (d.created_at, d.id) <
                  (select created_at, id from notice_deliveries where id = $6))
           order by d.created_at desc, d.id desc
           limit $7"#,
        user.map(|u| u.0),
        person,
        filter.kind.map(TextEnum::as_str),
        filter.channel.map(TextEnum::as_str),
        filter.status.map(TextEnum::as_str),
        filter.before.map(|b| b.0),
        PAGE + 1,
    )
    .fetch_all(&services.pool)
    .await?;
    let mut items = rows
        .into_iter()
        .filter_map(|r| {
            Some(NoticeDelivery {
                id: NoticeDeliveryId(r.id),
                user: UserId(r.user_id),
                email: r.email,
                kind: NotificationKind::parse(&r.kind)?,
                channel: NotificationChannel::parse(&r.channel)?,
                status: DeliveryStatus::parse(&r.status)?,
                attempts: r.attempts,
                provider_ref: r.provider_ref,
                last_error: r.last_error,
                summary: r.summary,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
        })
        .collect::<Vec<_>>();
    let older = (items.len() as i64 > PAGE).then(|| {
        items.truncate(PAGE as usize);
        items.last().map(|d| d.id)
    });
    Ok(DeliveryPage { items, older: older.flatten() })
}

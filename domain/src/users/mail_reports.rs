//! What the mail provider reports after a mail left us: delivered, bounced (for good
//! or for now), or marked as spam by its reader. A report names the mail by the
//! `Message-ID` we gave it (`Mailer::deliver`); it moves the notice's delivery on, as
//! `DeliveryStatus::can_become` allows. An address that bounced for good is suppressed:
//! nothing more is mailed to it, and its owner is told in the app. One whose owner
//! complained gets only what cannot be switched off. The provider's own webhook format
//! is mapped onto [`Report`] by its adapter; the endpoint is `server::mail_reports`.
//! (With the accounts: an address is a person's, and telling them reads their choices.)

use std::collections::BTreeMap;

use serde::Deserialize;
use sqlx::PgConnection;
use types::{
    TextEnum, UserId,
    notifications::{DeliveryStatus, NotificationKind},
};
use uuid::Uuid;

use crate::{
    Result, Services,
    users::notices::{self, Notice},
};

/// One report, as the provider's adapter hands it over.
#[derive(Debug, Clone, Deserialize)]
pub struct Report {
    /// The `Message-ID` of the mail, angle brackets included.
    pub message_id: String,
    pub event: ReportEvent,
    /// For a bounce: whether the address is gone for good (a hard bounce).
    #[serde(default)]
    pub permanent: bool,
    /// The provider's words, for admins.
    #[serde(default)]
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportEvent {
    Delivered,
    Bounced,
    Complained,
}

/// Why an address gets no more mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Suppression {
    /// It bounced for good: nothing is mailed to it.
    Bounced,
    /// Its owner marked a mail as spam: only security mail goes to it.
    Complained,
}

/// What became of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// It moved a delivery on or suppressed an address.
    Applied,
    /// Known, but it changes nothing (a late or repeated report).
    Ignored,
    /// No mail of ours has that `Message-ID`.
    Unknown,
}

/// Applies one report.
#[tracing::instrument(skip_all, fields(event = ?report.event))]
pub async fn apply(services: &Services, report: &Report) -> Result<Applied> {
    let mut tx = services.pool.begin().await?;
    let delivery = sqlx::query!(
        "select d.id, d.status, d.user_id, u.email from notice_deliveries d join users u on u.id = d.user_id
         where d.provider_ref = $1 for update of d",
        report.message_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    // Mail that is no notice (a verification link, a reset) is found in the mail log.
    let address = match &delivery {
        Some(d) => Some(d.email.clone()),
        None => match mail_id(&report.message_id) {
            Some(id) => sqlx::query_scalar!("select to_address from outgoing_mail where id = $1", id)
                .fetch_optional(&mut *tx)
                .await?
                .filter(|a| !a.is_empty()),
            None => None,
        },
    };
    let Some(address) = address else { return Ok(Applied::Unknown) };
    let next = match report.event {
        ReportEvent::Delivered => Some(DeliveryStatus::Delivered),
        ReportEvent::Bounced if report.permanent => Some(DeliveryStatus::Bounced),
        ReportEvent::Bounced | ReportEvent::Complained => None,
    };
    let mut applied = Applied::Ignored;
    if let (Some(d), Some(next)) = (&delivery, next) {
        let now = DeliveryStatus::parse(&d.status).unwrap_or(DeliveryStatus::Queued);
        if now.can_become(next) {
            sqlx::query!(
                "update notice_deliveries set status = $2, last_error = nullif($3, ''), updated_at = now() where id = $1",
                d.id,
                next.as_str(),
                report.detail
            )
            .execute(&mut *tx)
            .await?;
            applied = Applied::Applied;
        }
    } else if let (Some(d), ReportEvent::Bounced) = (&delivery, report.event) {
        // A bounce for now: the provider tries again; admins see why it is late.
        sqlx::query!(
            "update notice_deliveries set last_error = $2, updated_at = now() where id = $1",
            d.id,
            report.detail
        )
        .execute(&mut *tx)
        .await?;
    }
    let suppression = match report.event {
        ReportEvent::Bounced if report.permanent => Some(Suppression::Bounced),
        ReportEvent::Complained => Some(Suppression::Complained),
        _ => None,
    };
    let mut newly_bounced = None;
    if let Some(reason) = suppression
        && suppress(&mut tx, &address, reason, &report.detail).await?
    {
        applied = Applied::Applied;
        if reason == Suppression::Bounced {
            newly_bounced = sqlx::query_scalar!("select id from users where email = $1", address)
                .fetch_optional(&mut *tx)
                .await?
                .map(UserId);
        }
    }
    tx.commit().await?;
    if let Some(user) = newly_bounced {
        tell_bounced(services, user, &address).await?;
    }
    Ok(applied)
}

/// The stored mail's id in a `Message-ID` we made: `<{id}@{domain}>`.
fn mail_id(message_id: &str) -> Option<Uuid> {
    message_id.trim_start_matches('<').split('@').next()?.parse().ok()
}

/// Suppresses `address` for `reason`; a bounce outranks a complaint. Says whether
/// anything changed.
async fn suppress(conn: &mut PgConnection, address: &str, reason: Suppression, detail: &str) -> Result<bool> {
    let changed = sqlx::query!(
        "insert into mail_suppressions (address, reason, detail) values ($1, $2, $3)
         on conflict (address) do update set reason = excluded.reason, detail = excluded.detail, created_at = now()
             where mail_suppressions.reason <> 'bounced' and excluded.reason = 'bounced'",
        address,
        reason.as_str(),
        detail
    )
    .execute(conn)
    .await?;
    Ok(changed.rows_affected() > 0)
}

/// Why mail to `address` is suppressed, if it is.
pub async fn suppressed(conn: &mut PgConnection, address: &str) -> Result<Option<Suppression>> {
    Ok(sqlx::query_scalar!("select reason from mail_suppressions where address = $1", address)
        .fetch_optional(conn)
        .await?
        .and_then(|r| Suppression::parse(&r)))
}

/// Tells the owner of an address that bounced, in the app (mail would not reach them).
async fn tell_bounced(services: &Services, user: UserId, address: &str) -> Result<()> {
    let notice = Notice {
        user,
        kind: NotificationKind::MailBounced,
        params: BTreeMap::from([("title".to_owned(), address.to_owned())]),
        link: "/account".to_owned(),
    };
    // The mail is written but never sent: the address is suppressed.
    notices::send(services, &format!("bounced:{address}"), notice).await
}

#[cfg(test)]
mod tests {
    use super::mail_id;

    #[test]
    fn our_message_ids_name_the_stored_mail() {
        let id = uuid::Uuid::new_v4();
        assert_eq!(mail_id(&format!("<{id}@openaero.example>")), Some(id));
        assert_eq!(mail_id("<CAF=abc@mail.example.com>"), None);
    }
}

//! Telling a person what happened: in the app and by mail, each as their preferences
//! for the notice's topic say (security notices always), and once per key however
//! often the event behind it is heard. Each channel's delivery is tracked
//! (`notifications::deliveries`); a mail is queued with the notice and sent by the
//! outbox. A mail they may stop says how, in one click (`unsubscribe`). An address the
//! provider reported as gone gets no mail; one whose owner complained gets only what
//! cannot be switched off (`mail_reports`).

use std::collections::BTreeMap;

use types::{TextEnum, UserId, notifications::NotificationKind, profile::NotificationChannel};

use super::{
    mail_reports::{self, Suppression},
    phone, profile, unsubscribe,
};
use crate::{
    Result, Services,
    notifications::{
        deliveries::{self, Payload},
        in_app,
        mail::Mail,
        notice_templates::{self, Reader},
        push::{self, PushMessage},
    },
};

/// What to tell whom, and where they act on it.
#[derive(Debug, Clone)]
pub struct Notice {
    pub user: UserId,
    pub kind: NotificationKind,
    pub params: BTreeMap<String, String>,
    /// A path in the store: `/orders/OA-…`.
    pub link: String,
}

/// Sends `notice` once per `key`, in the words of the templates in use for its kind
/// (`notifications::notice_templates`) in the reader's language.
pub async fn send(services: &Services, key: &str, notice: Notice) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let Some(row) = sqlx::query!("select email, name from users where id = $1 and is_active", notice.user.0)
        .fetch_optional(&mut *tx)
        .await?
    else {
        // A closed or disabled account hears nothing more.
        return Ok(());
    };
    let preferences = profile::get_preferences(&mut tx, notice.user).await?;
    let topic = notice.kind.topic();
    if preferences.is_on(topic, NotificationChannel::InApp) {
        in_app::notify_once(&mut tx, key, notice.user, notice.kind, &notice.params, &notice.link).await?;
        deliveries::record(&mut tx, key, notice.user, notice.kind, NotificationChannel::InApp, Ok(())).await?;
    }
    let email = NotificationChannel::Email;
    let suppressed = mail_reports::suppressed(&mut tx, &row.email).await?;
    if preferences.is_on(topic, email) && suppressed == Some(Suppression::Bounced) {
        let why = "not sent: mail to this address bounced for good";
        deliveries::record(&mut tx, key, notice.user, notice.kind, email, Err(why)).await?;
    } else if preferences.is_on(topic, email) && (suppressed != Some(Suppression::Complained) || topic.locked_on(email))
    {
        let locale = preferences.locale;
        let to = Reader { name: &row.name, locale };
        let site = &services.settings.base_url;
        let words =
            notice_templates::worded(&mut tx, site, email, to, notice.kind, &notice.params, &notice.link).await?;
        let mut mail = Mail { to: row.email, subject: words.subject, body: words.body };
        let unsubscribe = unsubscribe::link(services, notice.user, topic);
        if let Some(url) = &unsubscribe {
            mail.body.push_str(&unsubscribe::footer(locale, url));
        }
        deliveries::queue(&mut tx, key, notice.user, notice.kind, &Payload::email(mail, unsubscribe)).await?;
    }
    // Texts go only to a number its owner proved, and only where a provider carries them.
    if services.sms.is_some()
        && preferences.is_on(topic, NotificationChannel::Sms)
        && let Some(number) = phone::verified(&mut tx, notice.user).await?
    {
        let to = Reader { name: &row.name, locale: preferences.locale };
        let site = &services.settings.base_url;
        let sms = NotificationChannel::Sms;
        let text = notice_templates::worded(&mut tx, site, sms, to, notice.kind, &notice.params, &notice.link).await?;
        deliveries::queue(&mut tx, key, notice.user, notice.kind, &Payload::Sms { to: number, body: text.body })
            .await?;
    }
    // Push goes to the browsers the person subscribed, when they are sent.
    if services.push.is_some()
        && preferences.is_on(topic, NotificationChannel::Push)
        && push::subscriptions::any(&mut tx, notice.user).await?
    {
        let to = Reader { name: &row.name, locale: preferences.locale };
        let site = &services.settings.base_url;
        let channel = NotificationChannel::Push;
        let words =
            notice_templates::worded(&mut tx, site, channel, to, notice.kind, &notice.params, &notice.link).await?;
        let message = PushMessage::new(&words.subject, &words.body, &notice.link, notice.kind.as_str());
        deliveries::queue(&mut tx, key, notice.user, notice.kind, &Payload::Push { to: notice.user, message }).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Which of `keys` were sent already (in the app or on any channel), so work that
/// looks again and again (housekeeping's warnings and digests) skips them.
pub async fn sent_already(pool: &sqlx::PgPool, keys: &[String]) -> Result<std::collections::HashSet<String>> {
    Ok(sqlx::query_scalar!(
        r#"select dedupe_key as "key!" from notifications where dedupe_key = any($1)
           union select notice_key from notice_deliveries where notice_key = any($1)"#,
        keys
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect())
}

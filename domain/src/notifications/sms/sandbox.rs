//! The built-in SMS gateway, for development and tests: it records every message in
//! `sms_sandbox` (the dev mailbox lists them, so a verification code can be read) and,
//! a moment later, posts a signed delivery report as a real gateway would — through
//! the same [`reports::receive`] the HTTP endpoint uses. A number ending in `9999`
//! cannot receive texts: its report says `undelivered`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tokio::sync::watch;
use types::admin::SentText;

use super::{REPORTS_PATH, Sms, SmsChannel, SmsGateway, reports};
use crate::Services;

/// How long after sending the sandbox reports what became of a message.
const REPORT_AFTER: Duration = Duration::from_millis(500);

pub struct SandboxSms {
    pool: PgPool,
}

impl SandboxSms {
    pub fn new(pool: PgPool) -> SandboxSms {
        SandboxSms { pool }
    }
}

#[async_trait::async_trait]
impl SmsGateway for SandboxSms {
    async fn send(&self, sms: &Sms) -> anyhow::Result<String> {
        let sid = format!("SM{}", uuid::Uuid::new_v4().simple());
        sqlx::query!(
            "insert into sms_sandbox (sid, to_number, body, report_due_at)
             values ($1, $2, $3, now() + make_interval(secs => $4::float8))",
            sid,
            sms.to,
            sms.body,
            REPORT_AFTER.as_secs_f64()
        )
        .execute(&self.pool)
        .await?;
        Ok(sid)
    }
}

/// The newest texts first.
pub async fn recent(pool: &PgPool, limit: i64) -> anyhow::Result<Vec<SentText>> {
    Ok(sqlx::query_as!(
        SentText,
        r#"select to_number as "to", body, status, created_at as "created_at: DateTime<Utc>"
           from sms_sandbox order by created_at desc, sid limit $1"#,
        limit
    )
    .fetch_all(pool)
    .await?)
}

/// Reports every message whose report is due; how many. Any instance may run it: a
/// message is claimed by one.
pub async fn report_due(services: &Services, channel: &SmsChannel) -> anyhow::Result<usize> {
    let mut tx = services.pool.begin().await?;
    let due = sqlx::query!(
        "select sid, to_number from sms_sandbox where status = 'pending' and report_due_at <= now()
         order by report_due_at limit 100 for update skip locked"
    )
    .fetch_all(&mut *tx)
    .await?;
    let url = format!("{}{REPORTS_PATH}", services.settings.base_url);
    for text in &due {
        let status = if text.to_number.ends_with("9999") { "undelivered" } else { "delivered" };
        let mut params =
            vec![("MessageSid".to_owned(), text.sid.clone()), ("MessageStatus".to_owned(), status.to_owned())];
        if status == "undelivered" {
            params.push(("ErrorCode".to_owned(), "30003".to_owned()));
        }
        let signature = reports::sign(&channel.report_key, &url, &params);
        reports::receive(services, channel, &url, &params, &signature).await?;
        sqlx::query!("update sms_sandbox set status = $2 where sid = $1", text.sid, status).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

/// Sends the sandbox's reports until `stop`.
pub async fn run(services: Services, mut stop: watch::Receiver<bool>) {
    let Some(channel) = services.sms.clone().filter(|c| c.is_sandbox) else { return };
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(e) = report_due(&services, &channel).await {
                    tracing::warn!(error = %e, "the SMS sandbox could not report");
                }
            }
            _ = stop.changed() => return,
        }
    }
}

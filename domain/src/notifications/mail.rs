//! Outgoing mail. Every mail is recorded in `outgoing_mail` with its delivery state;
//! with SMTP configured it is sent, otherwise (development only) it is just stored
//! for the dev mailbox page.

use anyhow::Context;
use chrono::{DateTime, Utc};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox,
        header::{ContentType, HeaderName, HeaderValue},
    },
};
use sqlx::PgPool;
use types::admin::SentMail;
use uuid::Uuid;

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    StoreOnly,
}

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// Keep the text of sent mail (development: the dev mailbox shows it). Off in
    /// production, where bodies carry single-use links that must not sit in a table.
    keep_bodies: bool,
    /// A test deployment (no real money moves): every mail says so.
    test_mode: bool,
}

/// Opens every mail of a test deployment, in both languages (a mail has one).
const TEST_NOTICE: &str = "TEST STORE: no real money was taken or will be paid out. / 测试商店：不涉及真实付款。";

/// A mail ready to go.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    /// SMTP at `url` (`smtp://user:pass@host:port`).
    pub fn smtp(url: &str, from: &str, keep_bodies: bool) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("OPENAERO_SMTP_URL is not a usable SMTP address")?
            .build();
        Ok(Mailer {
            transport: Transport::Smtp(transport),
            from: from.parse().context("OPENAERO_MAIL_FROM is not a mailbox")?,
            keep_bodies,
            test_mode: false,
        })
    }

    /// No transport: mail is only stored (development without SMTP).
    pub fn store_only(from: &str) -> anyhow::Result<Mailer> {
        Ok(Mailer {
            transport: Transport::StoreOnly,
            from: from.parse().context("OPENAERO_MAIL_FROM is not a mailbox")?,
            keep_bodies: true,
            test_mode: false,
        })
    }

    /// Marks every mail as coming from a test deployment (subject and first line).
    pub fn in_test_mode(self, test_mode: bool) -> Mailer {
        Mailer { test_mode, ..self }
    }

    /// Sends `mail` once per `dedupe_key`: a retried handler calling this again after a
    /// success does nothing; after a failure it tries again.
    pub async fn send(&self, pool: &PgPool, dedupe_key: &str, mail: Mail) -> anyhow::Result<()> {
        self.send_listed(pool, dedupe_key, mail, None).await
    }

    /// [`send`](Self::send) for a mail its reader may stop: `unsubscribe` is the link
    /// (RFC 8058's `List-Unsubscribe`, with `List-Unsubscribe-Post` for one click).
    pub async fn send_listed(
        &self,
        pool: &PgPool,
        dedupe_key: &str,
        mail: Mail,
        unsubscribe: Option<&str>,
    ) -> anyhow::Result<()> {
        self.deliver(pool, dedupe_key, mail, unsubscribe).await.map(drop)
    }

    /// Sends `mail` once per `dedupe_key` and returns its `Message-ID`, by which the
    /// provider's later reports (a bounce) name it.
    #[tracing::instrument(name = "mail.send", skip_all, fields(dedupe_key = %dedupe_key))]
    pub async fn deliver(
        &self,
        pool: &PgPool,
        dedupe_key: &str,
        mut mail: Mail,
        unsubscribe: Option<&str>,
    ) -> anyhow::Result<String> {
        if self.test_mode {
            mail.subject = format!("[TEST] {}", mail.subject);
            mail.body = format!("{TEST_NOTICE}\n\n{}", mail.body);
        }
        let already = sqlx::query!("select id, status from outgoing_mail where dedupe_key = $1", dedupe_key)
            .fetch_optional(pool)
            .await?;
        if let Some(sent) = already.filter(|m| matches!(m.status.as_str(), "sent" | "stored")) {
            return Ok(self.message_id(sent.id));
        }
        let body = if self.keep_bodies { mail.body.as_str() } else { "" };
        let id: Uuid = sqlx::query_scalar!(
            "insert into outgoing_mail (id, dedupe_key, to_address, subject, body_text)
             values ($1, $2, $3, $4, $5)
             on conflict (dedupe_key) do update
                 set to_address = excluded.to_address, subject = excluded.subject,
                     body_text = excluded.body_text, status = 'queued', error = null
             returning id",
            Uuid::new_v4(),
            dedupe_key,
            mail.to,
            mail.subject,
            body,
        )
        .fetch_one(pool)
        .await?;
        let message_id = self.message_id(id);

        let result = match &self.transport {
            Transport::StoreOnly => Ok("stored"),
            Transport::Smtp(smtp) => {
                let mut message = Message::builder()
                    .from(self.from.clone())
                    .to(mail.to.parse().context("recipient is not a mailbox")?)
                    .message_id(Some(message_id.clone()))
                    .subject(&mail.subject)
                    .header(ContentType::TEXT_PLAIN);
                if let Some(url) = unsubscribe {
                    message = message
                        .raw_header(HeaderValue::new(
                            HeaderName::new_from_ascii_str("List-Unsubscribe"),
                            format!("<{url}>"),
                        ))
                        .raw_header(HeaderValue::new(
                            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                            "List-Unsubscribe=One-Click".to_owned(),
                        ));
                }
                let message = message.body(mail.body).context("building the mail")?;
                smtp.send(message).await.map(|_| "sent").context("SMTP send")
            }
        };
        match result {
            Ok(status) => {
                sqlx::query!("update outgoing_mail set status = $2, sent_at = now() where id = $1", id, status)
                    .execute(pool)
                    .await?;
                metrics::counter!("mail_total", "result" => status).increment(1);
                Ok(message_id)
            }
            Err(e) => {
                metrics::counter!("mail_total", "result" => "failed").increment(1);
                sqlx::query!(
                    "update outgoing_mail set status = 'failed', error = left($2, 1000) where id = $1",
                    id,
                    format!("{e:#}")
                )
                .execute(pool)
                .await?;
                Err(e)
            }
        }
    }

    /// The `Message-ID` of the stored mail `id`: unique, and in the sender's domain.
    fn message_id(&self, id: Uuid) -> String {
        format!("<{id}@{}>", self.from.email.domain())
    }
}

/// The newest mails first, for the development mailbox.
#[tracing::instrument(skip_all)]
pub async fn recent(pool: &PgPool, limit: i64) -> anyhow::Result<Vec<SentMail>> {
    Ok(sqlx::query_as!(
        SentMail,
        r#"select id, to_address, subject, body_text, status, created_at as "created_at: DateTime<Utc>"
         from outgoing_mail order by created_at desc limit $1"#,
        limit
    )
    .fetch_all(pool)
    .await?)
}

//! Sending deliveries: each due one is POSTed to its endpoint, signed, with a 10-second
//! limit. A 2xx answer is success; anything else is tried again after a growing wait
//! (a minute, five, half an hour, two hours, six, twelve, a day, a day), and after the last
//! attempt the delivery is failed until its owner sends it again. An endpoint whose
//! deliveries have failed for three days is switched off and its owner told.

use std::{collections::BTreeMap, time::Duration};

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use types::{UserId, notifications::NotificationKind};
use uuid::Uuid;

use super::{SIGNATURE_HEADER, endpoints};
use crate::{
    Result, Services,
    commerce::payments::signature,
    users::notices::{self, Notice},
};

/// The wait after each failed attempt; its length is how many attempts a delivery gets.
const BACKOFF_SECS: [i64; 8] = [60, 300, 1_800, 7_200, 21_600, 43_200, 86_400, 86_400];
pub const ATTEMPTS: i32 = BACKOFF_SECS.len() as i32 + 1;
/// An endpoint failing this long is switched off.
pub const SWITCH_OFF_AFTER_DAYS: i32 = 3;
/// Deliveries taken at once; each is leased for two minutes, so another instance does
/// not send it meanwhile.
const BATCH: i64 = 20;
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle loop looks for due deliveries.
const POLL: Duration = Duration::from_secs(2);

/// The wait before attempt number `attempt + 1`, or `None` after the last.
pub fn wait_after(attempt: i32) -> Option<i64> {
    usize::try_from(attempt - 1).ok().and_then(|i| BACKOFF_SECS.get(i).copied())
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Answered(u16),
    /// No answer: refused, timed out, not a valid address.
    Unreachable(String),
}

impl Outcome {
    fn succeeded(&self) -> bool {
        matches!(self, Outcome::Answered(status) if (200..300).contains(status))
    }
}

/// The HTTP client deliveries are sent with: no redirects (a receiver answers where
/// it was registered), a limit on each attempt.
pub fn client() -> anyhow::Result<reqwest::Client> {
    crate::crypto::use_ring_for_tls();
    Ok(reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("OpenAero-Webhooks/1")
        .build()?)
}

async fn send(client: &reqwest::Client, url: &str, secret: &str, id: Uuid, event: &str, body: Vec<u8>) -> Outcome {
    let signed = signature::sign(secret.as_bytes(), Utc::now(), &body);
    let request = client
        .post(url)
        .header("content-type", "application/json")
        .header(SIGNATURE_HEADER, signed)
        .header("openaero-event", event)
        .header("openaero-delivery", id.to_string())
        .body(body);
    match request.send().await {
        Ok(response) => Outcome::Answered(response.status().as_u16()),
        Err(e) => Outcome::Unreachable(if e.is_timeout() {
            "timed out".to_owned()
        } else if e.is_connect() {
            "could not connect".to_owned()
        } else {
            "the request failed".to_owned()
        }),
    }
}

/// Sends every delivery that is due now; returns how many were attempted.
pub async fn deliver_due(services: &Services, client: &reqwest::Client) -> Result<usize> {
    let due = sqlx::query!(
        r#"with due as (
               select d.id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
               where d.status = 'pending' and d.next_attempt_at <= now() and e.enabled
               order by d.next_attempt_at limit $1
               for update of d skip locked
           )
           update webhook_deliveries d set next_attempt_at = now() + interval '2 minutes'
           from due, webhook_endpoints e
           where d.id = due.id and e.id = d.endpoint_id
           returning d.id, d.endpoint_id, d.event, d.payload, d.attempts, e.url, e.secret_key_id, e.secret_sealed"#,
        BATCH
    )
    .fetch_all(&services.pool)
    .await?;
    let attempts = due.into_iter().map(|d| async move {
        let outcome = match endpoints::secret(services, d.endpoint_id, d.secret_key_id, d.secret_sealed) {
            Ok(secret) => {
                let body = serde_json::to_vec(&d.payload).unwrap_or_default();
                send(client, &d.url, &secret, d.id, &d.event, body).await
            }
            Err(e) => {
                tracing::error!(error = %e, endpoint = %d.endpoint_id, "a webhook secret does not open");
                Outcome::Unreachable("the signing secret could not be read".to_owned())
            }
        };
        record(services, d.id, d.endpoint_id, d.attempts + 1, &outcome).await
    });
    let done = futures::future::join_all(attempts).await;
    let count = done.len();
    done.into_iter().collect::<Result<Vec<()>>>()?;
    Ok(count)
}

async fn record(services: &Services, id: Uuid, endpoint: Uuid, attempt: i32, outcome: &Outcome) -> Result<()> {
    let (status, error) = match outcome {
        Outcome::Answered(status) => (Some(i32::from(*status)), None),
        Outcome::Unreachable(why) => (None, Some(why.clone())),
    };
    let mut tx = services.pool.begin().await?;
    let mut switched_off_notice = None;
    if outcome.succeeded() {
        sqlx::query!(
            "update webhook_deliveries set status = 'succeeded', attempts = $2, response_status = $3, error = null,
                    next_attempt_at = null, delivered_at = now()
             where id = $1",
            id,
            attempt,
            status
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("update webhook_endpoints set failing_since = null where id = $1", endpoint)
            .execute(&mut *tx)
            .await?;
    } else {
        let wait = wait_after(attempt);
        sqlx::query!(
            "update webhook_deliveries set status = $2, attempts = $3, response_status = $4, error = $5,
                    next_attempt_at = case when $6::int8 is null then null else now() + make_interval(secs => $6::int8) end
             where id = $1",
            id,
            if wait.is_some() { "pending" } else { "failed" },
            attempt,
            status,
            error,
            wait
        )
        .execute(&mut *tx)
        .await?;
        let switched_off = sqlx::query!(
            r#"update webhook_endpoints set failing_since = coalesce(failing_since, now()),
                      enabled = not (coalesce(failing_since, now()) < now() - make_interval(days => $2)),
                      disabled_reason = case when coalesce(failing_since, now()) < now() - make_interval(days => $2)
                                        then 'failing' else disabled_reason end
               where id = $1 and enabled
               returning owner_id, url, enabled, failing_since as "failing_since: DateTime<Utc>""#,
            endpoint,
            SWITCH_OFF_AFTER_DAYS
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(off) = switched_off.filter(|e| !e.enabled) {
            tracing::warn!(endpoint = %endpoint, failing_since = ?off.failing_since, "switched off a failing webhook endpoint");
            let notice = Notice {
                user: UserId(off.owner_id),
                kind: NotificationKind::WebhookDisabled,
                params: BTreeMap::from([
                    ("title".to_owned(), off.url),
                    ("days".to_owned(), SWITCH_OFF_AFTER_DAYS.to_string()),
                ]),
                link: "/account/webhooks".to_owned(),
            };
            // Once per switch-off: switched on again and off again later is news again.
            let key =
                format!("webhook_disabled:{endpoint}:{}", off.failing_since.map(|t| t.timestamp()).unwrap_or_default());
            switched_off_notice = Some((key, notice));
        }
    }
    tx.commit().await?;
    // The owner hears in the app and by mail (account security: always on), after the
    // switch-off is written, so they never hear of one that did not happen.
    if let Some((key, notice)) = switched_off_notice {
        notices::send(services, &key, notice).await?;
    }
    Ok(())
}

/// Sends due deliveries until `stop`.
pub async fn run(services: Services, mut stop: watch::Receiver<bool>) {
    let client = match client() {
        Ok(client) => client,
        Err(e) => {
            tracing::error!(error = %e, "webhook deliveries are off: no HTTP client");
            return;
        }
    };
    while !*stop.borrow() {
        let sent = deliver_due(&services, &client).await.unwrap_or_else(|e| {
            tracing::warn!(error = ?e, "sending webhook deliveries failed");
            0
        });
        if sent > 0 {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = stop.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_waits_longer_and_the_ninth_is_the_last() {
        assert_eq!(wait_after(1), Some(60));
        assert_eq!(wait_after(2), Some(300));
        assert_eq!(wait_after(8), Some(86_400));
        assert_eq!(wait_after(ATTEMPTS), None);
        assert_eq!(ATTEMPTS, 9);
        let total: i64 = (1..ATTEMPTS).filter_map(wait_after).sum();
        assert!(total > 2 * 86_400, "a receiver down for a weekend still gets its deliveries: {total} s");
    }

    #[test]
    fn only_a_2xx_answer_is_a_success() {
        assert!(Outcome::Answered(204).succeeded());
        assert!(!Outcome::Answered(301).succeeded());
        assert!(!Outcome::Answered(500).succeeded());
        assert!(!Outcome::Unreachable("timed out".into()).succeeded());
    }
}

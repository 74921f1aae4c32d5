//! Reviewers hear what came into the queue an hour at a time, not once per item: after
//! each whole hour that brought new items, every reviewer gets one notice with how many
//! (in the app and by mail, as they chose). Housekeeping looks every few minutes; the
//! hour in each notice's key makes it once, whichever instance looks first.

use std::collections::BTreeMap;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use types::{Permission, UserId, notifications::NotificationKind};

use crate::{
    Result, Services,
    users::{
        notices::{self, Notice},
        roles,
    },
};

/// Where reviewers work the queue.
const QUEUE_PATH: &str = "/admin";

/// The last whole hour before `now`: [start, end).
pub fn last_hour(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let end = now.duration_trunc(TimeDelta::hours(1)).unwrap_or(now);
    (end - TimeDelta::hours(1), end)
}

/// Tells every reviewer how many items the last whole hour brought, if any.
#[tracing::instrument(skip_all)]
pub async fn send_due(services: &Services, now: DateTime<Utc>) -> Result<i64> {
    let (start, end) = last_hour(now);
    let mut conn = services.pool.acquire().await?;
    let count = sqlx::query_scalar!(
        r#"select count(*) as "count!" from review_items
           where submitted_at >= $1::text::timestamptz and submitted_at < $2::text::timestamptz"#,
        // Times go as text: this build's sqlx maps SQL times to the `time` crate.
        start.to_rfc3339(),
        end.to_rfc3339()
    )
    .fetch_one(&mut *conn)
    .await?;
    if count == 0 {
        return Ok(0);
    }
    let reviewers = roles::holders(&mut conn, Permission::ReviewQueue).await?;
    drop(conn);
    let hour = start.format("%Y-%m-%dT%H").to_string();
    let key = |reviewer: UserId| format!("review_digest:{hour}:{reviewer}");
    let keys: Vec<String> = reviewers.iter().map(|r| key(*r)).collect();
    let sent = notices::sent_already(&services.pool, &keys).await?;
    for reviewer in reviewers.into_iter().filter(|r| !sent.contains(&key(*r))) {
        let notice = Notice {
            user: reviewer,
            kind: NotificationKind::ReviewDigest,
            params: BTreeMap::from([("count".to_owned(), count.to_string())]),
            link: QUEUE_PATH.to_owned(),
        };
        notices::send(services, &key(reviewer), notice).await?;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_digest_covers_the_last_whole_hour() {
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 10, 5, 0).single().expect("time");
        let (start, end) = last_hour(now);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).single().expect("time"));
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).single().expect("time"));
    }
}

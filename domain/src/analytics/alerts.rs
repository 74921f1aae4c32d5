//! Alerts: an admin's rule on one of the store's figures (paid orders, refunds, page
//! views, checkouts started, the share of searches that found nothing) over the last so
//! many minutes. Every minute one instance checks each rule ([`check_all`], under an
//! advisory lock); a rule that crosses its threshold, and later one that recovers, tells
//! everyone who reads the analytics once, after the change commits ([`AlertNotices`]
//! through `notices::send`: in the app and on the channels each chose for alerts).

use std::collections::BTreeMap;

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Timelike, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use types::{
    TextEnum, UserId,
    analytics::alerts::{ALERTS_PATH, AlertRule, Comparison, Hours, Metric, RuleDraft},
    notifications::NotificationKind,
};
use uuid::Uuid;

use super::readers::readers;
use crate::{
    Error, Result, Services,
    events::{self, EventMetadata, EventType, Handler, NewEvent, StoredEvent},
    fields::Checker,
    users::notices::{self, Notice},
};

/// How often the rules are checked.
pub const CHECK_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);
/// Fewer searches than this in a window make no share: one search that found nothing
/// is not a 100 % failure rate.
pub const MIN_SEARCHES: i64 = 10;
/// The largest count threshold a rule takes.
const THRESHOLD_MAX: i32 = 1_000_000;
/// One instance checks at a time (any fixed number; this spells "alerts").
const LOCK: i64 = 0x616c_6572_7473;

/// A rule from the form's fields, or every field's problem.
pub fn draft(
    name: &str,
    metric: &str,
    comparison: &str,
    threshold: &str,
    window_minutes: &str,
    from_hour: &str,
    to_hour: &str,
) -> Result<RuleDraft> {
    let mut check = Checker::default();
    let name = check.text("name", name, true, 80);
    let metric = parse_choice::<Metric>(&mut check, "metric", metric);
    let comparison = parse_choice::<Comparison>(&mut check, "comparison", comparison);
    let most = if metric.is_some_and(Metric::is_share) { 100 } else { THRESHOLD_MAX };
    let threshold = required(&mut check, "threshold", threshold, 0, most);
    let window = required(&mut check, "window_minutes", window_minutes, 5, 1440);
    let hours = match (check.number("from_hour", from_hour, 0, 23), check.number("to_hour", to_hour, 1, 24)) {
        (Some(from), Some(to)) if from < to => Some(Hours { from: from as u8, to: to as u8 }),
        (Some(_), Some(_)) => {
            check.errors.push(types::FieldError::new("to_hour", types::ErrorCode::RangeInverted));
            None
        }
        (None, None) => None,
        (from, _) => {
            let missing = if from.is_none() { "from_hour" } else { "to_hour" };
            if !check.errors.iter().any(|e| e.field == missing) {
                check.errors.push(types::FieldError::new(missing, types::ErrorCode::Required));
            }
            None
        }
    };
    match (metric, comparison, threshold, window) {
        (Some(metric), Some(comparison), Some(threshold), Some(window_minutes)) if check.errors.is_empty() => {
            Ok(RuleDraft { name, metric, comparison, threshold: i64::from(threshold), window_minutes, hours })
        }
        _ => Err(Error::Validation(check.errors)),
    }
}

fn parse_choice<T: TextEnum>(check: &mut Checker, field: &'static str, raw: &str) -> Option<T> {
    let parsed = T::parse(raw.trim());
    if parsed.is_none() {
        check.errors.push(types::FieldError::new(field, types::ErrorCode::InvalidInput));
    }
    parsed
}

fn required(check: &mut Checker, field: &'static str, raw: &str, min: i32, max: i32) -> Option<i32> {
    let n = check.number(field, raw, min, max);
    if n.is_none() && raw.trim().is_empty() {
        check.errors.push(types::FieldError::new(field, types::ErrorCode::Required));
    }
    n
}

pub async fn create(pool: &PgPool, by: UserId, rule: &RuleDraft) -> Result<()> {
    sqlx::query!(
        "insert into analytics_alert_rules
             (id, name, metric, comparison, threshold, window_minutes, from_hour, to_hour, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        Uuid::new_v4(),
        rule.name,
        rule.metric.as_str(),
        rule.comparison.as_str(),
        rule.threshold,
        rule.window_minutes,
        rule.hours.map(|h| i16::from(h.from)),
        rule.hours.map(|h| i16::from(h.to)),
        by.0
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Every rule, by name, with what its last check found.
pub async fn list(db: impl sqlx::PgExecutor<'_>) -> Result<Vec<AlertRule>> {
    let rows = sqlx::query!(
        r#"select id, name, metric, comparison, threshold, window_minutes, from_hour, to_hour, firing, last_value,
                  to_char(changed_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') as changed_at
           from analytics_alert_rules order by lower(name), id"#
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(AlertRule {
                id: r.id.to_string(),
                rule: RuleDraft {
                    name: r.name,
                    metric: Metric::parse(&r.metric)?,
                    comparison: Comparison::parse(&r.comparison)?,
                    threshold: r.threshold,
                    window_minutes: r.window_minutes,
                    hours: hours(r.from_hour, r.to_hour),
                },
                firing: r.firing,
                last_value: r.last_value,
                changed_at: r.changed_at,
            })
        })
        .collect())
}

fn hours(from: Option<i16>, to: Option<i16>) -> Option<Hours> {
    Some(Hours { from: u8::try_from(from?).ok()?, to: u8::try_from(to?).ok()? })
}

pub async fn delete(pool: &PgPool, id: &str) -> Result<()> {
    let id: Uuid = id.parse().map_err(|_| Error::NotFound)?;
    let gone = sqlx::query!("delete from analytics_alert_rules where id = $1", id).execute(pool).await?.rows_affected();
    if gone == 0 { Err(Error::NotFound) } else { Ok(()) }
}

/// What a check of a rule changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Crossed,
    Recovered,
}

/// The change a check makes: a rule crosses when its figure is on the trouble side and
/// it was not firing, and recovers when the figure is back and it was. Outside its hours,
/// or with no figure to judge (too few searches for a share), nothing changes.
pub fn judge(rule: &RuleDraft, firing: bool, value: Option<i64>, now: DateTime<Utc>) -> Option<Change> {
    if rule.hours.is_some_and(|h| !h.contains(now.hour())) {
        return None;
    }
    match (rule.comparison.crossed(value?, rule.threshold), firing) {
        (true, false) => Some(Change::Crossed),
        (false, true) => Some(Change::Recovered),
        _ => None,
    }
}

/// `metric` over the `minutes` before `now`; `None` for a share of too few searches.
async fn measure(conn: &mut PgConnection, metric: Metric, minutes: i32, now: DateTime<Utc>) -> Result<Option<i64>> {
    // Times go as text: this build's sqlx maps SQL times to the `time` crate.
    let (since, until) = ((now - TimeDelta::minutes(i64::from(minutes))).to_rfc3339(), now.to_rfc3339());
    let kinds: &[&str] = match metric {
        Metric::PaidOrders => &["order_paid"],
        Metric::Refunds => &["order_refunded"],
        Metric::PageViews => &["page_view", "product_view"],
        Metric::CheckoutsStarted => &["checkout_started"],
        Metric::ZeroResultShare => {
            // The search log is the search module's; it is read here, never written.
            let row = sqlx::query!(
                r#"select count(*) as "searches!", count(*) filter (where result_count = 0) as "empty!"
                   from search_log where created_at >= $1::text::timestamptz and created_at < $2::text::timestamptz"#,
                since,
                until
            )
            .fetch_one(&mut *conn)
            .await?;
            return Ok((row.searches >= MIN_SEARCHES).then(|| row.empty * 100 / row.searches));
        }
    };
    let n = sqlx::query_scalar!(
        r#"select count(*) as "n!" from analytics_events
           where kind = any($1) and at >= $2::text::timestamptz and at < $3::text::timestamptz"#,
        kinds as &[&str],
        since,
        until
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(n))
}

/// Checks every rule as of `now`; returns how many crossed or recovered. Does nothing
/// while another instance is checking.
pub async fn check_all(services: &Services, now: DateTime<Utc>) -> Result<usize> {
    let mut tx = services.pool.begin().await?;
    let locked =
        sqlx::query_scalar!(r#"select pg_try_advisory_xact_lock($1) as "locked!""#, LOCK).fetch_one(&mut *tx).await?;
    if !locked {
        return Ok(0);
    }
    let rules = list(&mut *tx).await?;
    let mut changes = 0;
    for rule in rules {
        let value = measure(&mut tx, rule.rule.metric, rule.rule.window_minutes, now).await?;
        let change = judge(&rule.rule, rule.firing, value, now);
        let id: Uuid = rule.id.parse().context("a rule's id")?;
        sqlx::query!(
            "update analytics_alert_rules
             set last_value = coalesce($2, last_value), checked_at = $3::text::timestamptz,
                 firing = case $4::text when 'crossed' then true when 'recovered' then false else firing end,
                 changed_at = case when $4::text is null then changed_at else $3::text::timestamptz end
             where id = $1",
            id,
            value,
            now.to_rfc3339(),
            change.map(|c| if c == Change::Crossed { "crossed" } else { "recovered" })
        )
        .execute(&mut *tx)
        .await?;
        if let (Some(change), Some(value)) = (change, value) {
            tell(&mut tx, id, &rule.rule, change, value).await?;
            changes += 1;
        }
    }
    tx.commit().await?;
    Ok(changes)
}

/// Publishes the change; [`AlertNotices`] tells the readers once it is committed.
async fn tell(conn: &mut PgConnection, id: Uuid, rule: &RuleDraft, change: Change, value: i64) -> Result<()> {
    events::publish(
        conn,
        NewEvent {
            event_type: EventType::AnalyticsAlertChanged,
            aggregate_type: "analytics_alert_rule",
            aggregate_id: id.to_string(),
            aggregate_version: 0,
            data: json!({ "rule": rule, "value": value, "crossed": change == Change::Crossed }),
        },
        &EventMetadata { source: "analytics.alerts".into(), ..EventMetadata::default() },
    )
    .await?;
    Ok(())
}

/// What a notice of a rule's change keeps: the words of every channel are written from it.
fn notice_params(rule: &RuleDraft, value: i64) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("title".to_owned(), rule.name.clone()),
        ("value".to_owned(), value.to_string()),
        ("threshold".to_owned(), rule.threshold.to_string()),
        ("metric".to_owned(), rule.metric.as_str().to_owned()),
        ("comparison".to_owned(), rule.comparison.as_str().to_owned()),
        ("minutes".to_owned(), rule.window_minutes.to_string()),
    ])
}

/// Tells everyone who reads the analytics of a crossed or recovered rule, in the app
/// and on the other channels each chose for alerts.
pub struct AlertNotices;

#[async_trait::async_trait]
impl Handler for AlertNotices {
    /// The name it had when it only mailed: its deliveries are kept under it.
    fn name(&self) -> &'static str {
        "analytics_alert_mail"
    }

    fn events(&self) -> &'static [EventType] {
        &[EventType::AnalyticsAlertChanged]
    }

    async fn handle(&self, services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
        let data = &event.data;
        let rule: RuleDraft = serde_json::from_value(data["rule"].clone()).context("the rule")?;
        let value = data["value"].as_i64().context("the figure")?;
        let crossed = data["crossed"].as_bool().context("crossed or recovered")?;
        let kind = if crossed { NotificationKind::AlertCrossed } else { NotificationKind::AlertRecovered };
        let readers = readers(&mut *services.pool.acquire().await?, None).await?;
        for reader in readers {
            let notice =
                Notice { user: reader, kind, params: notice_params(&rule, value), link: ALERTS_PATH.to_owned() };
            notices::send(services, &format!("{}:alert:{}", event.id, reader), notice).await?;
        }
        Ok(())
    }
}

/// Checks the rules every [`CHECK_INTERVAL`] until `stop`.
pub async fn check_continuously(services: Services, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(CHECK_INTERVAL) => {}
            _ = stop.changed() => return,
        }
        if let Err(e) = check_all(&services, Utc::now()).await {
            tracing::warn!(error = %e, "checking the analytics alerts failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(comparison: Comparison, threshold: i64, hours: Option<Hours>) -> RuleDraft {
        RuleDraft {
            name: "No orders".to_owned(),
            metric: Metric::PaidOrders,
            comparison,
            threshold,
            window_minutes: 60,
            hours,
        }
    }

    fn at(time: &str) -> DateTime<Utc> {
        format!("2026-12-06T{time}:00Z").parse().expect("time")
    }

    #[test]
    fn a_rule_crosses_once_and_recovers_once() {
        let quiet = rule(Comparison::Below, 1, None);
        assert_eq!(judge(&quiet, false, Some(0), at("10:00")), Some(Change::Crossed));
        assert_eq!(judge(&quiet, true, Some(0), at("10:01")), None, "still crossed: told once");
        assert_eq!(judge(&quiet, true, Some(3), at("10:02")), Some(Change::Recovered));
        assert_eq!(judge(&quiet, false, Some(3), at("10:03")), None);
    }

    #[test]
    fn outside_its_hours_or_without_a_figure_a_rule_stays_as_it_is() {
        let daytime = rule(Comparison::Below, 1, Some(Hours { from: 8, to: 20 }));
        assert_eq!(judge(&daytime, false, Some(0), at("03:00")), None, "a quiet night is no alert");
        assert_eq!(judge(&daytime, false, Some(0), at("08:00")), Some(Change::Crossed));
        assert_eq!(judge(&daytime, true, Some(5), at("21:00")), None);
        assert_eq!(judge(&rule(Comparison::Above, 50, None), false, None, at("10:00")), None);
    }

    #[test]
    fn a_form_with_mistakes_names_every_field() {
        let fields = |e: Error| match e {
            Error::Validation(errors) => errors.into_iter().map(|e| e.field).collect::<Vec<_>>(),
            other => panic!("not a validation error: {other:?}"),
        };
        let e = draft("", "sales", "below", "-1", "2", "9", "").expect_err("invalid");
        assert_eq!(fields(e), ["name", "metric", "threshold", "window_minutes", "to_hour"]);
        let e = draft("Searches fail", "zero_result_share", "above", "101", "60", "20", "8").expect_err("invalid");
        assert_eq!(fields(e), ["threshold", "to_hour"], "a share is at most 100 %; hours run forward");
        let ok = draft(" Quiet day ", "paid_orders", "below", "1", "60", "8", "20").expect("valid");
        assert_eq!((ok.name.as_str(), ok.hours), ("Quiet day", Some(Hours { from: 8, to: 20 })));
    }
}

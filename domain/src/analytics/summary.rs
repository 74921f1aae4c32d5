//! The weekly summary: after each week (Monday to Sunday, UTC), its overview against
//! the week before, told to everyone who reads the analytics and asked for it (the
//! `analytics_summary` topic; off unless switched on) on the channels they chose. One
//! instance claims each week (the fact `summary:<monday>`) and publishes
//! `analytics.summary.due` in the same transaction; [`SummaryMail`] tells each reader
//! once, as a notice whose words are a template.

use anyhow::Context as _;
use chrono::{Datelike, Days, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgPool;
use types::{analytics::table::Section, notifications, profile::NotificationKind};

use super::{readers::readers, report::Period};
use crate::{
    Result, Services,
    events::{self, EventMetadata, EventType, Handler, NewEvent, StoredEvent},
    notifications::texts::summary,
    users::notices::{self, Notice},
};

/// How often an instance looks for a week to summarise.
const CHECK_INTERVAL: std::time::Duration = std::time::Duration::from_secs(3600);

/// The last whole week (Monday to Sunday) before `today`.
pub fn last_week(today: NaiveDate) -> Period {
    let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    Period { from: monday - Days::new(7), to: monday - Days::new(1) }
}

/// Claims the last whole week before `today` and publishes its summary; `false` when
/// another instance (or an earlier check) already did.
pub async fn claim_due(pool: &PgPool, today: NaiveDate) -> Result<bool> {
    let week = last_week(today);
    let mut tx = pool.begin().await?;
    let claimed = sqlx::query!(
        "insert into analytics_recorded_facts (key) values ($1) on conflict (key) do nothing",
        format!("summary:{}", week.from)
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(false);
    }
    events::publish(
        &mut tx,
        NewEvent {
            event_type: EventType::AnalyticsSummaryDue,
            aggregate_type: "analytics_summary",
            aggregate_id: week.from.to_string(),
            aggregate_version: 0,
            data: json!({ "from": week.from.to_string(), "to": week.to.to_string() }),
        },
        &EventMetadata { source: "analytics.summary".into(), ..EventMetadata::default() },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Looks for a week to summarise every [`CHECK_INTERVAL`] until `stop` (not at start,
/// so a restart loop cannot hurry it).
pub async fn send_weekly(services: Services, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(CHECK_INTERVAL) => {}
            _ = stop.changed() => return,
        }
        if let Err(e) = claim_due(&services.pool, Utc::now().date_naive()).await {
            tracing::warn!(error = %e, "claiming the weekly analytics summary failed");
        }
    }
}

/// Tells a week's summary to each reader of the analytics who asked for it.
pub struct SummaryMail;

#[async_trait::async_trait]
impl Handler for SummaryMail {
    fn name(&self) -> &'static str {
        "analytics_summary_mail"
    }

    fn events(&self) -> &'static [EventType] {
        &[EventType::AnalyticsSummaryDue]
    }

    async fn handle(&self, services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
        let day = |key: &str| event.data[key].as_str().and_then(|d| d.parse::<NaiveDate>().ok()).context("a day");
        let week = Period { from: day("from")?, to: day("to")? };
        let readers = readers(&mut *services.pool.acquire().await?, Some(NotificationKind::AnalyticsSummary)).await?;
        if readers.is_empty() {
            return Ok(());
        }
        let overview = services.reports.overview(week).await?;
        let params = summary::params(&overview);
        let link = format!("{}?from={}&to={}", Section::Overview.path(), week.from, week.to);
        for reader in readers {
            let notice = Notice {
                user: reader,
                kind: notifications::NotificationKind::WeeklySummary,
                params: params.clone(),
                link: link.clone(),
            };
            notices::send(services, &format!("{}:summary:{}", event.id, reader), notice).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_is_of_the_last_whole_week_before_today() {
        let day = |d: &str| d.parse::<NaiveDate>().expect("day");
        let week = Period { from: day("2026-11-30"), to: day("2026-12-06") };
        assert_eq!(last_week(day("2026-12-07")), week, "on Monday, the week that just ended");
        assert_eq!(last_week(day("2026-12-13")), week, "all the next week long");
        assert_eq!(last_week(day("2026-12-06")).to, day("2026-11-29"), "a Sunday is still in its week");
    }
}

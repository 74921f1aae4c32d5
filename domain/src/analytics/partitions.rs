//! The day partitions of `analytics_events`: made a few days ahead, dropped whole when
//! they pass the retention (no row-by-row delete, no vacuum), and the salts of days
//! gone deleted so their visitor hashes can never be recomputed.

use chrono::{Days, NaiveDate};
use sqlx::PgPool;

use crate::Result;

/// Days made ahead of today, so midnight never waits for DDL.
const AHEAD: u64 = 2;
/// Serializes DDL between instances (any fixed number; this spells "analytics").
const DDL_LOCK: i64 = 0x616e_616c_7974;

fn name(day: NaiveDate) -> String {
    format!("analytics_events_{}", day.format("%Y%m%d"))
}

fn day_of(name: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(name.strip_prefix("analytics_events_")?, "%Y%m%d").ok()
}

/// Makes the partitions of `days` that do not exist yet.
pub async fn ensure_days(pool: &PgPool, days: &[NaiveDate]) -> Result<()> {
    let mut days = days.to_vec();
    days.sort();
    days.dedup();
    let mut tx = pool.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock($1)", DDL_LOCK).execute(&mut *tx).await?;
    for day in days {
        let next = day + Days::new(1);
        // Names and bounds are made from dates here, never from input.
        sqlx::query(&format!(
            "create table if not exists {} partition of analytics_events for values from ('{day}') to ('{next}')",
            name(day)
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Today's partition and the next [`AHEAD`] days', the partitions older than
/// `keep_days` dropped, and the salts and visitors of days before yesterday deleted.
pub async fn maintain(pool: &PgPool, today: NaiveDate, keep_days: u32) -> Result<()> {
    let ahead: Vec<NaiveDate> = (0..=AHEAD).map(|n| today + Days::new(n)).collect();
    ensure_days(pool, &ahead).await?;
    let oldest_kept = today - Days::new(u64::from(keep_days));
    let existing = sqlx::query_scalar!(
        r#"select c.relname as "name!" from pg_inherits i join pg_class c on c.oid = i.inhrelid
           where i.inhparent = 'analytics_events'::regclass"#
    )
    .fetch_all(pool)
    .await?;
    let mut tx = pool.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock($1)", DDL_LOCK).execute(&mut *tx).await?;
    for partition in existing {
        if day_of(&partition).is_some_and(|day| day < oldest_kept) {
            sqlx::query(&format!("drop table if exists {partition}")).execute(&mut *tx).await?;
            tracing::info!(partition, "dropped analytics events past their retention");
        }
    }
    let yesterday = (today - Days::new(1)).to_string();
    sqlx::query!("delete from analytics_salts where day < $1::text::date", yesterday).execute(&mut *tx).await?;
    // Who saw what is needed only while their day can still be written; the days'
    // counts are kept.
    sqlx::query!("delete from analytics_product_visitors where day < $1::text::date", yesterday)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("delete from analytics_visits where day < $1::text::date", yesterday).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partition_is_named_by_its_day_and_read_back() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).expect("a day");
        assert_eq!(name(day), "analytics_events_20261206");
        assert_eq!(day_of(&name(day)), Some(day));
        assert_eq!(day_of("analytics_events_default"), None);
    }
}

//! Shoppers: signups, signed-in shoppers who came back (by day, week and month),
//! buyers new and returning, and weekly cohorts with how many of each came back.
//!
//! "Active" is a signed-in shopper seen in the store (`analytics_active_users` keeps
//! each account's days); a buyer is an account with a paid order (an order
//! group whose payment the ledger booked). The accounts and orders are read here, never
//! written.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use sqlx::PgPool;
use types::analytics::{
    change_percent,
    table::{Cell, Column, Dashboard, Figure, Table, TableName},
};

use super::Period;
use crate::Result;

/// How many weeks after signing up a cohort is followed.
pub const COHORT_WEEKS: u8 = 8;

/// The most recent cohorts shown.
const COHORTS: i64 = 26;

struct Totals {
    signups: i64,
    active: i64,
    buyers: i64,
    new_buyers: i64,
}

async fn totals(pool: &PgPool, period: Period) -> Result<Totals> {
    let (from, to) = period.bounds();
    let row = sqlx::query!(
        r#"select
             (select coalesce(sum(events), 0) from analytics_store_daily
              where kind = 'signup' and day between $1::text::date and $2::text::date)::int8 as "signups!",
             (select count(distinct user_id) from analytics_active_users
              where day between $1::text::date and $2::text::date)::int8 as "active!",
             (select count(distinct customer_id) from paid_orders($1::text::date, $2::text::date))::int8 as "buyers!",
             (select count(distinct customer_id) from paid_orders($1::text::date, $2::text::date) p
              where not exists (select 1 from paid_orders('-infinity', $1::text::date - 1) b
                                where b.customer_id = p.customer_id))::int8 as "new_buyers!""#,
        from,
        to
    )
    .fetch_one(pool)
    .await?;
    Ok(Totals { signups: row.signups, active: row.active, buyers: row.buyers, new_buyers: row.new_buyers })
}

/// Each day: accounts opened and signed-in shoppers seen.
async fn days(pool: &PgPool, period: Period) -> Result<Table> {
    let (from, to) = period.bounds();
    let rows = sqlx::query!(
        r#"select d.day::date::text as "day!",
                  (select coalesce(sum(events), 0) from analytics_store_daily r
                   where r.day = d.day::date and r.kind = 'signup')::int8 as "signups!",
                  (select count(*) from analytics_active_users a where a.day = d.day::date)::int8 as "active!"
           from generate_series($1::text::date, $2::text::date, interval '1 day') as d(day)
           order by 1"#,
        from,
        to
    )
    .fetch_all(pool)
    .await?;
    Ok(Table::new(TableName::ActiveDays, vec![Column::Day, Column::Signups, Column::Active])
        .charted(Column::Active)
        .with_rows(rows.into_iter().map(|r| vec![Cell::Text(r.day), Cell::Count(r.signups), Cell::Count(r.active)])))
}

/// Signed-in shoppers seen per week (from Monday) and per month; a week or month cut
/// by the period counts its days in the period.
async fn active_by(pool: &PgPool, period: Period) -> Result<(Table, Table)> {
    let (from, to) = period.bounds();
    let rows = sqlx::query!(
        r#"select to_char(date_trunc('week', day), 'YYYY-MM-DD') as "week",
                  to_char(date_trunc('month', day), 'YYYY-MM') as "month",
                  count(distinct user_id)::int8 as "active!",
                  grouping(date_trunc('week', day)) = 0 as "by_week!"
           from analytics_active_users
           where day between $1::text::date and $2::text::date
           group by grouping sets ((date_trunc('week', day)), (date_trunc('month', day)))
           order by 1, 2"#,
        from,
        to
    )
    .fetch_all(pool)
    .await?;
    let (weeks, months): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.by_week);
    let table = |name, column, rows: Vec<(Option<String>, i64)>| {
        Table::new(name, vec![column, Column::Active])
            .with_rows(rows.into_iter().map(|(k, n)| vec![Cell::Text(k.unwrap_or_default()), Cell::Count(n)]))
    };
    Ok((
        table(TableName::ActiveWeeks, Column::Week, weeks.into_iter().map(|r| (r.week, r.active)).collect()),
        table(TableName::ActiveMonths, Column::Month, months.into_iter().map(|r| (r.month, r.active)).collect()),
    ))
}

/// Each week's buyers: first-time and back again.
async fn buyers(pool: &PgPool, period: Period) -> Result<Table> {
    let (from, to) = period.bounds();
    let rows = sqlx::query!(
        r#"with paid as (
             select customer_id, date_trunc('week', paid_on)::date as week,
                    min(date_trunc('week', paid_on)::date) over (partition by customer_id) as first_week
             from paid_orders('-infinity', $2::text::date)
           )
           select week::text as "week!", count(distinct customer_id)::int8 as "buyers!",
                  count(distinct customer_id) filter (where first_week = week)::int8 as "new!",
                  count(distinct customer_id) filter (where first_week < week)::int8 as "returning!"
           from paid where week >= date_trunc('week', $1::text::date)::date
           group by week order by week"#,
        from,
        to
    )
    .fetch_all(pool)
    .await?;
    Ok(Table::new(TableName::Buyers, vec![Column::Week, Column::Buyers, Column::NewBuyers, Column::ReturningBuyers])
        .with_rows(
            rows.into_iter()
                .map(|r| vec![Cell::Text(r.week), Cell::Count(r.buyers), Cell::Count(r.new), Cell::Count(r.returning)]),
        ))
}

/// The accounts opened each week of the period, and the share of them seen signed in
/// each week after (week 0 is the week they signed up). A week after the period's end
/// has no share yet.
async fn cohorts(pool: &PgPool, period: Period) -> Result<Table> {
    let (from, to) = period.bounds();
    let sizes = sqlx::query!(
        r#"select date_trunc('week', (created_at at time zone 'UTC')::date)::date::text as "week!",
                  count(*)::int8 as "size!"
           from users
           where created_at >= date_trunc('week', $1::text::date)::date::timestamp at time zone 'UTC'
             and created_at < ($2::text::date + 1)::timestamp at time zone 'UTC'
           group by 1 order by 1 desc limit $3"#,
        from,
        to,
        COHORTS
    )
    .fetch_all(pool)
    .await?;
    let active = sqlx::query!(
        r#"with cohort as (
             select id, date_trunc('week', (created_at at time zone 'UTC')::date)::date as week from users
             where created_at >= date_trunc('week', $1::text::date)::date::timestamp at time zone 'UTC'
               and created_at < ($2::text::date + 1)::timestamp at time zone 'UTC'
           )
           select c.week::text as "week!", ((v.day - c.week) / 7)::int4 as "after!",
                  count(distinct v.user_id)::int8 as "active!"
           from cohort c join analytics_active_users v
             on v.user_id = c.id and v.day >= c.week and v.day < c.week + 7 * $3::int4
           group by 1, 2"#,
        from,
        to,
        i32::from(COHORT_WEEKS)
    )
    .fetch_all(pool)
    .await?;
    let active: HashMap<(String, i32), i64> = active.into_iter().map(|r| ((r.week, r.after), r.active)).collect();
    let mut columns = vec![Column::Week, Column::CohortSize];
    columns.extend((0..COHORT_WEEKS).map(Column::WeeksAfter));
    let rows = sizes.into_iter().rev().map(|c| {
        let start: NaiveDate = c.week.parse().unwrap_or(period.from);
        let mut row = vec![Cell::Text(c.week.clone()), Cell::Count(c.size)];
        row.extend((0..COHORT_WEEKS).map(|after| {
            let begun = start + Days::new(7 * u64::from(after)) <= period.to;
            let seen = active.get(&(c.week.clone(), i32::from(after))).copied().unwrap_or(0);
            Cell::Share(begun.then(|| seen * 10_000 / c.size.max(1)))
        }));
        row
    });
    Ok(Table::new(TableName::Cohorts, columns).with_rows(rows))
}

pub(super) async fn dashboard(pool: &PgPool, period: Period) -> Result<Dashboard> {
    let (now, before, days, (weeks, months), buyers, cohorts) = futures::try_join!(
        totals(pool, period),
        totals(pool, period.previous()),
        days(pool, period),
        active_by(pool, period),
        buyers(pool, period),
        cohorts(pool, period),
    )?;
    let figure =
        |name, now: i64, before: i64| Figure { name, now: Cell::Count(now), change: change_percent(now, before) };
    Ok(Dashboard {
        from: period.from.to_string(),
        to: period.to.to_string(),
        figures: vec![
            figure(Column::Signups, now.signups, before.signups),
            figure(Column::Active, now.active, before.active),
            figure(Column::Buyers, now.buyers, before.buyers),
            figure(Column::NewBuyers, now.new_buyers, before.new_buyers),
            figure(Column::ReturningBuyers, now.buyers - now.new_buyers, before.buyers - before.new_buyers),
        ],
        tables: vec![days, weeks, months, buyers, cohorts],
        unseen: None,
    })
}

//! Search: what shoppers look for, what they do not find, what they find but do not
//! open, and what is asked more than before. Read from the search module's log (one
//! row a search served), never written here. Queries are compared as typed, folded to
//! lower case and trimmed.

use sqlx::PgPool;
use types::analytics::{
    change_percent, share_bps,
    table::{Cell, Column, Dashboard, Figure, Table, TableName},
};

use super::Period;
use crate::Result;

/// Rows a list shows.
const ROWS: i64 = 20;

pub(super) async fn dashboard(pool: &PgPool, period: Period) -> Result<Dashboard> {
    let (from, to) = period.bounds();
    let (before_from, _) = period.previous().bounds();
    // One pass over both periods; each list keeps its own top rows.
    let rows = sqlx::query!(
        r#"with q as (
             select lower(btrim(query)) as query,
                    count(*) filter (where created_at >= $1::text::date::timestamp at time zone 'UTC') as searches,
                    count(*) filter (where created_at < $1::text::date::timestamp at time zone 'UTC') as before,
                    coalesce(round(avg(result_count) filter (where created_at >= $1::text::date::timestamp at time zone 'UTC')), 0)
                        as results,
                    count(*) filter (where result_count = 0 and created_at >= $1::text::date::timestamp at time zone 'UTC')
                        as empty,
                    count(clicked_at) filter (where created_at >= $1::text::date::timestamp at time zone 'UTC') as opened
             from search_log
             where created_at >= $3::text::date::timestamp at time zone 'UTC'
               and created_at < ($2::text::date + 1)::timestamp at time zone 'UTC'
               and btrim(query) <> ''
             group by 1
           ), ranked as (
             select *,
                    row_number() over (order by searches desc, query) as popular,
                    row_number() over (order by empty desc, query) as not_found,
                    row_number() over (order by (opened = 0 and results > 0) desc, searches desc, query) as unopened,
                    row_number() over (order by searches - before desc, query) as rising
             from q
           )
           select query as "query!", searches::int8 as "searches!", before::int8 as "before!",
                  results::int8 as "results!", empty::int8 as "empty!", opened::int8 as "opened!",
                  popular <= $4 and searches > 0 as "popular!",
                  not_found <= $4 and empty > 0 as "not_found!",
                  unopened <= $4 and opened = 0 and results > 0 and searches > 0 as "unopened!",
                  rising <= $4 and searches > before as "rising!"
           from ranked
           where (popular <= $4 and searches > 0) or (not_found <= $4 and empty > 0)
              or (unopened <= $4 and opened = 0 and results > 0 and searches > 0)
              or (rising <= $4 and searches > before)"#,
        from,
        to,
        before_from,
        ROWS
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| Ranked {
        query: r.query,
        searches: r.searches,
        before: r.before,
        results: r.results,
        empty: r.empty,
        opened: r.opened,
        popular: r.popular,
        not_found: r.not_found,
        unopened: r.unopened,
        rising: r.rising,
    })
    .collect::<Vec<_>>();
    let totals = sqlx::query!(
        r#"select count(*) filter (where created_at >= $1::text::date::timestamp at time zone 'UTC')::int8 as "searches!",
                  count(*) filter (where created_at < $1::text::date::timestamp at time zone 'UTC')::int8 as "before!",
                  count(*) filter (where result_count = 0 and created_at >= $1::text::date::timestamp at time zone 'UTC')::int8
                      as "empty!",
                  count(*) filter (where result_count = 0 and created_at < $1::text::date::timestamp at time zone 'UTC')::int8
                      as "empty_before!",
                  count(clicked_at) filter (where created_at >= $1::text::date::timestamp at time zone 'UTC')::int8
                      as "opened!",
                  count(clicked_at) filter (where created_at < $1::text::date::timestamp at time zone 'UTC')::int8
                      as "opened_before!"
           from search_log
           where created_at >= $3::text::date::timestamp at time zone 'UTC'
             and created_at < ($2::text::date + 1)::timestamp at time zone 'UTC'"#,
        from,
        to,
        before_from
    )
    .fetch_one(pool)
    .await?;
    let share = |part: i64, whole: i64| share_bps(part, whole);
    let rate = |part: i64, whole: i64, part_before: i64, whole_before: i64| {
        change_percent(share(part, whole).unwrap_or(0), share(part_before, whole_before).unwrap_or(0))
    };
    let figures = vec![
        Figure {
            name: Column::Searches,
            now: Cell::Count(totals.searches),
            change: change_percent(totals.searches, totals.before),
        },
        Figure {
            name: Column::ZeroResultShare,
            now: Cell::Share(share(totals.empty, totals.searches)),
            change: rate(totals.empty, totals.searches, totals.empty_before, totals.before),
        },
        Figure {
            name: Column::OpenedShare,
            now: Cell::Share(share(totals.opened, totals.searches)),
            change: rate(totals.opened, totals.searches, totals.opened_before, totals.before),
        },
    ];
    let text = |q: &str| Cell::Text(q.to_owned());
    let popular = Table::new(
        TableName::PopularQueries,
        vec![Column::Query, Column::Searches, Column::Results, Column::OpenedShare],
    )
    .charted(Column::Searches)
    .with_rows(ranked(&rows, |r| r.popular, |r| r.searches).map(|r| {
        vec![text(&r.query), Cell::Count(r.searches), Cell::Count(r.results), Cell::Share(share(r.opened, r.searches))]
    }));
    let not_found = Table::new(TableName::ZeroResultQueries, vec![Column::Query, Column::Searches])
        .with_rows(ranked(&rows, |r| r.not_found, |r| r.empty).map(|r| vec![text(&r.query), Cell::Count(r.empty)]));
    let unopened = Table::new(TableName::UnopenedQueries, vec![Column::Query, Column::Searches, Column::Results])
        .with_rows(
            ranked(&rows, |r| r.unopened, |r| r.searches)
                .map(|r| vec![text(&r.query), Cell::Count(r.searches), Cell::Count(r.results)]),
        );
    let rising =
        Table::new(TableName::TrendingQueries, vec![Column::Query, Column::Searches, Column::Before, Column::Change])
            .with_rows(ranked(&rows, |r| r.rising, |r| r.searches - r.before).map(|r| {
                vec![
                    text(&r.query),
                    Cell::Count(r.searches),
                    Cell::Count(r.before),
                    Cell::Change(change_percent(r.searches, r.before)),
                ]
            }));
    Ok(Dashboard { from, to, figures, tables: vec![popular, not_found, unopened, rising], unseen: None })
}

/// A query's figures over the period (and the one before), and the lists it made.
struct Ranked {
    query: String,
    searches: i64,
    before: i64,
    /// Results found, on average.
    results: i64,
    /// Searches that found nothing.
    empty: i64,
    /// Searches whose results somebody opened.
    opened: i64,
    popular: bool,
    not_found: bool,
    unopened: bool,
    rising: bool,
}

/// The rows one list keeps, first to last: most of `by`, then by query.
fn ranked(rows: &[Ranked], keep: fn(&Ranked) -> bool, by: fn(&Ranked) -> i64) -> impl Iterator<Item = &Ranked> {
    let mut kept: Vec<&Ranked> = rows.iter().filter(|r| keep(r)).collect();
    kept.sort_by(|a, b| by(b).cmp(&by(a)).then_with(|| a.query.cmp(&b.query)));
    kept.into_iter()
}

//! The store's overview: its totals for a period against the period before, and its
//! days.

use sqlx::PgPool;
use types::{
    analytics::{DayFigures, Overview, Totals},
    catalog::Money,
};

use super::Period;
use crate::Result;

pub(super) async fn overview(pool: &PgPool, period: Period) -> Result<Overview> {
    let (current, previous, days) =
        futures::try_join!(totals(pool, period), totals(pool, period.previous()), days(pool, period))?;
    Ok(Overview { from: period.from.to_string(), to: period.to.to_string(), current, previous, days })
}

/// The store's currency for the figures: the one most orders were paid in (a store
/// sells in one; the rollups keep each apart).
pub(super) async fn currency(pool: &PgPool, period: Period) -> Result<String> {
    let (from, to) = period.bounds();
    let currency = sqlx::query_scalar!(
        "select currency from analytics_store_daily
         where day between $1::text::date and $2::text::date and kind = 'order_paid' and currency is not null
         group by currency order by sum(events) desc limit 1",
        from,
        to
    )
    .fetch_optional(pool)
    .await?
    .flatten();
    Ok(currency.unwrap_or_else(|| "USD".to_owned()))
}

async fn totals(pool: &PgPool, period: Period) -> Result<Totals> {
    let (from, to) = period.bounds();
    let currency = currency(pool, period).await?;
    let visits = sqlx::query!(
        r#"select coalesce(sum(visitors), 0)::int8 as "visitors!", coalesce(sum(sessions), 0)::int8 as "sessions!"
           from analytics_days where day between $1::text::date and $2::text::date"#,
        from,
        to
    )
    .fetch_one(pool)
    .await?;
    let counts = sqlx::query!(
        r#"select coalesce(sum(events) filter (where kind in ('page_view', 'product_view')), 0)::int8 as "page_views!",
                  coalesce(sum(events) filter (where kind = 'checkout_started'), 0)::int8 as "checkouts!",
                  coalesce(sum(events) filter (where kind = 'order_paid' and currency = $3), 0)::int8 as "orders!",
                  coalesce(sum(amount_minor) filter (where kind = 'order_paid' and currency = $3), 0)::int8 as "revenue!",
                  coalesce(sum(events) filter (where kind = 'order_refunded' and currency = $3), 0)::int8 as "refunds!",
                  coalesce(sum(amount_minor) filter (where kind = 'order_refunded' and currency = $3), 0)::int8
                      as "refunded!"
           from analytics_store_daily where day between $1::text::date and $2::text::date"#,
        from,
        to,
        currency
    )
    .fetch_one(pool)
    .await?;
    Ok(Totals {
        visitors: visits.visitors,
        sessions: visits.sessions,
        page_views: counts.page_views,
        checkouts: counts.checkouts,
        orders: counts.orders,
        revenue: Money::new(counts.revenue, currency.clone()),
        refunds: counts.refunds,
        refunded: Money::new(counts.refunded, currency),
    })
}

/// Each day of `period`, empty days included.
async fn days(pool: &PgPool, period: Period) -> Result<Vec<DayFigures>> {
    let (from, to) = period.bounds();
    let rows = sqlx::query!(
        r#"select d.day::date::text as "day!",
                  coalesce((select v.visitors from analytics_days v where v.day = d.day::date), 0)::int8
                      as "visitors!",
                  coalesce(sum(r.events) filter (where r.kind in ('page_view', 'product_view')), 0)::int8
                      as "page_views!",
                  coalesce(sum(r.events) filter (where r.kind = 'order_paid'), 0)::int8 as "orders!"
           from generate_series($1::text::date, $2::text::date, interval '1 day') as d(day)
           left join analytics_store_daily r on r.day = d.day::date
           group by d.day order by d.day"#,
        from,
        to
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DayFigures { day: r.day, visitors: r.visitors, page_views: r.page_views, orders: r.orders })
        .collect())
}

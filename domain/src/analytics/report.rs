//! The reading side: what the dashboards ask, behind [`Reports`], answered from the
//! rollups and the daily visits (never from the raw events, so a page costs the same at
//! ten million events as at ten). A columnar store (ClickHouse or the like) would be
//! another `Reports`; nothing above this trait knows which one answers.

use chrono::{Days, NaiveDate};
use sqlx::PgPool;
use types::{
    ErrorCode, FieldError, UserId,
    analytics::{DayFigures, MakerFigures, Overview, ProductFunnel, Totals},
    catalog::Money,
};

use crate::{Error, Result};

/// The longest period a report covers.
pub const MAX_DAYS: u64 = 366;

/// Days from `from` to `to`, both included (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The `days` days ending today.
    pub fn last(days: u64, today: NaiveDate) -> Period {
        Period { from: today - Days::new(days.saturating_sub(1)), to: today }
    }

    /// From the dates a form sent (`YYYY-MM-DD`, either may be empty): empty means
    /// the last 30 days; errors are per field.
    pub fn parse(from: &str, to: &str, today: NaiveDate) -> Result<Period> {
        let mut errors = Vec::new();
        let mut date = |field: &str, raw: &str| match raw.trim() {
            "" => None,
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .inspect_err(|_| errors.push(FieldError::new(field, ErrorCode::DateInvalid)))
                .ok(),
        };
        let (from, to) = (date("from", from), date("to", to));
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(to - Days::new(29));
        if from > to {
            return Err(Error::Validation(vec![FieldError::new("from", ErrorCode::DateInvalid)]));
        }
        if (to - from).num_days() >= MAX_DAYS as i64 {
            return Err(Error::Validation(vec![FieldError::new("from", ErrorCode::DateInvalid)]));
        }
        Ok(Period { from, to })
    }

    pub fn days(&self) -> u64 {
        (self.to - self.from).num_days() as u64 + 1
    }

    /// The period of the same length just before this one, to compare with.
    pub fn previous(&self) -> Period {
        let to = self.from - Days::new(1);
        Period { from: to - Days::new(self.days() - 1), to }
    }

    fn bounds(&self) -> (String, String) {
        (self.from.to_string(), self.to.to_string())
    }
}

/// What the dashboards read.
#[async_trait::async_trait]
pub trait Reports: Send + Sync + 'static {
    /// The store's totals for `period` and the one before it, and its days.
    async fn overview(&self, period: Period) -> Result<Overview>;

    /// The funnel of each product of the maker whose account is `user`, where their
    /// views came from and which searches led to them. Someone who is not a maker has
    /// no figures (`NotFound`).
    async fn maker(&self, user: UserId, period: Period) -> Result<MakerFigures>;
}

/// [`Reports`] from this PostgreSQL's rollups.
pub struct PgReports(pub PgPool);

#[async_trait::async_trait]
impl Reports for PgReports {
    async fn overview(&self, period: Period) -> Result<Overview> {
        let (current, previous, days) =
            futures::try_join!(totals(&self.0, period), totals(&self.0, period.previous()), days(&self.0, period))?;
        Ok(Overview { from: period.from.to_string(), to: period.to.to_string(), current, previous, days })
    }

    async fn maker(&self, user: UserId, period: Period) -> Result<MakerFigures> {
        let pool = &self.0;
        let creator = sqlx::query_scalar!("select id from creators where user_id = $1", user.0)
            .fetch_optional(pool)
            .await?
            .ok_or(Error::NotFound)?;
        let (from, to) = period.bounds();
        let products = sqlx::query!(
            r#"select p.slug, p.name_en, p.currency, p.status = 'published' as "live!",
                      coalesce(sum(d.events) filter (where d.kind = 'product_view'), 0)::int8 as "views!",
                      coalesce(sum(d.events) filter (where d.kind = 'add_to_cart'), 0)::int8 as "adds!",
                      coalesce(sum(d.quantity) filter (where d.kind = 'product_purchased'), 0)::int8 as "purchases!",
                      coalesce(sum(d.amount_minor) filter (where d.kind = 'product_purchased'), 0)::int8 as "revenue!"
               from products p
               left join analytics_daily d
                 on d.product_id = p.id and d.day between $2::text::date and $3::text::date
               where p.creator_id = $1
               group by p.id
               having count(d.kind) > 0
               order by 5 desc, p.name_en"#,
            creator,
            from,
            to
        )
        .fetch_all(pool)
        .await?;
        let live = sqlx::query_scalar!(
            r#"select count(*) as "n!" from products where creator_id = $1 and status = 'published'"#,
            creator
        )
        .fetch_one(pool)
        .await?;
        let seen_live = products.iter().filter(|p| p.live).count() as i64;
        let sources = sqlx::query!(
            r#"select source, sum(events)::int8 as "views!" from analytics_daily
               where creator_id = $1 and kind = 'product_view' and day between $2::text::date and $3::text::date
               group by source order by 2 desc, source limit 10"#,
            creator,
            from,
            to
        )
        .fetch_all(pool)
        .await?;
        // The search log is the search module's; it is read here, never written.
        let searches = sqlx::query!(
            r#"select s.query, count(*)::int8 as "opened!" from search_log s
               join products p on p.id = s.clicked_product_id
               where p.creator_id = $1 and s.clicked_at >= $2::text::date
                 and s.clicked_at < $3::text::date + 1
               group by s.query order by 2 desc, s.query limit 10"#,
            creator,
            from,
            to
        )
        .fetch_all(pool)
        .await?;
        Ok(MakerFigures {
            from,
            to,
            products: products
                .into_iter()
                .map(|p| ProductFunnel {
                    slug: p.slug,
                    name: p.name_en,
                    views: p.views,
                    adds: p.adds,
                    purchases: p.purchases,
                    revenue: Money::new(p.revenue, p.currency),
                })
                .collect(),
            unseen: (live - seen_live).max(0),
            sources: sources.into_iter().map(|s| (s.source, s.views)).collect(),
            searches: searches.into_iter().map(|s| (s.query, s.opened)).collect(),
        })
    }
}

/// The store's currency for the figures: the one most orders were paid in (a store
/// sells in one; the rollups keep each apart).
async fn currency(pool: &PgPool, period: Period) -> Result<String> {
    let (from, to) = period.bounds();
    let currency = sqlx::query_scalar!(
        "select currency from analytics_daily
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
        r#"select count(*) as "visitors!", coalesce(sum(sessions), 0)::int8 as "sessions!"
           from analytics_visits where day between $1::text::date and $2::text::date"#,
        from,
        to
    )
    .fetch_one(pool)
    .await?;
    let counts = sqlx::query!(
        r#"select coalesce(sum(events) filter (where kind in ('page_view', 'product_view')), 0)::int8 as "page_views!",
                  coalesce(sum(events) filter (where kind = 'order_paid' and currency = $3), 0)::int8 as "orders!",
                  coalesce(sum(amount_minor) filter (where kind = 'order_paid' and currency = $3), 0)::int8 as "revenue!",
                  coalesce(sum(events) filter (where kind = 'order_refunded' and currency = $3), 0)::int8 as "refunds!",
                  coalesce(sum(amount_minor) filter (where kind = 'order_refunded' and currency = $3), 0)::int8
                      as "refunded!"
           from analytics_daily where day between $1::text::date and $2::text::date"#,
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
                  coalesce((select count(*) from analytics_visits v where v.day = d.day::date), 0)::int8 as "visitors!",
                  coalesce(sum(r.events) filter (where r.kind in ('page_view', 'product_view')), 0)::int8
                      as "page_views!",
                  coalesce(sum(r.events) filter (where r.kind = 'order_paid'), 0)::int8 as "orders!"
           from generate_series($1::text::date, $2::text::date, interval '1 day') as d(day)
           left join analytics_daily r on r.day = d.day::date
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    #[test]
    fn a_period_compares_with_the_same_number_of_days_before_it() {
        let week = Period { from: day("2026-12-01"), to: day("2026-12-07") };
        assert_eq!(week.days(), 7);
        assert_eq!(week.previous(), Period { from: day("2026-11-24"), to: day("2026-11-30") });
        assert_eq!(Period::last(30, day("2026-12-06")).from, day("2026-11-07"));
    }

    #[test]
    fn a_period_is_read_from_a_form_with_errors_at_their_fields() {
        let today = day("2026-12-06");
        assert_eq!(Period::parse("", "", today).expect("default"), Period::last(30, today));
        assert_eq!(
            Period::parse("2026-12-01", "2026-12-03", today).expect("given"),
            Period { from: day("2026-12-01"), to: day("2026-12-03") }
        );
        let field = |result: Result<Period>| match result {
            Err(Error::Validation(errors)) => errors[0].field.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(field(Period::parse("yesterday", "", today)), "from");
        assert_eq!(field(Period::parse("", "2026-13-01", today)), "to");
        assert_eq!(field(Period::parse("2026-12-05", "2026-12-01", today)), "from", "backwards");
        assert_eq!(field(Period::parse("2024-01-01", "2026-12-01", today)), "from", "too long");
    }
}

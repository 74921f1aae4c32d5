//! The reading side: what the dashboards ask, behind [`Reports`], answered from the
//! rollups and the days' visitors (never from the raw events, so a page costs the same at
//! ten million events as at ten). A columnar store (ClickHouse or the like) would be
//! another `Reports`; nothing above this trait knows which one answers.

mod maker;
mod overview;
mod products;
mod revenue;
mod search;
mod shoppers;

use chrono::{Days, NaiveDate};
use sqlx::PgPool;
use types::{
    ErrorCode, FieldError, Locale, UserId,
    analytics::{
        MakerFigures, Overview,
        table::{Dashboard, Section},
    },
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

    /// The first and last day as `YYYY-MM-DD`: the server's sqlx maps dates to another
    /// crate's types, so dates cross to SQL as text (`$1::text::date`).
    fn bounds(&self) -> (String, String) {
        (self.from.to_string(), self.to.to_string())
    }
}

/// What the dashboards read. Names (products, categories) come in `locale`.
#[async_trait::async_trait]
pub trait Reports: Send + Sync + 'static {
    /// The store's totals for `period` and the one before it, and its days.
    async fn overview(&self, period: Period) -> Result<Overview>;

    /// Signups, signed-in shoppers who came back by day, week and month, buyers new and
    /// returning, and weekly cohorts.
    async fn shoppers(&self, period: Period) -> Result<Dashboard>;

    /// The funnel (views, adds, purchases) per product, per maker and per category, and
    /// the best sellers.
    async fn products(&self, period: Period, locale: Locale) -> Result<Dashboard>;

    /// Gross sales, commission, refunds and payouts by day, maker and category, from
    /// the ledger.
    async fn revenue(&self, period: Period, locale: Locale) -> Result<Dashboard>;

    /// Popular searches, searches with no results, searches whose results nobody
    /// opened, and rising ones.
    async fn searches(&self, period: Period) -> Result<Dashboard>;

    /// The funnel of each product of the maker whose account is `user`, where their
    /// views came from and which searches led to them. Someone who is not a maker has
    /// no figures (`NotFound`).
    async fn maker(&self, user: UserId, period: Period, locale: Locale) -> Result<MakerFigures>;

    /// One of the console's dashboards.
    async fn dashboard(&self, section: Section, period: Period, locale: Locale) -> Result<Dashboard> {
        match section {
            Section::Overview => self.overview(period).await.map(Dashboard::from),
            Section::Shoppers => self.shoppers(period).await,
            Section::Products => self.products(period, locale).await,
            Section::Revenue => self.revenue(period, locale).await,
            Section::Search => self.searches(period).await,
        }
    }
}

/// [`Reports`] from this PostgreSQL's rollups, and for money from its ledger.
pub struct PgReports(pub PgPool);

#[async_trait::async_trait]
impl Reports for PgReports {
    async fn overview(&self, period: Period) -> Result<Overview> {
        overview::overview(&self.0, period).await
    }

    async fn shoppers(&self, period: Period) -> Result<Dashboard> {
        shoppers::dashboard(&self.0, period).await
    }

    async fn products(&self, period: Period, locale: Locale) -> Result<Dashboard> {
        products::dashboard(&self.0, period, locale).await
    }

    async fn revenue(&self, period: Period, locale: Locale) -> Result<Dashboard> {
        revenue::dashboard(&self.0, period, locale).await
    }

    async fn searches(&self, period: Period) -> Result<Dashboard> {
        search::dashboard(&self.0, period).await
    }

    async fn maker(&self, user: UserId, period: Period, locale: Locale) -> Result<MakerFigures> {
        maker::figures(&self.0, user, period, locale).await
    }
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

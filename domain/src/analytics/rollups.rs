//! The rollups a write keeps, each shaped for what reads it: the store's counts per hour
//! and per day (no product), each product's day (its funnel and its visitors) and each
//! maker's views per source. A batch is summed here first, so each rollup row is
//! written once a batch however many events it counts.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, DurationRound as _, NaiveDate, TimeDelta, Utc};
use sqlx::PgConnection;
use types::{
    TextEnum,
    analytics::{EventKind, PageKind},
};
use uuid::Uuid;

use super::Event;
use crate::Result;

/// Adds `events` (whose visitors' hashes are `visitors`) to every rollup.
pub(super) async fn add(conn: &mut PgConnection, events: &[Event], visitors: &[Option<[u8; 16]>]) -> Result<()> {
    add_store(conn, events).await?;
    add_products(conn, events, visitors).await?;
    add_maker_sources(conn, events).await
}

/// What a row of the store's rollups is counted under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Bucket {
    hour: DateTime<Utc>,
    kind: EventKind,
    page_kind: Option<PageKind>,
    source: Option<String>,
    currency: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Totals {
    events: i64,
    quantity: i64,
    amount_minor: i64,
}

fn hour_of(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::hours(1)).unwrap_or(at)
}

/// `events` summed per hour, kind, page kind, source and currency.
fn store_buckets(events: &[Event]) -> HashMap<Bucket, Totals> {
    let mut sums: HashMap<Bucket, Totals> = HashMap::new();
    for event in events {
        let bucket = Bucket {
            hour: hour_of(event.at),
            kind: event.kind,
            page_kind: event.page_kind,
            source: event.origin.source.clone(),
            currency: event.currency.clone(),
        };
        let totals = sums.entry(bucket).or_default();
        totals.events += 1;
        totals.quantity += i64::from(event.quantity);
        totals.amount_minor += event.amount_minor;
    }
    sums
}

/// Adds the batch to the hourly rollup, and the same hours summed per day to the daily
/// one, in one statement.
async fn add_store(conn: &mut PgConnection, events: &[Event]) -> Result<()> {
    let (mut hour, mut kind, mut page_kind, mut source, mut currency) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut count, mut quantity, mut amount) = (Vec::new(), Vec::new(), Vec::new());
    for (bucket, totals) in store_buckets(events) {
        // Times go as text: this build's sqlx maps SQL times to the `time` crate.
        hour.push(bucket.hour.to_rfc3339());
        kind.push(bucket.kind.as_str());
        page_kind.push(bucket.page_kind.map(TextEnum::as_str));
        source.push(bucket.source);
        currency.push(bucket.currency);
        count.push(totals.events);
        quantity.push(totals.quantity);
        amount.push(totals.amount_minor);
    }
    sqlx::query!(
        "with hours as (
             select * from unnest($1::text[]::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[],
                                  $6::int8[], $7::int8[], $8::int8[])
                 as r(hour, kind, page_kind, source, currency, events, quantity, amount_minor)
         ), hourly as (
             insert into analytics_store_hourly as h
                 (hour, kind, page_kind, source, currency, events, quantity, amount_minor)
             select * from hours
             on conflict on constraint analytics_store_hourly_key do update
             set events = h.events + excluded.events, quantity = h.quantity + excluded.quantity,
                 amount_minor = h.amount_minor + excluded.amount_minor
         )
         insert into analytics_store_daily as d (day, kind, page_kind, source, currency, events, quantity, amount_minor)
         select (hour at time zone 'UTC')::date, kind, page_kind, source, currency,
                sum(events), sum(quantity), sum(amount_minor)
         from hours group by 1, 2, 3, 4, 5
         on conflict on constraint analytics_store_daily_key do update
         set events = d.events + excluded.events, quantity = d.quantity + excluded.quantity,
             amount_minor = d.amount_minor + excluded.amount_minor",
        &hour as &[String],
        &kind as &[&str],
        &page_kind as &[Option<&str>],
        &source as &[Option<String>],
        &currency as &[Option<String>],
        &count,
        &quantity,
        &amount,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One product's day, as far as one batch tells it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct ProductDay {
    views: i64,
    adds: i64,
    units: i64,
    revenue_minor: i64,
}

/// The batch's product events summed per day and product.
fn product_days(events: &[Event]) -> HashMap<(NaiveDate, Uuid), ProductDay> {
    let mut days: HashMap<(NaiveDate, Uuid), ProductDay> = HashMap::new();
    for event in events {
        let Some(product) = event.product else { continue };
        let (views, adds, units, revenue_minor) = match event.kind {
            EventKind::ProductView => (1, 0, 0, 0),
            // An add counts once, however many it put in the cart.
            EventKind::AddToCart => (0, 1, 0, 0),
            EventKind::ProductPurchased => (0, 0, i64::from(event.quantity), event.amount_minor),
            _ => continue,
        };
        let day = days.entry((event.at.date_naive(), product.product)).or_default();
        day.views += views;
        day.adds += adds;
        day.units += units;
        day.revenue_minor += revenue_minor;
    }
    days
}

/// Adds the batch to each product's day. Each visitor counts once a day for each
/// product they saw: the first sight claims the (day, product, visitor) triple, and only
/// claims add to the product's visitors.
async fn add_products(conn: &mut PgConnection, events: &[Event], visitors: &[Option<[u8; 16]>]) -> Result<()> {
    let days = product_days(events);
    if days.is_empty() {
        return Ok(());
    }
    let (mut day, mut product, mut views, mut adds, mut units, mut revenue) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for ((d, p), figures) in days {
        day.push(d.to_string());
        product.push(p);
        views.push(figures.views);
        adds.push(figures.adds);
        units.push(figures.units);
        revenue.push(figures.revenue_minor);
    }
    // A visitor who sees a product again within the batch is claimed once here, not
    // sent again to find the claim taken.
    let seen: HashSet<(NaiveDate, Uuid, [u8; 16])> = events
        .iter()
        .zip(visitors)
        .filter_map(|(event, who)| match (event.product, who, event.kind) {
            (Some(p), Some(who), EventKind::ProductView) => Some((event.at.date_naive(), p.product, *who)),
            _ => None,
        })
        .collect();
    let (mut seen_day, mut seen_product, mut seen_by) = (Vec::new(), Vec::new(), Vec::new());
    for (day, product, who) in seen {
        seen_day.push(day.to_string());
        seen_product.push(product);
        seen_by.push(who.to_vec());
    }
    sqlx::query!(
        "with claimed as (
             insert into analytics_product_visitors (day, product_id, visitor)
             select * from unnest($7::text[]::date[], $8::uuid[], $9::bytea[])
             on conflict do nothing
             returning day, product_id
         ), seen as (
             select day, product_id, count(*) as visitors from claimed group by 1, 2
         )
         insert into analytics_product_daily as d (day, product_id, views, visitors, adds, units, revenue_minor)
         select b.day, b.product_id, b.views, coalesce(s.visitors, 0), b.adds, b.units, b.revenue_minor
         from unnest($1::text[]::date[], $2::uuid[], $3::int8[], $4::int8[], $5::int8[], $6::int8[])
             as b(day, product_id, views, adds, units, revenue_minor)
         left join seen s on s.day = b.day and s.product_id = b.product_id
         on conflict (day, product_id) do update
         set views = d.views + excluded.views, visitors = d.visitors + excluded.visitors,
             adds = d.adds + excluded.adds, units = d.units + excluded.units,
             revenue_minor = d.revenue_minor + excluded.revenue_minor",
        &day as &[String],
        &product,
        &views,
        &adds,
        &units,
        &revenue,
        &seen_day as &[String],
        &seen_product,
        &seen_by as &[Vec<u8>],
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The batch's product views summed per day, maker and source.
fn maker_sources(events: &[Event]) -> HashMap<(NaiveDate, Uuid, Option<String>), i64> {
    let mut views = HashMap::new();
    for event in events.iter().filter(|e| e.kind == EventKind::ProductView) {
        if let Some(maker) = event.creator() {
            *views.entry((event.at.date_naive(), maker, event.origin.source.clone())).or_default() += 1;
        }
    }
    views
}

async fn add_maker_sources(conn: &mut PgConnection, events: &[Event]) -> Result<()> {
    let (mut day, mut maker, mut source, mut views) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for ((d, m, s), n) in maker_sources(events) {
        day.push(d.to_string());
        maker.push(m);
        source.push(s);
        views.push(n);
    }
    if day.is_empty() {
        return Ok(());
    }
    sqlx::query!(
        "insert into analytics_maker_sources as m (day, creator_id, source, views)
         select * from unnest($1::text[]::date[], $2::uuid[], $3::text[], $4::int8[])
         on conflict on constraint analytics_maker_sources_key do update set views = m.views + excluded.views",
        &day as &[String],
        &maker,
        &source as &[Option<String>],
        &views,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::ProductRef;

    fn event(kind: EventKind, at: &str, product: u128) -> Event {
        let mut event = Event::new(kind, at.parse().expect("time"));
        event.product =
            Some(ProductRef { product: Uuid::from_u128(product), creator: Uuid::from_u128(9), category: None });
        event
    }

    #[test]
    fn the_store_counts_each_hour_apart_and_without_products() {
        let view = |at| event(EventKind::ProductView, at, 1);
        let events = [
            view("2026-12-06T10:05:00Z"),
            view("2026-12-06T10:55:00Z"),
            view("2026-12-06T11:01:00Z"),
            event(EventKind::ProductView, "2026-12-06T11:02:00Z", 2),
        ];
        let mut hours: Vec<(u32, i64)> =
            store_buckets(&events).iter().map(|(b, t)| (chrono::Timelike::hour(&b.hour), t.events)).collect();
        hours.sort();
        assert_eq!(hours, [(10, 2), (11, 2)], "two products in one hour are one row");
    }

    #[test]
    fn a_products_day_counts_views_adds_and_units_sold() {
        let mut bought = event(EventKind::ProductPurchased, "2026-12-06T12:00:00Z", 1);
        (bought.quantity, bought.amount_minor) = (2, 50_000);
        let mut added = event(EventKind::AddToCart, "2026-12-06T11:00:00Z", 1);
        added.quantity = 3;
        let events = [
            event(EventKind::ProductView, "2026-12-06T10:00:00Z", 1),
            event(EventKind::ProductView, "2026-12-06T10:01:00Z", 1),
            added,
            bought,
            event(EventKind::ProductView, "2026-12-07T00:01:00Z", 1),
            Event::new(EventKind::PageView, "2026-12-06T10:00:00Z".parse().expect("time")),
        ];
        let days = product_days(&events);
        let first = (NaiveDate::from_ymd_opt(2026, 12, 6).expect("day"), Uuid::from_u128(1));
        assert_eq!(days[&first], ProductDay { views: 2, adds: 1, units: 2, revenue_minor: 50_000 });
        assert_eq!(days.len(), 2, "the next day is a row of its own; a page view is none");
        let sources = maker_sources(&events);
        assert_eq!(sources[&(first.0, Uuid::from_u128(9), None)], 2, "views only, under the maker");
    }
}

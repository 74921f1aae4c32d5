//! Made-up shoppers' traffic: visits of a few pages each, views of products (a few
//! popular, a long tail), adds to the cart and checkouts, from a handful of sources,
//! some signed in. The demo store gets a couple of months of it, so its dashboards
//! show something; the analytics benchmark writes ten million events of it. The same
//! seed makes the same traffic. Orders are never made up: money comes only from real
//! orders, so the revenue report still agrees with the ledger.

use std::net::IpAddr;

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::PgPool;
use types::analytics::{EventKind, PageKind};
use uuid::Uuid;

use super::{Event, ProductRef, VisitorKey, privacy::Origin};
use crate::Result;

/// Browsers the made-up visitors use.
const BROWSERS: [&str; 3] = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
];

/// Where visits come from, and how often (out of 100): `None` is typed in.
const SOURCES: [(Option<&str>, u32); 5] = [
    (None, 45),
    (Some("google.com"), 25),
    (Some("newsletter"), 10),
    (Some("fpv-forum.example"), 12),
    (Some("youtube.com"), 8),
];

/// What the made-up traffic is about: the live products, and accounts that sometimes
/// sign in.
pub struct Store {
    pub products: Vec<ProductRef>,
    pub accounts: Vec<Uuid>,
}

impl Store {
    /// The live catalog and the customers' accounts.
    pub async fn load(pool: &PgPool) -> Result<Store> {
        let products =
            sqlx::query!("select id, creator_id, category_id from products where status = 'published' order by id")
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(|p| ProductRef { product: p.id, creator: p.creator_id, category: Some(p.category_id) })
                .collect();
        let accounts = sqlx::query_scalar!(
            "select u.id from users u join user_roles r on r.user_id = u.id and r.role = 'customer' order by u.id"
        )
        .fetch_all(pool)
        .await?;
        Ok(Store { products, accounts })
    }
}

/// Made-up traffic, one visit at a time.
pub struct Traffic<'a> {
    store: &'a Store,
    rng: ChaCha8Rng,
}

impl<'a> Traffic<'a> {
    pub fn new(store: &'a Store, seed: u64) -> Traffic<'a> {
        Traffic { store, rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    /// A product, the first ones far more often than the rest (a few best sellers and a
    /// long tail).
    fn product(&mut self) -> Option<ProductRef> {
        let n = self.store.products.len();
        if n == 0 {
            return None;
        }
        let skewed = self.rng.r#gen::<f64>().powi(3);
        self.store.products.get((skewed * n as f64) as usize).copied()
    }

    /// One visit on `day`: a visitor (one of `visitors` that day) looks at a few pages,
    /// may add a product to the cart and start a checkout.
    pub fn visit(&mut self, day: NaiveDate, visitors: u32, events: &mut Vec<Event>) {
        let rng = &mut self.rng;
        let who = rng.gen_range(0..visitors.max(1));
        let address = IpAddr::from([10, (who >> 16) as u8, (who >> 8) as u8, who as u8]);
        let visitor = Some(VisitorKey::new(address, BROWSERS[who as usize % BROWSERS.len()]));
        let user = (rng.gen_range(0..100) < 15 && !self.store.accounts.is_empty())
            .then(|| self.store.accounts[who as usize % self.store.accounts.len()]);
        let mut pick = rng.gen_range(0..100);
        let source = SOURCES
            .iter()
            .find(|(_, share)| {
                let hit = pick < *share;
                pick = pick.saturating_sub(*share);
                hit
            })
            .and_then(|(s, _)| *s);
        let origin = Origin { source: source.map(str::to_owned), medium: None, campaign: None };
        // Busier in the afternoon and evening (UTC).
        let start = rng.gen_range(6 * 60..24 * 60 - 30);
        let mut at: DateTime<Utc> = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + TimeDelta::minutes(start);
        let pages = rng.gen_range(1..=8);
        for page in 0..pages {
            at += TimeDelta::seconds(self.rng.gen_range(10..240));
            let roll = self.rng.gen_range(0..100);
            let (kind, page_kind, product) = match roll {
                0..20 => (EventKind::PageView, PageKind::Home, None),
                20..35 => (EventKind::PageView, PageKind::Listing, None),
                35..45 => (EventKind::PageView, PageKind::Search, None),
                45..88 => (EventKind::ProductView, PageKind::Product, self.product()),
                88..93 => (EventKind::PageView, PageKind::Maker, None),
                _ => (EventKind::PageView, PageKind::Other, None),
            };
            let event = Event {
                page_kind: Some(page_kind),
                visitor,
                user,
                product,
                origin: if page == 0 { origin.clone() } else { Origin::default() },
                ..Event::new(kind, at)
            };
            events.push(event);
            // A product seen is sometimes added, and a cart sometimes checked out.
            if product.is_some() && self.rng.gen_range(0..100) < 9 {
                at += TimeDelta::seconds(self.rng.gen_range(5..60));
                events.push(Event { visitor, user, product, ..Event::new(EventKind::AddToCart, at) });
                if user.is_some() && self.rng.gen_range(0..100) < 40 {
                    at += TimeDelta::seconds(self.rng.gen_range(20..120));
                    events.push(Event { visitor, user, ..Event::new(EventKind::CheckoutStarted, at) });
                }
            }
        }
    }

    /// Visits on each of `days` until each day has about `per_day` events.
    pub fn days(&mut self, days: &[NaiveDate], per_day: usize) -> Vec<Event> {
        let mut events = Vec::with_capacity(days.len() * (per_day + 10));
        // About four events a visit, and a visitor comes back now and then.
        let visitors = (per_day / 6).max(1) as u32;
        for day in days {
            let goal = events.len() + per_day;
            while events.len() < goal {
                self.visit(*day, visitors, &mut events);
            }
        }
        events
    }
}

/// The `count` days before `today`, oldest first (today is left to real visitors).
pub fn days_before(today: NaiveDate, count: u64) -> Vec<NaiveDate> {
    (1..=count).rev().map(|back| today - Days::new(back)).collect()
}

/// The demo store's past two months of traffic, written once (the claim on a fact key
/// makes running `seed-demo` again add nothing).
pub async fn seed_demo(services: &crate::Services) -> Result<()> {
    let pool = &services.pool;
    let claimed =
        sqlx::query!("insert into analytics_recorded_facts (key) values ('demo:history') on conflict do nothing")
            .execute(pool)
            .await?
            .rows_affected();
    if claimed == 0 {
        return Ok(());
    }
    let store = Store::load(pool).await?;
    let days = days_before(Utc::now().date_naive(), 60);
    let events = Traffic::new(&store, 2026).days(&days, 300);
    super::partitions::ensure_days(pool, &days).await?;
    let mut tx = pool.begin().await?;
    services.analytics.write(&mut tx, &events).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        let product =
            |n: u128| ProductRef { product: Uuid::from_u128(n), creator: Uuid::from_u128(100), category: None };
        Store { products: (1..=50).map(product).collect(), accounts: vec![Uuid::from_u128(7)] }
    }

    #[test]
    fn the_same_seed_makes_the_same_traffic_and_every_event_falls_on_its_day() {
        let store = store();
        let day: NaiveDate = "2026-11-02".parse().expect("day");
        let first = Traffic::new(&store, 1).days(&[day], 1_000);
        let again = Traffic::new(&store, 1).days(&[day], 1_000);
        assert_eq!(first.len(), again.len());
        assert!(first.iter().zip(&again).all(|(a, b)| a.at == b.at && a.kind == b.kind && a.product == b.product));
        assert!((1_000..1_030).contains(&first.len()), "about as many as asked: {}", first.len());
        assert!(first.iter().all(|e| e.at.date_naive() == day));
        let views = first.iter().filter(|e| e.kind == EventKind::ProductView).count();
        let adds = first.iter().filter(|e| e.kind == EventKind::AddToCart).count();
        assert!(views > 300 && adds > 10 && adds < views / 5, "a funnel: {views} views, {adds} adds");
        let top = first.iter().filter(|e| e.product.map(|p| p.product) == Some(Uuid::from_u128(1))).count();
        let last = first.iter().filter(|e| e.product.map(|p| p.product) == Some(Uuid::from_u128(50))).count();
        assert!(top > 3 * last.max(1), "popular products are seen more: {top} against {last}");
    }
}

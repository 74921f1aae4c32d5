//! Analytics: what happens in the store, counted for the operator and for each maker.
//!
//! **Collection.** Two paths, one table:
//! - What a visitor does (page views, product views) is recorded by the server as it
//!   answers, so visitors without JavaScript count and no script is sent: the storefront
//!   has no client-side router, so every page a visitor sees is a request. Each becomes
//!   an [`Event`] in this instance's [`Collector`], a bounded buffer written by COPY in
//!   batches ([`collector::write_continuously`]); recording takes a lock and a push,
//!   never a database round trip, and a full buffer drops its oldest events and counts
//!   them (`analytics_events_dropped_total`).
//! - What the store decides (an order paid, a refund, a signup, an application, a review
//!   decision) comes from the outbox ([`facts::StoreFacts`]), recorded in the delivery's
//!   transaction under a key claimed once, so a redelivered event counts once.
//!
//! **Privacy.** A visitor is a salted hash of their address and browser, with a salt
//! that changes every day (UTC) and is deleted after it ([`privacy`]); the address is
//! held in memory until the next write, never stored. `DNT: 1` and `Sec-GPC: 1` are
//! honoured, known bots and the probes are not counted, a referrer is reduced to its
//! host, and the UTM parameters are kept. No cookie is set for analytics.
//!
//! **Storage.** `analytics_events` is partitioned by day and kept for a configured
//! number of days ([`partitions`]); the rollups ([`rollups`]: the store's hours and
//! days, each product's day, each maker's sources) and the days' visitors and accounts
//! (kept with each visitor's day, `analytics_visits`) are kept by the same writes, in
//! the same transaction, and kept for good. The dashboards read only those, through
//! [`report::Reports`].

pub mod alerts;
pub mod collector;
pub mod facts;
pub mod history;
pub mod partitions;
pub mod privacy;
mod readers;
pub mod report;
mod rollups;
pub mod saved;
pub mod summary;
mod visits;

use chrono::{DateTime, Utc};
use types::analytics::{EventKind, PageKind};
use uuid::Uuid;

pub use collector::Collector;
pub use privacy::{Origin, VisitorKey};

/// One thing that happened, as the analytics store it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub page_kind: Option<PageKind>,
    /// Who, before hashing; `None` for facts from the outbox.
    pub visitor: Option<VisitorKey>,
    pub user: Option<Uuid>,
    pub product: Option<ProductRef>,
    /// Facts about one maker without a product (a refund of a maker's part of an order).
    pub creator: Option<Uuid>,
    pub quantity: i32,
    pub amount_minor: i64,
    pub currency: Option<String>,
    pub origin: Origin,
    pub query: Option<String>,
}

impl Event {
    /// An event of `kind` now, with nothing else known yet.
    pub fn new(kind: EventKind, at: DateTime<Utc>) -> Event {
        Event {
            at,
            kind,
            page_kind: None,
            visitor: None,
            user: None,
            product: None,
            creator: None,
            quantity: 1,
            amount_minor: 0,
            currency: None,
            origin: Origin::default(),
            query: None,
        }
    }

    /// The maker the event belongs to: its product's, else its own.
    pub fn creator(&self) -> Option<Uuid> {
        self.product.map(|p| p.creator).or(self.creator)
    }
}

/// A product with what its figures roll up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProductRef {
    pub product: Uuid,
    pub creator: Uuid,
    pub category: Option<Uuid>,
}

/// What `product`'s figures roll up to; `None` for a product that is gone.
pub async fn product_ref(pool: &sqlx::PgPool, product: Uuid) -> crate::Result<Option<ProductRef>> {
    let row = sqlx::query!("select creator_id, category_id from products where id = $1", product)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| ProductRef { product, creator: r.creator_id, category: Some(r.category_id) }))
}

/// A storefront page being answered: who asks and from where (filled by the edge of
/// the server), and what the page was about (filled while it renders, or from the page
/// cache). Clones share it.
#[derive(Debug, Clone, Default)]
pub struct PageFacts(std::sync::Arc<std::sync::Mutex<Facts>>);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub user: Option<Uuid>,
    pub product: Option<ProductRef>,
}

impl PageFacts {
    pub fn set_user(&self, user: Uuid) {
        if let Ok(mut facts) = self.0.lock() {
            facts.user = Some(user);
        }
    }

    pub fn set_product(&self, product: ProductRef) {
        if let Ok(mut facts) = self.0.lock() {
            facts.product = Some(product);
        }
    }

    pub fn get(&self) -> Facts {
        self.0.lock().map(|facts| facts.clone()).unwrap_or_default()
    }
}

//! An in-memory cache of hot storefront reads (the home page, product pages, search
//! results), per server instance.
//!
//! Entries are stamped with the catalog version. Every instance follows the event
//! log with its own cursor ([`follow_changes`]) and bumps its version when a catalog
//! event appears, so a maker's change shows on every instance within a second or so.
//! A short time-to-live bounds what no event announces (a certificate expiring).

use std::{
    collections::{HashMap, HashSet},
    hash::Hash,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use sqlx::PgPool;
use tokio::sync::watch;
use types::{
    Locale,
    catalog::{CreatorPage, HomeCatalog, ProductDetail},
    search::{SearchPage, SearchParams},
};
use uuid::Uuid;

/// How long an entry may be served without an event saying it changed.
pub const TIME_TO_LIVE: Duration = Duration::from_secs(60);
/// Entries per cache; past this the cache starts again empty (cheap and bounded).
const CAPACITY: usize = 10_000;
/// Event types that change what the storefront shows.
const CATALOG_EVENT_PREFIXES: &[&str] = &["product.", "creator.", "certification.", "category."];

#[derive(Clone, Default)]
pub struct CatalogVersion(Arc<AtomicU64>);

impl CatalogVersion {
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Makes every cached read stale.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }
}

struct Entry<V> {
    version: u64,
    stored: Instant,
    value: V,
}

/// One cache of values of one kind, invalidated together by the catalog version.
pub struct ReadCache<K, V> {
    version: CatalogVersion,
    entries: Mutex<HashMap<K, Entry<V>>>,
}

impl<K: Eq + Hash, V: Clone> ReadCache<K, V> {
    pub fn new(version: CatalogVersion) -> Self {
        Self { version, entries: Mutex::new(HashMap::new()) }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(key)?;
        (entry.version == self.version.current() && entry.stored.elapsed() < TIME_TO_LIVE).then(|| entry.value.clone())
    }

    /// Stores `value` as read under `version` (taken before the read began, so a
    /// change during the read leaves the entry already stale rather than wrongly fresh).
    pub fn put(&self, key: K, value: V, version: u64) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(key, Entry { version, stored: Instant::now(), value });
        }
    }

    /// The cached value, or `load`'s result (cached when it succeeds).
    pub async fn get_or_load<E, F>(&self, key: K, load: F) -> Result<V, E>
    where
        F: Future<Output = Result<V, E>>,
    {
        if let Some(hit) = self.get(&key) {
            return Ok(hit);
        }
        let version = self.version.current();
        let value = load.await?;
        self.put(key, value.clone(), version);
        Ok(value)
    }
}

/// The storefront's hot reads, cached per instance.
pub struct CatalogReads {
    pub version: CatalogVersion,
    pub home: ReadCache<Locale, HomeCatalog>,
    pub products: ReadCache<(String, Locale), Option<ProductDetail>>,
    pub creators: ReadCache<(String, Locale), Option<CreatorPage>>,
    /// Results without the per-request parts (the log id, the URL's errors).
    pub searches: ReadCache<(SearchParams, Locale), SearchPage>,
}

impl Default for CatalogReads {
    fn default() -> Self {
        let version = CatalogVersion::default();
        Self {
            home: ReadCache::new(version.clone()),
            products: ReadCache::new(version.clone()),
            creators: ReadCache::new(version.clone()),
            searches: ReadCache::new(version.clone()),
            version,
        }
    }
}

/// How far behind its cursor the follower re-reads: identity values are handed out
/// before commit, so a smaller `seq` can become visible after a larger one.
const REREAD_WINDOW: i64 = 200;

/// How often each instance looks for catalog events.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// Follows the event log and bumps `version` whenever a catalog event appears, until
/// `stop` says so. Each instance runs its own; none of them consumes anything.
pub async fn follow_changes(pool: PgPool, version: CatalogVersion, mut stop: watch::Receiver<bool>) {
    let mut follower = Follower::default();
    loop {
        match follower.poll(&pool).await {
            Ok(true) => version.bump(),
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "following catalog events failed; retrying"),
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL_INTERVAL) => {}
            _ = stop.changed() => return,
        }
    }
}

#[derive(Default)]
struct Follower {
    cursor: Option<i64>,
    seen: HashSet<Uuid>,
}

impl Follower {
    /// Whether catalog events appeared since the last poll.
    async fn poll(&mut self, pool: &PgPool) -> Result<bool, sqlx::Error> {
        let first = self.cursor.is_none();
        let cursor = match self.cursor {
            Some(c) => c,
            None => {
                sqlx::query_scalar!(r#"select coalesce(max(seq), 0) as "end!" from outbox_events"#)
                    .fetch_one(pool)
                    .await?
            }
        };
        let prefixes: Vec<String> = CATALOG_EVENT_PREFIXES.iter().map(|p| format!("{p}%")).collect();
        let rows = sqlx::query!(
            r#"select id, seq, event_type like any($2) as "catalog!" from outbox_events where seq > $1 order by seq"#,
            cursor - REREAD_WINDOW,
            &prefixes
        )
        .fetch_all(pool)
        .await?;
        let mut changed = false;
        let mut window = HashSet::with_capacity(rows.len());
        let mut next_cursor = cursor;
        for row in rows {
            changed |= row.catalog && !self.seen.contains(&row.id);
            window.insert(row.id);
            next_cursor = next_cursor.max(row.seq);
        }
        self.seen = window;
        self.cursor = Some(next_cursor);
        // The first poll may find nothing new yet follow reads cached before it ran.
        Ok(changed || first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn entries_go_stale_when_the_catalog_version_moves() {
        let version = CatalogVersion::default();
        let cache: ReadCache<&str, u32> = ReadCache::new(version.clone());
        let loaded = cache.get_or_load("kestrel", async { Ok::<_, ()>(1) }).await;
        assert_eq!(loaded, Ok(1));
        assert_eq!(cache.get(&"kestrel"), Some(1));
        version.bump();
        assert_eq!(cache.get(&"kestrel"), None);
        // A value read before a change is stored as already stale.
        let before = version.current();
        version.bump();
        cache.put("kestrel", 2, before);
        assert_eq!(cache.get(&"kestrel"), None);
    }
}

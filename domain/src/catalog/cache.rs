//! An in-memory cache of hot storefront reads (the home page, product pages, search
//! results), per server instance.
//!
//! Entries are stamped with the catalog version. Every instance follows the event
//! log with its own cursor ([`follow_changes`]) and bumps its version when a catalog
//! event appears, so a maker's change shows on every instance within a second or so.
//! A short time-to-live bounds what no event announces (a certificate expiring).

use std::{
    collections::HashSet,
    hash::Hash,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use hashlink::LinkedHashMap;
use sqlx::PgPool;
use tokio::sync::watch;
use types::{
    Locale,
    catalog::{CreatorPage, HomeCatalog, ProductDetail},
    search::{SearchPage, SearchParams},
};
use uuid::Uuid;

use crate::search::index::{Changes, SearchIndex};

/// How long an entry may be served without an event saying it changed.
pub const TIME_TO_LIVE: Duration = Duration::from_secs(60);
/// Entries per cache; past its capacity the least recently used go first. Sized so
/// all of them stay well inside the server's memory budget: a product page is a few
/// KiB, a search page with its facets ~15 KiB.
const PRODUCT_CAPACITY: usize = 5_000;
const CREATOR_CAPACITY: usize = 1_000;
const SEARCH_CAPACITY: usize = 2_000;
/// Event types that change what the storefront shows.
const CATALOG_EVENT_PREFIXES: &[&str] = &["product.", "creator.", "certification.", "category.", "catalog."];

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
    weight: usize,
    value: V,
}

/// Entries from least to most recently used, and their total weight.
struct Lru<K, V> {
    entries: LinkedHashMap<K, Entry<V>>,
    weight: usize,
}

/// One cache of values of one kind, invalidated together by the catalog version and
/// bounded by weight (entries, or bytes with [`ReadCache::weighed`]): past its budget
/// the least recently used entries go, so a flood of one-off keys cannot push out
/// what is read all the time for longer than it is not read.
pub struct ReadCache<K, V> {
    version: CatalogVersion,
    budget: usize,
    weigh: fn(&K, &V) -> usize,
    entries: Mutex<Lru<K, V>>,
}

impl<K: Eq + Hash, V: Clone> ReadCache<K, V> {
    /// At most `capacity` entries.
    pub fn new(version: CatalogVersion, capacity: usize) -> Self {
        Self::weighed(version, capacity, |_, _| 1)
    }

    /// At most `budget` in the units of `weigh` (bytes, say) in all.
    pub fn weighed(version: CatalogVersion, budget: usize, weigh: fn(&K, &V) -> usize) -> Self {
        Self { version, budget, weigh, entries: Mutex::new(Lru { entries: LinkedHashMap::new(), weight: 0 }) }
    }

    /// The catalog version now: a value read after this is stored under it.
    pub fn version(&self) -> u64 {
        self.version.current()
    }

    pub fn get(&self, key: &K) -> Option<V> {
        let mut lru = self.entries.lock().ok()?;
        let entry = lru.entries.to_back(key)?;
        (entry.version == self.version.current() && entry.stored.elapsed() < TIME_TO_LIVE).then(|| entry.value.clone())
    }

    /// Stores `value` as read under `version` (taken before the read began, so a
    /// change during the read leaves the entry already stale rather than wrongly fresh).
    pub fn put(&self, key: K, value: V, version: u64) {
        let weight = (self.weigh)(&key, &value);
        if weight > self.budget {
            return;
        }
        if let Ok(mut lru) = self.entries.lock() {
            let entry = Entry { version, stored: Instant::now(), weight, value };
            lru.weight += weight;
            if let Some(replaced) = lru.entries.insert(key, entry) {
                lru.weight -= replaced.weight;
            }
            while lru.weight > self.budget {
                let Some((_, oldest)) = lru.entries.pop_front() else { break };
                lru.weight -= oldest.weight;
            }
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
    pub products: ReadCache<(String, Locale), Option<(crate::analytics::ProductRef, ProductDetail)>>,
    pub creators: ReadCache<(String, Locale), Option<CreatorPage>>,
    /// Results without the per-request parts (the log id, the URL's errors).
    pub searches: ReadCache<(SearchParams, Locale), SearchPage>,
}

impl Default for CatalogReads {
    fn default() -> Self {
        let version = CatalogVersion::default();
        Self {
            home: ReadCache::new(version.clone(), Locale::ALL.len()),
            products: ReadCache::new(version.clone(), PRODUCT_CAPACITY),
            creators: ReadCache::new(version.clone(), CREATOR_CAPACITY),
            searches: ReadCache::new(version.clone(), SEARCH_CAPACITY),
            version,
        }
    }
}

/// How far behind its cursor the follower re-reads: identity values are handed out
/// before commit, so a smaller `seq` can become visible after a larger one.
const REREAD_WINDOW: i64 = 200;

/// How often each instance looks for catalog events.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// Follows the event log until `stop` says so: loads the search index (when it is
/// on), applies to it every catalog change, and bumps `version` so cached reads go
/// stale. Each instance runs its own; none of them consumes anything.
pub async fn follow_changes(
    pool: PgPool,
    version: CatalogVersion,
    index: Arc<SearchIndex>,
    flags: Arc<crate::flags::Flags>,
    mut stop: watch::Receiver<bool>,
) {
    let mut follower = Follower::default();
    let mut pending = Changes::default();
    let mut stale = false;
    let mut loaded = !index.enabled();
    loop {
        match follower.poll(&pool).await {
            Ok(Some(changes)) => {
                pending.merge(changes);
                stale = true;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "following catalog events failed; retrying"),
        }
        // Flags are read once the cursor is placed, and again after each change; the
        // pages that show them (cached ones too) go stale with the catalog version.
        if follower.flags_changed {
            match flags.load(&pool).await {
                Ok(()) => {
                    follower.flags_changed = false;
                    version.bump();
                }
                Err(e) => tracing::warn!(error = ?e, "loading the feature flags failed; retrying"),
            }
        }
        // Loading only once the cursor is placed means what changes while the index
        // loads is applied after.
        if follower.cursor.is_some() && (!loaded || index.wants_reload(&pending)) {
            match index.load(&pool).await {
                Ok(()) => {
                    loaded = true;
                    stale = true;
                    pending.everything = false;
                }
                Err(e) => tracing::warn!(error = %e, "loading the search index failed; retrying"),
            }
        }
        if stale {
            match index.apply(&pool, &pending).await {
                Ok(()) => pending = Changes::default(),
                Err(e) => tracing::warn!(error = %e, "updating the search index failed; retrying"),
            }
            version.bump();
            stale = !pending.is_empty();
        }
        if let (false, Some(cursor)) = (stale, follower.cursor) {
            // Everything up to here is in this instance's caches and index.
            metrics::gauge!("catalog_applied_seq").set(cursor as f64);
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
    /// The flags must be read (again): at the start, or after a `flag.` event.
    flags_changed: bool,
}

impl Follower {
    /// The catalog changes that appeared since the last poll, if any (the first poll
    /// always answers, empty, so reads cached before it started go stale).
    async fn poll(&mut self, pool: &PgPool) -> Result<Option<Changes>, sqlx::Error> {
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
            r#"select id, seq, event_type like any($2) as "catalog!", event_type like 'flag.%' as "flag!",
                      aggregate_type, aggregate_id,
                      data ->> 'product_id' as product_id
               from outbox_events where seq > $1 order by seq"#,
            cursor - REREAD_WINDOW,
            &prefixes
        )
        .fetch_all(pool)
        .await?;
        let mut changes = Changes::default();
        let mut changed = false;
        let mut window = HashSet::with_capacity(rows.len());
        let mut next_cursor = cursor;
        self.flags_changed |= first;
        for row in rows {
            self.flags_changed |= row.flag && !self.seen.contains(&row.id);
            if row.catalog && !self.seen.contains(&row.id) {
                changed = true;
                let id = Uuid::parse_str(&row.aggregate_id).ok();
                match (row.aggregate_type.as_str(), id) {
                    ("product", Some(id)) => {
                        changes.products.insert(id);
                    }
                    ("creator", Some(id)) => {
                        changes.creators.insert(id);
                        changes.names = true;
                    }
                    ("catalog", _) => changes.everything = true,
                    _ => changes.names = true,
                }
                changes.products.extend(row.product_id.and_then(|p| Uuid::parse_str(&p).ok()));
            }
            window.insert(row.id);
            next_cursor = next_cursor.max(row.seq);
        }
        self.seen = window;
        self.cursor = Some(next_cursor);
        Ok((changed || first).then_some(changes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn entries_go_stale_when_the_catalog_version_moves() {
        let version = CatalogVersion::default();
        let cache: ReadCache<&str, u32> = ReadCache::new(version.clone(), 10);
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

    #[test]
    fn past_its_budget_a_cache_lets_go_of_what_was_read_longest_ago() {
        let version = CatalogVersion::default();
        let now = version.current();
        let cache: ReadCache<String, String> = ReadCache::weighed(version, 100, |k, v| k.len() + v.len());
        cache.put("home".into(), "x".repeat(36), now);
        for i in 0..50 {
            // A flood of one-off pages; the home page is read between them.
            cache.put(format!("p{i:02}"), "y".repeat(27), now);
            assert!(cache.get(&"home".to_owned()).is_some(), "the home page stays while it is read");
        }
        assert!(cache.get(&"p00".to_owned()).is_none(), "the oldest one-off went");
        assert!(cache.get(&"p49".to_owned()).is_some(), "the newest is kept");
        // Re-putting a key counts its weight once.
        cache.put("home".into(), "z".repeat(36), now);
        cache.put("home".into(), "z".repeat(36), now);
        assert!(cache.get(&"p49".to_owned()).is_some());
        // One entry over the whole budget is not kept (nor does it empty the cache).
        cache.put("huge".into(), "h".repeat(500), now);
        assert!(cache.get(&"huge".to_owned()).is_none() && cache.get(&"home".to_owned()).is_some());
    }
}

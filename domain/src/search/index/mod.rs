//! The in-process search engine: each server instance holds every published product
//! in memory (words as compressed bitmaps, facets as bitmaps, numbers as columns) and
//! keeps it current by following the event log with its own cursor
//! ([`crate::catalog::cache::follow_changes`]). Until it has loaded, and when it is
//! switched off, searches go to the PostgreSQL engine, which gives the same answers.
//! bench/README.md compares the two.

mod load;
mod query;
mod store;

use std::{
    collections::{HashMap, HashSet},
    sync::{Mutex, RwLock},
    time::Instant,
};

use sqlx::PgPool;
use types::search::SearchParams;
use uuid::Uuid;

pub use self::{load::now_seconds, query::Found, store::Index};
use crate::{Result, search::facets::CategoryNode};

/// Query analyses kept per instance; past this the cache starts again empty.
const LEXEME_CACHE_CAPACITY: usize = 20_000;
/// A full reload reclaims the numbers of products whose words changed once they
/// are this share of the numbers given out.
const RELOAD_AT_RETIRED_SHARE: f64 = 0.25;

/// What the event log says changed since the last look.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub products: HashSet<Uuid>,
    /// Makers whose name is part of their products' words.
    pub creators: HashSet<Uuid>,
    /// Category or maker names changed.
    pub names: bool,
    /// Too much changed to follow product by product: reload.
    pub everything: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.products.is_empty() && self.creators.is_empty() && !self.names && !self.everything
    }

    pub fn merge(&mut self, other: Changes) {
        self.products.extend(other.products);
        self.creators.extend(other.creators);
        self.names |= other.names;
        self.everything |= other.everything;
    }
}

/// This instance's index, shared by request handlers and the follower.
pub struct SearchIndex {
    enabled: bool,
    state: RwLock<Option<Index>>,
    lexemes: Mutex<HashMap<String, Vec<String>>>,
}

impl SearchIndex {
    /// `enabled: false` leaves every search to PostgreSQL.
    pub fn new(enabled: bool) -> SearchIndex {
        SearchIndex { enabled, state: RwLock::new(None), lexemes: Mutex::new(HashMap::new()) }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    pub fn is_ready(&self) -> bool {
        self.state.read().is_ok_and(|state| state.is_some())
    }

    /// Reads every published product, then replaces what the index held.
    pub async fn load(&self, pool: &PgPool) -> Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let started = Instant::now();
        let index = load::everything(pool).await?;
        tracing::info!(
            products = index.len(),
            approx_bytes = index.heap_bytes(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "search index loaded"
        );
        if let Ok(mut state) = self.state.write() {
            *state = Some(index);
        }
        Ok(())
    }

    /// Whether the changes call for reading everything again: a bulk write, or
    /// enough retired numbers that a reload is worth its cost.
    pub fn wants_reload(&self, changes: &Changes) -> bool {
        changes.everything
            || self.state.read().is_ok_and(|state| {
                state.as_ref().is_some_and(|index| {
                    let given = index.len() + u64::from(index.retired());
                    index.retired() > 1000 && f64::from(index.retired()) > given as f64 * RELOAD_AT_RETIRED_SHARE
                })
            })
    }

    /// Re-reads the products the events named. Does nothing before the first load,
    /// which will read them anyway.
    pub async fn apply(&self, pool: &PgPool, changes: &Changes) -> Result<()> {
        if !self.is_ready() || changes.is_empty() {
            return Ok(());
        }
        let mut ids: Vec<Uuid> = changes.products.iter().copied().collect();
        if !changes.creators.is_empty() {
            let creators: Vec<Uuid> = changes.creators.iter().copied().collect();
            ids.extend(load::products_of_creators(pool, &creators).await?);
        }
        let rows = load::products(pool, &ids).await?;
        let unknown = self.state.read().is_ok_and(|state| {
            state.as_ref().is_some_and(|index| {
                rows.iter().any(|r| !index.knows_category(r.category_id) || !index.knows_creator(r.creator_id))
            })
        });
        let names = if changes.names || unknown { Some(load::names(pool).await?) } else { None };
        let now = now_seconds();
        if let Ok(mut state) = self.state.write()
            && let Some(index) = state.as_mut()
        {
            if let Some((categories, creators)) = names {
                index.set_categories(categories);
                index.set_creators(creators);
            }
            for id in &ids {
                if !rows.iter().any(|r| r.id == *id) {
                    index.remove(*id);
                }
            }
            for row in &rows {
                index.upsert(row, now);
            }
        }
        Ok(())
    }

    /// The category tree as the index knows it (kept current by category events), so
    /// a search asks the database for nothing but its page of cards; `None` before
    /// the index loads.
    pub fn category_tree(&self) -> Option<Vec<CategoryNode>> {
        self.state.read().ok()?.as_ref().map(|index| index.categories.clone())
    }

    /// Roughly what the index takes in memory (0 before it loads).
    pub fn approx_bytes(&self) -> u64 {
        self.state.read().ok().and_then(|s| s.as_ref().map(Index::heap_bytes)).unwrap_or(0)
    }

    /// See [`Index::related`]; `None` also when the index is not loaded.
    pub fn related(&self, product: Uuid, limit: usize) -> Option<Vec<Uuid>> {
        self.state.read().ok()?.as_ref()?.related(product, limit)
    }

    /// See [`Index::products_of_creator`]; `None` also when the index is not loaded.
    pub fn products_of_creator(&self, creator: Uuid) -> Option<u64> {
        self.state.read().ok()?.as_ref()?.products_of_creator(creator)
    }

    /// Answers from memory, or `None` when the index is off or not loaded yet.
    pub async fn search(&self, pool: &PgPool, params: &SearchParams, words: &[String]) -> Result<Option<Found>> {
        if !self.is_ready() {
            return Ok(None);
        }
        let lexemes = if words.is_empty() { None } else { Some(self.lexemes(pool, words).await?) };
        let now = now_seconds();
        let expired = self.state.read().is_ok_and(|s| s.as_ref().is_some_and(|index| index.next_expiry <= now));
        if expired
            && let Ok(mut state) = self.state.write()
            && let Some(index) = state.as_mut()
        {
            index.expire_certificates(now);
        }
        let state = self.state.read().map_err(|_| crate::Error::Internal(anyhow::anyhow!("search index poisoned")))?;
        Ok(state.as_ref().map(|index| index.search(params, lexemes.as_deref())))
    }

    /// The query's words as the database's English configuration reduces them
    /// (stems, no stop words), as the stored documents were; cached per instance.
    async fn lexemes(&self, pool: &PgPool, words: &[String]) -> Result<Vec<String>> {
        let text = words.join(" ");
        if let Some(hit) = self.lexemes.lock().ok().and_then(|cache| cache.get(&text).cloned()) {
            return Ok(hit);
        }
        let lexemes =
            sqlx::query_scalar!(r#"select tsvector_to_array(to_tsvector('english', $1)) as "lexemes!""#, text)
                .fetch_one(pool)
                .await?;
        if let Ok(mut cache) = self.lexemes.lock() {
            if cache.len() >= LEXEME_CACHE_CAPACITY {
                cache.clear();
            }
            cache.insert(text, lexemes.clone());
        }
        Ok(lexemes)
    }
}

#[cfg(test)]
mod tests {
    use types::{search::SearchParams, specs::Spec};
    use uuid::Uuid;

    use super::{
        CategoryNode,
        store::{CreatorEntry, Index, ProductRow},
    };

    fn catalog() -> (Index, ProductRow) {
        let category = CategoryNode {
            id: Uuid::new_v4(),
            parent_id: None,
            slug: "drones".into(),
            name_en: "Drones".into(),
            name_zh: "无人机".into(),
        };
        let creator = CreatorEntry { id: Uuid::new_v4(), slug: "northwind".into(), display_name: "Northwind".into() };
        let row = ProductRow {
            id: Uuid::new_v4(),
            category_id: category.id,
            creator_id: creator.id,
            price_minor: 89_900,
            specs: Spec::filters().map(|(info, _)| (info.spec == Spec::FlightTimeMin).then_some(34)).collect(),
            certified_level: Some("standard".into()),
            certified_until: Some(1_000),
            ip_rating: Some("IP54".into()),
            in_stock: true,
            rating_hundredths: Some(450),
            rating_count: 2,
            published_at: 1,
            terms: vec!["heron".into(), "camera".into(), "drone".into()],
            names: vec!["heron".into(), "camera".into()],
            labels: vec!["drone".into()],
        };
        let mut index = Index::new(vec![category], vec![creator]);
        index.upsert(&row, 0);
        (index, row)
    }

    fn params(pairs: &[(&str, &str)]) -> SearchParams {
        SearchParams::parse(pairs.iter().copied()).0
    }

    #[test]
    fn a_product_of_a_maker_and_category_the_index_has_not_heard_of_is_still_indexed() {
        // The index read the names, then a maker and its first product appeared before
        // the products were read (found by a test that seeds while the server loads).
        let (_, row) = catalog();
        let mut index = Index::new(Vec::new(), Vec::new());
        index.upsert(&row, 0);
        assert_eq!(index.search(&SearchParams::default(), Some(&["heron".to_owned()])).total, 1);
        index.set_creators(vec![CreatorEntry {
            id: row.creator_id,
            slug: "northwind".into(),
            display_name: "Northwind".into(),
        }]);
        assert_eq!(index.search(&params(&[("creator", "northwind")]), None).total, 1);
    }

    #[test]
    fn facet_counts_are_kept_across_pages_and_orders_and_follow_every_change() {
        let (mut index, row) = catalog();
        let in_stock = |index: &Index, pairs: &[(&str, &str)]| index.search(&params(pairs), None).counts.in_stock;
        assert_eq!(in_stock(&index, &[]), 1);
        assert_eq!(index.kept_counts.lock().expect("lock").len(), 1);
        assert_eq!(in_stock(&index, &[("page", "2"), ("sort", "price_asc")]), 1);
        assert_eq!(index.kept_counts.lock().expect("lock").len(), 1, "the second page and order counted nothing anew");

        index.upsert(&ProductRow { in_stock: false, ..row.clone() }, 0);
        assert_eq!(in_stock(&index, &[("page", "2")]), 0, "a product sold out is counted so at once");
        index.remove(row.id);
        assert_eq!(index.search(&params(&[]), None).counts.price.iter().sum::<u64>(), 0, "and a removed one goes");
    }

    #[test]
    fn a_certificate_stops_counting_when_it_expires() {
        let (mut index, _) = catalog();
        let standard = |index: &Index| index.search(&params(&[("cert", "standard")]), None).total;
        index.expire_certificates(999);
        assert_eq!(standard(&index), 1);
        index.expire_certificates(1_000);
        assert_eq!(standard(&index), 0, "valid until 1,000 means not valid at 1,000");
    }

    #[test]
    fn changed_words_and_facts_are_found_and_the_old_ones_are_not() {
        let (mut index, mut row) = catalog();
        let words = |index: &Index, w: &str| index.search(&SearchParams::default(), Some(&[w.to_owned()])).total;
        assert_eq!(words(&index, "heron"), 1);
        row.terms = vec!["zephyr".into(), "drone".into()];
        row.names = vec!["zephyr".into()];
        row.in_stock = false;
        index.upsert(&row, 0);
        assert_eq!((words(&index, "heron"), words(&index, "zephyr")), (0, 1));
        assert_eq!(index.search(&params(&[("in_stock", "1")]), None).total, 0);
        assert_eq!(index.retired(), 1, "the old number is retired, not reused");
        index.remove(row.id);
        assert_eq!(index.search(&SearchParams::default(), None).total, 0);
        assert_eq!(words(&index, "drone"), 0);
    }

    #[test]
    fn related_products_are_the_nearest_in_price_of_the_same_category_loaded_or_changed_since() {
        let (_, row) = catalog();
        let other_category = Uuid::new_v4();
        // Prices with ties, in two categories; a few added after the load.
        let rows: Vec<ProductRow> = (0..60u32)
            .map(|n| ProductRow {
                id: Uuid::from_u128(u128::from(n * 7919 % 61)),
                category_id: if n % 5 == 0 { other_category } else { row.category_id },
                price_minor: i64::from(n * 37 % 11) * 1_000,
                ..row.clone()
            })
            .collect();
        let mut index = Index::new(Vec::new(), Vec::new());
        for r in &rows[..50] {
            index.load(r, 0);
        }
        index.finish_load();
        for r in &rows[50..] {
            index.upsert(r, 0);
        }
        // A price change moves a product within the order; a removal takes it out.
        let mut moved = rows[7].clone();
        moved.price_minor = 4_500;
        index.upsert(&moved, 0);
        index.remove(rows[8].id);
        let current: Vec<&ProductRow> =
            rows.iter().filter(|r| r.id != rows[8].id).map(|r| if r.id == moved.id { &moved } else { r }).collect();
        for product in &current {
            let mut expected: Vec<(i64, Uuid)> = current
                .iter()
                .filter(|o| o.category_id == product.category_id && o.id != product.id)
                .map(|o| ((o.price_minor - product.price_minor).abs(), o.id))
                .collect();
            expected.sort_unstable();
            let expected: Vec<Uuid> = expected.into_iter().take(4).map(|(_, id)| id).collect();
            assert_eq!(index.related(product.id, 4), Some(expected), "related to {}", product.id);
        }
        assert_eq!(index.related(rows[8].id, 4), None, "a removed product has none");
    }

    #[test]
    fn a_price_range_finds_exactly_the_products_priced_in_it_loaded_changed_or_removed_since() {
        let (_, row) = catalog();
        // Enough products for every slice to hold several, with many equal prices.
        let rows: Vec<ProductRow> = (0..2_000u32)
            .map(|n| ProductRow {
                id: Uuid::from_u128(u128::from(n) + 1),
                price_minor: i64::from(n * 7_919 % 487) * 100,
                ..row.clone()
            })
            .collect();
        let mut index = Index::new(Vec::new(), Vec::new());
        for r in &rows[..1_800] {
            index.load(r, 0);
        }
        index.finish_load();
        let mut current = rows.clone();
        for r in &rows[1_800..] {
            index.upsert(r, 0);
        }
        // Price changes across slices, a removal, and a product at the very top.
        for (at, price) in [(3, 48_600), (4, 0), (5, 100), (1_900, 10_000)] {
            current[at].price_minor = price;
            index.upsert(&current[at], 0);
        }
        index.remove(current[6].id);
        current.remove(6);
        for (min, max) in
            [(None, Some(0)), (None, Some(99)), (Some(100), Some(100)), (Some(37), Some(250)), (Some(486), None)]
        {
            let mut pairs = Vec::new();
            let (min_text, max_text) = (min.map(|m: i64| m.to_string()), max.map(|m: i64| m.to_string()));
            pairs.extend(min_text.as_deref().map(|m| ("price_min", m)));
            pairs.extend(max_text.as_deref().map(|m| ("price_max", m)));
            let found = index.search(&params(&pairs), None).total;
            let expected = current
                .iter()
                .filter(|r| min.is_none_or(|m| r.price_minor >= m * 100))
                .filter(|r| max.is_none_or(|m| r.price_minor < (m + 1) * 100))
                .count() as u64;
            assert_eq!(found, expected, "from {min:?} to {max:?}");
        }
    }

    #[test]
    fn pages_are_ranked_alike_whether_walked_newest_first_or_ranked_one_by_one() {
        let (_, row) = catalog();
        // Many products sharing a word, a few with a rarer one; dates with ties.
        let rows: Vec<ProductRow> = (0..300u32)
            .map(|n| {
                let mut terms = vec!["heron".to_owned()];
                if n % 50 == 0 {
                    terms.push("rare".into());
                }
                ProductRow {
                    id: Uuid::from_u128(u128::from(n * 7919 % 307)),
                    published_at: i64::from(n * 31 % 97),
                    in_stock: n % 3 != 0,
                    names: if n % 4 == 0 { vec!["heron".into()] } else { Vec::new() },
                    labels: if n % 7 == 0 { vec!["heron".into()] } else { Vec::new() },
                    terms,
                    ..row.clone()
                }
            })
            .collect();
        let mut index = Index::new(Vec::new(), Vec::new());
        for r in &rows {
            index.load(r, 0);
        }
        index.finish_load();
        let ranked = |keep: &dyn Fn(&ProductRow) -> bool, score: &dyn Fn(&ProductRow) -> i64| -> Vec<Uuid> {
            let mut found: Vec<&ProductRow> = rows.iter().filter(|r| keep(r)).collect();
            found.sort_by_key(|r| (-score(r), -r.published_at, r.id));
            found.into_iter().map(|r| r.id).collect()
        };
        let newest = |_: &ProductRow| 0;
        let page = |pairs: &[(&str, &str)], words: Option<&[String]>| index.search(&params(pairs), words).ids;
        let heron = ["heron".to_owned()];
        let rare = ["rare".to_owned()];
        // Most products match: walked in newest order, on the first and a later page.
        let stocked = ranked(&|r| r.in_stock, &newest);
        assert_eq!(page(&[("in_stock", "1")], None), stocked[..24]);
        assert_eq!(page(&[("in_stock", "1"), ("page", "2")], None), stocked[24..48]);
        // Few match: ranked one by one.
        assert_eq!(page(&[], Some(&rare)), ranked(&|r| r.terms.len() > 1, &newest));
        // Words in a name count three, in labels one; the rest follow, newest first.
        let relevance = |r: &ProductRow| 3 * r.names.len() as i64 + r.labels.len() as i64;
        let by_relevance = ranked(&|_| true, &relevance);
        for n in 1..=4 {
            let n_text = n.to_string();
            let expected = &by_relevance[(n - 1) * 24..(n * 24).min(by_relevance.len())];
            assert_eq!(page(&[("page", &n_text)], Some(&heron)), expected, "page {n}");
        }
    }
}

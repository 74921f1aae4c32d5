//! Puts the two engines side by side on the catalog in the database: how long each
//! takes to find a page with its facet counts, and how good the first results are.
//! `openaero search-compare` prints it; bench/README.md records it.

use std::time::Instant;

use sqlx::PgPool;
use types::search::{SearchParams, Sort};
use uuid::Uuid;

use super::{find, index::SearchIndex, text};
use crate::Result;

/// Queries in both languages, as shoppers type them.
const PHRASES: &[&str] = &[
    "mapping drone",
    "racing quad",
    "thermal camera",
    "fpv goggles",
    "long range",
    "crop sprayer",
    "camera drone 4k",
    "inspection",
    "航拍无人机",
    "测绘",
    "植保",
    "竞速",
    "热成像",
    "巡检无人机",
];

/// How many results of each engine the quality figures look at.
const TOP: usize = 10;

#[derive(Debug, Default)]
pub struct EngineFigures {
    /// Milliseconds per search, sorted.
    pub latencies_ms: Vec<f64>,
    /// Of the first results of text searches, the share whose name holds a query word.
    pub name_hits: f64,
}

impl EngineFigures {
    pub fn percentile(&self, p: f64) -> f64 {
        if self.latencies_ms.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * (self.latencies_ms.len() - 1) as f64).round() as usize;
        self.latencies_ms[rank]
    }
}

#[derive(Debug, Default)]
pub struct Comparison {
    pub searches: usize,
    pub memory: EngineFigures,
    pub postgres: EngineFigures,
    /// Text searches where both engines found the same number of products.
    pub same_totals: usize,
    pub text_searches: usize,
    /// Average share of the first results both engines returned.
    pub overlap: f64,
}

/// The searches compared: each phrase and `words` frequent vocabulary words, alone
/// and with filters, plus filtered listings without words.
#[tracing::instrument(skip_all)]
pub async fn workload(pool: &PgPool, words: i64) -> Result<Vec<SearchParams>> {
    let vocabulary = sqlx::query_scalar!(
        "select term from search_terms where length(term) > 3 order by weight desc, term limit $1",
        words
    )
    .fetch_all(pool)
    .await?;
    let categories =
        sqlx::query_scalar!("select slug from categories order by level, position, slug").fetch_all(pool).await?;
    let mut out = Vec::new();
    let filters: [&[(&str, &str)]; 3] =
        [&[], &[("in_stock", "1"), ("cert", "standard"), ("cert", "premium")], &[("price_max", "999")]];
    for q in PHRASES.iter().copied().chain(vocabulary.iter().map(String::as_str)) {
        for filter in filters {
            out.push(SearchParams::parse([("q", q)].into_iter().chain(filter.iter().copied())).0);
        }
    }
    for slug in &categories {
        for filter in filters {
            let pairs = [("category", slug.as_str()), ("sort", "price_asc")];
            out.push(SearchParams::parse(pairs.into_iter().chain(filter.iter().copied())).0);
        }
    }
    Ok(out)
}

#[tracing::instrument(skip_all)]
pub async fn compare(pool: &PgPool, index: &SearchIndex, workload: &[SearchParams]) -> Result<Comparison> {
    let postgres = SearchIndex::new(false);
    let mut c = Comparison { searches: workload.len(), ..Comparison::default() };
    let (mut memory_hits, mut postgres_hits, mut shown) = (0usize, 0usize, 0usize);
    for params in workload {
        let words = text::query_words(&params.q);
        let started = Instant::now();
        let from_memory = find(pool, index, params, &words).await?;
        c.memory.latencies_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        let from_postgres = find(pool, &postgres, params, &words).await?;
        c.postgres.latencies_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if words.is_empty() || params.sort != Sort::Relevance {
            continue;
        }
        c.text_searches += 1;
        c.same_totals += usize::from(from_memory.total == from_postgres.total);
        let top = |ids: &[Uuid]| ids.iter().take(TOP).copied().collect::<Vec<_>>();
        let (a, b) = (top(&from_memory.ids), top(&from_postgres.ids));
        if !a.is_empty() {
            c.overlap += a.iter().filter(|id| b.contains(id)).count() as f64 / a.len().max(b.len()) as f64;
        }
        memory_hits += name_hits(pool, &a, &words).await?;
        postgres_hits += name_hits(pool, &b, &words).await?;
        shown += a.len().max(b.len());
    }
    for figures in [&mut c.memory, &mut c.postgres] {
        figures.latencies_ms.sort_by(f64::total_cmp);
    }
    c.overlap /= c.text_searches.max(1) as f64;
    c.memory.name_hits = memory_hits as f64 / shown.max(1) as f64;
    c.postgres.name_hits = postgres_hits as f64 / shown.max(1) as f64;
    Ok(c)
}

/// How many of `ids` have a query word in their (English or Chinese) name.
async fn name_hits(pool: &PgPool, ids: &[Uuid], words: &[String]) -> Result<usize> {
    let names = sqlx::query!("select name_en, name_zh from products where id = any($1)", ids).fetch_all(pool).await?;
    let hit = |name: &str| text::mark(name, words).iter().any(|m| m.hit);
    Ok(names.iter().filter(|n| hit(&n.name_en) || hit(&n.name_zh)).count())
}

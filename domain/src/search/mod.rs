//! Storefront search: full text in English and Chinese, facets, spelling, autocomplete
//! and the search log. The engine knows no product card: the results page that puts
//! cards to the matches is the catalog's (`catalog::search_page`).

pub mod compare;
pub mod document;
pub mod facets;
pub mod index;
pub mod log;
pub mod pg;
pub mod text;

use std::sync::LazyLock;

use sqlx::PgPool;
use types::{
    Locale,
    search::{SearchParams, Suggestion, SuggestionKind},
};

use self::{
    facets::FacetCounts,
    index::{Found, SearchIndex},
};

use crate::Result;

/// Matches, the page and facet counts from the index, or from PostgreSQL when the
/// index is not there.
#[tracing::instrument(skip_all)]
pub async fn find(pool: &PgPool, index: &SearchIndex, params: &SearchParams, words: &[String]) -> Result<Found> {
    if !params.q.is_empty() && words.is_empty() {
        // Only punctuation: nothing can match, and "everything" would be a surprise.
        return Ok(Found { ids: Vec::new(), total: 0, counts: FacetCounts::nothing() });
    }
    if let Some(found) = index.search(pool, params, words).await? {
        return Ok(found);
    }
    let (hits, counts) = futures::try_join!(pg::find(pool, params, words), pg::facet_counts(pool, params, words))?;
    Ok(Found { ids: hits.ids, total: hits.total, counts })
}

/// The query with each unknown Latin word replaced by the closest known one
/// (trigram similarity over names, labels and specs), or `None` if nothing changed.
#[tracing::instrument(skip_all)]
pub async fn spelling(pool: &PgPool, words: &[String]) -> Result<Option<String>> {
    let mut changed = false;
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        let latin = word.len() >= 3 && word.chars().all(|c| c.is_ascii_alphanumeric());
        if !latin {
            out.push(word.clone());
            continue;
        }
        let best = sqlx::query_scalar!(
            r#"select term as "term!" from search_terms
               where term % $1
               order by term = $1 desc, similarity(term, $1) desc, weight desc
               limit 1"#,
            word
        )
        .fetch_optional(pool)
        .await?;
        match best {
            Some(term) if &term != word => {
                changed = true;
                out.push(term);
            }
            _ => out.push(word.clone()),
        }
    }
    Ok(changed.then(|| out.join(" ")))
}

/// Autocomplete's products: names in `[$1, $2)`, in the order of the prefix indexes
/// (`text_pattern_ops`, whose operators these are). Public for the test that checks
/// every plan uses the index.
pub const PRODUCTS_BY_EN_PREFIX: &str = "select slug, name_en, name_zh from products
    where status = 'published' and lower(name_en) ~>=~ $1 and lower(name_en) ~<~ $2
    order by lower(name_en) using ~<~ limit 6";
pub const PRODUCTS_BY_ZH_PREFIX: &str = "select slug, name_en, name_zh from products
    where status = 'published' and name_zh ~>=~ $1 and name_zh ~<~ $2
    order by name_zh using ~<~ limit 6";

/// Every string that begins with `prefix`, as a half-open range in byte order: no
/// UTF-8 text continues `prefix` with a byte above U+10FFFF's first.
fn prefix_range(prefix: &str) -> (String, String) {
    (prefix.to_owned(), format!("{prefix}{}", char::MAX))
}

/// The whole suggestion query, in one round trip: products by the beginning of their
/// names (`products`, one of the two above), then categories and verified makers whose
/// names contain `$3`. Branches keep their own order; `kind` keeps them apart.
fn suggestions_sql(products: &str) -> String {
    format!(
        "select 0 as kind, slug, name_en, name_zh from ({products}) p
         union all
         (select 1, slug, name_en, name_zh from categories
          where name_en ilike $3 or name_zh like $3 order by level, position limit 3)
         union all
         (select 2, slug, display_name, display_name from creators
          where status = 'verified' and display_name ilike $3 order by display_name limit 3)"
    )
}

static SUGGEST_BY_EN: LazyLock<String> = LazyLock::new(|| suggestions_sql(PRODUCTS_BY_EN_PREFIX));
static SUGGEST_BY_ZH: LazyLock<String> = LazyLock::new(|| suggestions_sql(PRODUCTS_BY_ZH_PREFIX));

/// Suggestions while typing: products by the beginning of their names, categories
/// and creators by name.
#[tracing::instrument(skip_all)]
pub async fn autocomplete(pool: &PgPool, query: &str, locale: Locale) -> Result<Vec<Suggestion>> {
    if query.chars().count() > types::search::MAX_QUERY_CHARS || text::query_words(query).is_empty() {
        return Ok(Vec::new());
    }
    let pattern = format!("%{}%", query.trim().replace(['\\', '%', '_'], ""));
    // The beginning of a name, read in index order from the prefix index of the
    // query's script. The prefix is a range, not `like $1`: a prepared statement's
    // generic plan cannot use the index for a pattern it does not know, and scanned
    // every product (seconds at a million).
    let (from, to) = prefix_range(&query.trim().to_lowercase());
    let sql = if text::has_cjk(query) { &*SUGGEST_BY_ZH } else { &*SUGGEST_BY_EN };
    let mut rows: Vec<(i32, String, String, String)> =
        sqlx::query_as(sql).bind(from).bind(to).bind(pattern).fetch_all(pool).await?;
    rows.sort_by_key(|row| row.0);
    let suggestions = rows.into_iter().filter_map(|(kind, slug, en, zh)| {
        let label = if locale == Locale::Zh { zh } else { en };
        let (kind, href) = match kind {
            0 => (SuggestionKind::Product, format!("/p/{slug}")),
            1 => (SuggestionKind::Category, format!("/c/{slug}")),
            2 => (SuggestionKind::Creator, format!("/creators/{slug}")),
            _ => return None,
        };
        Some(Suggestion { kind, href, label })
    });
    Ok(suggestions.collect())
}

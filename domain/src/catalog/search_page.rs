//! The storefront's search results page: the engine's matches (`crate::search`) made
//! into product cards with facets, a category path and a spelling suggestion.

use sqlx::PgPool;
use types::{
    FieldError, Locale, UserId,
    search::{PAGE_SIZE, SearchPage, SearchParams},
};
use uuid::Uuid;

use crate::{
    Result, Services,
    search::{self, index::SearchIndex},
};

/// Runs a storefront search (cached per instance until the catalog changes).
/// `errors` are the URL's problems, shown on the page. Serving it is recorded apart
/// ([`log_entry`]), so a page kept whole can be recorded without being computed again.
#[tracing::instrument(skip_all)]
pub async fn search(
    services: &Services,
    params: SearchParams,
    errors: Vec<FieldError>,
    locale: Locale,
) -> Result<SearchPage> {
    let pool = &services.pool;
    let key = (params.clone(), locale);
    let mut page = services.catalog.searches.get_or_load(key, compute(pool, &services.search, params, locale)).await?;
    page.errors = errors;
    Ok(page)
}

/// What serving `page` records in the search log: a search with words, not a listing.
pub fn log_entry(page: &SearchPage, locale: Locale, user: Option<UserId>) -> Option<search::log::Entry> {
    let page_id = page.search_id.as_deref()?.parse().ok()?;
    Some(search::log::Entry::search(page_id, &page.params, page.total, locale, user))
}

/// The page of products, facet counts, and a spelling suggestion when little matched.
/// Answered by this instance's index when it is loaded, else by PostgreSQL.
#[tracing::instrument(skip_all)]
pub async fn compute(pool: &PgPool, index: &SearchIndex, params: SearchParams, locale: Locale) -> Result<SearchPage> {
    let mut words = search::text::query_words(&params.q);
    let mut found = search::find(pool, index, &params, &words).await?;
    let mut did_you_mean = None;
    let mut corrected = false;
    if !words.is_empty()
        && found.total < 3
        && let Some(suggestion) = search::spelling(pool, &words).await?
    {
        if found.total == 0 {
            let alternative = search::text::query_words(&suggestion);
            let retried = search::find(pool, index, &params, &alternative).await?;
            if retried.total > 0 {
                found = retried;
                words = alternative;
                corrected = true;
            }
        }
        did_you_mean = Some(suggestion);
    }
    let tree = async {
        match index.category_tree() {
            Some(tree) => Ok(tree),
            None => search::pg::category_tree(pool).await,
        }
    };
    let (tree, products) = futures::try_join!(tree, super::cards(pool, &found.ids, locale, &words))?;
    let facets = found.counts.into_facets(&params, &tree, locale);
    let (category, parent_category) = match &params.category {
        Some(slug) => super::category_path(pool, slug, locale).await?.map_or((None, None), |(c, p)| (Some(c), p)),
        None => (None, None),
    };
    let search_id = (!params.q.is_empty()).then(|| Uuid::new_v4().to_string());
    Ok(SearchPage {
        page_count: found.total.div_ceil(u64::from(PAGE_SIZE)).min(u64::from(types::search::MAX_PAGE)) as u32,
        total: found.total,
        params,
        errors: Vec::new(),
        products,
        facets,
        category,
        parent_category,
        did_you_mean,
        corrected,
        search_id,
    })
}

//! Reading what the index holds from the database: everything at start, single
//! products as events announce changes.

use std::sync::LazyLock;

use futures::TryStreamExt;
use sqlx::PgPool;
use types::specs::Spec;
use uuid::Uuid;

use super::store::{CreatorEntry, Index, ProductRow};
use crate::{
    Result,
    search::{facets::CategoryNode, pg},
};

/// The lexemes come from the stored search document, so both engines match the
/// same words (PostgreSQL's English stemming and stop words, Chinese pre-segmented).
/// `specs` holds the filterable specifications in `Spec::filters` order.
fn product_columns() -> &'static str {
    static COLUMNS: LazyLock<String> = LazyLock::new(|| {
        let specs: Vec<String> = Spec::filters().map(|(info, _)| format!("(p.specs->>'{}')::int4", info.key)).collect();
        format!(
            "select p.id, p.category_id, p.creator_id, p.price_minor, array[{}]::int4[] as specs,
                p.certified_level, extract(epoch from p.certified_until)::int8 as certified_until,
                p.ip_rating, p.stock_on_hand > p.stock_reserved as in_stock,
                p.rating_hundredths::int4 as rating_hundredths, p.rating_count,
                (extract(epoch from p.published_at) * 1000000)::int8 as published_at,
                tsvector_to_array(p.search_document) as terms,
                tsvector_to_array(ts_filter(p.search_document, '{{a}}')) as names,
                tsvector_to_array(ts_filter(p.search_document, '{{b}}')) as labels
            from products p where p.status = 'published'",
            specs.join(", ")
        )
    });
    &COLUMNS
}

pub fn now_seconds() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

async fn creators(pool: &PgPool) -> Result<Vec<CreatorEntry>> {
    Ok(sqlx::query_as!(CreatorEntry, "select id, slug, display_name from creators order by id").fetch_all(pool).await?)
}

/// Every published product, read in one pass.
#[tracing::instrument(skip_all)]
pub async fn everything(pool: &PgPool) -> Result<Index> {
    let mut index = Index::new(pg::category_tree(pool).await?, creators(pool).await?);
    let now = now_seconds();
    let mut rows = sqlx::query_as::<_, ProductRow>(product_columns()).fetch(pool);
    while let Some(row) = rows.try_next().await? {
        index.load(&row, now);
    }
    index.finish_load();
    Ok(index)
}

/// The current state of some products; those missing are no longer published.
#[tracing::instrument(skip_all)]
pub async fn products(pool: &PgPool, ids: &[Uuid]) -> Result<Vec<ProductRow>> {
    Ok(sqlx::query_as(&format!("{} and p.id = any($1)", product_columns())).bind(ids).fetch_all(pool).await?)
}

/// The products of some makers (whose names are part of their products' words).
#[tracing::instrument(skip_all)]
pub async fn products_of_creators(pool: &PgPool, creators: &[Uuid]) -> Result<Vec<Uuid>> {
    Ok(sqlx::query_scalar!("select id from products where creator_id = any($1)", creators).fetch_all(pool).await?)
}

/// The category tree and the makers, read without holding the index's lock.
#[tracing::instrument(skip_all)]
pub async fn names(pool: &PgPool) -> Result<(Vec<CategoryNode>, Vec<CreatorEntry>)> {
    Ok((pg::category_tree(pool).await?, creators(pool).await?))
}

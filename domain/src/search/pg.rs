//! The PostgreSQL search engine: full text over `products.search_document` (GIN),
//! filters as plain predicates, and facet counts as grouped counts.

use sqlx::{PgPool, Postgres, QueryBuilder, Row};
use types::TextEnum;
use types::{
    search::{PAGE_SIZE, PRICE_BANDS, RATING_STEPS, SearchParams, Sort},
    specs::Spec,
};
use uuid::Uuid;

use super::facets::{CategoryNode, Facet, FacetCounts, TOP_CREATORS};
use crate::Result;

/// The level of a certificate that is valid now (kept on the row by a trigger).
const VALID_LEVEL: &str = "case when p.certified_until > now() then p.certified_level end";

/// A specification's value on the product row (keys come from `types::specs`, never
/// from a request).
fn spec_column(spec: Spec) -> String {
    format!("(p.specs->>'{}')::int", spec.key())
}

pub struct Hits {
    pub ids: Vec<Uuid>,
    pub total: u64,
}

/// A query's words as one space-separated string for `plainto_tsquery`, which treats
/// it as plain words (no operators), so no input can change the query's shape.
fn text_query(words: &[String]) -> Option<String> {
    (!words.is_empty()).then(|| words.join(" "))
}

/// `select {select} from products p join creators c … where …` with every filter
/// except `except`.
fn filtered<'a>(
    select: &str,
    params: &'a SearchParams,
    text: Option<&'a str>,
    except: Option<Facet>,
) -> QueryBuilder<'a, Postgres> {
    let mut qb = QueryBuilder::new(format!(
        "select {select} from products p join creators c on c.id = p.creator_id where p.status = 'published'"
    ));
    if let Some(text) = text {
        qb.push(" and p.search_document @@ plainto_tsquery('english', ").push_bind(text).push(")");
    }
    let skip = |facet: Facet| except == Some(facet);
    if let (Some(slug), false) = (&params.category, skip(Facet::Category)) {
        qb.push(" and p.category_id in (select id from categories where slug = ")
            .push_bind(slug)
            .push(" or parent_id = (select id from categories where slug = ")
            .push_bind(slug)
            .push("))");
    }
    if !params.certification.is_empty() && !skip(Facet::Certification) {
        let levels: Vec<&str> = params.certification.iter().map(|l| l.as_str()).collect();
        qb.push(" and p.certified_until > now() and p.certified_level = any(").push_bind(levels).push(")");
    }
    if !params.weather.is_empty() && !skip(Facet::Weather) {
        qb.push(" and p.ip_rating = any(").push_bind(&params.weather).push(")");
    }
    if !params.creators.is_empty() && !skip(Facet::Creator) {
        qb.push(" and c.slug = any(").push_bind(&params.creators).push(")");
    }
    if params.in_stock && !skip(Facet::InStock) {
        qb.push(" and p.stock_on_hand > p.stock_reserved");
    }
    if !skip(Facet::Price) {
        if let Some(min) = params.price_min {
            qb.push(" and p.price_minor >= ").push_bind(i64::from(min) * 100);
        }
        // A whole-unit maximum includes its cents: "up to 499" admits 499.99.
        if let Some(max) = params.price_max {
            qb.push(" and p.price_minor < ").push_bind((i64::from(max) + 1) * 100);
        }
    }
    let specs = Spec::filters().map(|(info, filter)| {
        let min = params.spec_min.get(&info.spec).map(|m| i64::from(*m) * i64::from(filter.scale));
        (Facet::Spec(info.spec), spec_column(info.spec), min)
    });
    let rating = (Facet::Rating, "p.rating_hundredths".to_owned(), params.rating_min.map(|s| i64::from(s) * 100));
    for (facet, column, min) in specs.chain([rating]) {
        if let (Some(min), false) = (min, skip(facet)) {
            qb.push(format!(" and {column} >= ")).push_bind(min);
        }
    }
    qb
}

/// One page of matching product ids in the requested order, and how many match.
#[tracing::instrument(skip_all)]
pub async fn find(pool: &PgPool, params: &SearchParams, words: &[String]) -> Result<Hits> {
    let text = text_query(words);
    let text = text.as_deref();
    let mut count = filtered("count(*)", params, text, None);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;

    let mut page = filtered("p.id", params, text, None);
    page.push(" order by ");
    match (params.sort, text) {
        (Sort::Relevance, Some(text)) => {
            page.push("ts_rank(p.search_document, plainto_tsquery('english', ").push_bind(text).push(")) desc, ");
        }
        (Sort::Relevance | Sort::Newest, _) => {}
        (Sort::PriceAsc, _) => {
            page.push("p.price_minor asc, ");
        }
        (Sort::PriceDesc, _) => {
            page.push("p.price_minor desc, ");
        }
        (Sort::FlightTime, _) => {
            page.push(format!("{} desc nulls last, ", spec_column(Spec::FlightTimeMin)));
        }
        (Sort::Rating, _) => {
            page.push("p.rating_hundredths desc nulls last, p.rating_count desc, ");
        }
    }
    page.push("p.published_at desc, p.id limit ")
        .push_bind(i64::from(PAGE_SIZE))
        .push(" offset ")
        .push_bind(i64::from(params.page.saturating_sub(1)) * i64::from(PAGE_SIZE));
    let ids: Vec<Uuid> = page.build_query_scalar().fetch_all(pool).await?;
    Ok(Hits { ids, total: total as u64 })
}

/// Counts for every facet. Each count applies every filter but its own facet's.
#[tracing::instrument(skip_all)]
pub async fn facet_counts(pool: &PgPool, params: &SearchParams, words: &[String]) -> Result<FacetCounts> {
    let text = text_query(words);
    let text = text.as_deref();
    let (categories, certification, weather, creators, in_stock, ranges) = futures::try_join!(
        category_counts(pool, params, text),
        grouped(pool, params, text, Facet::Certification, VALID_LEVEL),
        grouped(pool, params, text, Facet::Weather, "p.ip_rating"),
        creator_counts(pool, params, text),
        async {
            let mut qb = filtered(
                "count(*) filter (where p.stock_on_hand > p.stock_reserved)",
                params,
                text,
                Some(Facet::InStock),
            );
            Ok::<i64, crate::Error>(qb.build_query_scalar().fetch_one(pool).await?)
        },
        range_counts(pool, params, text),
    )?;
    let certification = types::catalog::CertificationLevel::ALL
        .iter()
        .map(|level| certification.iter().find(|(v, _)| v == level.as_str()).map_or(0, |(_, n)| *n))
        .collect();
    let (price, specs, rating) = ranges;
    Ok(FacetCounts { categories, certification, weather, creators, in_stock: in_stock as u64, price, specs, rating })
}

/// Every category in display order.
#[tracing::instrument(skip_all)]
pub async fn category_tree(pool: &PgPool) -> Result<Vec<CategoryNode>> {
    Ok(sqlx::query_as!(
        CategoryNode,
        "select id, parent_id, slug, name_en, name_zh from categories order by level, position, slug"
    )
    .fetch_all(pool)
    .await?)
}

/// `(value, count)` for a column, nulls left out, by value.
async fn grouped(
    pool: &PgPool,
    params: &SearchParams,
    text: Option<&str>,
    facet: Facet,
    column: &str,
) -> Result<Vec<(String, u64)>> {
    let mut qb = filtered(&format!("{column} as v, count(*) as n"), params, text, Some(facet));
    qb.push(" group by 1 having ").push(column).push(" is not null order by 1");
    let rows = qb.build().fetch_all(pool).await?;
    Ok(rows.iter().map(|r| (r.get::<String, _>("v"), r.get::<i64, _>("n") as u64)).collect())
}

/// Products directly in each category.
async fn category_counts(pool: &PgPool, params: &SearchParams, text: Option<&str>) -> Result<Vec<(Uuid, u64)>> {
    let mut qb = filtered("p.category_id, count(*) as n", params, text, Some(Facet::Category));
    qb.push(" group by 1");
    let rows = qb.build().fetch_all(pool).await?;
    Ok(rows.iter().map(|r| (r.get("category_id"), r.get::<i64, _>("n") as u64)).collect())
}

/// The makers with most matches.
async fn creator_counts(
    pool: &PgPool,
    params: &SearchParams,
    text: Option<&str>,
) -> Result<Vec<(String, String, u64)>> {
    let mut qb = filtered("c.slug, c.display_name, count(*) as n", params, text, Some(Facet::Creator));
    qb.push(" group by c.slug, c.display_name order by n desc, c.display_name limit ").push_bind(TOP_CREATORS as i64);
    let rows = qb.build().fetch_all(pool).await?;
    Ok(rows.iter().map(|r| (r.get("slug"), r.get("display_name"), r.get::<i64, _>("n") as u64)).collect())
}

/// Price bands, each filterable specification's thresholds, rating thresholds.
type RangeCounts = (Vec<u64>, Vec<Vec<u64>>, Vec<u64>);

async fn range_counts(pool: &PgPool, params: &SearchParams, text: Option<&str>) -> Result<RangeCounts> {
    let price = {
        let select = PRICE_BANDS
            .iter()
            .enumerate()
            .map(|(i, (from, to))| {
                let upper = to.map(|t| format!(" and p.price_minor < {}", i64::from(t) * 100)).unwrap_or_default();
                format!("count(*) filter (where p.price_minor >= {}{upper}) as b{i}", i64::from(*from) * 100)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let row = filtered(&select, params, text, Some(Facet::Price)).build().fetch_one(pool).await?;
        (0..PRICE_BANDS.len()).map(|i| row.get::<i64, _>(format!("b{i}").as_str()) as u64).collect()
    };
    let steps = |column: &str, steps: &[u32], scale: i64| {
        steps
            .iter()
            .enumerate()
            .map(|(i, s)| format!("count(*) filter (where {column} >= {}) as s{i}", i64::from(*s) * scale))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut thresholds = Vec::new();
    let specs = Spec::filters()
        .map(|(info, filter)| (Facet::Spec(info.spec), spec_column(info.spec), filter.steps, i64::from(filter.scale)));
    let rating = (Facet::Rating, "p.rating_hundredths".to_owned(), RATING_STEPS, 100);
    for (facet, column, list, scale) in specs.chain([rating]) {
        let row = filtered(&steps(&column, list, scale), params, text, Some(facet)).build().fetch_one(pool).await?;
        thresholds.push((0..list.len()).map(|i| row.get::<i64, _>(format!("s{i}").as_str()) as u64).collect());
    }
    let rating = thresholds.pop().unwrap_or_default();
    Ok((price, thresholds, rating))
}

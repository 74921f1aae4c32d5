//! The PostgreSQL search engine: full text over `products.search_document` (GIN),
//! filters as plain predicates, and facet counts as grouped counts.

use sqlx::{PgPool, Postgres, QueryBuilder, Row};
use types::{
    Locale,
    search::{
        FLIGHT_TIME_STEPS_MIN, FacetValue, Facets, PAGE_SIZE, PAYLOAD_STEPS_G, PRICE_BANDS, RANGE_STEPS_KM,
        SearchParams, Sort,
    },
};
use uuid::Uuid;

use crate::Result;

/// The level of a certificate that is valid now (kept on the row by a trigger).
const VALID_LEVEL: &str = "case when p.certified_until > now() then p.certified_level end";

/// Which filter a facet belongs to: its counts ignore that filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Category,
    Certification,
    Weather,
    Creator,
    InStock,
    Price,
    FlightTime,
    Range,
    Payload,
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
    let minimums = [
        (Facet::FlightTime, "p.flight_time_min", params.flight_min.map(i64::from)),
        (Facet::Range, "p.range_m", params.range_km_min.map(|km| i64::from(km) * 1000)),
        (Facet::Payload, "p.payload_g", params.payload_g_min.map(i64::from)),
    ];
    for (facet, column, min) in minimums {
        if let (Some(min), false) = (min, skip(facet)) {
            qb.push(format!(" and {column} >= ")).push_bind(min as i32);
        }
    }
    qb
}

/// One page of matching product ids in the requested order, and how many match.
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
            page.push("p.flight_time_min desc nulls last, ");
        }
    }
    page.push("p.published_at desc, p.id limit ")
        .push_bind(i64::from(PAGE_SIZE))
        .push(" offset ")
        .push_bind(i64::from(params.page.saturating_sub(1)) * i64::from(PAGE_SIZE));
    let ids: Vec<Uuid> = page.build_query_scalar().fetch_all(pool).await?;
    Ok(Hits { ids, total: total as u64 })
}

fn value(value: impl Into<String>, label: impl Into<String>, count: i64, selected: bool) -> FacetValue {
    FacetValue { value: value.into(), label: label.into(), count: count as u64, selected }
}

/// Counts for every facet. Each count applies every filter but its own facet's.
pub async fn facets(pool: &PgPool, params: &SearchParams, words: &[String], locale: Locale) -> Result<Facets> {
    let text = text_query(words);
    let text = text.as_deref();
    let (categories, certification, weather, creators, in_stock, ranges) = futures::try_join!(
        category_counts(pool, params, text, locale),
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
        .map(|level| {
            let count = certification.iter().find(|(v, _)| v == level.as_str()).map_or(0, |(_, n)| *n);
            value(level.as_str(), level.as_str(), count, params.certification.contains(level))
        })
        .collect();
    let weather = weather
        .into_iter()
        .map(|(code, n)| {
            let selected = params.weather.contains(&code);
            value(code.clone(), code, n, selected)
        })
        .collect();
    let (price, flight_time, range, payload) = ranges;
    Ok(Facets {
        categories,
        certification,
        weather,
        creators,
        in_stock: in_stock as u64,
        price,
        flight_time,
        range,
        payload,
    })
}

/// `(value, count)` for a column, nulls left out, by value.
async fn grouped(
    pool: &PgPool,
    params: &SearchParams,
    text: Option<&str>,
    facet: Facet,
    column: &str,
) -> Result<Vec<(String, i64)>> {
    let mut qb = filtered(&format!("{column} as v, count(*) as n"), params, text, Some(facet));
    qb.push(" group by 1 having ").push(column).push(" is not null order by 1");
    let rows = qb.build().fetch_all(pool).await?;
    Ok(rows.iter().map(|r| (r.get::<String, _>("v"), r.get::<i64, _>("n"))).collect())
}

/// Top-level categories, and the subcategories of the chosen one (or of the parent
/// of a chosen subcategory), with counts.
async fn category_counts(
    pool: &PgPool,
    params: &SearchParams,
    text: Option<&str>,
    locale: Locale,
) -> Result<Vec<FacetValue>> {
    let mut qb = filtered("p.category_id, count(*) as n", params, text, Some(Facet::Category));
    qb.push(" group by 1");
    let rows = qb.build().fetch_all(pool).await?;
    let counts: Vec<(Uuid, i64)> = rows.iter().map(|r| (r.get("category_id"), r.get("n"))).collect();
    let tree = sqlx::query!("select id, parent_id, slug, name_en, name_zh from categories order by level, position")
        .fetch_all(pool)
        .await?;
    let count_of = |id: Uuid| -> i64 {
        let own = counts.iter().filter(|(c, _)| *c == id).map(|(_, n)| n).sum::<i64>();
        let children: i64 = tree
            .iter()
            .filter(|c| c.parent_id == Some(id))
            .map(|c| counts.iter().filter(|(k, _)| *k == c.id).map(|(_, n)| n).sum::<i64>())
            .sum();
        own + children
    };
    let selected = params.category.as_deref();
    let open_top = tree.iter().find(|c| Some(c.slug.as_str()) == selected).map(|c| c.parent_id.unwrap_or(c.id));
    let mut out = Vec::new();
    for top in tree.iter().filter(|c| c.parent_id.is_none()) {
        let name = if locale == Locale::Zh { &top.name_zh } else { &top.name_en };
        out.push(value(top.slug.clone(), name.clone(), count_of(top.id), selected == Some(top.slug.as_str())));
        if open_top == Some(top.id) {
            for sub in tree.iter().filter(|c| c.parent_id == Some(top.id)) {
                let name = if locale == Locale::Zh { &sub.name_zh } else { &sub.name_en };
                out.push(value(
                    sub.slug.clone(),
                    format!("· {name}"),
                    count_of(sub.id),
                    selected == Some(sub.slug.as_str()),
                ));
            }
        }
    }
    Ok(out)
}

/// The twelve creators with most matches, plus any chosen ones outside that list.
async fn creator_counts(pool: &PgPool, params: &SearchParams, text: Option<&str>) -> Result<Vec<FacetValue>> {
    let mut qb = filtered("c.slug, c.display_name, count(*) as n", params, text, Some(Facet::Creator));
    qb.push(" group by c.slug, c.display_name order by n desc, c.display_name limit 12");
    let rows = qb.build().fetch_all(pool).await?;
    let mut out: Vec<FacetValue> = rows
        .iter()
        .map(|r| {
            let slug: String = r.get("slug");
            let selected = params.creators.contains(&slug);
            value(slug, r.get::<String, _>("display_name"), r.get::<i64, _>("n"), selected)
        })
        .collect();
    for slug in &params.creators {
        if !out.iter().any(|v| &v.value == slug) {
            out.push(value(slug.clone(), slug.clone(), 0, true));
        }
    }
    Ok(out)
}

type RangeFacets = (Vec<FacetValue>, Vec<FacetValue>, Vec<FacetValue>, Vec<FacetValue>);

async fn range_counts(pool: &PgPool, params: &SearchParams, text: Option<&str>) -> Result<RangeFacets> {
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
        PRICE_BANDS
            .iter()
            .enumerate()
            .map(|(i, (from, to))| {
                let max = to.map(|t| t - 1);
                let selected = params.price_min.unwrap_or(0) == *from && params.price_max == max;
                let label = match to {
                    Some(t) => format!("{from}-{t}"),
                    None => format!("{from}+"),
                };
                value(label.clone(), label, row.get::<i64, _>(format!("b{i}").as_str()), selected)
            })
            .collect()
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
    for (facet, column, list, scale, chosen) in [
        (Facet::FlightTime, "p.flight_time_min", FLIGHT_TIME_STEPS_MIN, 1, params.flight_min),
        (Facet::Range, "p.range_m", RANGE_STEPS_KM, 1000, params.range_km_min),
        (Facet::Payload, "p.payload_g", PAYLOAD_STEPS_G, 1, params.payload_g_min),
    ] {
        let row = filtered(&steps(column, list, scale), params, text, Some(facet)).build().fetch_one(pool).await?;
        thresholds.push(
            list.iter()
                .enumerate()
                .map(|(i, s)| {
                    value(s.to_string(), s.to_string(), row.get::<i64, _>(format!("s{i}").as_str()), chosen == Some(*s))
                })
                .collect::<Vec<_>>(),
        );
    }
    let payload = thresholds.pop().unwrap_or_default();
    let range = thresholds.pop().unwrap_or_default();
    let flight_time = thresholds.pop().unwrap_or_default();
    Ok((price, flight_time, range, payload))
}

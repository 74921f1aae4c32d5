//! The catalog: categories, products and their certifications as the storefront reads
//! them. Only published products are visible here.

pub mod artwork;
pub mod cache;
pub mod cached;
pub mod certification;
pub mod editor;
pub mod expiry_notices;
pub mod inventory;
pub mod listing;
pub mod search_page;
pub mod seed;
pub mod spec_sheet;

use std::collections::HashMap;
use types::TextEnum;

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use types::{
    Locale,
    catalog::{
        CategoryLink, CategoryTree, CertificationLevel, CertificationView, CreatorCard, CreatorKind, CreatorPage,
        HomeCatalog, MediaItem, MediaKind, Money, ProductCard, ProductDetail, Specifications, TestResult,
    },
    ratings::RatingSummary,
    specs::Measures,
};
use uuid::Uuid;

use crate::{
    Result,
    analytics::ProductRef,
    ratings,
    search::{index::SearchIndex, text::mark},
};

fn pick<'a>(locale: Locale, en: &'a str, zh: &'a str) -> &'a str {
    match locale {
        Locale::Zh if !zh.is_empty() => zh,
        _ => en,
    }
}

/// The measures a card shows, from a product row's `specs`.
fn card_specs(specs: serde_json::Value) -> Measures {
    let all: Measures = serde_json::from_value(specs).unwrap_or_default();
    let mut shown = Measures::default();
    for (spec, value) in all.iter().filter(|(s, _)| s.on_card) {
        shown.set(spec.spec, Some(value));
    }
    shown
}

/// Product cards for `ids`, in the order given; `words` are marked in names and summaries.
#[tracing::instrument(skip_all)]
pub async fn cards(pool: &PgPool, ids: &[Uuid], locale: Locale, words: &[String]) -> Result<Vec<ProductCard>> {
    let rows = sqlx::query!(
        r#"select p.id, p.slug, p.name_en, p.name_zh, p.summary_en, p.summary_zh, p.price_minor, p.currency,
                  p.stock_on_hand > p.stock_reserved as "in_stock!", p.specs,
                  c.display_name, c.status = 'verified' as "creator_verified!",
                  cat.name_en as category_en, cat.name_zh as category_zh,
                  case when p.certified_until > now() then p.certified_level end as certification,
                  p.rating_count, p.rating_hundredths,
                  (select m.url from product_media m where m.product_id = p.id and m.kind = 'image'
                   order by m.position limit 1) as image_url
           from products p
           join creators c on c.id = p.creator_id
           join categories cat on cat.id = p.category_id
           where p.id = any($1) and p.status = 'published'"#,
        ids
    )
    .fetch_all(pool)
    .await?;
    let mut by_id: HashMap<Uuid, ProductCard> = rows
        .into_iter()
        .map(|r| {
            let name = pick(locale, &r.name_en, &r.name_zh).to_owned();
            let card = ProductCard {
                slug: r.slug,
                name: mark(&name, words),
                summary: mark(pick(locale, &r.summary_en, &r.summary_zh), words),
                price: Money::new(r.price_minor, r.currency),
                image_url: r.image_url.unwrap_or_else(|| artwork::url(artwork::Shape::Quad, 210, 0)),
                image_alt: name,
                creator_name: r.display_name,
                creator_verified: r.creator_verified,
                category: pick(locale, &r.category_en, &r.category_zh).to_owned(),
                certification: r.certification.as_deref().and_then(CertificationLevel::parse),
                in_stock: r.in_stock,
                specs: card_specs(r.specs),
                rating: RatingSummary::from_stored(r.rating_count, r.rating_hundredths),
            };
            (r.id, card)
        })
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Top-level categories with their subcategories and how many products each holds.
#[tracing::instrument(skip_all)]
pub async fn categories(pool: &PgPool, locale: Locale) -> Result<Vec<CategoryTree>> {
    let rows = sqlx::query!(
        r#"select c.id, c.parent_id, c.slug, c.name_en, c.name_zh, c.description_en, c.description_zh,
                  (select count(*) from products p
                   where p.status = 'published'
                     and (p.category_id = c.id or p.category_id in (select id from categories s where s.parent_id = c.id))
                  ) as "product_count!"
           from categories c
           order by c.level, c.position, c.slug"#
    )
    .fetch_all(pool)
    .await?;
    let mut tops: Vec<(Uuid, CategoryTree)> = Vec::new();
    for r in rows {
        let name = pick(locale, &r.name_en, &r.name_zh).to_owned();
        match r.parent_id {
            None => tops.push((
                r.id,
                CategoryTree {
                    slug: r.slug,
                    name,
                    description: pick(locale, &r.description_en, &r.description_zh).to_owned(),
                    product_count: r.product_count as u64,
                    children: Vec::new(),
                },
            )),
            Some(parent) => {
                if let Some((_, top)) = tops.iter_mut().find(|(id, _)| *id == parent) {
                    top.children.push(CategoryLink { slug: r.slug, name });
                }
            }
        }
    }
    Ok(tops.into_iter().map(|(_, t)| t).collect())
}

/// A category and its parent, by slug.
#[tracing::instrument(skip_all)]
pub async fn category_path(
    pool: &PgPool,
    slug: &str,
    locale: Locale,
) -> Result<Option<(CategoryLink, Option<CategoryLink>)>> {
    let row = sqlx::query!(
        r#"select c.slug, c.name_en, c.name_zh,
                  p.slug as "parent_slug?", p.name_en as "parent_en?", p.name_zh as "parent_zh?"
           from categories c left join categories p on p.id = c.parent_id
           where c.slug = $1"#,
        slug
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        let parent = match (r.parent_slug, r.parent_en, r.parent_zh) {
            (Some(slug), Some(en), Some(zh)) => Some(CategoryLink { slug, name: pick(locale, &en, &zh).to_owned() }),
            _ => None,
        };
        (CategoryLink { slug: r.slug, name: pick(locale, &r.name_en, &r.name_zh).to_owned() }, parent)
    }))
}

/// The home page: category tiles, a featured selection (certified, in stock, by
/// rotating day), the newest, and premium/standard certified products.
#[tracing::instrument(skip_all)]
pub async fn home(pool: &PgPool, locale: Locale) -> Result<HomeCatalog> {
    let categories = categories(pool, locale).await?;
    let featured = sqlx::query_scalar!(
        r#"select p.id from products p
           where p.status = 'published' and p.stock_on_hand > p.stock_reserved
             and p.certified_until > now()
           order by md5(p.id::text || current_date::text)
           limit 8"#
    )
    .fetch_all(pool)
    .await?;
    let newest = sqlx::query_scalar!(
        "select id from products where status = 'published' order by published_at desc, id limit 8"
    )
    .fetch_all(pool)
    .await?;
    let certified = sqlx::query_scalar!(
        r#"select p.id from certifications c
           join products p on p.id = c.product_id
           where c.revoked_at is null and c.expires_at > now() and c.granted_at <= now()
             and c.level in ('standard', 'premium') and p.status = 'published'
             and p.certified_level = c.level and p.certified_until = c.expires_at
           order by c.granted_at desc
           limit 8"#
    )
    .fetch_all(pool)
    .await?;
    Ok(HomeCatalog {
        categories,
        featured: cards(pool, &featured, locale, &[]).await?,
        newest: cards(pool, &newest, locale, &[]).await?,
        certified: cards(pool, &certified, locale, &[]).await?,
    })
}

async fn creator_card(
    pool: &PgPool,
    index: &SearchIndex,
    creator_id: Uuid,
    locale: Locale,
) -> Result<Option<CreatorCard>> {
    let row = sqlx::query!(
        r#"select c.slug, c.display_name, c.kind, c.status, c.location, c.bio_en, c.bio_zh,
                  c.created_at as "created_at: DateTime<Utc>", c.rating_count, c.rating_hundredths
           from creators c where c.id = $1"#,
        creator_id
    )
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let products = match index.products_of_creator(creator_id) {
        Some(n) => n,
        None => {
            sqlx::query_scalar!(
                r#"select count(*) as "n!" from products where creator_id = $1 and status = 'published'"#,
                creator_id
            )
            .fetch_one(pool)
            .await? as u64
        }
    };
    Ok(Some(CreatorCard {
        slug: r.slug,
        display_name: r.display_name,
        kind: CreatorKind::parse(&r.kind).unwrap_or(CreatorKind::Company),
        verified: r.status == "verified",
        location: r.location,
        bio: pick(locale, &r.bio_en, &r.bio_zh).to_owned(),
        product_count: products,
        member_since: r.created_at,
        rating: RatingSummary::from_stored(r.rating_count, r.rating_hundredths),
    }))
}

/// A product's picture or document as the product query returns it.
#[derive(Debug, serde::Deserialize)]
struct MediaRow {
    kind: String,
    url: String,
    alt_en: String,
    alt_zh: String,
    width: Option<i32>,
    height: Option<i32>,
}

/// The slug of a published product, by its id (the public API names products by id).
pub async fn published_slug(pool: &PgPool, id: types::ids::ProductId) -> Result<String> {
    sqlx::query_scalar!("select slug from products where id = $1 and status = 'published'", id.0)
        .fetch_optional(pool)
        .await?
        .ok_or(crate::Error::NotFound)
}

/// The ids of published products by their slugs (cards name products by slug).
pub async fn ids_of(pool: &PgPool, slugs: &[String]) -> Result<std::collections::HashMap<String, Uuid>> {
    let rows = sqlx::query!("select slug, id from products where slug = any($1) and status = 'published'", slugs)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| (r.slug, r.id)).collect())
}

/// A published product with everything its page shows, or `None`. A page never seen
/// before is the long tail's cost, so the product, its category path and its media
/// come in one statement, and the maker, certificate, related cards and reviews are
/// read side by side; a product without a current certificate or a rating skips those
/// reads (the product row says so).
#[tracing::instrument(skip_all)]
/// A published product's page, with the ids its views are counted under.
pub async fn product(
    pool: &PgPool,
    index: &SearchIndex,
    slug: &str,
    locale: Locale,
) -> Result<Option<(ProductRef, ProductDetail)>> {
    let Some(p) = sqlx::query!(
        r#"select p.id, p.creator_id, p.category_id, p.slug, p.name_en, p.name_zh, p.summary_en, p.summary_zh,
                  p.description_en, p.description_zh, p.price_minor, p.currency,
                  p.stock_on_hand - p.stock_reserved as "available!",
                  p.specs, p.ip_rating, p.compatibility, p.features, p.tags,
                  p.published_at as "published_at: DateTime<Utc>",
                  p.certified_level is not null as "certified!", p.rating_count > 0 as "rated!",
                  c.slug as category_slug, c.name_en as category_en, c.name_zh as category_zh,
                  parent.slug as "parent_slug?", parent.name_en as "parent_en?", parent.name_zh as "parent_zh?",
                  (select coalesce(json_agg(json_build_object('kind', m.kind, 'url', m.url, 'alt_en', m.alt_en,
                                                              'alt_zh', m.alt_zh, 'width', m.width, 'height', m.height)
                                            order by m.position), '[]')
                   from product_media m where m.product_id = p.id) as "media!: sqlx::types::Json<Vec<MediaRow>>"
           from products p
           join categories c on c.id = p.category_id
           left join categories parent on parent.id = c.parent_id
           where p.slug = $1 and p.status = 'published'"#,
        slug
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let related_ids = match index.related(p.id, RELATED) {
        Some(ids) => ids,
        None => related(pool, p.id, p.category_id, p.price_minor).await?,
    };
    // The certificate shown may have expired, but one that was never granted (or was
    // revoked) leaves no level on the product row.
    let certification = async { if p.certified { certification_of(pool, p.id).await } else { Ok(None) } };
    let reviews = async {
        if p.rated {
            ratings::read::reviews(pool, ratings::read::Subject::Product(p.id)).await
        } else {
            Ok(Default::default())
        }
    };
    let (creator, certification, related, reviews) = futures::try_join!(
        creator_card(pool, index, p.creator_id, locale),
        certification,
        cards(pool, &related_ids, locale, &[]),
        reviews,
    )?;
    let Some(creator) = creator else { return Ok(None) };
    let parent_category = match (p.parent_slug, p.parent_en, p.parent_zh) {
        (Some(slug), Some(en), Some(zh)) => Some(CategoryLink { slug, name: pick(locale, &en, &zh).to_owned() }),
        _ => None,
    };
    let media = p
        .media
        .0
        .into_iter()
        .filter_map(|m| {
            Some(MediaItem {
                kind: MediaKind::parse(&m.kind)?,
                alt: pick(locale, &m.alt_en, &m.alt_zh).to_owned(),
                url: m.url,
                width: m.width,
                height: m.height,
            })
        })
        .collect();
    let ids = ProductRef { product: p.id, creator: p.creator_id, category: Some(p.category_id) };
    Ok(Some((
        ids,
        ProductDetail {
            slug: p.slug,
            name: pick(locale, &p.name_en, &p.name_zh).to_owned(),
            summary: pick(locale, &p.summary_en, &p.summary_zh).to_owned(),
            description: pick(locale, &p.description_en, &p.description_zh).to_owned(),
            price: Money::new(p.price_minor, p.currency),
            available: p.available,
            category: CategoryLink {
                slug: p.category_slug,
                name: pick(locale, &p.category_en, &p.category_zh).to_owned(),
            },
            parent_category,
            specs: Specifications {
                measures: serde_json::from_value(p.specs).unwrap_or_default(),
                ip_rating: p.ip_rating,
                compatibility: p.compatibility,
                features: p.features,
            },
            tags: p.tags,
            media,
            certification,
            creator,
            related,
            published_at: p.published_at,
            reviews,
        },
    )))
}

/// The newest certificate that has not been revoked, valid or expired, with its tests.
pub(crate) async fn certification_of(pool: &PgPool, product_id: Uuid) -> Result<Option<CertificationView>> {
    let Some(c) = sqlx::query!(
        r#"select id, level, body, granted_at as "granted_at: DateTime<Utc>", expires_at as "expires_at: DateTime<Utc>",
                  (granted_at <= now() and expires_at > now()) as "valid!"
           from certifications
           where product_id = $1 and revoked_at is null
           order by granted_at desc
           limit 1"#,
        product_id
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let Some(level) = CertificationLevel::parse(&c.level) else {
        return Ok(None);
    };
    let tests = sqlx::query!(
        r#"select test_name, metric, value::text as "value!", unit, passed, tested_at as "tested_at: DateTime<Utc>"
           from certification_tests where certification_id = $1 order by position"#,
        c.id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|t| TestResult {
        test_name: t.test_name,
        metric: t.metric,
        value: t.value,
        unit: t.unit,
        passed: t.passed,
        tested_at: t.tested_at,
    })
    .collect();
    Ok(Some(CertificationView {
        level,
        body: c.body,
        granted_at: c.granted_at,
        expires_at: c.expires_at,
        valid: c.valid,
        tests,
    }))
}

/// How many related products a product page shows.
const RELATED: usize = 4;

/// Products of the same category nearest in price (what the index answers from memory).
async fn related(pool: &PgPool, product_id: Uuid, category_id: Uuid, price_minor: i64) -> Result<Vec<Uuid>> {
    Ok(sqlx::query_scalar!(
        "select id from products
         where category_id = $1 and id <> $2 and status = 'published'
         order by abs(price_minor - $3), id
         limit $4",
        category_id,
        product_id,
        price_minor,
        RELATED as i64
    )
    .fetch_all(pool)
    .await?)
}

/// A creator's public page: profile and published products, newest first.
#[tracing::instrument(skip_all)]
pub async fn creator_page(
    pool: &PgPool,
    index: &SearchIndex,
    slug: &str,
    locale: Locale,
) -> Result<Option<CreatorPage>> {
    let Some(id) = sqlx::query_scalar!("select id from creators where slug = $1 and status = 'verified'", slug)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(None);
    };
    let Some(creator) = creator_card(pool, index, id, locale).await? else {
        return Ok(None);
    };
    let ids = sqlx::query_scalar!(
        "select id from products where creator_id = $1 and status = 'published' order by published_at desc limit 48",
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(Some(CreatorPage {
        creator,
        products: cards(pool, &ids, locale, &[]).await?,
        portfolio: crate::creators::portfolio::showcase(pool, id, locale).await?,
        reviews: ratings::read::reviews(pool, ratings::read::Subject::Maker(id)).await?,
    }))
}

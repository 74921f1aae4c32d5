//! The public catalog (`catalog:read`): a product with its media, specification,
//! certificate and test results, and the category tree. Read through the same cache
//! as the storefront's pages, in the language `Accept-Language` asks for.

use axum::{
    extract::State,
    http::{HeaderMap, Uri, header},
    response::Response,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use types::{Locale, TextEnum, api::Scope, catalog::ProductDetail, ids::ProductId, search::SearchParams};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    ApiState,
    auth::Caller,
    error::{ApiError, ApiResult, ErrorResponse},
    etag,
    extract::ApiPath,
};

pub fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(search_products))
        .routes(routes!(product))
        .routes(routes!(categories))
        .routes(routes!(maker))
}

/// An amount of money in the currency's minor unit (cents for USD).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Price {
    /// In minor units: 129900 is $1,299.00.
    #[schema(example = 129900)]
    pub amount: i64,
    /// ISO 4217.
    #[schema(example = "USD")]
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryRef {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MakerRef {
    pub slug: String,
    pub name: String,
    /// Verified by OpenAero's review.
    pub verified: bool,
}

/// One stated measurement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Measurement {
    /// e.g. `flight_time_min`, `weight_g`.
    pub key: String,
    pub value: i32,
    /// e.g. `min`, `g`, `mm`.
    pub unit: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Media {
    /// `image`, `video` or `document`.
    pub kind: String,
    pub url: String,
    pub alt: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TestResult {
    pub test: String,
    pub metric: String,
    /// Decimal text as measured, e.g. `27.5`.
    pub value: String,
    pub unit: String,
    pub passed: bool,
    pub tested_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Certificate {
    /// `basic`, `standard` or `premium`.
    pub level: String,
    /// Who tested it.
    pub body: String,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Decided now: an expired certificate is not valid.
    pub valid: bool,
    pub tests: Vec<TestResult>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rating {
    pub count: u32,
    /// Out of 5, to two decimals.
    pub average: f64,
}

/// A published product as shoppers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Product {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub description: String,
    /// The product's page in the storefront, relative to the site.
    pub url: String,
    pub price: Price,
    /// Units that can be bought now.
    pub available: i32,
    pub category: CategoryRef,
    pub parent_category: Option<CategoryRef>,
    pub maker: MakerRef,
    pub specifications: Vec<Measurement>,
    pub ip_rating: Option<String>,
    pub compatibility: Vec<String>,
    pub features: Vec<String>,
    pub tags: Vec<String>,
    pub media: Vec<Media>,
    pub certificate: Option<Certificate>,
    pub rating: Option<Rating>,
    pub published_at: Option<DateTime<Utc>>,
}

fn unit_name(unit: types::specs::Unit) -> &'static str {
    use types::specs::Unit::*;
    match unit {
        Millimetres => "mm",
        Grams => "g",
        Minutes => "min",
        Metres => "m",
        WindSpeed => "m/s",
    }
}

impl From<types::ratings::RatingSummary> for Rating {
    fn from(s: types::ratings::RatingSummary) -> Self {
        Rating { count: s.count, average: f64::from(s.average_hundredths) / 100.0 }
    }
}

impl Product {
    fn from_detail(id: Uuid, p: ProductDetail) -> Self {
        let link = |c: types::catalog::CategoryLink| CategoryRef { slug: c.slug, name: c.name };
        Product {
            id,
            url: format!("/p/{}", p.slug),
            slug: p.slug,
            name: p.name,
            summary: p.summary,
            description: p.description,
            price: Price { amount: p.price.minor, currency: p.price.currency },
            available: p.available,
            category: link(p.category),
            parent_category: p.parent_category.map(link),
            maker: MakerRef { slug: p.creator.slug, name: p.creator.display_name, verified: p.creator.verified },
            specifications: measurements(&p.specs.measures),
            ip_rating: p.specs.ip_rating,
            compatibility: p.specs.compatibility,
            features: p.specs.features,
            tags: p.tags,
            media: p
                .media
                .into_iter()
                .map(|m| Media {
                    kind: m.kind.as_str().to_owned(),
                    url: m.url,
                    alt: m.alt,
                    width: m.width,
                    height: m.height,
                })
                .collect(),
            certificate: p.certification.map(|c| Certificate {
                level: c.level.as_str().to_owned(),
                body: c.body,
                granted_at: c.granted_at,
                expires_at: c.expires_at,
                valid: c.valid,
                tests: c
                    .tests
                    .into_iter()
                    .map(|t| TestResult {
                        test: t.test_name,
                        metric: t.metric,
                        value: t.value,
                        unit: t.unit,
                        passed: t.passed,
                        tested_at: t.tested_at,
                    })
                    .collect(),
            }),
            rating: p.reviews.summary.map(Rating::from),
            published_at: p.published_at,
        }
    }
}

/// The reader's language from `Accept-Language`: Chinese when it comes first, else English.
pub fn locale(headers: &HeaderMap) -> Locale {
    let first = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .unwrap_or("");
    if first.trim().to_ascii_lowercase().starts_with("zh") { Locale::Zh } else { Locale::En }
}

/// A published product.
#[utoipa::path(
    get,
    path = "/products/{id}",
    tag = "catalog",
    params(("id" = Uuid, Path, description = "The product's id")),
    responses(
        (status = 200, description = "The product", body = Product, headers(("ETag" = String))),
        (status = 304, description = "Not changed since the ETag sent in If-None-Match"),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, description = "No published product has this id", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["catalog:read"]))
)]
pub async fn product(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    caller.require(Scope::CatalogRead)?;
    let services = &state.services;
    let slug = domain::catalog::published_slug(&services.pool, ProductId(id)).await?;
    let (_, detail) = domain::catalog::cached::product(services, &slug, locale(&headers)).await?;
    let body = Product::from_detail(id, detail);
    Ok(etag::respond(&headers, etag::of_body(&body), &body))
}

/// A top-level category with its subcategories.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Category {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Published products in it and its subcategories.
    pub product_count: u64,
    pub children: Vec<CategoryRef>,
}

/// The category tree: top-level categories with their subcategories.
#[utoipa::path(
    get,
    path = "/categories",
    tag = "catalog",
    responses(
        (status = 200, description = "Every top-level category", body = Vec<Category>, headers(("ETag" = String))),
        (status = 304, description = "Not changed since the ETag sent in If-None-Match"),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["catalog:read"]))
)]
pub async fn categories(State(state): State<ApiState>, caller: Caller, headers: HeaderMap) -> ApiResult<Response> {
    caller.require(Scope::CatalogRead)?;
    let tree = domain::catalog::cached::home(&state.services, locale(&headers)).await?.categories;
    let body: Vec<Category> = tree
        .into_iter()
        .map(|c| Category {
            slug: c.slug,
            name: c.name,
            description: c.description,
            product_count: c.product_count,
            children: c.children.into_iter().map(|l| CategoryRef { slug: l.slug, name: l.name }).collect(),
        })
        .collect();
    Ok(etag::respond(&headers, etag::of_body(&body), &body))
}

/// The storefront's search, filters and sort. Parameters read as the storefront's URL
/// reads them; a search pages like the storefront, 24 products a page.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductSearch {
    /// Words to find, in English or Chinese.
    pub q: Option<String>,
    /// A category's slug (a top-level one includes its subcategories).
    pub category: Option<String>,
    /// Whole currency units, inclusive.
    pub price_min: Option<u32>,
    pub price_max: Option<u32>,
    /// An average rating of at least this many stars, 1–5.
    #[param(minimum = 1, maximum = 5)]
    pub rating: Option<u32>,
    /// A certification level: `basic`, `standard` or `premium`.
    pub cert: Option<String>,
    /// An IP rating, e.g. `IP54`.
    pub weather: Option<String>,
    /// A maker's slug.
    pub creator: Option<String>,
    /// Only products that can be bought now.
    pub in_stock: Option<bool>,
    /// `relevance` (the default), `price_asc`, `price_desc`, `newest`, `flight_time` or `rating`.
    pub sort: Option<String>,
    /// 1–200.
    #[param(minimum = 1, maximum = 200)]
    pub page: Option<u32>,
    /// At least this flight time, in minutes. Each filterable specification has its
    /// parameter, as in the storefront's URLs: `flight_min`, `range_min` (km),
    /// `payload_min` (g), `wind_min` (m/s); the facets name them.
    pub flight_min: Option<u32>,
}

/// A product in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductSummary {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub url: String,
    pub price: Price,
    pub in_stock: bool,
    /// The category's name.
    pub category: String,
    pub maker_name: String,
    pub maker_verified: bool,
    /// A certificate valid now: `basic`, `standard` or `premium`.
    pub certification: Option<String>,
    pub rating: Option<Rating>,
    pub image_url: String,
    /// The figures product cards show.
    pub specifications: Vec<Measurement>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    /// Products this value would show, with every other filter applied.
    pub count: u64,
    pub selected: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpecificationFacet {
    /// The parameter that filters by it, e.g. `flight_min`.
    pub parameter: String,
    pub values: Vec<FacetCount>,
}

/// Counts for every filter, each with all the other filters applied but its own.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facets {
    pub categories: Vec<FacetCount>,
    pub certification: Vec<FacetCount>,
    pub weather: Vec<FacetCount>,
    pub makers: Vec<FacetCount>,
    pub price: Vec<FacetCount>,
    pub rating: Vec<FacetCount>,
    pub specifications: Vec<SpecificationFacet>,
    /// Products that can be bought now.
    pub in_stock: u64,
}

/// A page of search results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductPage {
    pub data: Vec<ProductSummary>,
    /// Products found in all.
    pub total: u64,
    pub page: u32,
    /// Whether `page + 1` has more.
    pub has_more: bool,
    pub facets: Facets,
    /// A spelling the catalog knows, when the words look mistyped.
    pub did_you_mean: Option<String>,
}

fn counts(values: Vec<types::search::FacetValue>) -> Vec<FacetCount> {
    values
        .into_iter()
        .map(|v| FacetCount { value: v.value, label: v.label, count: v.count, selected: v.selected })
        .collect()
}

fn measurements(measures: &types::specs::Measures) -> Vec<Measurement> {
    measures
        .iter()
        .map(|(info, value)| Measurement { key: info.key.to_owned(), value, unit: unit_name(info.unit).to_owned() })
        .collect()
}

/// Published products: the storefront's search with its filters, facets and sort.
#[utoipa::path(
    get,
    path = "/products",
    tag = "catalog",
    params(ProductSearch),
    responses(
        (status = 200, description = "A page of products with the facets", body = ProductPage, headers(("ETag" = String))),
        (status = 304, description = "Not changed since the ETag sent in If-None-Match"),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 422, description = "A parameter does not read", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["catalog:read"]))
)]
pub async fn search_products(
    State(state): State<ApiState>,
    caller: Caller,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    caller.require(Scope::CatalogRead)?;
    let (params, errors) = SearchParams::from_query(uri.query().unwrap_or(""), None);
    if !errors.is_empty() {
        return Err(ApiError::fields(errors));
    }
    let services = &state.services;
    let page = domain::catalog::search_page::search(services, params, Vec::new(), locale(&headers)).await?;
    let slugs: Vec<String> = page.products.iter().map(|p| p.slug.clone()).collect();
    let ids = domain::catalog::ids_of(&services.pool, &slugs).await?;
    let data = page
        .products
        .into_iter()
        .filter_map(|p| {
            let id = *ids.get(&p.slug)?;
            let text = |marked: Vec<types::catalog::Marked>| marked.into_iter().map(|m| m.text).collect::<String>();
            Some(ProductSummary {
                id,
                url: format!("/p/{}", p.slug),
                slug: p.slug,
                name: text(p.name),
                summary: text(p.summary),
                price: Price { amount: p.price.minor, currency: p.price.currency },
                in_stock: p.in_stock,
                category: p.category,
                maker_name: p.creator_name,
                maker_verified: p.creator_verified,
                certification: p.certification.map(|c| c.as_str().to_owned()),
                rating: p.rating.map(Rating::from),
                image_url: p.image_url,
                specifications: measurements(&p.specs),
            })
        })
        .collect();
    let f = page.facets;
    let body = ProductPage {
        data,
        total: page.total,
        page: page.params.page,
        has_more: page.params.page < page.page_count,
        facets: Facets {
            categories: counts(f.categories),
            certification: counts(f.certification),
            weather: counts(f.weather),
            makers: counts(f.creators),
            price: counts(f.price),
            rating: counts(f.rating),
            specifications: f
                .specs
                .into_iter()
                .map(|s| SpecificationFacet {
                    parameter: types::specs::Spec::info(s.spec).filter.map_or("", |filter| filter.param).to_owned(),
                    values: counts(s.values),
                })
                .collect(),
            in_stock: f.in_stock,
        },
        did_you_mean: page.did_you_mean,
    };
    Ok(etag::respond(&headers, etag::of_body(&body), &body))
}

/// A maker as shoppers see them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Maker {
    pub slug: String,
    pub name: String,
    /// `individual` or `company`.
    pub kind: String,
    pub verified: bool,
    pub location: String,
    pub bio: String,
    pub product_count: u64,
    pub member_since: DateTime<Utc>,
    pub rating: Option<Rating>,
    /// The maker's page in the storefront.
    pub url: String,
}

/// A maker, by their slug.
#[utoipa::path(
    get,
    path = "/makers/{slug}",
    tag = "catalog",
    params(("slug" = String, Path, description = "The maker's slug")),
    responses(
        (status = 200, description = "The maker", body = Maker, headers(("ETag" = String))),
        (status = 304, description = "Not changed since the ETag sent in If-None-Match"),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, description = "No verified maker has this slug", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["catalog:read"]))
)]
pub async fn maker(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(slug): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    caller.require(Scope::CatalogRead)?;
    let page = domain::catalog::cached::creator_page(&state.services, &slug, locale(&headers)).await?;
    let c = page.creator;
    let body = Maker {
        url: format!("/makers/{}", c.slug),
        slug: c.slug,
        name: c.display_name,
        kind: c.kind.as_str().to_owned(),
        verified: c.verified,
        location: c.location,
        bio: c.bio,
        product_count: c.product_count,
        member_since: c.member_since,
        rating: c.rating.map(Rating::from),
    };
    Ok(etag::respond(&headers, etag::of_body(&body), &body))
}

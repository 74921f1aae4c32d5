//! A storefront search as it lives in the URL: parsed leniently (a bad value is
//! dropped and reported, never a failed page) and written back so every view is a link.

use crate::text_enum::TextEnum;
use serde::{Deserialize, Serialize};

use std::{collections::BTreeMap, sync::LazyLock};

use crate::{
    ErrorCode, FieldError,
    catalog::{CategoryLink, CertificationLevel, ProductCard},
    specs::Spec,
};

pub const PAGE_SIZE: u32 = 24;
/// Deep offsets cost the database without helping anyone: past this, refine the search.
pub const MAX_PAGE: u32 = 200;
pub const MAX_QUERY_CHARS: usize = 200;
const MAX_VALUES_PER_FILTER: usize = 20;

/// Average customer rating, in whole stars.
pub const RATING_STEPS: &[u32] = &[4, 3, 2];
/// Price bands in whole currency units: `[from, to)`, open-ended at the top.
pub const PRICE_BANDS: &[(u32, Option<u32>)] =
    &[(0, Some(100)), (100, Some(500)), (500, Some(1000)), (1000, Some(2500)), (2500, None)];

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Sort {
    /// Best match for a query; without one, the newest first.
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Newest,
    FlightTime,
    /// Best average rating first (more ratings first among equals); unrated last.
    Rating,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct SearchParams {
    pub q: String,
    /// A top-level or second-level category slug.
    pub category: Option<String>,
    /// Whole currency units, inclusive.
    pub price_min: Option<u32>,
    pub price_max: Option<u32>,
    /// At least this much of a specification, in its filter's unit (`specs::Filter`).
    pub spec_min: BTreeMap<Spec, u32>,
    /// Whole stars: an average of at least this.
    pub rating_min: Option<u32>,
    pub certification: Vec<CertificationLevel>,
    pub weather: Vec<String>,
    pub creators: Vec<String>,
    pub in_stock: bool,
    pub sort: Sort,
    pub page: u32,
}

impl SearchParams {
    /// Every URL key a search reads (the page cache keys pages by these alone).
    pub fn keys() -> &'static [&'static str] {
        static KEYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
            let specs = Spec::filters().map(|(_, f)| f.param);
            ["q", "category", "price_min", "price_max"]
                .into_iter()
                .chain(specs)
                .chain(["rating", "cert", "weather", "creator", "in_stock", "sort", "page"])
                .collect()
        });
        &KEYS
    }

    /// The specification a URL key filters by.
    fn spec_filtered_by(key: &str) -> Option<Spec> {
        Spec::filters().find(|(_, f)| f.param == key).map(|(s, _)| s.spec)
    }

    /// Reads URL pairs. Unknown keys are ignored (tracking parameters, old links);
    /// malformed values are dropped with a field error so the page can say why.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (SearchParams, Vec<FieldError>) {
        let mut params = SearchParams { page: 1, ..SearchParams::default() };
        let mut errors = Vec::new();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "q" => {
                    let q = normalize_query(value);
                    if q.chars().count() > MAX_QUERY_CHARS {
                        errors.push(FieldError::new("q", ErrorCode::TooLong));
                        params.q = q.chars().take(MAX_QUERY_CHARS).collect();
                    } else {
                        params.q = q;
                    }
                }
                "category" => match slug(value) {
                    Some(s) => params.category = Some(s),
                    None => errors.push(FieldError::new("category", ErrorCode::InvalidInput)),
                },
                "price_min" => params.price_min = number(key, value, &mut errors),
                "price_max" => params.price_max = number(key, value, &mut errors),
                "rating" => match value.parse::<u32>() {
                    Ok(stars @ 1..=5) => params.rating_min = Some(stars),
                    _ => errors.push(FieldError::new("rating", ErrorCode::InvalidInput)),
                },
                "cert" => match CertificationLevel::parse(value) {
                    Some(level) if !params.certification.contains(&level) => params.certification.push(level),
                    Some(_) => {}
                    None => errors.push(FieldError::new("cert", ErrorCode::InvalidInput)),
                },
                "weather" => {
                    let code = value.to_ascii_uppercase();
                    if is_ip_code(&code) {
                        push_limited(&mut params.weather, code);
                    } else {
                        errors.push(FieldError::new("weather", ErrorCode::InvalidInput));
                    }
                }
                "creator" => match slug(value) {
                    Some(s) => push_limited(&mut params.creators, s),
                    None => errors.push(FieldError::new("creator", ErrorCode::InvalidInput)),
                },
                "in_stock" => params.in_stock = matches!(value, "1" | "true" | "on"),
                "sort" => match Sort::parse(value) {
                    Some(sort) => params.sort = sort,
                    None => errors.push(FieldError::new("sort", ErrorCode::InvalidInput)),
                },
                "page" => match value.parse::<u32>() {
                    Ok(page) if (1..=MAX_PAGE).contains(&page) => params.page = page,
                    _ => errors.push(FieldError::new("page", ErrorCode::PageOutOfRange)),
                },
                _ => {
                    if let Some(spec) = SearchParams::spec_filtered_by(key)
                        && let Some(n) = number(key, value, &mut errors)
                    {
                        params.spec_min.insert(spec, n);
                    }
                }
            }
        }
        if let (Some(min), Some(max)) = (params.price_min, params.price_max)
            && min > max
        {
            errors.push(FieldError::new("price_max", ErrorCode::RangeInverted));
            params.price_max = None;
        }
        (params, errors)
    }

    /// Reads a raw URL query string (`a=1&b=2`, without `?`); `category` is the one
    /// a category page's path names, and overrides any in the query.
    pub fn from_query(query: &str, category: Option<&str>) -> (SearchParams, Vec<FieldError>) {
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode_component(key), decode_component(value))
            })
            .filter(|(key, _)| category.is_none() || key != "category")
            .collect();
        let path_category = category.map(|c| ("category", c));
        SearchParams::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).chain(path_category))
    }

    /// The URL pairs that reproduce this search; defaults are left out so links stay
    /// short and equal searches have equal URLs.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&'static str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if let Some(c) = &self.category {
            pairs.push(("category", c.clone()));
        }
        let prices = [("price_min", self.price_min), ("price_max", self.price_max)];
        let specs = Spec::filters().map(|(s, f)| (f.param, self.spec_min.get(&s.spec).copied()));
        let numbers = prices.into_iter().chain(specs).chain([("rating", self.rating_min)]);
        pairs.extend(numbers.filter_map(|(k, v)| v.map(|v| (k, v.to_string()))));
        pairs.extend(self.certification.iter().map(|c| ("cert", c.as_str().to_owned())));
        pairs.extend(self.weather.iter().map(|w| ("weather", w.clone())));
        pairs.extend(self.creators.iter().map(|c| ("creator", c.clone())));
        if self.in_stock {
            pairs.push(("in_stock", "1".to_owned()));
        }
        if self.sort != Sort::Relevance {
            pairs.push(("sort", self.sort.as_str().to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
    }

    /// The URL query (without `?`) that reproduces this search.
    pub fn to_query(&self) -> String {
        self.to_pairs().iter().map(|(k, v)| format!("{k}={}", encode_component(v))).collect::<Vec<_>>().join("&")
    }

    /// The page this search lives on: the category's own page, or `/search`.
    pub fn path(&self) -> String {
        match &self.category {
            Some(slug) => format!("/c/{slug}"),
            None => "/search".to_owned(),
        }
    }

    /// `/search?…`, or `/c/{slug}?…` when narrowed to a category (which the path
    /// then carries instead of the query).
    pub fn href(&self) -> String {
        let query = SearchParams { category: None, ..self.clone() }.to_query();
        if query.is_empty() { self.path() } else { format!("{}?{query}", self.path()) }
    }

    /// The same search with one change, back on page 1 (a new filter makes old page
    /// numbers meaningless).
    pub fn with(&self, change: impl FnOnce(&mut SearchParams)) -> SearchParams {
        let mut next = self.clone();
        change(&mut next);
        next.page = 1;
        next
    }

    pub fn has_filters(&self) -> bool {
        self.category.is_some()
            || self.price_min.is_some()
            || self.price_max.is_some()
            || !self.spec_min.is_empty()
            || self.rating_min.is_some()
            || !self.certification.is_empty()
            || !self.weather.is_empty()
            || !self.creators.is_empty()
            || self.in_stock
    }
}

/// Collapses runs of whitespace; keeps everything else, since the engine treats the
/// query as words, never as syntax.
fn normalize_query(q: &str) -> String {
    q.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn number(key: &str, value: &str, errors: &mut Vec<FieldError>) -> Option<u32> {
    match value.parse::<u32>() {
        Ok(n) if n <= 10_000_000 => Some(n),
        _ => {
            errors.push(FieldError::new(key, ErrorCode::NotANumber));
            None
        }
    }
}

fn slug(value: &str) -> Option<String> {
    let ok = value.len() <= 120
        && !value.starts_with('-')
        && !value.ends_with('-')
        && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then(|| value.to_owned())
}

fn is_ip_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 4 && &b[..2] == b"IP" && matches!(b[2], b'0'..=b'6' | b'X') && (b[3].is_ascii_digit() || b[3] == b'X')
}

fn push_limited(list: &mut Vec<String>, value: String) {
    if list.len() < MAX_VALUES_PER_FILTER && !list.contains(&value) {
        list.push(value);
    }
}

/// Percent-encodes a query component (`application/x-www-form-urlencoded`).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes a query component; malformed escapes are kept as they are.
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(b)) => {
                out.push(b);
                i += 2;
            }
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One value of a facet with the number of products the search would find with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

/// Counts for every filter. Each facet is counted with all the other filters applied
/// but not its own, so choosing a second value shows what it would add.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facets {
    pub categories: Vec<FacetValue>,
    pub certification: Vec<FacetValue>,
    pub weather: Vec<FacetValue>,
    pub creators: Vec<FacetValue>,
    pub in_stock: u64,
    pub price: Vec<FacetValue>,
    /// One per filterable specification, in page order.
    pub specs: Vec<SpecFacet>,
    /// At least each of [`RATING_STEPS`] stars on average.
    pub rating: Vec<FacetValue>,
}

/// "At least" thresholds of one specification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecFacet {
    pub spec: Spec,
    pub values: Vec<FacetValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    pub params: SearchParams,
    pub errors: Vec<FieldError>,
    pub total: u64,
    pub page_count: u32,
    pub products: Vec<ProductCard>,
    pub facets: Facets,
    /// The category the search is narrowed to, with its parent, for the heading.
    pub category: Option<CategoryLink>,
    pub parent_category: Option<CategoryLink>,
    /// A spelling the catalog knows, when the query looks mistyped.
    pub did_you_mean: Option<String>,
    /// Set when nothing matched the query as typed and these results are for
    /// `did_you_mean` instead.
    pub corrected: bool,
    /// Identifies this page of results (a search with words) in the log, so a click on
    /// a result can be recorded; the same for every visitor it is served to.
    pub search_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    pub label: String,
    pub href: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    Product,
    Category,
    Creator,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &[(&str, &str)]) -> (SearchParams, Vec<FieldError>) {
        SearchParams::parse(query.iter().copied())
    }

    #[test]
    fn every_key_a_search_reads_is_listed_and_every_listed_key_is_read() {
        let before = [("q", "fpv"), ("category", "mapping"), ("price_min", "100"), ("price_max", "2500")];
        let specs = Spec::filters().map(|(_, f)| (f.param, "5"));
        let after = [
            ("rating", "4"),
            ("cert", "premium"),
            ("weather", "ip43"),
            ("creator", "skyworks"),
            ("in_stock", "1"),
            ("sort", "price_desc"),
            ("page", "3"),
        ];
        let samples: Vec<(&str, &str)> = before.into_iter().chain(specs).chain(after).collect();
        let listed: Vec<&str> = samples.iter().map(|(k, _)| *k).collect();
        assert_eq!(listed, SearchParams::keys());
        assert!(listed.contains(&"payload_min"), "filters on specifications are read");
        let (plain, _) = parse(&[]);
        for &sample in &samples {
            assert_ne!(parse(&[sample]).0, plain, "{} is read", sample.0);
        }
        let (all, errors) = parse(&samples);
        assert!(errors.is_empty());
        assert!(all.to_pairs().iter().all(|(k, _)| SearchParams::keys().contains(k)));
        assert_ne!(parse(&[("utm_source", "mail")]).0.q, "mail", "other keys are not read");
    }

    #[test]
    fn a_search_survives_the_round_trip_through_its_url() {
        let (params, errors) = parse(&[
            ("q", "  航拍  无人机 "),
            ("category", "mapping"),
            ("price_min", "100"),
            ("price_max", "2500"),
            ("cert", "premium"),
            ("cert", "basic"),
            ("weather", "ip43"),
            ("creator", "skyworks"),
            ("in_stock", "1"),
            ("rating", "4"),
            ("sort", "price_desc"),
            ("page", "3"),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(params.q, "航拍 无人机");
        assert_eq!(params.weather, vec!["IP43"]);
        let query = params.to_query();
        let pairs: Vec<(String, String)> = query
            .split('&')
            .map(|p| {
                let (k, v) = p.split_once('=').expect("pair");
                (k.to_owned(), decode_component(v))
            })
            .collect();
        let (again, errors) = SearchParams::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert!(errors.is_empty());
        assert_eq!(again, params);
    }

    #[test]
    fn bad_values_are_dropped_and_reported_not_fatal() {
        let (params, errors) = parse(&[
            ("price_min", "-5"),
            ("price_max", "abc"),
            ("cert", "platinum"),
            ("weather", "IP99"),
            ("category", "../etc"),
            ("page", "0"),
            ("sort", "random"),
            ("rating", "6"),
            ("utm_source", "mail"),
        ]);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["price_min", "price_max", "cert", "weather", "category", "page", "sort", "rating"]);
        assert_eq!(params, SearchParams { page: 1, ..SearchParams::default() });
    }

    #[test]
    fn an_inverted_price_range_is_refused() {
        let (params, errors) = parse(&[("price_min", "900"), ("price_max", "100")]);
        assert_eq!(errors, vec![FieldError::new("price_max", ErrorCode::RangeInverted)]);
        assert_eq!((params.price_min, params.price_max), (Some(900), None));
    }

    #[test]
    fn an_overlong_query_is_cut_and_reported() {
        let long = "a".repeat(5000);
        let (params, errors) = parse(&[("q", long.as_str())]);
        assert_eq!(params.q.len(), MAX_QUERY_CHARS);
        assert_eq!(errors[0].code, ErrorCode::TooLong);
    }

    #[test]
    fn components_decode_and_bad_escapes_survive() {
        assert_eq!(decode_component(&encode_component("航拍 & 100%")), "航拍 & 100%");
        assert_eq!(decode_component("50%zz+off%2"), "50%zz off%2");
    }

    #[test]
    fn a_raw_query_string_parses_and_the_path_category_wins() {
        let (params, errors) =
            SearchParams::from_query("q=%E8%88%AA%E6%8B%8D+fpv&category=racing&cert=basic&x=1", Some("mapping"));
        assert!(errors.is_empty());
        assert_eq!(params.q, "航拍 fpv");
        assert_eq!(params.category.as_deref(), Some("mapping"));
        assert_eq!(params.href(), "/c/mapping?q=%E8%88%AA%E6%8B%8D+fpv&cert=basic");
    }

    #[test]
    fn changing_a_filter_returns_to_the_first_page() {
        let (params, _) = parse(&[("q", "fpv"), ("page", "4")]);
        let next = params.with(|p| p.in_stock = true);
        assert_eq!(next.page, 1);
        assert_eq!(next.href(), "/search?q=fpv&in_stock=1");
    }
}

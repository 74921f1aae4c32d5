//! Facet counts as each engine finds them, and the one way they are shown: labels,
//! order and which values are selected are decided here, not per engine.

use types::TextEnum;
use types::{
    Locale,
    catalog::CertificationLevel,
    search::{FacetValue, Facets, PRICE_BANDS, RATING_STEPS, SearchParams, SpecFacet},
    specs::Spec,
};
use uuid::Uuid;

/// Which filter a facet belongs to: its counts ignore that filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Category,
    Certification,
    Weather,
    Creator,
    InStock,
    Price,
    /// A filterable specification (`types::specs`).
    Spec(Spec),
    Rating,
}

/// How many makers the facet lists (the chosen ones are always added).
pub const TOP_CREATORS: usize = 12;

/// A category as the facet shows it, in display order (level, then position).
#[derive(Debug, Clone)]
pub struct CategoryNode {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub slug: String,
    pub name_en: String,
    pub name_zh: String,
}

/// Counts as an engine found them; each applies every filter but its own facet's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetCounts {
    /// Products directly in each category (not counting subcategories).
    pub categories: Vec<(Uuid, u64)>,
    /// In the order of [`CertificationLevel::ALL`].
    pub certification: Vec<u64>,
    /// Ratings found at least once, in code order.
    pub weather: Vec<(String, u64)>,
    /// `(slug, name, count)`, most matches first, then by name; at most [`TOP_CREATORS`].
    pub creators: Vec<(String, String, u64)>,
    pub in_stock: u64,
    /// In the order of [`PRICE_BANDS`].
    pub price: Vec<u64>,
    /// At least each step: per filterable specification in `Spec::filters` order, and
    /// per rating step.
    pub specs: Vec<Vec<u64>>,
    pub rating: Vec<u64>,
}

fn value(value: impl Into<String>, label: impl Into<String>, count: u64, selected: bool) -> FacetValue {
    FacetValue { value: value.into(), label: label.into(), count, selected }
}

impl FacetCounts {
    /// The counts of a search that found nothing.
    pub fn nothing() -> FacetCounts {
        FacetCounts {
            certification: vec![0; CertificationLevel::ALL.len()],
            price: vec![0; PRICE_BANDS.len()],
            specs: Spec::filters().map(|(_, f)| vec![0; f.steps.len()]).collect(),
            rating: vec![0; RATING_STEPS.len()],
            ..FacetCounts::default()
        }
    }

    pub fn into_facets(self, params: &SearchParams, tree: &[CategoryNode], locale: Locale) -> Facets {
        Facets {
            categories: categories(&self.categories, params, tree, locale),
            certification: CertificationLevel::ALL
                .iter()
                .zip(self.certification.iter().copied().chain(std::iter::repeat(0)))
                .map(|(level, n)| value(level.as_str(), level.as_str(), n, params.certification.contains(level)))
                .collect(),
            weather: self
                .weather
                .into_iter()
                .map(|(code, n)| {
                    let selected = params.weather.contains(&code);
                    value(code.clone(), code, n, selected)
                })
                .collect(),
            creators: creators(self.creators, params),
            in_stock: self.in_stock,
            price: PRICE_BANDS
                .iter()
                .zip(&self.price)
                .map(|((from, to), n)| {
                    let selected = params.price_min.unwrap_or(0) == *from && params.price_max == to.map(|t| t - 1);
                    let label = match to {
                        Some(t) => format!("{from}-{t}"),
                        None => format!("{from}+"),
                    };
                    value(label.clone(), label, *n, selected)
                })
                .collect(),
            specs: Spec::filters()
                .zip(&self.specs)
                .map(|((info, filter), counts)| SpecFacet {
                    spec: info.spec,
                    values: steps(filter.steps, counts, params.spec_min.get(&info.spec).copied()),
                })
                .collect(),
            rating: steps(RATING_STEPS, &self.rating, params.rating_min),
        }
    }
}

fn steps(steps: &[u32], counts: &[u64], chosen: Option<u32>) -> Vec<FacetValue> {
    steps.iter().zip(counts).map(|(s, n)| value(s.to_string(), s.to_string(), *n, chosen == Some(*s))).collect()
}

/// Top-level categories, and the subcategories of the chosen one (or of the parent
/// of a chosen subcategory). A category's count includes its subcategories'.
fn categories(counts: &[(Uuid, u64)], params: &SearchParams, tree: &[CategoryNode], locale: Locale) -> Vec<FacetValue> {
    let own = |id: Uuid| counts.iter().filter(|(c, _)| *c == id).map(|(_, n)| n).sum::<u64>();
    let count_of = |id: Uuid| own(id) + tree.iter().filter(|c| c.parent_id == Some(id)).map(|c| own(c.id)).sum::<u64>();
    let name = |c: &CategoryNode| if locale == Locale::Zh { c.name_zh.clone() } else { c.name_en.clone() };
    let selected = params.category.as_deref();
    let open_top = tree.iter().find(|c| Some(c.slug.as_str()) == selected).map(|c| c.parent_id.unwrap_or(c.id));
    let mut out = Vec::new();
    for top in tree.iter().filter(|c| c.parent_id.is_none()) {
        out.push(value(top.slug.clone(), name(top), count_of(top.id), selected == Some(top.slug.as_str())));
        if open_top == Some(top.id) {
            for sub in tree.iter().filter(|c| c.parent_id == Some(top.id)) {
                let label = format!("· {}", name(sub));
                out.push(value(sub.slug.clone(), label, count_of(sub.id), selected == Some(sub.slug.as_str())));
            }
        }
    }
    out
}

/// The makers with most matches, plus any chosen ones outside that list.
fn creators(top: Vec<(String, String, u64)>, params: &SearchParams) -> Vec<FacetValue> {
    let mut out: Vec<FacetValue> = top
        .into_iter()
        .map(|(slug, name, n)| {
            let selected = params.creators.contains(&slug);
            value(slug, name, n, selected)
        })
        .collect();
    for slug in &params.creators {
        if !out.iter().any(|v| &v.value == slug) {
            out.push(value(slug.clone(), slug.clone(), 0, true));
        }
    }
    out
}

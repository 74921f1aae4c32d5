//! Answering a search from the index: the matching set, each filter as a set, facet
//! counts as intersection sizes, and the requested page by a bounded heap.

use std::{borrow::Cow, collections::BinaryHeap};
use types::TextEnum;

use roaring::RoaringBitmap;
use types::{
    catalog::CertificationLevel,
    search::{PAGE_SIZE, RATING_STEPS, SearchParams, Sort},
    specs::Spec,
};
use uuid::Uuid;

use super::store::{ABSENT, Index, slice_of};
use crate::search::facets::{Facet, FacetCounts, TOP_CREATORS};

/// A page of results, how many matched, and the facet counts.
#[derive(Debug)]
pub struct Found {
    pub ids: Vec<Uuid>,
    pub total: u64,
    pub counts: FacetCounts,
}

/// What facet counts depend on: the query's lexemes and the filters, not the page or
/// the order, so paging through a listing or sorting it counts once.
pub(super) type CountsKey = (Option<Vec<String>>, SearchParams);
/// At most this many kept (a few KiB each); all are forgotten when full.
const COUNTS_KEPT: usize = 1024;

/// How much a query word found in a product's name, or in its labels (tags,
/// category, maker), lifts it above products that mention the word elsewhere.
const NAME_WEIGHT: u8 = 3;
const LABEL_WEIGHT: u8 = 1;

fn intersect<'a>(base: &RoaringBitmap, sets: impl Iterator<Item = &'a RoaringBitmap>) -> RoaringBitmap {
    let mut out = base.clone();
    for set in sets {
        out &= set;
    }
    out
}

fn union<'a>(sets: impl Iterator<Item = &'a RoaringBitmap>) -> RoaringBitmap {
    let mut out = RoaringBitmap::new();
    for set in sets {
        out |= set;
    }
    out
}

impl Index {
    /// `lexemes` is `None` for a listing without words; an empty list matches nothing.
    pub fn search(&self, params: &SearchParams, lexemes: Option<&[String]>) -> Found {
        let matched = match lexemes {
            None => self.live.clone(),
            Some(lexemes) => self.matching(lexemes),
        };
        let filters = self.filters(params, &matched);
        let all = intersect(&matched, filters.iter().map(|(_, set)| set));
        let base = |facet: Facet| -> Cow<'_, RoaringBitmap> {
            if filters.iter().any(|(f, _)| *f == facet) {
                Cow::Owned(intersect(&matched, filters.iter().filter(|(f, _)| *f != facet).map(|(_, set)| set)))
            } else {
                Cow::Borrowed(&all)
            }
        };
        let key = (
            lexemes.map(<[String]>::to_vec),
            SearchParams { q: String::new(), sort: Sort::default(), page: 1, ..params.clone() },
        );
        let kept = self.kept_counts.lock().ok().and_then(|kept| kept.get(&key).cloned());
        let counts = kept.unwrap_or_else(|| {
            let counts = self.counts(base);
            if let Ok(mut kept) = self.kept_counts.lock() {
                if kept.len() >= COUNTS_KEPT {
                    kept.clear();
                }
                kept.insert(key, counts.clone());
            }
            counts
        });
        let ids = self.page(&all, params, lexemes);
        Found { ids, total: all.len(), counts }
    }

    /// Products containing every lexeme.
    fn matching(&self, lexemes: &[String]) -> RoaringBitmap {
        let mut lists = Vec::with_capacity(lexemes.len());
        for lexeme in lexemes {
            match self.terms.get(lexeme.as_str()) {
                Some(&term) => lists.push(&self.postings[term as usize].any),
                None => return RoaringBitmap::new(),
            }
        }
        // Smallest first keeps every intermediate result small.
        lists.sort_by_key(|set| set.len());
        match lists.split_first() {
            Some((first, rest)) => intersect(&(*first & &self.live), rest.iter().copied()),
            None => RoaringBitmap::new(),
        }
    }

    /// Each chosen filter as the set of matched products that pass it.
    fn filters(&self, params: &SearchParams, matched: &RoaringBitmap) -> Vec<(Facet, RoaringBitmap)> {
        let mut out = Vec::new();
        let mut chosen = |facet: Facet, set: RoaringBitmap| out.push((facet, set & matched));
        if let Some(slug) = &params.category {
            let set = match self.categories.iter().find(|c| &c.slug == slug) {
                Some(node) => union(
                    self.categories
                        .iter()
                        .filter(|c| c.id == node.id || c.parent_id == Some(node.id))
                        .filter_map(|c| self.category_number.get(&c.id))
                        .map(|n| &self.by_category[*n as usize]),
                ),
                None => RoaringBitmap::new(),
            };
            chosen(Facet::Category, set);
        }
        if !params.certification.is_empty() {
            let levels = CertificationLevel::ALL.iter().zip(&self.by_level);
            chosen(
                Facet::Certification,
                union(levels.filter(|(l, _)| params.certification.contains(l)).map(|(_, set)| set)),
            );
        }
        if !params.weather.is_empty() {
            let codes = self.weather_codes.iter().zip(&self.by_weather).skip(1);
            chosen(Facet::Weather, union(codes.filter(|(c, _)| params.weather.contains(c)).map(|(_, set)| set)));
        }
        if !params.creators.is_empty() {
            let makers = self.creators.iter().zip(&self.by_creator);
            chosen(
                Facet::Creator,
                union(makers.filter(|(c, _)| params.creators.contains(&c.slug)).map(|(_, set)| set)),
            );
        }
        if params.in_stock {
            chosen(Facet::InStock, self.in_stock.clone());
        }
        if params.price_min.is_some() || params.price_max.is_some() {
            let min = i64::from(params.price_min.unwrap_or(0)) * 100;
            // A whole-unit maximum includes its cents: "up to 499" admits 499.99.
            let below = params.price_max.map_or(i64::MAX, |max| (i64::from(max) + 1) * 100);
            out.push((Facet::Price, self.priced(matched, min, below)));
        }
        let specs =
            Spec::filters().zip(self.specs.iter().zip(&self.spec_steps)).map(|((info, filter), (column, steps))| {
                let min = params.spec_min.get(&info.spec).copied();
                (Facet::Spec(info.spec), column, steps, filter.steps, i64::from(filter.scale), min)
            });
        let rating = (Facet::Rating, &self.rating, &self.rating_steps, RATING_STEPS, 100, params.rating_min);
        for (facet, column, steps, values, scale, min) in specs.chain([rating]) {
            let Some(min) = min else { continue };
            // The steps the page offers have their set ready; any other minimum is read.
            let set = match values.iter().position(|v| *v == min) {
                Some(step) => &steps[step] & matched,
                None => {
                    let min = i64::from(min) * scale;
                    self.scan(matched, |d| column[d] != ABSENT && i64::from(column[d]) >= min)
                }
            };
            out.push((facet, set));
        }
        out
    }

    /// The members of `matched` priced in `[min, below)` minor units.
    fn priced(&self, matched: &RoaringBitmap, min: i64, below: i64) -> RoaringBitmap {
        let mut set = self.cheaper_than(below);
        set -= self.cheaper_than(min);
        set & matched
    }

    /// The products priced below `price`: those below its slice's floor, kept as one
    /// set, and the start of that slice's price order (the only part read, price by
    /// price, and in a few steps: it is sorted).
    fn cheaper_than(&self, price: i64) -> RoaringBitmap {
        let slice = slice_of(&self.price_floors, price);
        let order = &self.price_orders[slice];
        let mut docs = order[..order.partition_point(|d| self.price[*d as usize] < price)].to_vec();
        docs.sort_unstable();
        let mut set = RoaringBitmap::from_sorted_iter(docs).unwrap_or_default();
        set |= &self.below_floor[slice];
        set
    }

    /// The members of `set` for which `keep` holds, read column by column.
    fn scan(&self, set: &RoaringBitmap, keep: impl Fn(usize) -> bool) -> RoaringBitmap {
        RoaringBitmap::from_sorted_iter(set.iter().filter(|d| keep(*d as usize))).unwrap_or_default()
    }

    /// How many members of `set` hold each value of a column whose values' sets are
    /// `values` (every product holds one): an intersection per value, or one pass
    /// reading the column, whichever reads less. An intersection reads about a
    /// container (up to 65,536 numbers, in 1,024 words) per 65,536 products; the pass
    /// reads every member. So 22 categories are counted by intersections from a few
    /// tens of thousands of members, and 400 makers only past about half a million.
    fn value_counts(&self, set: &RoaringBitmap, values: &[RoaringBitmap], column: impl Fn(usize) -> usize) -> Vec<u64> {
        let containers = (self.ids.len() >> 16) as u64 + 1;
        if set.len() > values.len() as u64 * containers * 64 {
            return values.iter().map(|v| set.intersection_len(v)).collect();
        }
        let mut counts = vec![0; values.len()];
        for doc in set {
            counts[column(doc as usize)] += 1;
        }
        counts
    }

    fn counts<'a>(&'a self, base: impl Fn(Facet) -> Cow<'a, RoaringBitmap>) -> FacetCounts {
        let sizes = |set: &RoaringBitmap, values: &[RoaringBitmap]| -> Vec<u64> {
            values.iter().map(|v| set.intersection_len(v)).collect()
        };
        let per_category = self.value_counts(&base(Facet::Category), &self.by_category, |d| self.category[d] as usize);
        let categories = self
            .categories
            .iter()
            .filter_map(|c| self.category_number.get(&c.id).map(|n| (c.id, per_category[*n as usize])))
            .filter(|(_, n)| *n > 0)
            .collect();
        let per_weather = self.value_counts(&base(Facet::Weather), &self.by_weather, |d| self.weather[d] as usize);
        let mut weather: Vec<(String, u64)> = self
            .weather_codes
            .iter()
            .zip(per_weather)
            .skip(1)
            .filter(|(_, n)| *n > 0)
            .map(|(code, n)| (code.clone(), n))
            .collect();
        weather.sort();
        let per_creator = self.value_counts(&base(Facet::Creator), &self.by_creator, |d| self.creator[d] as usize);
        let mut creators: Vec<(String, String, u64)> = self
            .creators
            .iter()
            .zip(per_creator)
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| (c.slug.clone(), c.display_name.clone(), n))
            .collect();
        creators.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
        creators.truncate(TOP_CREATORS);
        FacetCounts {
            categories,
            certification: sizes(&base(Facet::Certification), &self.by_level),
            weather,
            creators,
            in_stock: base(Facet::InStock).intersection_len(&self.in_stock),
            price: sizes(&base(Facet::Price), &self.price_bands),
            specs: Spec::filters()
                .zip(&self.spec_steps)
                .map(|((info, _), steps)| sizes(&base(Facet::Spec(info.spec)), steps))
                .collect(),
            rating: sizes(&base(Facet::Rating), &self.rating_steps),
        }
    }

    /// The ids on the requested page, best first: by the chosen order, then newest,
    /// then id (the same tie-breaks as the database engine).
    fn page(&self, all: &RoaringBitmap, params: &SearchParams, lexemes: Option<&[String]>) -> Vec<Uuid> {
        let offset = params.page.saturating_sub(1) as usize * PAGE_SIZE as usize;
        if offset as u64 >= all.len() {
            return Vec::new();
        }
        let keep = offset + PAGE_SIZE as usize;
        let ranked = match (params.sort, lexemes) {
            (Sort::Relevance, Some(lexemes)) => self.by_relevance(all, lexemes, keep),
            (Sort::Relevance | Sort::Newest, _) => self.newest(all, keep),
            (Sort::PriceAsc, _) => self.best(all, keep, |d| self.price[d]),
            (Sort::PriceDesc, _) => self.best(all, keep, |d| -self.price[d]),
            (Sort::FlightTime, _) => self.best(all, keep, |d| match self.spec(Spec::FlightTimeMin)[d] {
                ABSENT => i64::MAX,
                minutes => -i64::from(minutes),
            }),
            // Counts stay far below a million, so the average decides first.
            (Sort::Rating, _) => self.best(all, keep, |d| match self.rating[d] {
                ABSENT => i64::MAX,
                rating => -(i64::from(rating) * 1_000_000 + i64::from(self.rating_count[d])),
            }),
        };
        ranked.into_iter().skip(offset).map(|doc| self.ids[doc as usize]).collect()
    }

    /// The best `keep` members of `set` by `primary` (lower first), then newest, then id.
    fn best(&self, set: &RoaringBitmap, keep: usize, primary: impl Fn(usize) -> i64) -> Vec<u32> {
        // A max-heap of the best `keep` so far: its top is the worst of them.
        let mut best: BinaryHeap<((i64, i64, u128), u32)> = BinaryHeap::with_capacity(keep + 1);
        for doc in set {
            let d = doc as usize;
            let key = (primary(d), -self.published[d], self.ids[d].as_u128());
            if best.len() < keep {
                best.push((key, doc));
            } else if best.peek().is_some_and(|(worst, _)| key < *worst) {
                best.pop();
                best.push((key, doc));
            }
        }
        best.into_sorted_vec().into_iter().map(|(_, doc)| doc).collect()
    }

    /// The newest `keep` members of `set`. Walking the newest-first order meets them
    /// after about `keep × searchable / |set|` steps: a few hundred for a listing,
    /// where ranking every member would read tens of thousands. For a small set
    /// ranking is the cheaper of the two.
    fn newest(&self, set: &RoaringBitmap, keep: usize) -> Vec<u32> {
        let walk = keep as u64 * self.by_newest.len() as u64 / set.len().max(1);
        if walk > set.len() {
            return self.best(set, keep, |_| 0);
        }
        self.by_newest.iter().copied().filter(|doc| set.contains(*doc)).take(keep).collect()
    }

    /// The best `keep` members of `all` for the query's words: those with a word in
    /// their name or labels ranked by how strongly (then newest), and after them the
    /// rest, newest first.
    fn by_relevance(&self, all: &RoaringBitmap, lexemes: &[String], keep: usize) -> Vec<u32> {
        let fields: Vec<(&RoaringBitmap, u8)> = lexemes
            .iter()
            .filter_map(|lexeme| self.terms.get(lexeme.as_str()))
            .flat_map(|term| {
                let postings = &self.postings[*term as usize];
                [(&postings.name, NAME_WEIGHT), (&postings.label, LABEL_WEIGHT)]
            })
            .collect();
        let boosted = union(fields.iter().map(|(set, _)| *set)) & all;
        let score = |d: usize| -> i64 {
            fields.iter().filter(|(set, _)| set.contains(d as u32)).map(|(_, weight)| i64::from(*weight)).sum()
        };
        let mut ranked = self.best(&boosted, keep, |d| -score(d));
        if ranked.len() < keep {
            ranked.extend(self.newest(&(all - &boosted), keep - ranked.len()));
        }
        ranked
    }
}

//! The index itself: one column per searchable field, a compressed bitmap of
//! products per word, and a bitmap per facet value, so filters and facet counts are
//! set operations over 64 products at a time.
//!
//! Products get dense internal numbers in load order. A product whose words change
//! is retired and added again under a new number (its old postings stay, masked by
//! `live`); any other change is made in place. Retired numbers are reclaimed by the
//! next full load.

use std::{
    collections::HashMap,
    hash::{DefaultHasher, Hash, Hasher},
};
use types::TextEnum;

use roaring::RoaringBitmap;
use types::{
    catalog::CertificationLevel,
    search::{PRICE_BANDS, RATING_STEPS},
    specs::Spec,
};
use uuid::Uuid;

use crate::search::facets::CategoryNode;

/// A product as the index needs it, read from the database.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProductRow {
    pub id: Uuid,
    pub category_id: Uuid,
    pub creator_id: Uuid,
    pub price_minor: i64,
    /// The filterable specifications, in `Spec::filters` order.
    pub specs: Vec<Option<i32>>,
    pub certified_level: Option<String>,
    /// Unix seconds.
    pub certified_until: Option<i64>,
    pub ip_rating: Option<String>,
    pub in_stock: bool,
    /// The average customer rating in hundredths of a star, and how many rated.
    pub rating_hundredths: Option<i32>,
    pub rating_count: i32,
    /// Unix microseconds.
    pub published_at: i64,
    /// Every lexeme of the search document, and those of its name and label parts.
    pub terms: Vec<String>,
    pub names: Vec<String>,
    pub labels: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CreatorEntry {
    pub id: Uuid,
    pub slug: String,
    pub display_name: String,
}

/// The products that contain a lexeme anywhere, in their names, and in their labels.
#[derive(Default)]
pub(super) struct Postings {
    pub any: RoaringBitmap,
    pub name: RoaringBitmap,
    pub label: RoaringBitmap,
}

/// Absent numbers (a controller has no flight time) fail every minimum and sort last.
pub(super) const ABSENT: i32 = -1;

#[derive(Default)]
pub struct Index {
    pub(super) ids: Vec<Uuid>,
    pub(super) category: Vec<u16>,
    pub(super) creator: Vec<u32>,
    pub(super) price: Vec<i64>,
    /// Per filterable specification (`Spec::filters` order), its value per product.
    pub(super) specs: Vec<Vec<i32>>,
    /// Average rating in hundredths of a star; [`ABSENT`] when unrated.
    pub(super) rating: Vec<i32>,
    pub(super) rating_count: Vec<i32>,
    /// Index into [`CertificationLevel::ALL`] plus one; 0 is none.
    pub(super) level: Vec<u8>,
    pub(super) until: Vec<i64>,
    /// Index into `weather_codes`.
    pub(super) weather: Vec<u16>,
    pub(super) published: Vec<i64>,
    pub(super) stocked: Vec<bool>,
    text_hash: Vec<u64>,
    /// Facet counts already computed, by what they depend on (see `Index::search`);
    /// every change to the index forgets them.
    pub(super) kept_counts: std::sync::Mutex<HashMap<super::query::CountsKey, crate::search::facets::FacetCounts>>,

    pub(super) live: RoaringBitmap,
    /// The numbers of the products read by the full load, ordered by product id (a
    /// hash map of a million ids would take ten times the space).
    loaded_by_id: Vec<u32>,
    /// Numbers given since the full load.
    added: HashMap<Uuid, u32>,
    pub(super) terms: HashMap<Box<str>, u32>,
    pub(super) postings: Vec<Postings>,

    pub(super) categories: Vec<CategoryNode>,
    pub(super) category_number: HashMap<Uuid, u16>,
    pub(super) creators: Vec<CreatorEntry>,
    creator_number: HashMap<Uuid, u32>,
    /// Code 0 is "no rating".
    pub(super) weather_codes: Vec<String>,

    pub(super) by_category: Vec<RoaringBitmap>,
    /// Per category its products ordered by price, then id: related products are
    /// the neighbours of a product's place.
    by_price: Vec<Vec<u32>>,
    /// Every searchable product, newest first (then by id): the first page of a
    /// listing is the first members of it met walking this order.
    pub(super) by_newest: Vec<u32>,
    /// Whether the orders above are kept in order (not while the full load appends).
    ordered: bool,
    pub(super) by_creator: Vec<RoaringBitmap>,
    /// Certificates valid as of `levels_checked_at`, per level.
    pub(super) by_level: Vec<RoaringBitmap>,
    pub(super) by_weather: Vec<RoaringBitmap>,
    pub(super) in_stock: RoaringBitmap,
    pub(super) price_bands: Vec<RoaringBitmap>,
    /// Finer price bands for filtering, about equally full (`price_floors[i]` is the
    /// lowest price in slice `i`): "cheaper than x" is every product below the floor of
    /// `x`'s slice, as one set kept ready, and the start of that slice's price order.
    pub(super) price_floors: Vec<i64>,
    /// Per slice, its products in price order (then id).
    pub(super) price_orders: Vec<Vec<u32>>,
    /// Per slice, the products priced below its floor.
    pub(super) below_floor: Vec<RoaringBitmap>,
    /// Per filterable specification, the products with at least each step.
    pub(super) spec_steps: Vec<Vec<RoaringBitmap>>,
    pub(super) rating_steps: Vec<RoaringBitmap>,
    /// The earliest expiry among the certificates counted in `by_level` (Unix seconds).
    pub(super) next_expiry: i64,
    retired: u32,
}

/// How many finer price bands the full load cuts (see [`Index::price_slices`]).
const PRICE_SLICES: usize = 64;

/// The slice of `floors` a price falls in.
pub(super) fn slice_of(floors: &[i64], price: i64) -> usize {
    floors.partition_point(|floor| *floor <= price).saturating_sub(1)
}

fn text_hash(row: &ProductRow) -> u64 {
    let mut h = DefaultHasher::new();
    (&row.terms, &row.names, &row.labels).hash(&mut h);
    h.finish()
}

/// Rewrites `bitmap` at its exact size, as runs where runs are smaller: read back
/// from its serialized form, every container is allocated once at its length.
fn compact(bitmap: &mut RoaringBitmap) {
    bitmap.optimize();
    let mut bytes = Vec::with_capacity(bitmap.serialized_size());
    if bitmap.serialize_into(&mut bytes).is_ok()
        && let Ok(exact) = RoaringBitmap::deserialize_unchecked_from(bytes.as_slice())
    {
        *bitmap = exact;
    }
}

fn level_number(level: Option<&str>) -> u8 {
    level.and_then(|l| CertificationLevel::ALL.iter().position(|c| c.as_str() == l)).map_or(0, |i| i as u8 + 1)
}

impl Index {
    pub fn new(categories: Vec<CategoryNode>, creators: Vec<CreatorEntry>) -> Index {
        let mut index = Index {
            weather_codes: vec![String::new()],
            by_weather: vec![RoaringBitmap::new()],
            by_level: vec![RoaringBitmap::new(); CertificationLevel::ALL.len()],
            price_bands: vec![RoaringBitmap::new(); PRICE_BANDS.len()],
            specs: Spec::filters().map(|_| Vec::new()).collect(),
            spec_steps: Spec::filters().map(|(_, f)| vec![RoaringBitmap::new(); f.steps.len()]).collect(),
            rating_steps: vec![RoaringBitmap::new(); RATING_STEPS.len()],
            next_expiry: i64::MAX,
            ordered: true,
            price_floors: vec![i64::MIN],
            price_orders: vec![Vec::new()],
            below_floor: vec![RoaringBitmap::new()],
            ..Index::default()
        };
        index.set_categories(categories);
        index.set_creators(creators);
        index
    }

    fn forget_counts(&mut self) {
        if let Ok(kept) = self.kept_counts.get_mut() {
            kept.clear();
        }
    }

    /// Takes the current categories, keeping the numbers of known ones.
    pub fn set_categories(&mut self, categories: Vec<CategoryNode>) {
        self.forget_counts();
        for node in &categories {
            if !self.category_number.contains_key(&node.id) {
                self.category_number.insert(node.id, self.by_category.len() as u16);
                self.by_category.push(RoaringBitmap::new());
                self.by_price.push(Vec::new());
            }
        }
        self.categories = categories;
    }

    /// Takes the current makers, keeping the numbers of known ones.
    pub fn set_creators(&mut self, creators: Vec<CreatorEntry>) {
        self.forget_counts();
        for creator in creators {
            match self.creator_number.get(&creator.id) {
                Some(&n) => self.creators[n as usize] = creator,
                None => {
                    self.creator_number.insert(creator.id, self.creators.len() as u32);
                    self.creators.push(creator);
                    self.by_creator.push(RoaringBitmap::new());
                }
            }
        }
    }

    pub fn knows_category(&self, id: Uuid) -> bool {
        self.category_number.contains_key(&id)
    }

    pub fn knows_creator(&self, id: Uuid) -> bool {
        self.creator_number.contains_key(&id)
    }

    /// Products searchable now.
    pub fn len(&self) -> u64 {
        self.live.len()
    }

    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }

    /// Numbers given out that no longer stand for a searchable product.
    pub fn retired(&self) -> u32 {
        self.retired
    }

    /// Up to `limit` other products of `id`'s category, nearest in price first (then
    /// by id), or `None` if `id` is not searchable. Read from the neighbours of its
    /// place in the category's price order: the nearest are among the `limit` closest
    /// on each side, with whatever ties the last of them.
    pub fn related(&self, id: Uuid, limit: usize) -> Option<Vec<Uuid>> {
        let doc = self.number_of(id)?;
        let price = self.price[doc as usize];
        let order = &self.by_price[self.category[doc as usize] as usize];
        let at = order.binary_search_by_key(&self.price_key(doc), |other| self.price_key(*other)).ok()?;
        let mut near: Vec<(i64, Uuid)> = Vec::with_capacity(2 * limit + 2);
        let mut take_side = |side: &mut dyn Iterator<Item = &u32>| {
            let mut last = i64::MIN;
            for (taken, other) in side.enumerate() {
                let distance = (self.price[*other as usize] - price).abs();
                if taken >= limit && distance > last {
                    break;
                }
                near.push((distance, self.ids[*other as usize]));
                last = distance;
            }
        };
        take_side(&mut order[..at].iter().rev());
        take_side(&mut order[at + 1..].iter());
        near.sort_unstable();
        near.truncate(limit);
        Some(near.into_iter().map(|(_, id)| id).collect())
    }

    fn price_key(&self, doc: u32) -> (i64, Uuid) {
        (self.price[doc as usize], self.ids[doc as usize])
    }

    fn newest_key(&self, doc: u32) -> (std::cmp::Reverse<i64>, Uuid) {
        (std::cmp::Reverse(self.published[doc as usize]), self.ids[doc as usize])
    }

    /// How many published products a maker has, or `None` for a maker not known yet.
    pub fn products_of_creator(&self, creator: Uuid) -> Option<u64> {
        self.creator_number.get(&creator).map(|n| self.by_creator[*n as usize].len())
    }

    /// The number of a searchable product.
    fn number_of(&self, id: Uuid) -> Option<u32> {
        if let Some(doc) = self.added.get(&id) {
            return Some(*doc);
        }
        let found = self.loaded_by_id.binary_search_by(|doc| self.ids[*doc as usize].cmp(&id)).ok()?;
        let doc = self.loaded_by_id[found];
        self.live.contains(doc).then_some(doc)
    }

    /// Adds a product during the full load (each product once), before [`Index::finish_load`].
    pub fn load(&mut self, row: &ProductRow, now: i64) {
        self.forget_counts();
        self.ordered = false;
        self.append(row, text_hash(row), now);
    }

    /// Makes the loaded products findable by id, and gives back the room the load
    /// grew into: vectors grown by doubling carry up to half their size spare, a
    /// million postings most of all.
    pub fn finish_load(&mut self) {
        self.forget_counts();
        let mut by_id: Vec<u32> = (0..self.ids.len() as u32).collect();
        by_id.sort_unstable_by_key(|doc| self.ids[*doc as usize]);
        self.loaded_by_id = by_id;
        let mut by_price = std::mem::take(&mut self.by_price);
        for order in &mut by_price {
            order.sort_unstable_by_key(|d| self.price_key(*d));
            order.shrink_to_fit();
        }
        self.by_price = by_price;
        let mut by_newest = std::mem::take(&mut self.by_newest);
        by_newest.sort_unstable_by_key(|d| self.newest_key(*d));
        by_newest.shrink_to_fit();
        self.by_newest = by_newest;
        self.ordered = true;
        self.slice_prices();

        self.ids.shrink_to_fit();
        self.text_hash.shrink_to_fit();
        self.category.shrink_to_fit();
        self.creator.shrink_to_fit();
        self.price.shrink_to_fit();
        self.level.shrink_to_fit();
        self.until.shrink_to_fit();
        self.weather.shrink_to_fit();
        self.published.shrink_to_fit();
        self.stocked.shrink_to_fit();
        for column in self.specs.iter_mut().chain([&mut self.rating, &mut self.rating_count]) {
            column.shrink_to_fit();
        }
        self.terms.shrink_to_fit();
        self.postings.shrink_to_fit();
        for postings in &mut self.postings {
            for bitmap in [&mut postings.any, &mut postings.name, &mut postings.label] {
                compact(bitmap);
            }
        }
    }

    /// A filterable specification's column.
    pub(super) fn spec(&self, spec: Spec) -> &[i32] {
        Spec::filters().position(|(info, _)| info.spec == spec).map_or(&[], |i| &self.specs[i])
    }

    /// Adds or updates a published product. The caller has made its category and
    /// maker known first.
    pub fn upsert(&mut self, row: &ProductRow, now: i64) {
        self.forget_counts();
        let hash = text_hash(row);
        if let Some(doc) = self.number_of(row.id)
            && self.text_hash[doc as usize] == hash
        {
            self.set_facets(doc, false);
            self.write_columns(doc as usize, row);
            self.set_facets(doc, true);
            self.count_certificate(doc, now);
            return;
        }
        self.remove(row.id);
        let doc = self.append(row, hash, now);
        self.added.insert(row.id, doc);
    }

    fn append(&mut self, row: &ProductRow, hash: u64, now: i64) -> u32 {
        let doc = self.ids.len() as u32;
        self.ids.push(row.id);
        self.text_hash.push(hash);
        for column in self.specs.iter_mut().chain([&mut self.rating, &mut self.rating_count]) {
            column.push(ABSENT);
        }
        self.category.push(0);
        self.creator.push(0);
        self.price.push(0);
        self.level.push(0);
        self.until.push(0);
        self.weather.push(0);
        self.published.push(0);
        self.stocked.push(false);
        self.write_columns(doc as usize, row);
        for (words, field) in [(&row.terms, 0), (&row.names, 1), (&row.labels, 2)] {
            for word in words {
                let term = match self.terms.get(word.as_str()) {
                    Some(&t) => t,
                    None => {
                        let t = self.postings.len() as u32;
                        self.terms.insert(word.as_str().into(), t);
                        self.postings.push(Postings::default());
                        t
                    }
                };
                let postings = &mut self.postings[term as usize];
                let bitmap = match field {
                    0 => &mut postings.any,
                    1 => &mut postings.name,
                    _ => &mut postings.label,
                };
                bitmap.insert(doc);
            }
        }
        self.live.insert(doc);
        self.set_facets(doc, true);
        self.count_certificate(doc, now);
        doc
    }

    /// Takes a product out of search (unpublished, archived or gone).
    pub fn remove(&mut self, id: Uuid) {
        self.forget_counts();
        if let Some(doc) = self.number_of(id) {
            self.added.remove(&id);
            self.set_facets(doc, false);
            for level in &mut self.by_level {
                level.remove(doc);
            }
            self.live.remove(doc);
            self.retired += 1;
        }
    }

    /// The number of a maker, giving one to a maker the index has not heard of: one
    /// created after the names were read (its name arrives with its own event).
    fn creator_slot(&mut self, id: Uuid) -> u32 {
        if let Some(&n) = self.creator_number.get(&id) {
            return n;
        }
        let n = self.creators.len() as u32;
        self.creator_number.insert(id, n);
        self.creators.push(CreatorEntry { id, slug: String::new(), display_name: String::new() });
        self.by_creator.push(RoaringBitmap::new());
        n
    }

    /// As [`creator_slot`](Self::creator_slot), for categories.
    fn category_slot(&mut self, id: Uuid) -> u16 {
        if let Some(&n) = self.category_number.get(&id) {
            return n;
        }
        let n = self.by_category.len() as u16;
        self.category_number.insert(id, n);
        self.by_category.push(RoaringBitmap::new());
        self.by_price.push(Vec::new());
        n
    }

    fn write_columns(&mut self, doc: usize, row: &ProductRow) {
        self.category[doc] = self.category_slot(row.category_id);
        self.creator[doc] = self.creator_slot(row.creator_id);
        self.price[doc] = row.price_minor;
        for (column, value) in self.specs.iter_mut().zip(&row.specs) {
            column[doc] = value.unwrap_or(ABSENT);
        }
        self.rating[doc] = row.rating_hundredths.unwrap_or(ABSENT);
        self.rating_count[doc] = row.rating_count;
        self.level[doc] = level_number(row.certified_level.as_deref());
        self.until[doc] = row.certified_until.unwrap_or(i64::MIN);
        self.weather[doc] = match row.ip_rating.as_deref() {
            None => 0,
            Some(code) => match self.weather_codes.iter().position(|c| c == code) {
                Some(n) => n as u16,
                None => {
                    self.weather_codes.push(code.to_owned());
                    self.by_weather.push(RoaringBitmap::new());
                    (self.weather_codes.len() - 1) as u16
                }
            },
        };
        self.published[doc] = row.published_at;
        self.stocked[doc] = row.in_stock;
    }

    /// Puts `doc` into (or takes it out of) the bitmap of each facet value its
    /// columns hold.
    fn set_facets(&mut self, doc: u32, present: bool) {
        let put = |bitmap: &mut RoaringBitmap, yes: bool| {
            if present && yes {
                bitmap.insert(doc);
            } else {
                bitmap.remove(doc);
            }
        };
        let d = doc as usize;
        self.set_order_places(doc, present);
        put(&mut self.by_category[self.category[d] as usize], true);
        put(&mut self.by_creator[self.creator[d] as usize], true);
        put(&mut self.by_weather[self.weather[d] as usize], true);
        put(&mut self.in_stock, self.stocked[d]);
        let price = self.price[d];
        for below in &mut self.below_floor[slice_of(&self.price_floors, price) + 1..] {
            put(below, true);
        }
        for (bitmap, (from, to)) in self.price_bands.iter_mut().zip(PRICE_BANDS) {
            let above = price >= i64::from(*from) * 100;
            let below = to.is_none_or(|t| price < i64::from(t) * 100);
            put(bitmap, above && below);
        }
        let specs = self
            .spec_steps
            .iter_mut()
            .zip(&self.specs)
            .zip(Spec::filters())
            .map(|((bitmaps, column), (_, filter))| (bitmaps, filter.steps, column[d], i64::from(filter.scale)));
        let rating = (&mut self.rating_steps, RATING_STEPS, self.rating[d], 100);
        for (bitmaps, steps, value, scale) in specs.chain([rating]) {
            for (bitmap, step) in bitmaps.iter_mut().zip(steps) {
                put(bitmap, i64::from(value) >= i64::from(*step) * scale);
            }
        }
    }

    /// Cuts the price range into [`PRICE_SLICES`] slices about equally full, each with
    /// its products in price order and the set of those below it.
    fn slice_prices(&mut self) {
        let mut docs: Vec<u32> = self.live.iter().collect();
        docs.sort_unstable_by_key(|d| self.price_key(*d));
        let step = (docs.len() / PRICE_SLICES).max(1);
        let mut floors = vec![i64::MIN];
        floors.extend(docs.iter().step_by(step).skip(1).map(|d| self.price[*d as usize]));
        floors.dedup();
        let mut orders = vec![Vec::new(); floors.len()];
        for doc in docs {
            orders[slice_of(&floors, self.price[doc as usize])].push(doc);
        }
        let mut below = Vec::with_capacity(floors.len());
        let mut cheaper = RoaringBitmap::new();
        for order in &orders {
            let mut exact = cheaper.clone();
            compact(&mut exact);
            below.push(exact);
            cheaper.extend(order.iter().copied());
        }
        self.price_floors = floors;
        self.price_orders = orders;
        self.below_floor = below;
    }

    /// Puts `doc` into (or takes it out of) its category's price order, the
    /// newest-first order and its price slice's order, by its columns now.
    fn set_order_places(&mut self, doc: u32, present: bool) {
        let category = self.category[doc as usize] as usize;
        // Taken out while they change, since finding a place reads the columns.
        let mut by_price = std::mem::take(&mut self.by_price[category]);
        self.set_place(&mut by_price, doc, present, Self::price_key);
        self.by_price[category] = by_price;
        let mut by_newest = std::mem::take(&mut self.by_newest);
        self.set_place(&mut by_newest, doc, present, Self::newest_key);
        self.by_newest = by_newest;
        let slice = slice_of(&self.price_floors, self.price[doc as usize]);
        let mut by_price = std::mem::take(&mut self.price_orders[slice]);
        self.set_place(&mut by_price, doc, present, Self::price_key);
        self.price_orders[slice] = by_price;
    }

    /// Keeps `order` sorted by `key` with `doc` in it or not; during the full load
    /// only appends (ordered once at the end).
    fn set_place<K: Ord>(&self, order: &mut Vec<u32>, doc: u32, present: bool, key: impl Fn(&Self, u32) -> K) {
        if !self.ordered {
            if present {
                order.push(doc);
            }
            return;
        }
        match (order.binary_search_by_key(&key(self, doc), |other| key(self, *other)), present) {
            (Err(at), true) => order.insert(at, doc),
            (Ok(at), false) => {
                order.remove(at);
            }
            _ => {}
        }
    }

    /// Counts `doc`'s certificate under its level while it is valid at `now`.
    fn count_certificate(&mut self, doc: u32, now: i64) {
        let d = doc as usize;
        for level in &mut self.by_level {
            level.remove(doc);
        }
        if self.level[d] > 0 && self.until[d] > now {
            self.by_level[self.level[d] as usize - 1].insert(doc);
            self.next_expiry = self.next_expiry.min(self.until[d]);
        }
    }

    /// Stops counting certificates that expired by `now`; cheap when none did.
    pub fn expire_certificates(&mut self, now: i64) {
        if now < self.next_expiry {
            return;
        }
        self.forget_counts();
        self.next_expiry = i64::MAX;
        for level in &mut self.by_level {
            level.clear();
        }
        for doc in self.live.clone() {
            self.count_certificate(doc, now);
        }
    }

    /// Roughly how many bytes the bitmaps and columns take.
    pub fn heap_bytes(&self) -> u64 {
        let bitmaps = |list: &[RoaringBitmap]| list.iter().map(|b| b.serialized_size() as u64).sum::<u64>();
        let postings: u64 = self
            .postings
            .iter()
            .map(|p| (p.any.serialized_size() + p.name.serialized_size() + p.label.serialized_size()) as u64)
            .sum();
        let columns = self.ids.len() as u64
            * (16 + 2 + 4 + 8 + 4 * (2 + self.specs.len() as u64) + 1 + 8 + 2 + 8 + 1 + 8 + 4 + 4);
        let maps =
            self.loaded_by_id.len() as u64 * 4 + self.added.capacity() as u64 * 24 + self.terms.len() as u64 * 48;
        postings
            + columns
            + maps
            + bitmaps(&self.by_category)
            + bitmaps(&self.by_creator)
            + bitmaps(&self.by_level)
            + bitmaps(&self.by_weather)
            + bitmaps(&self.price_bands)
            + bitmaps(&self.below_floor)
            + self.price_orders.iter().map(|order| order.len() as u64 * 4).sum::<u64>()
            + self.spec_steps.iter().map(|steps| bitmaps(steps)).sum::<u64>()
            + bitmaps(&self.rating_steps)
    }
}

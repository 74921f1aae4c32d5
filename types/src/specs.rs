//! A product's measured specifications, listed once. [`SPECS`] says for each its
//! key, unit, bounds, labels and whether shoppers filter by it; the editor, its
//! validation, the product page, the spec sheet, both search engines, the facets,
//! the review snapshot and the seed data all read this table. A new specification
//! is a variant, a row, and values in the seed profiles.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Locale;

/// A measured specification. The serde name is the key everywhere: the form field,
/// the key in `products.specs`, the snapshot row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Spec {
    LengthMm,
    WidthMm,
    HeightMm,
    WeightG,
    FlightTimeMin,
    RangeM,
    PayloadG,
    /// The strongest sustained wind the aircraft holds its position in.
    WindResistanceMs,
}

/// How a value is measured and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Millimetres,
    /// Grams, written in kilograms from 1,000 g.
    Grams,
    Minutes,
    /// Metres, written in kilometres from 1,000 m.
    Metres,
    /// Wind speed in metres per second, written with its Beaufort force.
    WindSpeed,
}

/// A storefront filter on a specification: "at least" this much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    /// The URL parameter, e.g. `payload_min`.
    pub param: &'static str,
    /// Stored units per URL unit (range is filtered in kilometres, stored in metres).
    pub scale: i32,
    /// The thresholds offered as facets, in URL units.
    pub steps: &'static [u32],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecInfo {
    pub spec: Spec,
    pub key: &'static str,
    pub unit: Unit,
    /// Bounds a maker may state, inclusive.
    pub min: i32,
    pub max: i32,
    /// The label in English and in Chinese.
    pub label: [&'static str; 2],
    pub filter: Option<Filter>,
    /// Among the few figures at the top of a product page.
    pub headline: bool,
    /// Shown on product cards in listings.
    pub on_card: bool,
    /// Written in the one "dimensions" row (length × width × height), not a row of its own.
    pub dimension: bool,
}

const fn plain(spec: Spec, key: &'static str, unit: Unit, min: i32, max: i32, label: [&'static str; 2]) -> SpecInfo {
    SpecInfo { spec, key, unit, min, max, label, filter: None, headline: false, on_card: false, dimension: false }
}

/// Every specification, in the order pages show them.
pub const SPECS: &[SpecInfo] = &[
    SpecInfo {
        dimension: true,
        ..plain(Spec::LengthMm, "length_mm", Unit::Millimetres, 1, 10_000, ["Length", "长度"])
    },
    SpecInfo { dimension: true, ..plain(Spec::WidthMm, "width_mm", Unit::Millimetres, 1, 10_000, ["Width", "宽度"]) },
    SpecInfo {
        dimension: true,
        ..plain(Spec::HeightMm, "height_mm", Unit::Millimetres, 1, 10_000, ["Height", "高度"])
    },
    SpecInfo { headline: true, ..plain(Spec::WeightG, "weight_g", Unit::Grams, 1, 1_000_000, ["Weight", "重量"]) },
    SpecInfo {
        filter: Some(Filter { param: "flight_min", scale: 1, steps: &[10, 20, 30, 45, 60] }),
        headline: true,
        on_card: true,
        ..plain(Spec::FlightTimeMin, "flight_time_min", Unit::Minutes, 0, 10_000, ["Flight time", "续航"])
    },
    SpecInfo {
        filter: Some(Filter { param: "range_min", scale: 1000, steps: &[1, 5, 10, 20, 50] }),
        headline: true,
        on_card: true,
        ..plain(Spec::RangeM, "range_m", Unit::Metres, 0, 10_000_000, ["Range", "航程"])
    },
    SpecInfo {
        filter: Some(Filter { param: "payload_min", scale: 1, steps: &[100, 500, 1000, 5000] }),
        headline: true,
        ..plain(Spec::PayloadG, "payload_g", Unit::Grams, 0, 1_000_000, ["Payload", "载荷"])
    },
    SpecInfo {
        // The lowest speed of Beaufort forces 5 to 8, so each step reads as a force.
        filter: Some(Filter { param: "wind_min", scale: 1, steps: &[8, 11, 14, 18] }),
        headline: true,
        ..plain(Spec::WindResistanceMs, "wind_resistance_ms", Unit::WindSpeed, 0, 60, ["Wind resistance", "抗风能力"])
    },
];

impl Spec {
    pub fn info(self) -> &'static SpecInfo {
        SPECS.iter().find(|s| s.spec == self).expect("every specification is in SPECS")
    }

    pub fn key(self) -> &'static str {
        self.info().key
    }

    pub fn parse(key: &str) -> Option<Spec> {
        SPECS.iter().find(|s| s.key == key).map(|s| s.spec)
    }

    /// The specifications shoppers filter by, in page order.
    pub fn filters() -> impl Iterator<Item = (&'static SpecInfo, &'static Filter)> {
        SPECS.iter().filter_map(|s| s.filter.as_ref().map(|f| (s, f)))
    }
}

impl SpecInfo {
    pub fn label(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => self.label[0],
            Locale::Zh => self.label[1],
        }
    }

    /// The label with its unit, for a form field: "Weight (g)".
    pub fn field_label(&self, locale: Locale) -> String {
        match locale {
            Locale::En => format!("{} ({})", self.label(locale), self.unit.symbol(locale)),
            Locale::Zh => format!("{}（{}）", self.label(locale), self.unit.symbol(locale)),
        }
    }
}

impl Unit {
    /// The unit values are typed in.
    pub fn symbol(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Unit::Millimetres, Locale::En) => "mm",
            (Unit::Millimetres, Locale::Zh) => "毫米",
            (Unit::Grams, Locale::En) => "g",
            (Unit::Grams, Locale::Zh) => "克",
            (Unit::Minutes, Locale::En) => "min",
            (Unit::Minutes, Locale::Zh) => "分钟",
            (Unit::Metres, Locale::En) => "m",
            (Unit::Metres, Locale::Zh) => "米",
            (Unit::WindSpeed, Locale::En) => "m/s",
            (Unit::WindSpeed, Locale::Zh) => "米/秒",
        }
    }

    /// A value as a reader sees it: `34 min`, `1.5 kg`, `8 km`.
    pub fn format(self, value: i32, locale: Locale) -> String {
        match self {
            Unit::Grams if value >= 1000 => {
                format!("{} {}", tenths(value), if locale == Locale::Zh { "千克" } else { "kg" })
            }
            Unit::Metres if value >= 1000 => {
                format!("{} {}", tenths(value), if locale == Locale::Zh { "公里" } else { "km" })
            }
            Unit::WindSpeed => match locale {
                Locale::En => format!("{value} m/s (Beaufort {})", beaufort(value)),
                Locale::Zh => format!("{value} 米/秒（{} 级）", beaufort(value)),
            },
            Unit::Millimetres | Unit::Grams | Unit::Minutes | Unit::Metres => {
                format!("{value} {}", self.symbol(locale))
            }
        }
    }

    /// A facet threshold: "30+ min", "5+ km", "500+ g".
    pub fn at_least(self, value: i32, locale: Locale) -> String {
        let written = self.format(value, locale);
        match written.split_once(' ') {
            Some((number, unit)) => format!("{number}+ {unit}"),
            None => format!("{written}+"),
        }
    }
}

/// The Beaufort force of a wind speed in metres per second: the number of the
/// scale's upper bounds (0.5, 1.5, 3.3 … 32.6 m/s) it exceeds.
pub fn beaufort(metres_per_second: i32) -> u8 {
    const UPPER_TENTHS: [i32; 12] = [5, 15, 33, 54, 79, 107, 138, 171, 207, 244, 284, 326];
    UPPER_TENTHS.iter().filter(|&&bound| metres_per_second * 10 > bound).count() as u8
}

/// Thousandths as a decimal with at most one place: 1450 → "1.5", 8000 → "8".
fn tenths(value: i32) -> String {
    let tenths = (value + 50) / 100;
    if tenths % 10 == 0 { format!("{}", tenths / 10) } else { format!("{}.{}", tenths / 10, tenths % 10) }
}

/// A product's stated measurements; a specification not stated is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Measures(BTreeMap<Spec, i32>);

impl Measures {
    pub fn get(&self, spec: Spec) -> Option<i32> {
        self.0.get(&spec).copied()
    }

    pub fn set(&mut self, spec: Spec, value: Option<i32>) {
        match value {
            Some(v) => self.0.insert(spec, v),
            None => self.0.remove(&spec),
        };
    }

    /// The stated values in page order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static SpecInfo, i32)> + '_ {
        SPECS.iter().filter_map(|s| self.get(s.spec).map(|v| (s, v)))
    }

    /// "350 × 290 × 110 mm" when all three are stated.
    pub fn dimensions(&self, locale: Locale) -> Option<String> {
        let sides: Vec<i32> = SPECS.iter().filter(|s| s.dimension).map(|s| self.get(s.spec)).collect::<Option<_>>()?;
        let joined = sides.iter().map(i32::to_string).collect::<Vec<_>>().join(" × ");
        Some(format!("{joined} {}", Unit::Millimetres.symbol(locale)))
    }

    /// Each stated value with its label, dimensions in one row: what a product page,
    /// a spec sheet and a review snapshot list.
    pub fn rows(&self, locale: Locale) -> Vec<(String, String)> {
        let mut rows = Vec::new();
        if let Some(dimensions) = self.dimensions(locale) {
            let label = if locale == Locale::Zh { "尺寸（长 × 宽 × 高）" } else { "Dimensions (L × W × H)" };
            rows.push((label.to_owned(), dimensions));
        }
        rows.extend(
            self.iter()
                .filter(|(s, _)| !s.dimension)
                .map(|(s, v)| (s.label(locale).to_owned(), s.unit.format(v, locale))),
        );
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_specification_has_one_row_with_its_serde_name_as_key() {
        for info in SPECS {
            let serde_name = serde_json::to_value(info.spec).expect("serialize");
            assert_eq!(serde_name, info.key, "{:?}", info.spec);
            assert_eq!(Spec::parse(info.key), Some(info.spec));
            assert_eq!(SPECS.iter().filter(|s| s.spec == info.spec).count(), 1);
            assert!(info.min <= info.max);
        }
        let params: Vec<&str> = Spec::filters().map(|(_, f)| f.param).collect();
        let mut unique = params.clone();
        unique.dedup();
        assert_eq!(params, unique, "filter parameters are distinct");
    }

    #[test]
    fn values_read_as_people_write_them() {
        assert_eq!(Unit::Grams.format(1450, Locale::En), "1.5 kg");
        assert_eq!(Unit::Grams.format(1260, Locale::En), "1.3 kg");
        assert_eq!(Unit::Grams.format(249, Locale::En), "249 g");
        assert_eq!(Unit::Metres.format(1500, Locale::En), "1.5 km");
        assert_eq!(Unit::Metres.format(12_000, Locale::En), "12 km");
        assert_eq!(Unit::Grams.format(900, Locale::En), "900 g");
        assert_eq!(Unit::Metres.format(8000, Locale::En), "8 km");
        assert_eq!(Unit::Metres.format(800, Locale::Zh), "800 米");
        assert_eq!(Unit::Minutes.at_least(30, Locale::En), "30+ min");
        assert_eq!(Unit::Metres.at_least(5000, Locale::En), "5+ km");
        assert_eq!(Unit::WindSpeed.format(12, Locale::En), "12 m/s (Beaufort 6)");
        assert_eq!(Unit::WindSpeed.at_least(11, Locale::En), "11+ m/s (Beaufort 6)");
        assert_eq!(Unit::WindSpeed.format(12, Locale::Zh), "12 米/秒（6 级）");
    }

    #[test]
    fn wind_speeds_map_to_their_beaufort_force() {
        let forces: Vec<u8> = [0, 1, 5, 8, 10, 11, 14, 17, 18, 33, 60].into_iter().map(beaufort).collect();
        assert_eq!(forces, [0, 1, 3, 5, 5, 6, 7, 7, 8, 12, 12]);
        for (info, filter) in Spec::filters().filter(|(i, _)| i.spec == Spec::WindResistanceMs) {
            let steps: Vec<u8> = filter.steps.iter().map(|s| beaufort(*s as i32 * filter.scale)).collect();
            assert_eq!(steps, [5, 6, 7, 8], "{} steps start Beaufort forces", info.key);
        }
    }

    #[test]
    fn measures_are_stored_by_key_and_listed_in_page_order() {
        let mut m = Measures::default();
        m.set(Spec::PayloadG, Some(500));
        m.set(Spec::FlightTimeMin, Some(34));
        for (spec, side) in [(Spec::LengthMm, 350), (Spec::WidthMm, 290), (Spec::HeightMm, 110)] {
            m.set(spec, Some(side));
        }
        let json = serde_json::to_value(&m).expect("json");
        assert_eq!(json["payload_g"], 500);
        assert_eq!(serde_json::from_value::<Measures>(json).expect("back"), m);
        let rows = m.rows(Locale::En);
        assert_eq!(rows[0].1, "350 × 290 × 110 mm");
        assert_eq!(rows[1], ("Flight time".to_owned(), "34 min".to_owned()));
        m.set(Spec::WidthMm, None);
        assert_eq!(m.dimensions(Locale::En), None, "dimensions need all three sides");
    }
}

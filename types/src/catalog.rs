//! What the storefront shows of the catalog: states, money, and the product and
//! creator views the browser renders.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Locale;

/// Where a product is in its life. Only `Published` products are in the storefront.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ProductStatus {
    Draft,
    Submitted,
    UnderReview,
    Published,
    Rejected,
    Archived,
}

/// Certification levels, lowest first: a filter for `Standard` also finds `Premium`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CertificationLevel {
    Basic,
    Standard,
    Premium,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CreatorKind {
    Individual,
    Company,
    Organisation,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CreatorStatus {
    Unverified,
    Pending,
    Verified,
    Rejected,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum MediaKind {
    Image,
    Video,
    Document,
}

/// An amount in integer minor units (cents) of an ISO 4217 currency. No floats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: String,
}

impl Money {
    pub fn new(minor: i64, currency: impl Into<String>) -> Self {
        Self { minor, currency: currency.into() }
    }

    /// `$1,299.00` in English; `US$1,299.00` in Chinese, where `$` alone is ambiguous.
    pub fn format(&self, locale: Locale) -> String {
        let symbol = match (self.currency.as_str(), locale) {
            ("USD", Locale::En) => "$".to_owned(),
            ("USD", Locale::Zh) => "US$".to_owned(),
            ("EUR", _) => "€".to_owned(),
            ("CNY", _) => "¥".to_owned(),
            (other, _) => format!("{other} "),
        };
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        format!("{sign}{symbol}{}.{:02}", group_thousands(abs / 100), abs % 100)
    }
}

/// Parses an amount as people type it (`1299`, `1,299.5`, `1299.00`) into minor
/// units. At most two decimals; no sign; no floats on the way.
pub fn parse_amount(raw: &str) -> Result<i64, crate::ErrorCode> {
    let cleaned: String = raw.trim().chars().filter(|c| *c != ',' && *c != ' ').collect();
    if cleaned.is_empty() {
        return Err(crate::ErrorCode::Required);
    }
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let bad_fraction = fraction.len() > 2 || (cleaned.contains('.') && !digits(fraction));
    if !digits(whole) || bad_fraction || whole.len() > 12 {
        return Err(crate::ErrorCode::NotAnAmount);
    }
    let whole: i64 = whole.parse().map_err(|_| crate::ErrorCode::NotAnAmount)?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| crate::ErrorCode::NotAnAmount)?;
    Ok(whole * 100 + cents)
}

/// `1234567` as `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A piece of text where the words that matched a search are marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marked {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryLink {
    pub slug: String,
    pub name: String,
}

/// A top-level category with its subcategories, for navigation and home tiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryTree {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub product_count: u64,
    pub children: Vec<CategoryLink>,
}

/// A product in a grid or list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCard {
    pub slug: String,
    pub name: Vec<Marked>,
    pub summary: Vec<Marked>,
    pub price: Money,
    pub image_url: String,
    pub image_alt: String,
    pub creator_name: String,
    pub creator_verified: bool,
    pub category: String,
    /// Only a certificate that is valid now; an expired one is `None` here.
    pub certification: Option<CertificationLevel>,
    pub in_stock: bool,
    /// The specifications cards show (`SpecInfo::on_card`).
    pub specs: crate::specs::Measures,
    pub rating: Option<crate::ratings::RatingSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Specifications {
    pub measures: crate::specs::Measures,
    pub ip_rating: Option<String>,
    pub compatibility: Vec<String>,
    pub features: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaItem {
    pub kind: MediaKind,
    pub url: String,
    pub alt: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    pub test_name: String,
    pub metric: String,
    /// Decimal text as measured, e.g. `27.5`; kept as text so nothing is rounded.
    pub value: String,
    pub unit: String,
    pub passed: bool,
    pub tested_at: DateTime<Utc>,
}

/// The newest certificate of a product, valid or not; `valid` is decided at read time
/// so an expired certificate stops counting without anyone acting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificationView {
    pub level: CertificationLevel,
    pub body: String,
    pub granted_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub valid: bool,
    pub tests: Vec<TestResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatorCard {
    pub slug: String,
    pub display_name: String,
    pub kind: CreatorKind,
    pub verified: bool,
    pub location: String,
    pub bio: String,
    pub product_count: u64,
    pub member_since: DateTime<Utc>,
    /// Customers' ratings of the maker (not of its products).
    pub rating: Option<crate::ratings::RatingSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub slug: String,
    pub name: String,
    pub summary: String,
    pub description: String,
    pub price: Money,
    pub available: i32,
    pub category: CategoryLink,
    pub parent_category: Option<CategoryLink>,
    pub specs: Specifications,
    pub tags: Vec<String>,
    pub media: Vec<MediaItem>,
    pub certification: Option<CertificationView>,
    pub creator: CreatorCard,
    pub related: Vec<ProductCard>,
    pub published_at: Option<DateTime<Utc>>,
    pub reviews: crate::ratings::Reviews,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatorPage {
    pub creator: CreatorCard,
    pub products: Vec<ProductCard>,
    /// Approved portfolio items, newest first.
    pub portfolio: Vec<crate::portfolio::ShowcaseItem>,
    /// Customers' ratings of the maker.
    pub reviews: crate::ratings::Reviews,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeCatalog {
    pub categories: Vec<CategoryTree>,
    pub featured: Vec<ProductCard>,
    pub newest: Vec<ProductCard>,
    pub certified: Vec<ProductCard>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TextEnum;

    #[test]
    fn money_is_formatted_with_grouping_and_two_decimals() {
        assert_eq!(Money::new(129_900, "USD").format(Locale::En), "$1,299.00");
        assert_eq!(Money::new(5, "USD").format(Locale::Zh), "US$0.05");
        assert_eq!(Money::new(123_456_789, "EUR").format(Locale::En), "€1,234,567.89");
        assert_eq!(Money::new(-250, "USD").format(Locale::En), "-$2.50");
    }

    #[test]
    fn amounts_parse_to_exact_minor_units() {
        assert_eq!(parse_amount("1299"), Ok(129_900));
        assert_eq!(parse_amount(" 1,299.5 "), Ok(129_950));
        assert_eq!(parse_amount("0.07"), Ok(7));
        assert_eq!(parse_amount(""), Err(crate::ErrorCode::Required));
        for bad in ["-5", "1.234", "12a", "1e3", ".5", "1."] {
            assert_eq!(parse_amount(bad), Err(crate::ErrorCode::NotAnAmount), "{bad}");
        }
    }

    #[test]
    fn enums_round_trip_through_their_text() {
        for level in CertificationLevel::ALL {
            assert_eq!(CertificationLevel::parse(level.as_str()), Some(*level));
        }
        assert_eq!(ProductStatus::parse("under_review"), Some(ProductStatus::UnderReview));
        assert_eq!(ProductStatus::parse("live"), None);
    }
}

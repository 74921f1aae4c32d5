//! Customers' ratings: of each product they received (one per order line) and of
//! the maker who sent it (one per sub-order). Only approved ratings are public and
//! count towards an average.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{ErrorCode, FieldError};

/// Review texts longer than this are refused.
pub const MAX_REVIEW_CHARS: usize = 2000;
/// How many approved reviews a product or maker page lists.
pub const RECENT_REVIEWS: usize = 20;

/// Where a rating is in moderation.
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
pub enum RatingStatus {
    Pending,
    Approved,
    Rejected,
    ChangesRequested,
}

impl RatingStatus {
    /// The author may edit and send it again only when a reviewer asked for changes.
    pub fn editable(self) -> bool {
        self == RatingStatus::ChangesRequested
    }
}

/// One to five stars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Stars(u8);

impl Stars {
    pub fn new(n: u8) -> Option<Stars> {
        (1..=5).contains(&n).then_some(Stars(n))
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// `★★★★☆` for four.
    pub fn glyphs(self) -> String {
        format!("{}{}", "★".repeat(self.0.into()), "☆".repeat(5 - usize::from(self.0)))
    }
}

impl TryFrom<u8> for Stars {
    type Error = &'static str;

    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Stars::new(n).ok_or("stars are 1 to 5")
    }
}

impl From<Stars> for u8 {
    fn from(s: Stars) -> u8 {
        s.0
    }
}

/// A rating as a form sends it, checked: stars chosen and a text of sensible length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingInput {
    pub stars: Stars,
    pub body: String,
}

impl RatingInput {
    /// Every problem at once, field by field.
    pub fn parse(stars: &str, body: &str) -> Result<RatingInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let stars = stars.trim().parse::<u8>().ok().and_then(Stars::new);
        if stars.is_none() {
            errors.push(FieldError::new("stars", ErrorCode::Required));
        }
        let body = body.trim();
        if body.is_empty() {
            errors.push(FieldError::new("body", ErrorCode::Required));
        } else if body.chars().count() > MAX_REVIEW_CHARS {
            errors.push(FieldError::new("body", ErrorCode::TooLong));
        }
        match stars {
            Some(stars) if errors.is_empty() => Ok(RatingInput { stars, body: body.to_owned() }),
            _ => Err(errors),
        }
    }
}

/// A rating as its author sees it on their order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnRating {
    pub stars: Stars,
    pub body: String,
    pub status: RatingStatus,
    /// The reviewer's reason when it was refused or sent back; empty otherwise.
    pub feedback: String,
}

/// The average of approved ratings, kept in hundredths of a star (`437` is 4.37).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingSummary {
    pub count: u32,
    pub average_hundredths: u16,
}

impl RatingSummary {
    /// From the stored count and average; `None` when nothing is rated yet.
    pub fn from_stored(count: i32, average_hundredths: Option<i16>) -> Option<RatingSummary> {
        match (u32::try_from(count), average_hundredths.and_then(|a| u16::try_from(a).ok())) {
            (Ok(count @ 1..), Some(average_hundredths)) => Some(RatingSummary { count, average_hundredths }),
            _ => None,
        }
    }

    /// The average to one decimal, as shown: `4.4`.
    pub fn average(&self) -> String {
        let tenths = (u32::from(self.average_hundredths) + 5) / 10;
        format!("{}.{}", tenths / 10, tenths % 10)
    }

    /// The average rounded to the nearest half star, in halves (`9` is 4½ stars).
    pub fn half_stars(&self) -> u8 {
        ((u32::from(self.average_hundredths) + 25) / 50).min(10) as u8
    }
}

/// One approved review as the store shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicReview {
    pub stars: Stars,
    pub body: String,
    /// The author's first name and initial ("Mei L."): enough to be a person, not
    /// enough to find them.
    pub author: String,
    pub at: DateTime<Utc>,
}

/// What a product or maker page shows of its ratings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reviews {
    pub summary: Option<RatingSummary>,
    /// Approved ratings per star, one star first.
    pub histogram: [u32; 5],
    /// The newest approved reviews, at most [`RECENT_REVIEWS`].
    pub recent: Vec<PublicReview>,
}

/// "Mei Lin" shows as "Mei L."; a single name as it is.
pub fn public_author(name: &str) -> String {
    let mut words = name.split_whitespace();
    match (words.next(), words.last()) {
        (Some(first), Some(last)) => {
            format!("{first} {}.", last.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default())
        }
        (Some(first), None) => first.to_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_are_one_to_five() {
        assert_eq!(Stars::new(0), None);
        assert_eq!(Stars::new(6), None);
        assert_eq!(Stars::new(5).map(Stars::get), Some(5));
        assert!(Stars::try_from(9).is_err());
    }

    #[test]
    fn a_rating_needs_stars_and_a_text_of_sensible_length() {
        let errors = RatingInput::parse("", "  ").expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["stars", "body"]);
        let long = "x".repeat(MAX_REVIEW_CHARS + 1);
        assert_eq!(RatingInput::parse("4", &long).expect_err("refused")[0].code, ErrorCode::TooLong);
        assert_eq!(RatingInput::parse("7", "fine").expect_err("refused")[0].field, "stars");
        let ok = RatingInput::parse(" 4 ", "  Flies well.  ").expect("accepted");
        assert_eq!((ok.stars.get(), ok.body.as_str()), (4, "Flies well."));
    }

    #[test]
    fn averages_read_to_one_decimal_and_round_to_half_stars() {
        let s = RatingSummary { count: 3, average_hundredths: 433 };
        assert_eq!(s.average(), "4.3");
        assert_eq!(s.half_stars(), 9);
        assert_eq!(RatingSummary { count: 1, average_hundredths: 500 }.average(), "5.0");
        assert_eq!(RatingSummary { count: 2, average_hundredths: 124 }.half_stars(), 2);
        assert_eq!(RatingSummary::from_stored(0, None), None);
        assert_eq!(RatingSummary::from_stored(2, Some(450)), Some(RatingSummary { count: 2, average_hundredths: 450 }));
    }

    #[test]
    fn authors_show_as_first_name_and_initial() {
        assert_eq!(public_author("Mei Lin"), "Mei L.");
        assert_eq!(public_author("  ada  "), "ada");
        assert_eq!(public_author("Jan van der berg"), "Jan B.");
        assert_eq!(public_author(""), "");
    }
}

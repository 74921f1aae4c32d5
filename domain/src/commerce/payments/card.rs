//! Card details as a customer types them. They go to the provider and nowhere else:
//! never stored, and `Debug` shows only the last four digits, so they cannot reach a log.

use chrono::{Datelike, NaiveDate};
use types::{ErrorCode, FieldError, checkout::luhn_valid};

pub struct CardDetails {
    digits: String,
    pub exp_month: u32,
    pub exp_year: i32,
}

impl std::fmt::Debug for CardDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CardDetails(•••• {})", self.last4())
    }
}

impl CardDetails {
    /// Reads a card number (spaces and dashes allowed), an expiry (`MM/YY` or
    /// `MM/YYYY`) and a CVC; every problem is reported on its field.
    pub fn parse(number: &str, expiry: &str, cvc: &str, today: NaiveDate) -> Result<CardDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let digits: String = number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if digits.is_empty() {
            errors.push(FieldError::new("card_number", ErrorCode::Required));
        } else if !luhn_valid(&digits) {
            errors.push(FieldError::new("card_number", ErrorCode::CardInvalid));
        }
        let expiry = parse_expiry(expiry);
        match expiry {
            None => errors.push(FieldError::new("card_expiry", ErrorCode::CardInvalid)),
            // A card is good through the last day of its expiry month.
            Some((month, year)) if (year, month) < (today.year(), today.month()) => {
                errors.push(FieldError::new("card_expiry", ErrorCode::CardExpired));
            }
            Some(_) => {}
        }
        let cvc = cvc.trim();
        if !(3..=4).contains(&cvc.len()) || !cvc.chars().all(|c| c.is_ascii_digit()) {
            errors.push(FieldError::new("card_cvc", ErrorCode::CardInvalid));
        }
        match expiry {
            Some((exp_month, exp_year)) if errors.is_empty() => Ok(CardDetails { digits, exp_month, exp_year }),
            _ => Err(errors),
        }
    }

    pub fn digits(&self) -> &str {
        &self.digits
    }

    pub fn last4(&self) -> &str {
        &self.digits[self.digits.len().saturating_sub(4)..]
    }

    /// The card scheme, from the number's first digits.
    pub fn brand(&self) -> &'static str {
        match self.digits.as_bytes() {
            [b'4', ..] => "Visa",
            [b'5', b'1'..=b'5', ..] | [b'2', ..] => "Mastercard",
            [b'3', b'4' | b'7', ..] => "American Express",
            [b'6', ..] => "UnionPay",
            _ => "Card",
        }
    }
}

fn parse_expiry(raw: &str) -> Option<(u32, i32)> {
    let (month, year) = raw.trim().split_once('/')?;
    let month: u32 = month.trim().parse().ok().filter(|m| (1..=12).contains(m))?;
    let year = year.trim();
    let year: i32 = match year.len() {
        2 => 2000 + year.parse::<i32>().ok()?,
        4 => year.parse().ok()?,
        _ => return None,
    };
    Some((month, year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    fn fields(result: Result<CardDetails, Vec<FieldError>>) -> Vec<(String, ErrorCode)> {
        result.err().unwrap_or_default().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_typed_card_is_read_with_spaces_and_a_two_digit_year() {
        let card = CardDetails::parse("4242 4242-4242 4242", "12/29", "123", today()).ok();
        let card = card.as_ref();
        assert_eq!(card.map(CardDetails::last4), Some("4242"));
        assert_eq!(card.map(CardDetails::brand), Some("Visa"));
        assert_eq!(card.map(|c| c.exp_year), Some(2029));
        assert_eq!(card.map(|c| format!("{c:?}")), Some("CardDetails(•••• 4242)".to_owned()));
    }

    #[test]
    fn every_bad_field_is_named() {
        assert_eq!(
            fields(CardDetails::parse("4242 4242 4242 4241", "13/29", "12", today())),
            vec![
                ("card_number".to_owned(), ErrorCode::CardInvalid),
                ("card_expiry".to_owned(), ErrorCode::CardInvalid),
                ("card_cvc".to_owned(), ErrorCode::CardInvalid),
            ]
        );
        assert_eq!(
            fields(CardDetails::parse("", "10/26", "123", today())),
            vec![("card_number".to_owned(), ErrorCode::Required), ("card_expiry".to_owned(), ErrorCode::CardExpired),]
        );
    }

    #[test]
    fn a_card_is_good_through_its_expiry_month() {
        assert!(CardDetails::parse("4242424242424242", "11/26", "123", today()).is_ok());
        assert!(CardDetails::parse("4242424242424242", "11/2026", "123", today()).is_ok());
    }
}

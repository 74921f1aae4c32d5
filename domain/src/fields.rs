//! Checks for plain form fields that several forms share; each pushes its problem
//! onto the form's error list so a form reports everything at once.

use types::{ErrorCode, FieldError};

/// Trimmed text: required or not, at most `max` characters, no control characters.
pub fn text(field: &'static str, raw: &str, required: bool, max: usize, errors: &mut Vec<FieldError>) -> String {
    let value = raw.trim().to_owned();
    if required && value.is_empty() {
        errors.push(FieldError::new(field, ErrorCode::Required));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, ErrorCode::TooLong));
    } else if value.chars().any(char::is_control) {
        errors.push(FieldError::new(field, ErrorCode::InvalidInput));
    }
    value
}

/// An ISO 3166 alpha-2 country code, upper-cased.
pub fn country(field: &'static str, raw: &str, errors: &mut Vec<FieldError>) -> String {
    let value = raw.trim().to_uppercase();
    if value.len() != 2 || !value.chars().all(|c| c.is_ascii_uppercase()) {
        errors.push(FieldError::new(field, ErrorCode::CountryInvalid));
    }
    value
}

/// An optional phone number in international form: `+`, then 7 to 15 digits with
/// spaces or dashes between.
pub fn phone(field: &'static str, raw: &str, errors: &mut Vec<FieldError>) -> String {
    let value = raw.trim().to_owned();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let ok = value.is_empty()
        || (value.starts_with('+')
            && (7..=15).contains(&digits)
            && value[1..].chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-'));
    if !ok {
        errors.push(FieldError::new(field, ErrorCode::PhoneInvalid));
    }
    value
}

/// Most items a list field (features, tags, compatibility) may hold.
const MAX_LIST: usize = 20;

/// Collects every field's problem so a form hears about all of them at once.
#[derive(Default)]
pub struct Checker {
    pub errors: Vec<FieldError>,
}

impl Checker {
    /// Trimmed text with line ends normalised; required and at most `max` characters.
    pub fn text(&mut self, field: &'static str, raw: &str, required: bool, max: usize) -> String {
        let value = raw.trim().replace("\r\n", "\n");
        if required && value.is_empty() {
            self.errors.push(FieldError::new(field, ErrorCode::Required));
        } else if value.chars().count() > max {
            self.errors.push(FieldError::new(field, ErrorCode::TooLong));
        }
        value
    }

    /// An optional whole number within `min..=max`.
    pub fn number(&mut self, field: &'static str, raw: &str, min: i32, max: i32) -> Option<i32> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<i32>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            Ok(_) => {
                self.errors.push(FieldError::new(field, ErrorCode::OutOfRange));
                None
            }
            Err(_) => {
                self.errors.push(FieldError::new(field, ErrorCode::NotANumber));
                None
            }
        }
    }

    pub fn list(&mut self, field: &'static str, raw: &str) -> Vec<String> {
        let items: Vec<String> =
            raw.split(['\n', ',']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        if items.len() > MAX_LIST || items.iter().any(|i| i.chars().count() > 60) {
            self.errors.push(FieldError::new(field, ErrorCode::TooLong));
        }
        items
    }
}

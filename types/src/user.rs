use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// An email address, trimmed and lower-cased so that uniqueness is case-insensitive.
/// The check is deliberately simple (one `@`, a dotted domain, no spaces): the real
/// proof is the verification mail.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Email, ErrorCode> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(ErrorCode::Required);
        }
        if email.len() > Self::MAX_LEN {
            return Err(ErrorCode::TooLong);
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(ErrorCode::EmailInvalid);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.chars().any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\@".contains(c));
        if domain_ok && local_ok { Ok(Email(email)) } else { Err(ErrorCode::EmailInvalid) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = ErrorCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

/// A display name: trimmed, not empty, at most 80 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(raw: &str) -> Result<PersonName, ErrorCode> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(ErrorCode::Required);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(ErrorCode::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(ErrorCode::BadRequest);
        }
        Ok(PersonName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = ErrorCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PersonName::parse(&value)
    }
}

impl From<PersonName> for String {
    fn from(value: PersonName) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_malformed_ones_refused() {
        assert_eq!(Email::parse("  Ada@Example.COM ").map(|e| e.0), Ok("ada@example.com".into()));
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a da@example.com",
            "ada@ex..com",
            "ada@.com",
            "<a>@example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(Email::parse(""), Err(ErrorCode::Required));
        assert_eq!(Email::parse(&format!("{}@example.com", "a".repeat(250))), Err(ErrorCode::TooLong));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PersonName::parse("  Lin Wei ").map(|n| n.0), Ok("Lin Wei".into()));
        assert_eq!(PersonName::parse("   "), Err(ErrorCode::Required));
        assert_eq!(PersonName::parse(&"名".repeat(81)), Err(ErrorCode::TooLong));
        assert!(PersonName::parse(&"名".repeat(80)).is_ok());
    }
}

use crate::{Email, ErrorCode};

/// A new password that passed the strength rules. Its `Debug` never shows the text.
///
/// The rules follow NIST SP 800-63B: length matters most (at least 10 characters, at
/// most 128 so hashing stays cheap), no composition theatre, but refuse passwords that
/// are common, one repeated character, or the account's own email.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str, email: Option<&Email>) -> Result<Password, ErrorCode> {
        let chars = raw.chars().count();
        if chars == 0 {
            return Err(ErrorCode::Required);
        }
        if chars < Self::MIN_CHARS {
            return Err(ErrorCode::PasswordTooShort);
        }
        if chars > Self::MAX_CHARS {
            return Err(ErrorCode::PasswordTooLong);
        }
        let lower = raw.to_lowercase();
        if let Some(email) = email {
            let local = email.local_part();
            if local.len() >= 4 && lower.contains(local) {
                return Err(ErrorCode::PasswordContainsEmail);
            }
        }
        let distinct = {
            let mut seen: Vec<char> = lower.chars().collect();
            seen.sort_unstable();
            seen.dedup();
            seen.len()
        };
        if distinct < 4 || COMMON.iter().any(|c| lower.contains(c)) && chars < 16 {
            return Err(ErrorCode::PasswordTooWeak);
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Fragments of the most used passwords; a short password built on one is refused.
const COMMON: &[&str] = &[
    "password", "passwort", "123456", "12345678", "qwerty", "azerty", "abc123", "111111", "letmein", "welcome",
    "iloveyou", "admin", "monkey", "dragon", "football", "baseball", "sunshine", "princess", "master", "shadow",
    "trustno1", "1q2w3e", "zxcvbn", "asdfgh", "openaero", "drone",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_rules_refuse_short_common_and_repetitive_passwords() {
        let email = Email::parse("pilot@example.com").ok();
        let check = |p: &str| Password::parse(p, email.as_ref()).map(|_| ());
        assert_eq!(check(""), Err(ErrorCode::Required));
        assert_eq!(check("short1"), Err(ErrorCode::PasswordTooShort));
        assert_eq!(check("aaaaaaaaaaaa"), Err(ErrorCode::PasswordTooWeak));
        assert_eq!(check("Password123"), Err(ErrorCode::PasswordTooWeak));
        assert_eq!(check("mypilot-secret"), Err(ErrorCode::PasswordContainsEmail));
        assert_eq!(check(&"x1".repeat(65)), Err(ErrorCode::PasswordTooLong));
        assert_eq!(check("correct horse battery"), Ok(()));
        assert_eq!(check("Kestrel-7-hover"), Ok(()));
    }

    #[test]
    fn debug_output_hides_the_password() {
        let p = Password::parse("Kestrel-7-hover", None).expect("valid");
        assert_eq!(format!("{p:?}"), "Password(***)");
    }
}

//! The name a file was uploaded under. It is shown and offered as the download name,
//! never used to build a storage key; names that try to reach other paths are refused
//! rather than quietly cleaned, so the uploader knows what happened.

use types::ErrorCode;

use crate::{Error, Result};

const MAX_CHARS: usize = 255;

/// Checks an uploaded file's name, returning it trimmed.
pub fn check(name: &str) -> Result<String> {
    let name = name.trim();
    let refuse = || Error::BadRequest(ErrorCode::FileNameInvalid);
    if name.is_empty() || name.chars().count() > MAX_CHARS {
        return Err(refuse());
    }
    let tricky = name.contains(['/', '\\', '\0'])
        || name.chars().any(char::is_control)
        || name == "."
        || name.starts_with("..")
        || name.contains("..")
        || name.starts_with('.');
    if tricky { Err(refuse()) } else { Ok(name.to_owned()) }
}

/// The name for a `Content-Disposition` header: quotes and non-ASCII characters are
/// replaced in the plain form; `filename*` carries the exact name.
pub fn content_disposition(inline: bool, name: &str) -> String {
    let plain: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' || c == ' ' { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass_and_path_tricks_are_refused() {
        assert_eq!(check("  Spec sheet v2.pdf ").expect("ok"), "Spec sheet v2.pdf");
        assert_eq!(check("营业执照.jpg").expect("ok"), "营业执照.jpg");
        for bad in ["../../etc/passwd", "a/b.png", "a\\b.png", "..", ".htaccess", "x\0.png", "x\n.png", "", "a..b"] {
            assert!(check(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(check(&"a".repeat(256)).is_err());
    }

    #[test]
    fn download_names_cannot_break_the_header() {
        assert_eq!(
            content_disposition(false, "a\"b é.pdf"),
            "attachment; filename=\"a_b _.pdf\"; filename*=UTF-8''a%22b%20%C3%A9.pdf"
        );
    }
}

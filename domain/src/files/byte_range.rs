//! HTTP byte ranges (RFC 9110 §14), so a video can be scrubbed and a large download
//! resumed. One range per request; a header asking for several, or one this parser
//! does not understand, gets the whole file, as the RFC allows.

use std::ops::Range;

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    Whole,
    /// The bytes `start..end` (end exclusive).
    Part(Range<u64>),
    /// Nothing the file has: answer 416.
    Unsatisfiable,
}

pub fn parse(header: Option<&str>, size: u64) -> Wanted {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let number = |s: &str| if s.is_empty() { Some(None) } else { s.parse::<u64>().ok().map(Some) };
    let (Some(first), Some(last)) = (number(first.trim()), number(last.trim())) else {
        return Wanted::Whole;
    };
    match (first, last) {
        // The last `n` bytes.
        (None, Some(n)) if n == 0 || size == 0 => Wanted::Unsatisfiable,
        (None, Some(n)) => Wanted::Part(size.saturating_sub(n)..size),
        (Some(start), _) if start >= size => Wanted::Unsatisfiable,
        (Some(start), None) => Wanted::Part(start..size),
        (Some(start), Some(end)) if end < start => Wanted::Whole,
        (Some(start), Some(end)) => Wanted::Part(start..end.saturating_add(1).min(size)),
        (None, None) => Wanted::Whole,
    }
}

/// The `Content-Range` value for a part of a file of `size` bytes.
pub fn content_range(part: &Range<u64>, size: u64) -> String {
    format!("bytes {}-{}/{size}", part.start, part.end.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_browsers_send_them() {
        let size = 1000;
        assert_eq!(parse(None, size), Wanted::Whole);
        assert_eq!(parse(Some("bytes=0-"), size), Wanted::Part(0..1000));
        assert_eq!(parse(Some("bytes=100-199"), size), Wanted::Part(100..200));
        assert_eq!(parse(Some("bytes=900-5000"), size), Wanted::Part(900..1000), "clipped to the file");
        assert_eq!(parse(Some("bytes=-100"), size), Wanted::Part(900..1000));
        assert_eq!(parse(Some("bytes=-5000"), size), Wanted::Part(0..1000));
        assert_eq!(parse(Some("bytes=1000-"), size), Wanted::Unsatisfiable);
        assert_eq!(parse(Some("bytes=-0"), size), Wanted::Unsatisfiable);
        for odd in ["bytes=0-1,5-9", "items=0-1", "bytes=abc", "bytes=5-1", "bytes=-"] {
            assert_eq!(parse(Some(odd), size), Wanted::Whole, "{odd}");
        }
        assert_eq!(content_range(&(100..200), size), "bytes 100-199/1000");
    }
}

//! What a file is, read from its first bytes. The name and the browser's declared type
//! are never trusted: a renamed executable is refused whatever it is called.

use types::files::FileKind;

/// How many leading bytes [`detect`] needs to decide.
pub const HEADER_LEN: usize = 16;

/// The kind and media type of a file from its first bytes, if it is one we accept.
pub fn detect(head: &[u8]) -> Option<(FileKind, &'static str)> {
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Some((FileKind::Image, "image/jpeg"))
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some((FileKind::Image, "image/png"))
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some((FileKind::Image, "image/gif"))
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        Some((FileKind::Image, "image/webp"))
    } else if starts(b"%PDF-") {
        Some((FileKind::Document, "application/pdf"))
    } else if head.get(4..8) == Some(b"ftyp") {
        Some((FileKind::Video, "video/mp4"))
    } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some((FileKind::Video, "video/webm"))
    } else {
        None
    }
}

/// Whether the end of a file of this type looks like a complete file: a PDF cut short
/// (an interrupted export) has no end-of-file marker in its last kilobyte.
pub fn tail_is_complete(content_type: &str, tail: &[u8]) -> bool {
    match content_type {
        "application/pdf" => tail.windows(5).any(|w| w == b"%%EOF"),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_content_not_their_name() {
        assert_eq!(detect(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0"), Some((FileKind::Image, "image/jpeg")));
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some((FileKind::Image, "image/png")));
        assert_eq!(detect(b"RIFF\x24\0\0\0WEBPVP8 "), Some((FileKind::Image, "image/webp")));
        assert_eq!(detect(b"%PDF-1.7\n%\xE2\xE3"), Some((FileKind::Document, "application/pdf")));
        assert_eq!(detect(b"\0\0\0\x20ftypisom\0\0\x02\0"), Some((FileKind::Video, "video/mp4")));
        // An executable, a script and an SVG (which can carry script) are refused.
        assert_eq!(detect(b"MZ\x90\0\x03\0\0\0\x04\0\0\0"), None);
        assert_eq!(detect(b"#!/bin/sh\nrm -rf /"), None);
        assert_eq!(detect(b"<svg xmlns=\"http://www.w3.org/2000/svg\">"), None);
        assert_eq!(detect(b""), None);
    }

    #[test]
    fn a_pdf_cut_short_is_noticed() {
        assert!(tail_is_complete("application/pdf", b"trailer\n<<>>\nstartxref\n9\n%%EOF\n"));
        assert!(!tail_is_complete("application/pdf", b"stream\nBT /F1 12 Tf (Hel"));
        assert!(tail_is_complete("video/mp4", b"anything"));
    }
}

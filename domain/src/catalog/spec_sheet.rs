//! A product's specification sheet as a one-page PDF, drawn from the live catalog
//! (so it never disagrees with the product page): specifications, price, and the
//! certificate with its test results, marked expired when it is.
//!
//! The PDF is written by hand: one page, the standard Helvetica fonts, text only.
//! Those fonts cover Latin-1, so the sheet is in English and other characters are
//! replaced.

use std::fmt::Write;
use types::TextEnum;

use chrono::Utc;
use types::{Locale, catalog::ProductDetail};

const PAGE_WIDTH: u32 = 595;
const PAGE_HEIGHT: u32 = 842;
const MARGIN: u32 = 50;
/// Lines below this are not drawn; the sheet says where the rest is.
const BOTTOM: u32 = 70;

/// Text in a PDF string: Latin-1 only, with `\`, `(` and `)` escaped.
fn pdf_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            '×' => out.push('x'),
            '–' | '—' => out.push('-'),
            c if (c as u32) < 0x20 => out.push(' '),
            c if (c as u32) <= 0xFF => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

/// Lines of text with their font and size, laid out top to bottom.
struct Page {
    ops: String,
    y: u32,
    truncated: bool,
}

impl Page {
    fn new() -> Page {
        Page { ops: String::new(), y: PAGE_HEIGHT - MARGIN, truncated: false }
    }

    fn line(&mut self, bold: bool, size: u32, x: u32, text: &str) {
        if self.y < BOTTOM {
            self.truncated = true;
            return;
        }
        let font = if bold { "F2" } else { "F1" };
        let _ = writeln!(self.ops, "BT /{font} {size} Tf {x} {} Td ({}) Tj ET", self.y, pdf_text(text));
    }

    fn advance(&mut self, by: u32) {
        self.y = self.y.saturating_sub(by);
    }

    /// A label and its value on one row.
    fn row(&mut self, label: &str, value: &str) {
        self.line(true, 10, MARGIN, label);
        self.line(false, 10, MARGIN + 150, value);
        self.advance(15);
    }

    fn heading(&mut self, text: &str) {
        self.advance(10);
        self.line(true, 13, MARGIN, text);
        self.advance(20);
    }

    fn rule(&mut self) {
        let _ = writeln!(self.ops, "0.8 w {MARGIN} {} m {} {} l S", self.y + 8, PAGE_WIDTH - MARGIN, self.y + 8);
        self.advance(6);
    }
}

/// Where the product's sheet is served (server::media::spec_sheet).
pub fn url(slug: &str) -> String {
    format!("/media/spec-sheets/{slug}.pdf")
}

/// The sheet for `p` (read in English), linking back to `page_url`.
pub fn render(p: &ProductDetail, page_url: &str) -> Vec<u8> {
    let mut page = Page::new();
    page.line(true, 20, MARGIN, &p.name);
    page.advance(22);
    let maker = if p.creator.verified {
        format!("{} (verified maker)", p.creator.display_name)
    } else {
        p.creator.display_name.clone()
    };
    page.line(false, 11, MARGIN, &format!("by {maker} - {}", p.category.name));
    page.advance(18);
    page.line(false, 10, MARGIN, &p.summary);
    page.advance(10);
    page.rule();

    page.heading("Specifications");
    let s = &p.specs;
    // The product page's rows (from `types::specs`), written in the sheet's fonts.
    let price = [("Price".to_owned(), p.price.format(Locale::En))];
    let others = [("Weather resistance", s.ip_rating.clone()), ("Compatibility", Some(s.compatibility.join(", ")))]
        .into_iter()
        .filter_map(|(label, value)| value.filter(|v| !v.is_empty()).map(|v| (label.to_owned(), v)));
    let rows = price.into_iter().chain(s.measures.rows(Locale::En)).chain(others);
    for (label, value) in rows {
        page.row(&label, &value);
    }
    if !s.features.is_empty() {
        page.heading("Features");
        for feature in &s.features {
            page.line(false, 10, MARGIN + 10, &format!("- {feature}"));
            page.advance(14);
        }
    }

    page.heading("Certification");
    match &p.certification {
        None => {
            page.line(false, 10, MARGIN, "Not certified by OpenAero.");
            page.advance(15);
        }
        Some(c) => {
            let status = if c.valid { "valid" } else { "EXPIRED - no longer valid" };
            page.row("Level", &format!("{} ({status})", c.level.as_str()));
            page.row("Certified by", &c.body);
            page.row("Granted", &c.granted_at.format("%Y-%m-%d").to_string());
            page.row("Expires", &c.expires_at.format("%Y-%m-%d").to_string());
            page.advance(4);
            for t in &c.tests {
                let verdict = if t.passed { "pass" } else { "FAIL" };
                let line = format!(
                    "{verdict}  {}: {} = {} {} ({})",
                    t.test_name,
                    t.metric,
                    t.value,
                    t.unit,
                    t.tested_at.format("%Y-%m-%d")
                );
                page.line(false, 9, MARGIN + 10, &line);
                page.advance(13);
            }
        }
    }
    let more = if page.truncated { "More on the product page: " } else { "Current price, stock and certificate: " };
    let generated = format!("Generated {} UTC from the OpenAero catalog.", Utc::now().format("%Y-%m-%d %H:%M"));
    page.y = 50;
    page.truncated = false;
    page.line(false, 8, MARGIN, &generated);
    page.advance(11);
    page.line(false, 8, MARGIN, &format!("{more}{page_url}"));
    document(&page.ops)
}

/// The objects around one page of drawing operations, with the cross-reference
/// table PDF readers use to find them.
fn document(content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>"
        ),
        format!("<< /Length {} >>\nstream\n{content}endstream", latin1(content).len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(latin1(&format!("{} 0 obj\n{body}\nendobj\n", i + 1)));
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(table, "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    out.extend(table.bytes());
    out
}

/// PDF strings here are Latin-1 bytes (`pdf_text` kept every character in range).
fn latin1(text: &str) -> Vec<u8> {
    text.chars().map(|c| u8::try_from(c as u32).unwrap_or(b'?')).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_kept_to_latin_1() {
        assert_eq!(pdf_text(r"Kestrel (VTOL) \ 4K"), r"Kestrel \(VTOL\) \\ 4K");
        assert_eq!(pdf_text("红隼 Café"), "?? Café");
    }

    #[test]
    fn the_cross_reference_table_points_at_every_object() {
        let pdf = document("BT /F1 10 Tf 50 700 Td (Hello) Tj ET\n");
        let text = String::from_utf8_lossy(&pdf).into_owned();
        assert!(text.starts_with("%PDF-1.4") && text.ends_with("%%EOF\n"));
        let start: usize = text.lines().rev().nth(1).and_then(|l| l.parse().ok()).expect("startxref");
        assert!(text[start..].starts_with("xref"));
        for (i, line) in text[start..].lines().skip(3).take(6).enumerate() {
            let offset: usize = line[..10].parse().expect("offset");
            assert!(text[offset..].starts_with(&format!("{} 0 obj", i + 1)), "object {}", i + 1);
        }
    }
}

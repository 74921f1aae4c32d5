//! Rows in PostgreSQL's COPY text format, so large catalogs and batches of analytics
//! events load at disk speed.

use std::fmt::Display;

use sqlx::PgConnection;

use crate::Result;

/// Runs `statement` (a `copy … from stdin`) with `data` as its rows.
pub async fn copy_in(conn: &mut PgConnection, statement: &str, data: String) -> Result<()> {
    if data.is_empty() {
        return Ok(());
    }
    let mut copy = conn.copy_in_raw(statement).await?;
    copy.send(data.into_bytes()).await?;
    copy.finish().await?;
    Ok(())
}

/// Builds COPY text rows: tab-separated fields, `\N` for null, one row per line.
pub struct CopyBuffer {
    text: String,
    at_row_start: bool,
}

impl Default for CopyBuffer {
    fn default() -> Self {
        Self { text: String::new(), at_row_start: true }
    }
}

impl CopyBuffer {
    pub fn new() -> Self {
        Self::default()
    }

    fn sep(&mut self) {
        if !self.at_row_start {
            self.text.push('\t');
        }
        self.at_row_start = false;
    }

    pub fn text(&mut self, value: &str) -> &mut Self {
        self.sep();
        escape_into(&mut self.text, value);
        self
    }

    pub fn value(&mut self, value: impl Display) -> &mut Self {
        self.text(&value.to_string())
    }

    pub fn opt(&mut self, value: Option<impl Display>) -> &mut Self {
        match value {
            Some(v) => self.value(v),
            None => {
                self.sep();
                self.text.push_str("\\N");
                self
            }
        }
    }

    /// A `text[]` literal: `{"a","b"}`.
    pub fn array(&mut self, values: &[impl AsRef<str>]) -> &mut Self {
        let mut literal = String::from("{");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                literal.push(',');
            }
            literal.push('"');
            for c in v.as_ref().chars() {
                if c == '"' || c == '\\' {
                    literal.push('\\');
                }
                literal.push(c);
            }
            literal.push('"');
        }
        literal.push('}');
        self.text(&literal)
    }

    pub fn end_row(&mut self) {
        self.text.push('\n');
        self.at_row_start = true;
    }

    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.text)
    }
}

/// `rows` (COPY text) with one more field at the end of each row: `values`, in order.
pub fn append_column(rows: &str, values: &[String]) -> anyhow::Result<String> {
    let mut out = String::with_capacity(rows.len() + values.iter().map(|v| v.len() + 1).sum::<usize>());
    let mut values = values.iter();
    // Fields escape their line breaks, so every newline ends a row.
    for row in rows.split_terminator('\n') {
        let value = values.next().ok_or_else(|| anyhow::anyhow!("fewer values than COPY rows"))?;
        out.push_str(row);
        out.push('\t');
        escape_into(&mut out, value);
        out.push('\n');
    }
    anyhow::ensure!(values.next().is_none(), "more values than COPY rows");
    Ok(out)
}

fn escape_into(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_escaped_and_nulls_marked() {
        let mut b = CopyBuffer::default();
        b.text("a\tb\\c\nd").opt(None::<i32>).value(42).array(&["x\"y", "z"]);
        b.end_row();
        assert_eq!(b.take(), "a\\tb\\\\c\\nd\t\\N\t42\t{\"x\\\\\"y\",\"z\"}\n");
    }

    #[test]
    fn a_column_is_appended_to_every_row() {
        let mut b = CopyBuffer::default();
        b.text("a\nb").value(1);
        b.end_row();
        b.text("c").value(2);
        b.end_row();
        let rows = b.take();
        let out = append_column(&rows, &["'x':1A".to_owned(), "y\\z".to_owned()]).expect("same count");
        assert_eq!(out, "a\\nb\t1\t'x':1A\nc\t2\ty\\\\z\n");
        assert!(append_column(&rows, &["only one".to_owned()]).is_err());
        assert!(append_column(&rows, &["1".to_owned(), "2".to_owned(), "3".to_owned()]).is_err());
    }
}

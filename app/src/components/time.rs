//! Times as pages show them, and as `<time datetime>` states them for machines.

use chrono::{DateTime, SecondsFormat, Utc};

/// A timestamp for tables and lists: `2026-11-26 18:30` (UTC).
pub fn short_time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// The `datetime` attribute of a `<time>`: whole seconds, as HTML's grammar wants
/// them (`2026-11-26T18:30:05Z`; the database's microseconds are not valid there).
pub fn machine_time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn machine_times_have_whole_seconds() {
        let t = Utc.with_ymd_and_hms(2026, 11, 26, 18, 30, 5).single().expect("a time")
            + chrono::Duration::microseconds(123_456);
        assert_eq!(machine_time(&t), "2026-11-26T18:30:05Z");
        assert_eq!(short_time(&t), "2026-11-26 18:30");
    }
}

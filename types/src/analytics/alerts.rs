//! Alert rules on the store's figures: one figure over the last so many minutes,
//! compared with a threshold, optionally only between two hours of the day (UTC).

use serde::{Deserialize, Serialize};

/// Where the rules are kept and changed, and where an alert's notice links.
pub const ALERTS_PATH: &str = "/admin/analytics/alerts";

/// A figure a rule can watch.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Metric {
    PaidOrders,
    Refunds,
    PageViews,
    CheckoutsStarted,
    /// The share of searches that found nothing, in whole percent.
    ZeroResultShare,
}

impl Metric {
    /// A share (whole percent, 0–100) rather than a count.
    pub fn is_share(self) -> bool {
        matches!(self, Metric::ZeroResultShare)
    }
}

/// Which side of the threshold is trouble.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Comparison {
    Below,
    Above,
}

impl Comparison {
    /// Whether `value` is on the trouble side of `threshold` (strictly).
    pub fn crossed(self, value: i64, threshold: i64) -> bool {
        match self {
            Comparison::Below => value < threshold,
            Comparison::Above => value > threshold,
        }
    }
}

/// The hours of the day (UTC) a rule is watched: `from` included, `to` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hours {
    pub from: u8,
    pub to: u8,
}

impl Hours {
    pub fn contains(self, hour: u32) -> bool {
        (u32::from(self.from)..u32::from(self.to)).contains(&hour)
    }
}

/// A rule as an admin writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleDraft {
    pub name: String,
    pub metric: Metric,
    pub comparison: Comparison,
    pub threshold: i64,
    pub window_minutes: i32,
    /// `None`: all day.
    pub hours: Option<Hours>,
}

/// A rule with what its last check found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRule {
    pub id: String,
    pub rule: RuleDraft,
    /// Crossed at the last check, and not recovered since.
    pub firing: bool,
    /// The figure at the last check; `None` before the first.
    pub last_value: Option<i64>,
    /// When it last crossed or recovered (`YYYY-MM-DD HH:MM UTC`).
    pub changed_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_itself_is_not_trouble() {
        assert!(Comparison::Below.crossed(0, 1));
        assert!(!Comparison::Below.crossed(1, 1));
        assert!(Comparison::Above.crossed(6, 5));
        assert!(!Comparison::Above.crossed(5, 5));
    }

    #[test]
    fn watched_hours_include_the_first_and_not_the_last() {
        let day = Hours { from: 8, to: 20 };
        assert!(day.contains(8) && day.contains(19));
        assert!(!day.contains(20) && !day.contains(7));
    }
}

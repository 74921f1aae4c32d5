//! Profile and preference payloads: what the profile form sends and shows.

use crate::text_enum::TextEnum;
use serde::{Deserialize, Serialize};

use crate::{ErrorCode, FieldError, Locale};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub bio: String,
    pub location: String,
    pub website: String,
    pub social_links: Vec<String>,
}

impl Profile {
    pub const MAX_BIO_CHARS: usize = 2000;
    pub const MAX_LOCATION_CHARS: usize = 120;
    pub const MAX_SOCIAL_LINKS: usize = 6;

    /// Trims every field and checks each one, reporting all problems at once.
    pub fn validate(mut self) -> Result<Profile, Vec<FieldError>> {
        let mut errors = Vec::new();
        self.name = self.name.trim().to_owned();
        if let Err(code) = crate::PersonName::parse(&self.name) {
            errors.push(FieldError::new("name", code));
        }
        self.bio = self.bio.trim().to_owned();
        if self.bio.chars().count() > Self::MAX_BIO_CHARS {
            errors.push(FieldError::new("bio", ErrorCode::TooLong));
        }
        self.location = self.location.trim().to_owned();
        if self.location.chars().count() > Self::MAX_LOCATION_CHARS {
            errors.push(FieldError::new("location", ErrorCode::TooLong));
        }
        self.website = self.website.trim().to_owned();
        if !self.website.is_empty() && !is_web_url(&self.website) {
            errors.push(FieldError::new("website", ErrorCode::UrlInvalid));
        }
        self.social_links = self.social_links.iter().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect();
        if self.social_links.len() > Self::MAX_SOCIAL_LINKS {
            errors.push(FieldError::new("social_links", ErrorCode::TooLong));
        } else if !self.social_links.iter().all(|l| is_web_url(l)) {
            errors.push(FieldError::new("social_links", ErrorCode::UrlInvalid));
        }
        if errors.is_empty() { Ok(self) } else { Err(errors) }
    }
}

/// An absolute http(s) address with a host and no spaces, at most 300 characters.
pub fn is_web_url(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            s.len() <= 300
                && host.contains('.')
                && !host.starts_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        }
        None => false,
    }
}

/// A person's mobile number for text messages, as their account page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneStatus {
    /// The number texts go to, once proven with a code.
    pub number: Option<String>,
    /// A number a code was sent to and not yet typed back.
    pub pending: Option<String>,
    /// Whether this deployment sends text messages at all.
    pub available: bool,
}

/// The browsers and phones that show a person's notices (Web Push).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushStatus {
    /// The site's public key browsers subscribe with; none when push is not offered.
    pub public_key: Option<String>,
    pub devices: Vec<PushDevice>,
}

/// One subscribed browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushDevice {
    pub id: crate::ids::PushSubscriptionId,
    /// What the browser said it was when it subscribed: "Firefox on Android".
    pub device: String,
    /// Its push service's address, which the page compares with its own to say
    /// "this device".
    pub endpoint: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Channels a notification can travel by: in the app, mail, text messages (to a
/// proven number) and push (to the browsers a person subscribed).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum NotificationChannel {
    InApp,
    Email,
    Sms,
    Push,
}

/// The kinds of notification a user can switch on or off per channel.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum NotificationKind {
    OrderUpdates,
    ReviewDecisions,
    Payouts,
    AccountSecurity,
    Marketing,
    /// The store's week in figures, each Monday, for those who read the analytics.
    AnalyticsSummary,
    /// What came into the review queue, an hour at a time, for reviewers.
    ReviewQueue,
    /// A maker's listings: stock running out, a certificate about to expire.
    Listings,
    /// Announcements from OpenAero to everyone of a role.
    Announcements,
    /// An analytics alert rule crossed its threshold or recovered, for those who read the analytics.
    Alerts,
}

impl NotificationKind {
    /// What a new account gets: everything useful on, marketing and the weekly summary off.
    pub fn default_on(self, channel: NotificationChannel) -> bool {
        match self {
            Self::Marketing | Self::AnalyticsSummary => false,
            _ => matches!(channel, NotificationChannel::InApp | NotificationChannel::Email),
        }
    }

    /// Security notices always come in the app and by mail: they cannot be switched off.
    pub fn locked_on(self, channel: NotificationChannel) -> bool {
        self == Self::AccountSecurity && matches!(channel, NotificationChannel::InApp | NotificationChannel::Email)
    }

    /// The permission an account needs for this kind to concern it (it is offered only then).
    pub fn needs(self) -> Option<crate::Permission> {
        match self {
            Self::AnalyticsSummary | Self::Alerts => Some(crate::Permission::ViewAnalytics),
            Self::ReviewQueue => Some(crate::Permission::ReviewQueue),
            Self::Listings => Some(crate::Permission::CreatorPortal),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    pub locale: Locale,
    /// Every (kind, channel) pair that is switched on.
    pub enabled: Vec<(NotificationKind, NotificationChannel)>,
}

impl Preferences {
    pub fn defaults(locale: Locale) -> Self {
        let enabled = NotificationKind::ALL
            .iter()
            .copied()
            .flat_map(|k| NotificationChannel::ALL.iter().copied().map(move |c| (k, c)))
            .filter(|(k, c)| k.default_on(*c))
            .collect();
        Self { locale, enabled }
    }

    pub fn is_on(&self, kind: NotificationKind, channel: NotificationChannel) -> bool {
        kind.locked_on(channel) || self.enabled.contains(&(kind, channel))
    }

    /// The form value of one checkbox: `kind:channel`.
    pub fn pair_value(kind: NotificationKind, channel: NotificationChannel) -> String {
        format!("{}:{}", kind.as_str(), channel.as_str())
    }

    /// Reads checkbox values back; `None` if any is not a known `kind:channel` pair.
    pub fn parse_pairs(values: &[String]) -> Option<Vec<(NotificationKind, NotificationChannel)>> {
        values
            .iter()
            .map(|v| {
                let (kind, channel) = v.split_once(':')?;
                Some((NotificationKind::parse(kind)?, NotificationChannel::parse(channel)?))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_validation_reports_every_bad_field() {
        let profile = Profile {
            name: " ".into(),
            bio: "x".repeat(2001),
            location: "Shenzhen".into(),
            website: "javascript:alert(1)".into(),
            social_links: vec!["https://github.com/ada".into(), "".into()],
        };
        let errors = profile.validate().expect_err("invalid");
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "bio", "website"]);
    }

    #[test]
    fn only_absolute_web_addresses_are_links() {
        assert!(is_web_url("https://openaero.example/pilots/ada"));
        assert!(!is_web_url("ftp://example.com"));
        assert!(!is_web_url("https://localhost"));
        assert!(!is_web_url("https://exa mple.com"));
        assert!(!is_web_url("https://example.com/\"onmouseover"));
    }
}

/// Where a mail's unsubscribe link points: the page that asks first, and where mail
/// clients send the one-click `POST` (RFC 8058).
pub const UNSUBSCRIBE_PATH: &str = "/unsubscribe";

/// What a one-click unsubscribe link would stop, shown before the reader confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribeChoice {
    pub topic: NotificationKind,
    /// Partly hidden: the page is open to whoever holds the link.
    pub email: String,
    /// Whether that mail is still on.
    pub on: bool,
}

/// Where a person downloads everything stored about them (JSON).
pub const EXPORT_PATH: &str = "/account/export";
/// Where a closed account's last page says so.
pub const CLOSED_PATH: &str = "/account-closed";

/// What has to happen before an account can be closed.
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
pub enum ClosingBlocker {
    /// An order of theirs is unpaid, paid or on its way: it has to arrive (or be
    /// cancelled) first.
    OrdersOnTheirWay,
    /// A maker has paid sales to ship.
    SalesToFulfil,
    /// A maker has money pending, available or in a payout: it is paid out first.
    MoneyToPayOut,
    /// The only admin: another has to be made admin first.
    LastAdmin,
}

/// What closing an account would do, shown before the person confirms.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClosingPreview {
    /// Empty when the account can be closed now.
    pub blockers: Vec<ClosingBlocker>,
    /// Orders kept for the books, without the person's name or street.
    pub orders_kept: u32,
    /// A maker's products taken off sale.
    pub products_archived: u32,
}

//! The words of each notice, per kind × channel × language, kept as versioned
//! templates that admins edit, and of the account mails (confirming an address, a
//! reset link), which go by mail only. A template is text with `{{variable}}` places;
//! each kind offers its own variables, and a template naming any other is refused.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Locale, notifications::NotificationKind, profile::NotificationChannel};

/// Limits, in characters.
pub const MAX_SUBJECT: usize = 200;
pub const MAX_BODY: usize = 5_000;

/// Whether the channel's messages have a subject (a mail's, a push notice's title)
/// besides their text.
pub fn has_subject(channel: NotificationChannel) -> bool {
    matches!(channel, NotificationChannel::Email | NotificationChannel::Push)
}

/// A mail about the account itself, sent once to whoever asked for it and outside the
/// notices: nobody chooses whether to get it, and it exists by mail only, because
/// most carry a one-time link that must not sit in an app's list or on a lock screen.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AccountMail {
    /// The link that confirms a new account's address (`link`).
    VerifyEmail,
    /// The address is confirmed: what to do first.
    Welcome,
    /// Someone tried to register an address that has an account.
    DuplicateRegistration,
    /// The link that sets a new password (`link`).
    ResetPassword,
    /// The account was closed as its owner asked: the last mail to the address.
    AccountClosed,
}

impl AccountMail {
    /// Whether the mail is its one-time link: without `{{link}}` it would be useless.
    pub fn carries_link(self) -> bool {
        matches!(self, Self::VerifyEmail | Self::ResetPassword)
    }
}

/// What a template words: a notice of some kind, or an account mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TemplateKind {
    Notice(NotificationKind),
    Account(AccountMail),
}

impl TemplateKind {
    /// Every kind, the notices first, in the order the code names them.
    pub fn all() -> impl Iterator<Item = TemplateKind> {
        use strum::VariantArray;
        let notices = NotificationKind::VARIANTS.iter().map(|&kind| Self::Notice(kind));
        notices.chain(AccountMail::VARIANTS.iter().map(|&mail| Self::Account(mail)))
    }

    /// The channels it has templates on: a notice every one, an account mail only mail.
    pub fn channels(self) -> &'static [NotificationChannel] {
        use crate::TextEnum;
        match self {
            Self::Notice(_) => NotificationChannel::ALL,
            Self::Account(_) => &[NotificationChannel::Email],
        }
    }

    /// Its name in paths and in the table (the two enums' names do not overlap).
    pub fn as_str(self) -> &'static str {
        use crate::TextEnum;
        match self {
            Self::Notice(kind) => kind.as_str(),
            Self::Account(mail) => mail.as_str(),
        }
    }

    pub fn parse(name: &str) -> Option<TemplateKind> {
        use crate::TextEnum;
        NotificationKind::parse(name).map(Self::Notice).or_else(|| AccountMail::parse(name).map(Self::Account))
    }
}

impl From<NotificationKind> for TemplateKind {
    fn from(kind: NotificationKind) -> Self {
        Self::Notice(kind)
    }
}

/// Which template: one kind, on one channel, in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TemplateKey {
    pub kind: TemplateKind,
    pub channel: NotificationChannel,
    pub locale: Locale,
}

impl TemplateKey {
    /// The template a page's path names (`order_paid`, `email`, `zh`); `None` for a
    /// kind, channel or language there is none of, and for a channel the kind does not
    /// go by.
    pub fn parse(kind: &str, channel: &str, locale: &str) -> Option<TemplateKey> {
        use crate::TextEnum;
        let kind = TemplateKind::parse(kind)?;
        let channel = NotificationChannel::parse(channel).filter(|c| kind.channels().contains(c))?;
        Some(TemplateKey { kind, channel, locale: Locale::from_tag(locale)? })
    }

    /// The console page that edits it: `/admin/templates/order_paid/email/zh`.
    pub fn path(&self) -> String {
        use crate::TextEnum;
        format!("/admin/templates/{}/{}/{}", self.kind.as_str(), self.channel.as_str(), self.locale.tag())
    }
}

/// A template's words: the subject (empty on channels without one) and the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateText {
    pub subject: String,
    pub body: String,
}

/// One saved version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateVersion {
    pub version: i32,
    pub text: TemplateText,
    /// Who saved it; none for the first version, which is the text from the code.
    pub author: Option<String>,
    /// The earlier version this one brought back.
    pub restored_from: Option<i32>,
    pub created_at: DateTime<Utc>,
}

/// A template as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSummary {
    pub key: TemplateKey,
    pub version: i32,
    pub author: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A variable a kind offers, with what it holds and an example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    pub name: String,
    pub meaning: String,
    pub sample: String,
}

/// Everything the editing page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateDetail {
    pub key: TemplateKey,
    pub variables: Vec<Variable>,
    /// Newest first; the first is the one in use.
    pub history: Vec<TemplateVersion>,
}

/// A template filled with sample values, as its reader would get it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// What the editor asked for with the text it sent.
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
pub enum Intent {
    /// Show it filled with sample values.
    Preview,
    /// Keep it as the newest version, in use from now on.
    Save,
    /// Mail it, filled with sample values, to the admin.
    Test,
}

/// What came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Previewed(Rendered),
    Saved(i32),
    Tested,
}

/// Why a template's text cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TemplateError {
    /// `{{name}}` names no variable of this kind.
    UnknownVariable(String),
    /// A `{{` without its `}}`, or `{{}}`.
    Malformed,
}

/// One piece of a template: words as written, or a variable's place.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Variable(&'a str),
}

fn pieces(template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        pieces.push(Piece::Text(&rest[..open]));
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or(TemplateError::Malformed)?;
        let name = after[..close].trim();
        let well_formed = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !well_formed {
            return Err(TemplateError::Malformed);
        }
        pieces.push(Piece::Variable(name));
        rest = &after[close + 2..];
    }
    pieces.push(Piece::Text(rest));
    Ok(pieces)
}

/// Checks that `template` is well formed and names only `allowed` variables.
pub fn check(template: &str, allowed: &[&str]) -> Result<(), TemplateError> {
    for piece in pieces(template)? {
        if let Piece::Variable(name) = piece
            && !allowed.contains(&name)
        {
            return Err(TemplateError::UnknownVariable(name.to_owned()));
        }
    }
    Ok(())
}

/// Whether `template` fills in `variable` somewhere.
pub fn uses(template: &str, variable: &str) -> bool {
    pieces(template).is_ok_and(|pieces| pieces.contains(&Piece::Variable(variable)))
}

/// Fills `template` with `values`. A variable without a value (an old notice written
/// before the kind offered it) is left empty rather than shown as braces; a template
/// that no longer parses is shown as written.
pub fn render(template: &str, values: &BTreeMap<String, String>) -> String {
    let Ok(pieces) = pieces(template) else { return template.to_owned() };
    pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => text,
            Piece::Variable(name) => values.get(name).map_or("", String::as_str),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_filled_in_and_words_kept() {
        let values = BTreeMap::from([("order".to_owned(), "OA-1".to_owned()), ("name".to_owned(), "Ada".to_owned())]);
        assert_eq!(render("Hello {{name}}, order {{ order }} is paid.", &values), "Hello Ada, order OA-1 is paid.");
        assert_eq!(render("{{missing}}!", &values), "!");
        assert_eq!(render("订单 {{order}} 已确认", &values), "订单 OA-1 已确认");
    }

    #[test]
    fn an_unknown_or_broken_variable_is_refused() {
        assert_eq!(check("Hi {{name}} {{total}}", &["name"]), Err(TemplateError::UnknownVariable("total".into())));
        assert_eq!(check("Hi {{name", &["name"]), Err(TemplateError::Malformed));
        assert_eq!(check("Hi {{}}", &["name"]), Err(TemplateError::Malformed));
        assert_eq!(check("Hi {{na me}}", &["name"]), Err(TemplateError::Malformed));
        assert_eq!(check("Hi {{name}}, braces } alone are words", &["name"]), Ok(()));
        assert!(uses("Open {{ link }} once", "link"));
        assert!(!uses("Open link once", "link"));
    }

    #[test]
    fn a_key_is_its_page() {
        let kind = NotificationKind::OrderPaid.into();
        let key = TemplateKey { kind, channel: NotificationChannel::Email, locale: Locale::Zh };
        assert_eq!(key.path(), "/admin/templates/order_paid/email/zh");
        assert_eq!(TemplateKey::parse("order_paid", "email", "zh"), Some(key));
        assert_eq!(TemplateKey::parse("order_paid", "fax", "zh"), None);
        assert_eq!(TemplateKey::parse("order_paid", "email", "fr"), None);
        let reset = TemplateKey::parse("reset_password", "email", "en").expect("an account mail");
        assert_eq!(reset.kind, TemplateKind::Account(AccountMail::ResetPassword));
        assert_eq!(TemplateKey::parse("reset_password", "sms", "en"), None, "a one-time link goes by mail only");
    }
}

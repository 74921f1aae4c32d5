//! Text messages. Every provider sits behind [`SmsGateway`]: the built-in `sandbox`
//! records each message and reports its delivery a moment later, as a real gateway
//! would; `rest` speaks a Twilio-shaped REST API. Both report back the same way, with
//! a signed form post (`reports`), so a message's delivery moves on from `sent` to
//! `delivered` or `bounced` whichever provider carried it.

pub mod reports;
pub mod rest;
pub mod sandbox;

use std::sync::Arc;

/// One text message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sms {
    /// An E.164 number: `+4915112345678`.
    pub to: String,
    pub body: String,
}

/// A provider that carries text messages.
#[async_trait::async_trait]
pub trait SmsGateway: Send + Sync {
    /// Hands the message over; the provider's id for it, which its reports name.
    async fn send(&self, sms: &Sms) -> anyhow::Result<String>;
}

/// The configured provider and the key its delivery reports are signed with.
#[derive(Clone)]
pub struct SmsChannel {
    pub gateway: Arc<dyn SmsGateway>,
    /// The provider's auth token: it signs the reports it posts to us.
    pub report_key: Arc<[u8]>,
    /// The built-in sandbox is the provider: a worker sends its reports.
    pub is_sandbox: bool,
}

/// The path providers post their delivery reports to.
pub const REPORTS_PATH: &str = "/webhooks/sms";

/// A number written for people as E.164: `+`, then the digits only.
pub fn e164(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let rest = raw.strip_prefix('+')?;
    if !rest.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-') {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    ((7..=15).contains(&digits.len()) && !digits.starts_with('0')).then(|| format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_in_international_form_only() {
        assert_eq!(e164("+49 151-1234 5678").as_deref(), Some("+4915112345678"));
        assert_eq!(e164("015112345678"), None, "no country code");
        assert_eq!(e164("+0151234567"), None);
        assert_eq!(e164("+1 (555) 0100"), None);
        assert_eq!(e164("+123"), None);
    }
}

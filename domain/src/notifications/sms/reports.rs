//! Delivery reports. The provider posts a form to [`REPORTS_PATH`](super::REPORTS_PATH)
//! naming the message (`MessageSid`) and where it stands (`MessageStatus`: `sent`,
//! `delivered`, `undelivered`, `failed`; with `ErrorCode` when it did not arrive),
//! signed as Twilio signs: base64 of HMAC-SHA1, keyed with the auth token, over the
//! full URL followed by each parameter's name and value in name order, in the
//! `X-Twilio-Signature` header. A report moves the notice's delivery on as
//! `DeliveryStatus::can_become` allows, so a late or repeated one changes nothing.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use types::notifications::DeliveryStatus;

use super::SmsChannel;
use crate::{Error, Result, Services, notifications::deliveries};

/// The header the signature travels in.
pub const SIGNATURE_HEADER: &str = "x-twilio-signature";

fn mac(key: &[u8], url: &str, params: &[(String, String)]) -> Hmac<Sha1> {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(url.as_bytes());
    for (name, value) in sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    mac
}

/// The signature of a report of `params` posted to `url`.
pub fn sign(key: &[u8], url: &str, params: &[(String, String)]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(mac(key, url, params).finalize().into_bytes())
}

fn verify(key: &[u8], url: &str, params: &[(String, String)], signature: &str) -> bool {
    use base64::Engine;
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else { return false };
    mac(key, url, params).verify_slice(&given).is_ok()
}

/// What a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// It moved a delivery on.
    Applied,
    /// Known, but it changes nothing (a late or repeated report, or a status on the way).
    Ignored,
    /// No text message of ours has that id (a verification code has no delivery).
    Unknown,
}

/// The delivery status a provider's `MessageStatus` stands for, if it is news.
fn status(reported: &str) -> Option<DeliveryStatus> {
    match reported {
        "sent" => Some(DeliveryStatus::Sent),
        "delivered" => Some(DeliveryStatus::Delivered),
        // The network took it, the phone never did (switched off for days, no such number).
        "undelivered" => Some(DeliveryStatus::Bounced),
        "failed" => Some(DeliveryStatus::Failed),
        // accepted, queued, sending: still on the way.
        _ => None,
    }
}

/// Checks and applies one report posted to `url`. A report whose signature does not
/// match is refused whole.
#[tracing::instrument(skip_all)]
pub async fn receive(
    services: &Services,
    channel: &SmsChannel,
    url: &str,
    params: &[(String, String)],
    signature: &str,
) -> Result<Applied> {
    if !verify(&channel.report_key, url, params, signature) {
        return Err(Error::Forbidden);
    }
    let param = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let sid = param("MessageSid").ok_or(Error::BadRequest(types::ErrorCode::InvalidInput))?;
    let Some(next) = param("MessageStatus").and_then(status) else { return Ok(Applied::Ignored) };
    let detail = param("ErrorCode").map(|code| format!("provider error {code}")).unwrap_or_default();
    let mut tx = services.pool.begin().await?;
    let applied =
        match deliveries::reported(&mut tx, types::profile::NotificationChannel::Sms, sid, next, &detail).await? {
            None => Applied::Unknown,
            Some(true) => Applied::Applied,
            Some(false) => Applied::Ignored,
        };
    tx.commit().await?;
    metrics::counter!("sms_reports_total", "result" => format!("{applied:?}").to_lowercase()).increment(1);
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_covers_the_address_and_every_parameter_in_name_order() {
        // Twilio's documented example: the token, URL and parameters give this signature.
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        let params: Vec<(String, String)> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let signature = sign(b"12345", url, &params);
        assert_eq!(signature, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        assert!(verify(b"12345", url, &params, &signature));
        let mut changed = params.clone();
        changed[2].1 = "1235".into();
        assert!(!verify(b"12345", url, &changed, &signature), "a changed parameter");
        assert!(!verify(b"12345", "https://mycompany.com/other", &params, &signature), "another address");
    }

    #[test]
    fn only_news_moves_a_delivery() {
        assert_eq!(status("delivered"), Some(DeliveryStatus::Delivered));
        assert_eq!(status("undelivered"), Some(DeliveryStatus::Bounced));
        assert_eq!(status("queued"), None);
    }
}

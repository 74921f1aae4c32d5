//! Webhook signatures: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The
//! timestamp is inside the MAC, so an old message cannot be re-dated, and messages
//! older (or newer) than [`REPLAY_WINDOW_SECS`] are refused.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::WebhookError;

pub const REPLAY_WINDOW_SECS: i64 = 300;

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The signature header for `body` sent at `at`.
pub fn sign(secret: &[u8], at: DateTime<Utc>, body: &[u8]) -> String {
    let t = at.timestamp();
    format!("t={t},v1={}", hex::encode(mac(secret, t, body).finalize().into_bytes()))
}

/// Checks the header against the body, in constant time, and the timestamp against
/// the replay window.
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: DateTime<Utc>) -> Result<(), WebhookError> {
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => timestamp = v.parse::<i64>().ok(),
            Some(("v1", v)) => signature = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(signature)) = (timestamp, signature) else {
        return Err(WebhookError::Malformed);
    };
    mac(secret, t, body).verify_slice(&signature).map_err(|_| WebhookError::BadSignature)?;
    if (now.timestamp() - t).abs() > REPLAY_WINDOW_SECS {
        return Err(WebhookError::OutsideWindow);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    const SECRET: &[u8] = b"whsec_test";

    #[test]
    fn a_signed_body_verifies_and_any_change_to_it_does_not() {
        let now = Utc::now();
        let header = sign(SECRET, now, br#"{"id":"evt_1"}"#);
        assert_eq!(verify(SECRET, &header, br#"{"id":"evt_1"}"#, now), Ok(()));
        assert_eq!(verify(SECRET, &header, br#"{"id":"evt_2"}"#, now), Err(WebhookError::BadSignature));
        assert_eq!(verify(b"another secret", &header, br#"{"id":"evt_1"}"#, now), Err(WebhookError::BadSignature));
        assert_eq!(verify(SECRET, "v1=00", b"{}", now), Err(WebhookError::Malformed));
        assert_eq!(verify(SECRET, "", b"{}", now), Err(WebhookError::Malformed));
    }

    #[test]
    fn a_message_signed_outside_the_replay_window_is_refused() {
        let now = Utc::now();
        let old = sign(SECRET, now - Duration::seconds(REPLAY_WINDOW_SECS + 1), b"{}");
        assert_eq!(verify(SECRET, &old, b"{}", now), Err(WebhookError::OutsideWindow));
        let future = sign(SECRET, now + Duration::seconds(REPLAY_WINDOW_SECS + 1), b"{}");
        assert_eq!(verify(SECRET, &future, b"{}", now), Err(WebhookError::OutsideWindow));
        let recent = sign(SECRET, now - Duration::seconds(REPLAY_WINDOW_SECS - 5), b"{}");
        assert_eq!(verify(SECRET, &recent, b"{}", now), Ok(()));
    }

    #[test]
    fn re_dating_an_old_message_breaks_its_signature() {
        let now = Utc::now();
        let old = sign(SECRET, now - Duration::hours(1), b"{}");
        let v1 = old.split_once(",v1=").map(|(_, v)| v).unwrap_or_default();
        let redated = format!("t={},v1={v1}", now.timestamp());
        assert_eq!(verify(SECRET, &redated, b"{}", now), Err(WebhookError::BadSignature));
    }
}

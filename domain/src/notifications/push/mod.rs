//! Web Push: notices shown by a person's browser or phone even when no page of ours
//! is open. A browser subscribes on the preferences page (`subscriptions`); each
//! notice is encrypted for each of the person's devices (`encrypt`, RFC 8291) and
//! posted to the push service the browser chose, signed as this site (`vapid`,
//! RFC 8292). The service worker (`public/push-worker.js`) shows it and opens its
//! page when tapped. A subscription the push service calls gone (404, 410) is removed.
//!
//! Push services are other companies' servers, and a subscription's endpoint comes
//! from the browser: only endpoints at the known push services (or those configured)
//! are taken, so nobody can make this server post to an address of their choosing.

pub mod encrypt;
pub mod subscriptions;
pub mod vapid;

use std::sync::Arc;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use url::Url;

pub use vapid::Vapid;

/// The push services of the browsers people use: Chrome's and Edge's (FCM, WNS),
/// Firefox's and Safari's. `*.` allows any host under the domain.
pub const KNOWN_SERVICES: &[&str] = &[
    "https://fcm.googleapis.com",
    "https://updates.push.services.mozilla.com",
    "https://web.push.apple.com",
    "https://*.notify.windows.com",
];

/// How long a push service keeps a message for a device that is off: a day, after
/// which the news is stale.
const TIME_TO_LIVE_SECS: u32 = 24 * 60 * 60;

/// What the service worker shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushMessage {
    pub title: String,
    pub body: String,
    /// The page a tap opens: a path in the store.
    pub url: String,
    /// Notices of one kind replace each other on the device instead of piling up.
    pub tag: String,
}

impl PushMessage {
    /// A message that fits a push service's 4 KB in any script: the title and text cut
    /// to what a phone shows anyway.
    pub fn new(title: &str, body: &str, url: &str, tag: &str) -> PushMessage {
        let cut = |text: &str, max: usize| match text.char_indices().nth(max) {
            Some((at, _)) => format!("{}…", &text[..at]),
            None => text.to_owned(),
        };
        PushMessage { title: cut(title, 120), body: cut(body, 600), url: url.to_owned(), tag: tag.to_owned() }
    }
}

/// The configured sender: this site's key and the push services it posts to.
#[derive(Clone)]
pub struct PushChannel {
    vapid: Arc<Vapid>,
    services: Arc<[String]>,
    client: reqwest::Client,
}

/// What a push service said of one message.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Taken; the service's name for the message (its `Location`), when it gave one.
    Accepted(Option<String>),
    /// The subscription has expired or was withdrawn: it will never take another.
    Gone,
}

impl PushChannel {
    /// Sends as `vapid` to endpoints at `services` (origins such as
    /// `https://fcm.googleapis.com`; `https://*.example.com` for a domain's hosts).
    pub fn new(vapid: Vapid, services: Vec<String>) -> anyhow::Result<PushChannel> {
        crate::crypto::use_ring_for_tls();
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .context("an HTTP client for push services")?;
        Ok(PushChannel { vapid: Arc::new(vapid), services: services.into(), client })
    }

    /// The key browsers subscribe with.
    pub fn public_key(&self) -> &str {
        self.vapid.public_key()
    }

    /// The origin of `endpoint` when it is at one of the push services we post to.
    pub fn service_of(&self, endpoint: &str) -> Option<String> {
        let url = Url::parse(endpoint).ok()?;
        let origin = url.origin().ascii_serialization();
        let host = url.host_str()?;
        self.services
            .iter()
            .any(|allowed| match allowed.split_once("://*.") {
                Some((scheme, domain)) => {
                    url.scheme() == scheme && url.port().is_none() && host.ends_with(&format!(".{domain}"))
                }
                None => allowed.trim_end_matches('/') == origin,
            })
            .then_some(origin)
    }

    /// Posts `message`, encrypted for the subscription, to its push service. An error is
    /// worth trying again (the service is down or busy, or refused us for now).
    pub async fn deliver(&self, to: &subscriptions::Subscription, message: &PushMessage) -> anyhow::Result<Outcome> {
        let origin = self.service_of(&to.endpoint).context("the endpoint is not at a push service we post to")?;
        let plaintext = serde_json::to_vec(message)?;
        let body = encrypt::encrypt(&to.p256dh, &to.auth, &plaintext)?;
        let response = self
            .client
            .post(&to.endpoint)
            .header(reqwest::header::AUTHORIZATION, self.vapid.authorization(&origin, chrono::Utc::now().timestamp()))
            .header(reqwest::header::CONTENT_ENCODING, "aes128gcm")
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .header("TTL", TIME_TO_LIVE_SECS.to_string())
            .header("Urgency", "normal")
            .body(body)
            .send()
            .await
            .with_context(|| format!("reaching the push service at {origin}"))?;
        let status = response.status();
        match status.as_u16() {
            200..=299 => {
                let location = response.headers().get(reqwest::header::LOCATION);
                Ok(Outcome::Accepted(location.and_then(|l| l.to_str().ok()).map(str::to_owned)))
            }
            404 | 410 => Ok(Outcome::Gone),
            // The service's words say why (a bad key, a message too large); never the body we sent.
            _ => {
                let why = response.text().await.unwrap_or_default();
                anyhow::bail!(
                    "the push service at {origin} answered {status}: {}",
                    why.chars().take(200).collect::<String>()
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_cut_to_fit_a_push_message() {
        let message = PushMessage::new(&"标".repeat(500), &"题".repeat(5000), "/orders/OA-1", "order_paid");
        assert_eq!(message.title.chars().count(), 121);
        assert!(message.body.ends_with('…'));
        assert!(serde_json::to_vec(&message).expect("json").len() <= encrypt::MAX_PLAINTEXT);
        assert_eq!(PushMessage::new("Paid", "Your order", "/", "t").body, "Your order");
    }

    #[test]
    fn only_endpoints_at_the_push_services_are_taken() {
        let vapid = Vapid::derived(b"seed", "mailto:ops@openaero.example").expect("a key");
        let push =
            PushChannel::new(vapid, KNOWN_SERVICES.iter().map(|s| (*s).to_owned()).collect()).expect("a channel");
        assert_eq!(
            push.service_of("https://fcm.googleapis.com/fcm/send/abc:def").as_deref(),
            Some("https://fcm.googleapis.com")
        );
        assert_eq!(
            push.service_of("https://wns2-par02p.notify.windows.com/w/?token=x").as_deref(),
            Some("https://wns2-par02p.notify.windows.com")
        );
        for refused in [
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://fcm.googleapis.com.evil.example/x",
            "https://notify.windows.com.evil.example/x",
            "https://fcm.googleapis.com:8443/x",
            "https://169.254.169.254/latest/meta-data",
            "https://localhost/x",
            "not a url",
        ] {
            assert_eq!(push.service_of(refused), None, "{refused}");
        }
    }
}

//! The browsers a person signs in from. Each browser keeps a random id in a long-lived
//! cookie (`openaero_device`); only its SHA-256 is stored. A sign-in from a browser the
//! person has not used, when they have used others, is told to them (a security notice
//! nobody can switch off): if it was not them, they change their password.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use types::UserId;

use super::user_event;
use crate::{
    RequestMeta, Result, Services,
    events::{self, EventMetadata, EventType},
};

/// The cookie that names this browser.
pub const COOKIE: &str = "openaero_device";

/// Records a sign-in by `user` from the browser whose cookie is `device` (none on its
/// first sign-in anywhere) and says which id the cookie should carry from now on.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn signed_in(
    services: &Services,
    user: UserId,
    device: Option<&str>,
    user_agent: &str,
    meta: &RequestMeta,
) -> Result<String> {
    // Only an id this server could have made is kept; anything else is a new browser.
    let device =
        device.filter(|d| d.len() == 43 && URL_SAFE_NO_PAD.decode(d).is_ok()).map_or_else(new_id, str::to_owned);
    let hash = hex::encode(Sha256::digest(device.as_bytes()));
    let browser = browser_name(user_agent);
    let mut tx = services.pool.begin().await?;
    let row = sqlx::query!(
        r#"with known as (select count(*) as n from user_devices where user_id = $1),
                seen as (
                    insert into user_devices (user_id, device_hash, browser) values ($1, $2, $3)
                    on conflict (user_id, device_hash) do update set last_seen_at = now(), browser = excluded.browser
                    returning (xmax = 0) as "new!")
           select seen."new!" as "new!", known.n as "known!" from seen, known"#,
        user.0,
        hash,
        browser
    )
    .fetch_one(&mut *tx)
    .await?;
    if row.new && row.known > 0 {
        events::publish(
            &mut tx,
            user_event(EventType::UserSignedInNewDevice, user, json!({ "user_id": user, "browser": browser })),
            &EventMetadata::from_request(meta),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(device)
}

fn new_id() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// "Firefox on Linux": enough for a person to recognise their own browser, no more.
pub fn browser_name(user_agent: &str) -> String {
    let has = |s: &str| user_agent.contains(s);
    let browser = if has("Edg/") {
        "Edge"
    } else if has("OPR/") {
        "Opera"
    } else if has("Firefox/") {
        "Firefox"
    } else if has("Chrome/") || has("Chromium/") || has("CriOS/") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else {
        "A browser"
    };
    let system = if has("iPhone") || has("iPad") {
        Some("iOS")
    } else if has("Android") {
        Some("Android")
    } else if has("Windows") {
        Some("Windows")
    } else if has("Mac OS X") || has("Macintosh") {
        Some("macOS")
    } else if has("Linux") {
        Some("Linux")
    } else {
        None
    };
    match system {
        Some(system) => format!("{browser} on {system}"),
        None => browser.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_named_as_people_know_them() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
        let edge = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0";
        assert_eq!(browser_name(firefox), "Firefox on Linux");
        assert_eq!(browser_name(chrome), "Chrome on Windows");
        assert_eq!(browser_name(safari), "Safari on iOS");
        assert_eq!(browser_name(edge), "Edge on macOS");
        assert_eq!(browser_name("curl/8.5"), "A browser");
    }
}

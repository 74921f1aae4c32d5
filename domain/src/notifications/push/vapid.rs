//! Who sends a push message (VAPID, RFC 8292): each request carries a short-lived
//! token, signed with the site's P-256 key, naming the push service it is for and a
//! contact for its operators. The browser subscribed with the matching public key, so
//! the push service takes messages for that subscription from this site only.

use anyhow::Context;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hkdf::Hkdf;
use p256::{
    SecretKey,
    ecdsa::{Signature, SigningKey, signature::Signer},
    elliptic_curve::sec1::ToEncodedPoint,
};
use serde_json::json;
use sha2::Sha256;

/// How long a token is good for: RFC 8292 allows at most a day.
const LIFETIME_SECS: i64 = 12 * 60 * 60;

/// The site's VAPID key and contact.
pub struct Vapid {
    key: SigningKey,
    /// The public key as browsers take it (`applicationServerKey`): an uncompressed
    /// point, base64url.
    public: String,
    /// `mailto:` or `https:`, for the push service's operators.
    subject: String,
}

impl std::fmt::Debug for Vapid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vapid").field("public", &self.public).field("subject", &self.subject).finish_non_exhaustive()
    }
}

impl Vapid {
    /// From the private key as `web-push generate-vapid-keys` prints it: 32 bytes, base64url.
    pub fn from_private(private: &str, subject: &str) -> anyhow::Result<Vapid> {
        let bytes = URL_SAFE_NO_PAD.decode(private.trim().trim_end_matches('=')).context("not base64url")?;
        let secret = SecretKey::from_slice(&bytes).context("not a P-256 private key (32 bytes)")?;
        Ok(Vapid::new(secret, subject))
    }

    /// A key that follows from `seed` (the site's secret key), for development, where
    /// nobody configures one and subscriptions should outlive a restart.
    pub fn derived(seed: &[u8], subject: &str) -> anyhow::Result<Vapid> {
        let mut bytes = [0u8; 32];
        Hkdf::<Sha256>::new(Some(b"openaero vapid"), seed)
            .expand(b"P-256 private key", &mut bytes)
            .map_err(|_| anyhow::anyhow!("HKDF output length"))?;
        let secret = SecretKey::from_slice(&bytes).context("a derived P-256 key")?;
        Ok(Vapid::new(secret, subject))
    }

    fn new(secret: SecretKey, subject: &str) -> Vapid {
        let public = URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes());
        Vapid { key: SigningKey::from(secret), public, subject: subject.to_owned() }
    }

    /// The key browsers subscribe with.
    pub fn public_key(&self) -> &str {
        &self.public
    }

    /// The `Authorization` header for a request to the push service at `origin`
    /// (`https://fcm.googleapis.com`) at `now` (Unix seconds).
    pub fn authorization(&self, origin: &str, now: i64) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = json!({ "aud": origin, "exp": now + LIFETIME_SECS, "sub": self.subject });
        let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signed = format!("{header}.{claims}");
        let signature: Signature = self.key.sign(signed.as_bytes());
        let token = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()));
        format!("vapid t={token}, k={}", self.public)
    }
}

/// What a push service checks of a request's `Authorization`: the token is signed by
/// the key it names and is meant for `origin`, now. The claims when it is.
pub fn verify(authorization: &str, origin: &str, now: i64) -> anyhow::Result<serde_json::Value> {
    use p256::ecdsa::{VerifyingKey, signature::Verifier};
    let rest = authorization.strip_prefix("vapid ").context("not a vapid authorization")?;
    let (mut token, mut key) = (None, None);
    for part in rest.split(',').map(str::trim) {
        if let Some(t) = part.strip_prefix("t=") {
            token = Some(t);
        } else if let Some(k) = part.strip_prefix("k=") {
            key = Some(k);
        }
    }
    let (token, key) = (token.context("no token")?, key.context("no key")?);
    let key = VerifyingKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(key)?).context("the key")?;
    let (signed, signature) = token.rsplit_once('.').context("an unsigned token")?;
    let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature)?).context("the signature")?;
    key.verify(signed.as_bytes(), &signature).context("a bad signature")?;
    let claims = signed.split_once('.').context("no claims")?.1;
    let claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims)?)?;
    anyhow::ensure!(claims["aud"] == origin, "meant for {}", claims["aud"]);
    let exp = claims["exp"].as_i64().context("no expiry")?;
    anyhow::ensure!(now < exp && exp <= now + 24 * 60 * 60, "expired, or good for over a day");
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_push_service_and_verifies_with_the_key_it_carries() {
        let vapid = Vapid::derived(b"a secret of the site", "mailto:ops@openaero.example").expect("a key");
        let header = vapid.authorization("https://push.example.net", 1_800_000_000);
        assert!(header.ends_with(&format!(", k={}", vapid.public_key())));
        let claims = verify(&header, "https://push.example.net", 1_800_000_000).expect("verifies");
        assert_eq!(claims["sub"], "mailto:ops@openaero.example");
        assert_eq!(claims["exp"], 1_800_000_000 + LIFETIME_SECS);
        assert!(verify(&header, "https://fcm.googleapis.com", 1_800_000_000).is_err(), "another service");
        assert!(verify(&header, "https://push.example.net", 1_800_000_000 + LIFETIME_SECS).is_err(), "expired");
        let forged = header.replacen("vapid t=eyJ", "vapid t=eyK", 1);
        assert!(verify(&forged, "https://push.example.net", 1_800_000_000).is_err());
    }

    #[test]
    fn the_same_seed_gives_the_same_key_and_a_configured_key_reads_back() {
        let a = Vapid::derived(b"seed", "mailto:a@b.c").expect("a key");
        assert_eq!(a.public_key(), Vapid::derived(b"seed", "mailto:a@b.c").expect("a key").public_key());
        assert_ne!(a.public_key(), Vapid::derived(b"other", "mailto:a@b.c").expect("a key").public_key());
        assert_eq!(URL_SAFE_NO_PAD.decode(a.public_key()).expect("base64url").len(), 65);
        // RFC 8291's example sender key, as a configured private key.
        let configured =
            Vapid::from_private("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw", "mailto:a@b.c").expect("reads");
        assert_eq!(
            configured.public_key(),
            "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
        );
        assert!(Vapid::from_private("not a key", "mailto:a@b.c").is_err());
        assert!(!format!("{configured:?}").contains("yfWPiYE"), "the private key stays out of logs");
    }
}

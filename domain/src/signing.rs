//! Messages signed with the server's key (`OPENAERO_SECRET_KEY`): what a link carries
//! and nobody may change without the key (a shared file's expiry, an unsubscribe's
//! recipient and topic). HMAC-SHA256, URL-safe base64.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Clone)]
pub struct Signer {
    key: Arc<[u8]>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(..)")
    }
}

impl Signer {
    pub fn new(key: &[u8]) -> Signer {
        Signer { key: key.into() }
    }

    fn mac(&self, message: &str) -> Hmac<Sha256> {
        // Any key length is valid for HMAC.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(message.as_bytes());
        mac
    }

    /// The signature of `message`; messages name their purpose (`file:…`), so one
    /// purpose's signature never passes for another's.
    pub fn sign(&self, message: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(message).finalize().into_bytes())
    }

    /// Whether `signature` was made by [`sign`](Self::sign) for `message` (compared in
    /// constant time).
    pub fn verify(&self, message: &str, signature: &str) -> bool {
        let Ok(given) = URL_SAFE_NO_PAD.decode(signature) else { return false };
        self.mac(message).verify_slice(&given).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_only_for_its_message_and_key() {
        let signer = Signer::new(b"0123456789abcdef0123456789abcdef");
        let signature = signer.sign("file:1:1000");
        assert!(signer.verify("file:1:1000", &signature));
        assert!(!signer.verify("file:1:2000", &signature));
        assert!(!Signer::new(b"another key").verify("file:1:1000", &signature));
        assert!(!signer.verify("file:1:1000", "not base64!"));
    }
}

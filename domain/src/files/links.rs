//! Signed links: a private file shared with someone without an account, until a
//! moment chosen by the owner. The signature is an HMAC over the file id and the
//! expiry, so neither can be changed without the server's key.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use types::ids::FileId;

/// The longest a shared link may live.
pub const MAX_TTL_SECS: i64 = 3600;

#[derive(Clone)]
pub struct LinkSigner {
    key: Arc<[u8]>,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkSigner(..)")
    }
}

impl LinkSigner {
    pub fn new(key: &[u8]) -> LinkSigner {
        LinkSigner { key: key.into() }
    }

    fn mac(&self, id: FileId, expires: i64) -> Hmac<Sha256> {
        // Any key length is valid for HMAC.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(format!("file:{id}:{expires}").as_bytes());
        mac
    }

    pub fn sign(&self, id: FileId, expires: i64) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(id, expires).finalize().into_bytes())
    }

    /// Whether `signature` was made by [`sign`](Self::sign) for this file and expiry,
    /// and the expiry is still ahead of `now` (compared in constant time).
    pub fn verify(&self, id: FileId, expires: i64, signature: &str, now: i64) -> bool {
        let Ok(given) = URL_SAFE_NO_PAD.decode(signature) else { return false };
        now < expires && self.mac(id, expires).verify_slice(&given).is_ok()
    }

    /// The path of a signed link.
    pub fn path(&self, id: FileId, expires: i64) -> String {
        format!("{}?expires={expires}&signature={}", types::files::file_url(id), self.sign(id, expires))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_opens_its_file_until_it_expires_and_cannot_be_altered() {
        let signer = LinkSigner::new(b"0123456789abcdef0123456789abcdef");
        let (id, other) = (FileId::new(), FileId::new());
        let sig = signer.sign(id, 1_000);
        assert!(signer.verify(id, 1_000, &sig, 999));
        assert!(!signer.verify(id, 1_000, &sig, 1_000), "expired");
        assert!(!signer.verify(id, 2_000, &sig, 999), "expiry moved");
        assert!(!signer.verify(other, 1_000, &sig, 999), "another file");
        assert!(!LinkSigner::new(b"another key").verify(id, 1_000, &sig, 999), "another key");
        assert!(!signer.verify(id, 1_000, "not base64!", 999));
    }
}

//! Signed links: a private file shared with someone without an account, until a
//! moment chosen by the owner. The signature is an HMAC over the file id and the
//! expiry, so neither can be changed without the server's key.

use types::ids::FileId;

use crate::signing::Signer;

/// The longest a shared link may live.
pub const MAX_TTL_SECS: i64 = 3600;

#[derive(Clone, Debug)]
pub struct LinkSigner(Signer);

impl LinkSigner {
    pub fn new(key: &[u8]) -> LinkSigner {
        LinkSigner(Signer::new(key))
    }

    pub fn sign(&self, id: FileId, expires: i64) -> String {
        self.0.sign(&format!("file:{id}:{expires}"))
    }

    /// Whether `signature` was made by [`sign`](Self::sign) for this file and expiry,
    /// and the expiry is still ahead of `now` (compared in constant time).
    pub fn verify(&self, id: FileId, expires: i64, signature: &str, now: i64) -> bool {
        now < expires && self.0.verify(&format!("file:{id}:{expires}"), signature)
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

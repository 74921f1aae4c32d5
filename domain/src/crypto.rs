//! Encryption of sensitive fields at rest (tax ids): AES-256-GCM with keys from
//! configuration. Each sealed value names the key that sealed it, so a new key can
//! be added in front of the ring, new values use it, old ones still open, and the
//! rotation command re-seals old values until the old key can be removed.

use aes_gcm::{
    Aes256Gcm, Key, Nonce,
    aead::{Aead, KeyInit, Payload},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use rand::RngCore;

const NONCE_LEN: usize = 12;

/// Makes ring the process's TLS crypto for the HTTP clients built on rustls without a
/// provider of their own (object storage, the trace exporter); the mail client already
/// uses it, so there is one crypto stack. Harmless when already done.
pub fn use_ring_for_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The keys, current first. Its `Debug` names the key ids only.
#[derive(Clone)]
pub struct KeyRing {
    keys: Vec<(String, Key<Aes256Gcm>)>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        write!(f, "KeyRing({ids:?})")
    }
}

/// A value sealed under one key: the nonce followed by the ciphertext and tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub bytes: Vec<u8>,
}

impl KeyRing {
    /// Parses `id:base64key[,id:base64key…]`, the first being the current key. Each
    /// key is 32 random bytes (`openssl rand -base64 32`).
    pub fn parse(spec: &str) -> Result<KeyRing, String> {
        let mut keys = Vec::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (id, key) = entry.split_once(':').ok_or_else(|| format!("{entry:?} is not id:base64key"))?;
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(format!("key id {id:?} must be letters, digits, - or _"));
            }
            let bytes = STANDARD.decode(key).map_err(|_| format!("key {id} is not base64"))?;
            if bytes.len() != 32 {
                return Err(format!("key {id} must be 32 bytes, not {}", bytes.len()));
            }
            if keys.iter().any(|(k, _)| k == id) {
                return Err(format!("key id {id} appears twice"));
            }
            keys.push((id.to_owned(), *Key::<Aes256Gcm>::from_slice(&bytes)));
        }
        if keys.is_empty() {
            return Err("no keys given".into());
        }
        Ok(KeyRing { keys })
    }

    pub fn current_id(&self) -> &str {
        &self.keys[0].0
    }

    /// Seals `plain` under the current key. `context` (the owning row's id) is bound
    /// in as associated data, so a sealed value copied onto another row will not open.
    pub fn seal(&self, plain: &str, context: &[u8]) -> anyhow::Result<Sealed> {
        let (id, key) = &self.keys[0];
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ciphertext = Aes256Gcm::new(key)
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain.as_bytes(), aad: context })
            .map_err(|_| anyhow::anyhow!("sealing failed"))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&ciphertext);
        Ok(Sealed { key_id: id.clone(), bytes })
    }

    pub fn open(&self, sealed: &Sealed, context: &[u8]) -> anyhow::Result<String> {
        let (_, key) = self
            .keys
            .iter()
            .find(|(id, _)| *id == sealed.key_id)
            .ok_or_else(|| anyhow::anyhow!("no key {} in the key ring (OPENAERO_DATA_KEYS)", sealed.key_id))?;
        anyhow::ensure!(sealed.bytes.len() > NONCE_LEN, "sealed value too short");
        let (nonce, ciphertext) = sealed.bytes.split_at(NONCE_LEN);
        let plain = Aes256Gcm::new(key)
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: context })
            .map_err(|_| anyhow::anyhow!("a sealed value failed its integrity check"))?;
        Ok(String::from_utf8(plain)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> String {
        STANDARD.encode([byte; 32])
    }

    #[test]
    fn sealed_values_open_only_with_their_key_and_context() {
        let ring = KeyRing::parse(&format!("k1:{}", key(1))).expect("ring");
        let sealed = ring.seal("DE123456789", b"creator-a").expect("seal");
        assert_eq!(sealed.key_id, "k1");
        assert!(!sealed.bytes.windows(11).any(|w| w == b"DE123456789"), "the plain text is not in the sealed bytes");
        assert_eq!(ring.open(&sealed, b"creator-a").expect("open"), "DE123456789");
        assert!(ring.open(&sealed, b"creator-b").is_err(), "copied onto another row");
        let mut tampered = sealed.clone();
        let last = tampered.bytes.len() - 1;
        tampered.bytes[last] ^= 1;
        assert!(ring.open(&tampered, b"creator-a").is_err());
        // Two seals of one value differ (fresh nonce each time).
        assert_ne!(ring.seal("DE123456789", b"creator-a").expect("seal").bytes, sealed.bytes);
    }

    #[test]
    fn a_new_key_seals_while_old_values_still_open() {
        let old = KeyRing::parse(&format!("k1:{}", key(1))).expect("ring");
        let sealed = old.seal("12-3456789", b"c").expect("seal");
        let rotated = KeyRing::parse(&format!("k2:{}, k1:{}", key(2), key(1))).expect("ring");
        assert_eq!(rotated.current_id(), "k2");
        assert_eq!(rotated.open(&sealed, b"c").expect("old key still opens"), "12-3456789");
        assert_eq!(rotated.seal("x", b"c").expect("seal").key_id, "k2");
        let retired = KeyRing::parse(&format!("k2:{}", key(2))).expect("ring");
        assert!(retired.open(&sealed, b"c").is_err());
    }

    #[test]
    fn bad_key_specs_are_named() {
        assert!(KeyRing::parse("").is_err());
        assert!(KeyRing::parse("k1").is_err());
        assert!(KeyRing::parse("k1:c2hvcnQ=").expect_err("short").contains("32 bytes"));
        assert!(KeyRing::parse(&format!("k1:{},k1:{}", key(1), key(2))).expect_err("dup").contains("twice"));
        assert!(!format!("{:?}", KeyRing::parse(&format!("k1:{}", key(7))).expect("ring")).contains(&key(7)));
    }
}

//! A push message's encryption for the browser that subscribed (RFC 8291, in the
//! `aes128gcm` content coding of RFC 8188): a fresh key pair per message agrees a
//! secret with the subscription's public key, the subscription's auth secret and a
//! random salt turn it into a content key and nonce, and the message travels as one
//! AES-128-GCM record. Only that browser can read it; the push service cannot.

use aes_gcm::{Aes128Gcm, KeyInit, aead::Aead};
use anyhow::{Context, ensure};
use hkdf::Hkdf;
use p256::{PublicKey, SecretKey, elliptic_curve::sec1::ToEncodedPoint};
use rand::RngCore;
use sha2::Sha256;

/// The record size the header announces: one record holds any message we send.
const RECORD_SIZE: u32 = 4096;
/// Push services take at most 4096 bytes of body; the header and tag take 103.
pub const MAX_PLAINTEXT: usize = 3993;

/// `plaintext` encrypted for the browser whose keys are `ua_public` (the
/// subscription's `p256dh`, an uncompressed P-256 point) and `auth` (its 16-byte
/// secret): the whole request body.
pub fn encrypt(ua_public: &[u8], auth: &[u8], plaintext: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut salt = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt);
    let ephemeral = SecretKey::random(&mut rand::thread_rng());
    encrypt_with(ua_public, auth, plaintext, &ephemeral, &salt)
}

/// [`encrypt`] with the sender's key and the salt given, as the RFC's example fixes them.
fn encrypt_with(
    ua_public: &[u8],
    auth: &[u8],
    plaintext: &[u8],
    as_secret: &SecretKey,
    salt: &[u8; 16],
) -> anyhow::Result<Vec<u8>> {
    ensure!(plaintext.len() <= MAX_PLAINTEXT, "a push message holds at most {MAX_PLAINTEXT} bytes");
    ensure!(auth.len() == 16, "a subscription's auth secret is 16 bytes");
    let ua = PublicKey::from_sec1_bytes(ua_public).context("a subscription's p256dh key")?;
    let ua_bytes = ua.to_encoded_point(false);
    let as_bytes = as_secret.public_key().to_encoded_point(false);
    let shared = p256::ecdh::diffie_hellman(as_secret.to_nonzero_scalar(), ua.as_affine());
    let (cek, nonce) = content_key(shared.raw_secret_bytes(), auth, ua_bytes.as_bytes(), as_bytes.as_bytes(), salt)?;

    // One record, the last: the text and the delimiter 2, no padding.
    let mut record = plaintext.to_vec();
    record.push(2);
    let sealed = Aes128Gcm::new_from_slice(&cek)
        .context("the content key")?
        .encrypt((&nonce).into(), record.as_slice())
        .map_err(|_| anyhow::anyhow!("encrypting a push message"))?;

    // Header: salt, record size, the sender's key as the key id; then the record.
    let key_id = as_bytes.as_bytes();
    let mut body = Vec::with_capacity(16 + 4 + 1 + key_id.len() + sealed.len());
    body.extend_from_slice(salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(u8::try_from(key_id.len()).context("a key id's length")?);
    body.extend_from_slice(key_id);
    body.extend_from_slice(&sealed);
    Ok(body)
}

/// The content key and nonce both sides derive from the agreed secret:
/// IKM = HKDF(auth, ecdh, "WebPush: info" ‖ 0 ‖ ua_public ‖ as_public), then the
/// key and nonce from IKM with the salt.
fn content_key(
    shared: &[u8],
    auth: &[u8],
    ua_public: &[u8],
    as_public: &[u8],
    salt: &[u8],
) -> anyhow::Result<([u8; 16], [u8; 12])> {
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(ua_public);
    key_info.extend_from_slice(as_public);
    let mut ikm = [0u8; 32];
    expand(Some(auth), shared, &key_info, &mut ikm)?;
    let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
    expand(Some(salt), &ikm, b"Content-Encoding: aes128gcm\0", &mut cek)?;
    expand(Some(salt), &ikm, b"Content-Encoding: nonce\0", &mut nonce)?;
    Ok((cek, nonce))
}

fn expand(salt: Option<&[u8]>, ikm: &[u8], info: &[u8], out: &mut [u8]) -> anyhow::Result<()> {
    Hkdf::<Sha256>::new(salt, ikm).expand(info, out).map_err(|_| anyhow::anyhow!("HKDF output length"))
}

/// What the browser does with a body [`encrypt`] made: for tests, which play the
/// browser to prove a message arrives readable.
pub fn decrypt(ua_secret: &SecretKey, auth: &[u8], body: &[u8]) -> anyhow::Result<Vec<u8>> {
    ensure!(body.len() > 21, "too short for an aes128gcm header");
    let salt = &body[..16];
    let id_len = usize::from(body[20]);
    let key_id = body.get(21..21 + id_len).context("the key id")?;
    let sealed = &body[21 + id_len..];
    let as_public = PublicKey::from_sec1_bytes(key_id).context("the sender's key")?;
    let shared = p256::ecdh::diffie_hellman(ua_secret.to_nonzero_scalar(), as_public.as_affine());
    let ua_public = ua_secret.public_key().to_encoded_point(false);
    let (cek, nonce) = content_key(shared.raw_secret_bytes(), auth, ua_public.as_bytes(), key_id, salt)?;
    let mut record = Aes128Gcm::new_from_slice(&cek)
        .context("the content key")?
        .decrypt((&nonce).into(), sealed)
        .map_err(|_| anyhow::anyhow!("the record does not open"))?;
    ensure!(record.pop() == Some(2), "not a single last record");
    Ok(record)
}

#[cfg(test)]
mod tests {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

    use super::*;

    fn b64(s: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(s).expect("base64url")
    }

    /// RFC 8291, Appendix A: fixed keys and salt give the RFC's body, byte for byte.
    #[test]
    fn the_rfc_example_encrypts_to_the_rfcs_bytes() {
        let as_secret = SecretKey::from_slice(&b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")).expect("a key");
        let ua_public = b64("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
        let auth = b64("BTBZMqHH6r4Tts7J_aSIgg");
        let salt: [u8; 16] = b64("DGv6ra1nlYgDCS1FRnbzlw").try_into().expect("16 bytes");
        let body = encrypt_with(&ua_public, &auth, b"When I grow up, I want to be a watermelon", &as_secret, &salt)
            .expect("encrypts");
        assert_eq!(
            URL_SAFE_NO_PAD.encode(&body),
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
        );
        let ua_secret = SecretKey::from_slice(&b64("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94")).expect("a key");
        assert_eq!(decrypt(&ua_secret, &auth, &body).expect("opens"), b"When I grow up, I want to be a watermelon");
    }

    #[test]
    fn each_message_has_its_own_key_and_only_its_browser_reads_it() {
        let browser = SecretKey::random(&mut rand::thread_rng());
        let public = browser.public_key().to_encoded_point(false);
        let auth = [7u8; 16];
        let one = encrypt(public.as_bytes(), &auth, b"Order OA-1 is paid").expect("encrypts");
        let two = encrypt(public.as_bytes(), &auth, b"Order OA-1 is paid").expect("encrypts");
        assert_ne!(one, two, "a fresh key and salt each time");
        assert_eq!(decrypt(&browser, &auth, &one).expect("opens"), b"Order OA-1 is paid");
        let stranger = SecretKey::random(&mut rand::thread_rng());
        assert!(decrypt(&stranger, &auth, &one).is_err());
        assert!(decrypt(&browser, &[8u8; 16], &one).is_err(), "the auth secret is part of the key");
        assert!(encrypt(public.as_bytes(), &auth, &[b'x'; MAX_PLAINTEXT + 1]).is_err());
    }
}

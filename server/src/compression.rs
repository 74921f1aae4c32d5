//! Compressing what the server sends. Static files come precompressed from the build
//! (`assets`); cached storefront pages are compressed once per encoding
//! (`http_cache`); everything else (pages of signed-in users, server function JSON,
//! redirects' bodies) is compressed as it streams, by the layer made here.

use std::io::Write;

use axum::{
    body::Bytes,
    http::{HeaderMap, HeaderValue, header},
};
use tower_http::{
    CompressionLevel,
    compression::{
        CompressionLayer, DefaultPredicate, Predicate,
        predicate::{NotForContentType, SizeAbove},
    },
};

/// The quality for responses compressed once and sent many times (cached pages).
/// Brotli 6 is within a few per cent of 11 on HTML at a fraction of the time.
const CACHED_BROTLI_QUALITY: u32 = 6;
const CACHED_GZIP_LEVEL: u32 = 6;

/// A content coding this server can send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The coding to answer with: brotli when the client accepts it, else gzip, else none.
    /// A coding refused with `q=0` is not used.
    pub fn preferred(headers: &HeaderMap) -> Encoding {
        let accepted = |name: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|item| {
                    let mut parts = item.split(';');
                    let coding = parts.next()?.trim();
                    let q = parts
                        .find_map(|p| p.trim().strip_prefix("q="))
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .unwrap_or(1.0);
                    coding.eq_ignore_ascii_case(name).then_some(q > 0.0)
                })
                .next()
                .unwrap_or(false)
        };
        if accepted("br") {
            Encoding::Brotli
        } else if accepted("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    /// The `Content-Encoding` value, none for identity.
    pub fn header_value(self) -> Option<HeaderValue> {
        match self {
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Identity => None,
        }
    }

    /// `body` in this coding, at the quality for content sent many times.
    pub fn compress(self, body: &[u8]) -> Bytes {
        let mut out = Vec::with_capacity(body.len() / 4);
        match self {
            Encoding::Identity => return Bytes::copy_from_slice(body),
            Encoding::Brotli => {
                let params =
                    brotli::enc::BrotliEncoderParams { quality: CACHED_BROTLI_QUALITY as i32, ..Default::default() };
                // Writing into a Vec cannot fail.
                let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
            }
            Encoding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(&mut out, flate2::Compression::new(CACHED_GZIP_LEVEL));
                let _ = encoder.write_all(body).and_then(|()| encoder.finish().map(|_| ()));
            }
        }
        out.into()
    }
}

/// Compresses responses as they stream (signed-in pages, server function answers),
/// except what is already compressed (precompressed files, cached pages, pictures) and
/// tiny bodies. Gzip at its fastest level only: streamed brotli (tower-http's encoder
/// keeps a 4 MiB window per response) cut signed-in page throughput by 60 % and took
/// the server from 65 to 650 MiB under load (bench/README.md); brotli is for what is
/// compressed once and sent many times.
pub fn layer() -> CompressionLayer<impl Predicate> {
    let predicate = DefaultPredicate::new()
        .and(SizeAbove::new(256))
        .and(NotForContentType::const_new("application/wasm"))
        .and(NotForContentType::const_new("video/"))
        .and(NotForContentType::const_new("application/pdf"));
    CompressionLayer::new()
        .no_br()
        .gzip(true)
        .no_deflate()
        .no_zstd()
        .quality(CompressionLevel::Fastest)
        .compress_when(predicate)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn accepting(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn brotli_is_preferred_then_gzip_then_nothing() {
        assert_eq!(Encoding::preferred(&accepting("gzip, deflate, br, zstd")), Encoding::Brotli);
        assert_eq!(Encoding::preferred(&accepting("gzip, deflate")), Encoding::Gzip);
        assert_eq!(Encoding::preferred(&accepting("br;q=0, gzip;q=0.5")), Encoding::Gzip);
        assert_eq!(Encoding::preferred(&accepting("identity")), Encoding::Identity);
        assert_eq!(Encoding::preferred(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compressed_bodies_decode_to_the_original() {
        let page = "<p>Kestrel mapping drone</p>".repeat(200);
        let brotli = Encoding::Brotli.compress(page.as_bytes());
        let mut decoded = String::new();
        brotli::Decompressor::new(&brotli[..], 4096).read_to_string(&mut decoded).expect("brotli decodes");
        assert_eq!(decoded, page);
        let gzip = Encoding::Gzip.compress(page.as_bytes());
        decoded.clear();
        flate2::read::GzDecoder::new(&gzip[..]).read_to_string(&mut decoded).expect("gzip decodes");
        assert_eq!(decoded, page);
        assert!(brotli.len() < page.len() / 10 && gzip.len() < page.len() / 10);
    }
}

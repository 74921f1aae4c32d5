//! What goes over the wire: compressed when the browser accepts it, never when it does
//! not, and cached for good only when a file's name says what it holds.

use std::io::Read;

use reqwest::{StatusCode, header};

use crate::helpers::{spawn_app, spawn_app_with};

fn brotli_text(body: &[u8]) -> String {
    let mut text = String::new();
    brotli::Decompressor::new(body, 4096).read_to_string(&mut text).expect("a brotli body");
    text
}

fn gzip_text(body: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(body).read_to_string(&mut text).expect("a gzip body");
    text
}

fn encoding(response: &reqwest::Response) -> Option<String> {
    response.headers().get(header::CONTENT_ENCODING).map(|v| v.to_str().expect("ascii").to_owned())
}

#[tokio::test]
async fn pages_are_compressed_for_browsers_that_accept_it_and_plain_for_others() {
    let app = spawn_app().await;
    // A page the same for every anonymous visitor (the storefront, the login form) is
    // cached and sent in brotli; a page rendered for each request is compressed as it
    // streams, in gzip (cheap enough to keep page throughput).
    for (path, streamed) in [("/", "br"), ("/login", "br"), ("/forgot-password", "gzip")] {
        let get = |accept: Option<&'static str>| {
            let mut request = app.client.get(app.url(path)).header("accept", "text/html");
            if let Some(accept) = accept {
                request = request.header(header::ACCEPT_ENCODING, accept);
            }
            request.send()
        };

        let brotli = get(Some("gzip, deflate, br")).await.expect("request");
        assert_eq!(brotli.status(), StatusCode::OK);
        assert_eq!(encoding(&brotli).as_deref(), Some(streamed), "{path} compressed");
        let vary = brotli.headers().get(header::VARY).map(|v| v.to_str().expect("ascii").to_ascii_lowercase());
        assert!(vary.is_some_and(|v| v.contains("accept-encoding")), "{path} varies by encoding");
        let cache = brotli.headers().get(header::CACHE_CONTROL).map(|v| v.to_str().expect("ascii").to_owned());
        assert!(!cache.unwrap_or_default().contains("immutable"), "a page is revalidated, never immutable");
        let body = brotli.bytes().await.expect("body");
        let page = if streamed == "br" { brotli_text(&body) } else { gzip_text(&body) };
        assert!(page.contains("<html") && page.contains("OpenAero"), "{path} decodes to the page");

        let gzip = get(Some("gzip")).await.expect("request");
        assert_eq!(encoding(&gzip).as_deref(), Some("gzip"), "{path} in gzip");
        assert!(gzip_text(&gzip.bytes().await.expect("body")).contains("<html"));

        let plain = get(None).await.expect("request");
        assert_eq!(encoding(&plain), None, "{path} without Accept-Encoding is sent as it is");
        assert!(plain.text().await.expect("body").contains("<html"));
    }
}

#[tokio::test]
async fn a_cached_page_revalidates_the_same_whatever_its_encoding() {
    let app = spawn_app().await;
    let first = app.client.get(app.url("/")).header(header::ACCEPT_ENCODING, "br").send().await.expect("request");
    let tag = first.headers().get(header::ETAG).expect("an entity tag").clone();
    let length: usize = first.headers()[header::CONTENT_LENGTH].to_str().expect("ascii").parse().expect("a number");
    assert_eq!(first.bytes().await.expect("body").len(), length, "the length is the compressed body's");
    let again = app
        .client
        .get(app.url("/"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .header(header::IF_NONE_MATCH, tag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

/// A build's site as the release build leaves it: hashed names, each with its
/// precompressed twins.
fn built_site() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temporary site");
    let pkg = dir.path().join("pkg");
    std::fs::create_dir(&pkg).expect("pkg");
    let name = "openaero.Q2xlYW5fSGFzaF9Gb3JfVA";
    let wasm = [0u8, 97, 115, 109, 1, 0, 0, 0].repeat(512);
    std::fs::write(pkg.join(format!("{name}.wasm")), &wasm).expect("wasm");
    std::fs::write(pkg.join(format!("{name}.wasm.br")), b"brotli twin").expect("wasm.br");
    std::fs::write(pkg.join(format!("{name}.wasm.gz")), b"gzip twin").expect("wasm.gz");
    std::fs::write(pkg.join(format!("{name}.css")), "body { color: #0b1f3a }\n".repeat(64)).expect("css");
    std::fs::write(pkg.join(format!("{name}.css.br")), b"brotli css").expect("css.br");
    std::fs::write(dir.path().join("favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>").expect("favicon");
    (dir, name.to_owned())
}

#[tokio::test]
async fn build_outputs_are_sent_precompressed_and_kept_for_a_year() {
    let (site, name) = built_site();
    let root = site.path().display().to_string();
    let app = spawn_app_with(&[("OPENAERO_SITE_ROOT", root.as_str())]).await;
    let get = |path: String, accept: Option<&'static str>| {
        let mut request = app.client.get(app.url(&path));
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT_ENCODING, accept);
        }
        request.send()
    };

    let wasm = get(format!("/pkg/{name}.wasm"), Some("gzip, deflate, br")).await.expect("request");
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(encoding(&wasm).as_deref(), Some("br"));
    assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(wasm.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(&wasm.bytes().await.expect("body")[..], b"brotli twin", "the file compressed at build time");

    let gzip = get(format!("/pkg/{name}.wasm"), Some("gzip")).await.expect("request");
    assert_eq!(encoding(&gzip).as_deref(), Some("gzip"));
    assert_eq!(&gzip.bytes().await.expect("body")[..], b"gzip twin");

    let plain = get(format!("/pkg/{name}.wasm"), None).await.expect("request");
    assert_eq!(encoding(&plain), None);
    assert_eq!(plain.bytes().await.expect("body").len(), 4096);

    let css = get(format!("/pkg/{name}.css"), Some("br")).await.expect("request");
    assert_eq!(encoding(&css).as_deref(), Some("br"));
    assert!(css.headers()[header::CONTENT_TYPE].to_str().expect("ascii").starts_with("text/css"));
    assert_eq!(css.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert!(css.headers().get(header::SET_COOKIE).is_none(), "static files set no cookie");

    // A fixed name may hold something else after the next deployment.
    let favicon = get("/favicon.svg".to_owned(), Some("br")).await.expect("request");
    assert_eq!(favicon.status(), StatusCode::OK);
    assert!(!favicon.headers()[header::CACHE_CONTROL].to_str().expect("ascii").contains("immutable"));

    let gone = get("/pkg/openaero.wasm".to_owned(), Some("br")).await.expect("request");
    assert_eq!(gone.status(), StatusCode::NOT_FOUND, "only the hashed names exist");
}

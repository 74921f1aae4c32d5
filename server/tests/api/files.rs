//! Uploads, downloads, access levels and signed links, over HTTP with real storage.

use reqwest::{
    StatusCode,
    multipart::{Form, Part},
};
use types::{
    ErrorCode,
    files::{FileInfo, UploadStatus},
};

use crate::{
    helpers::{TestApp, app_error, new_client, spawn_app, spawn_app_on, spawn_app_with, storage_dir},
    peers::{S3Server, files_under},
};

pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 251) as u8, (y % 241) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).expect("encode");
    out.into_inner()
}

/// A small but complete PDF of about `len` bytes.
fn pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    bytes.resize(len.saturating_sub(6), b' ');
    bytes.extend_from_slice(b"%%EOF\n");
    bytes
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    files: Vec<(&str, Vec<u8>)>,
    access: &str,
) -> reqwest::Response {
    let mut form = Form::new().text("access", access.to_owned());
    for (name, bytes) in files {
        form = form.part("file", Part::bytes(bytes).file_name(name.to_owned()));
    }
    client.post(app.url("/api/files")).multipart(form).send().await.expect("request")
}

/// Every object in the test's storage directory.
fn stored_objects(app: &TestApp) -> Vec<std::path::PathBuf> {
    files_under(&storage_dir(&app.database_url))
}

/// Asks for a link to `file` that works for `ttl_secs`.
async fn share(app: &TestApp, client: &reqwest::Client, file: &FileInfo, ttl_secs: i64) -> reqwest::Response {
    let url = app.url(&format!("/api/files/{}/share", file.id));
    client.post(url).json(&serde_json::json!({ "ttl_secs": ttl_secs })).send().await.expect("share")
}

/// The link a ten-minute share of `file` gives, pointed at `on`.
async fn shared_link(app: &TestApp, client: &reqwest::Client, file: &FileInfo, on: &TestApp) -> String {
    let shared: serde_json::Value = share(app, client, file, 600).await.json().await.expect("json");
    shared["url"].as_str().expect("url").replace("http://openaero.test", &on.address)
}

async fn file_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from files").fetch_one(&app.services.pool).await.expect("count")
}

#[tokio::test]
async fn several_files_upload_at_once_with_checksums_sizes_and_thumbnails() {
    let app = spawn_app().await;
    app.verified_user("Mei", "mei@example.com").await;
    let picture = png(1600, 900);
    let sheet = pdf(3000);
    // The names lie about the types: the content decides.
    let response =
        upload(&app, &app.client, vec![("frame.pdf", picture.clone()), ("sheet.png", sheet.clone())], "public").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let stored: Vec<FileInfo> = response.json().await.expect("json");
    assert_eq!(stored.len(), 2);
    let (image, document) = (&stored[0], &stored[1]);
    assert_eq!((image.content_type.as_str(), image.width, image.height), ("image/png", Some(1600), Some(900)));
    assert_eq!(image.sha256, sha256_hex(&picture));
    assert_eq!(image.size_bytes, picture.len() as u64);
    assert_eq!((document.content_type.as_str(), document.width), ("application/pdf", None));
    assert_eq!(document.sha256, sha256_hex(&sheet));

    // Anyone reads a public file, byte for byte, and its thumbnails are WebP.
    let anonymous = new_client();
    let got = anonymous.get(app.url(&image.url())).send().await.expect("get");
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.headers()["content-type"], "image/png");
    assert!(got.headers()["cache-control"].to_str().expect("ascii").contains("immutable"));
    assert_eq!(got.bytes().await.expect("body").as_ref(), picture.as_slice());
    for (size, width) in [(types::files::ThumbnailSize::Small, 320), (types::files::ThumbnailSize::Large, 1024)] {
        let thumb = anonymous.get(app.url(&image.thumbnail_url(size).expect("an image"))).send().await.expect("get");
        assert_eq!(thumb.headers()["content-type"], "image/webp");
        let decoded = image::load_from_memory(&thumb.bytes().await.expect("body")).expect("a WebP picture");
        assert_eq!(decoded.width(), width);
    }
    let widths: Vec<i32> = sqlx::query_scalar("select width from file_thumbnails where file_id = $1 order by width")
        .bind(image.id.0)
        .fetch_all(&app.services.pool)
        .await
        .expect("thumbs");
    assert_eq!(widths, vec![320, 1024]);
}

#[tokio::test]
async fn private_files_are_for_their_owner_staff_and_holders_of_a_live_signed_link() {
    let app = spawn_app().await;
    app.verified_user("Mei", "mei@example.com").await;
    let document = pdf(2000);
    let stored: Vec<FileInfo> =
        upload(&app, &app.client, vec![("licence.pdf", document.clone())], "private").await.json().await.expect("json");
    let file = &stored[0];

    assert_eq!(app.client.get(app.url(&file.url())).send().await.expect("get").status(), StatusCode::OK);
    let anonymous = new_client();
    assert_eq!(anonymous.get(app.url(&file.url())).send().await.expect("get").status(), StatusCode::NOT_FOUND);
    let other = new_client();
    app.register("Tom", "tom@example.com").await;
    app.call_as(&other, "account/login", &[("email", "tom@example.com"), ("password", crate::helpers::PASSWORD)]).await;
    assert_eq!(other.get(app.url(&file.url())).send().await.expect("get").status(), StatusCode::NOT_FOUND);
    // Tom cannot share Mei's file either.
    let refused = share(&app, &other, file, 600).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);

    // Mei shares it for ten minutes: anyone with the link reads it.
    let link = shared_link(&app, &app.client, file, &app).await;
    let opened = anonymous.get(&link).send().await.expect("get");
    assert_eq!(opened.status(), StatusCode::OK);
    assert_eq!(opened.bytes().await.expect("body").as_ref(), document.as_slice());
    // Altered or expired links open nothing.
    let altered = link.replace("expires=", "expires=9");
    assert_eq!(anonymous.get(&altered).send().await.expect("get").status(), StatusCode::NOT_FOUND);
    let past = chrono::Utc::now().timestamp() - 1;
    let expired = app.url(&app.services.files.links.path(file.id, past));
    assert_eq!(anonymous.get(&expired).send().await.expect("get").status(), StatusCode::NOT_FOUND);
    // Links are short-lived.
    let long = share(&app, &app.client, file, 7 * 24 * 3600).await;
    assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY, "a week-long link is refused");

    // A reviewer reads it in the console, and each view is audited; they cannot take
    // it out of the console with a link.
    domain::users::register::create_verified(
        &app.services,
        "Rui",
        "rui@example.com",
        crate::helpers::PASSWORD,
        &[types::Role::Reviewer],
    )
    .await
    .expect("reviewer");
    let reviewer = new_client();
    app.call_as(&reviewer, "account/login", &[("email", "rui@example.com"), ("password", crate::helpers::PASSWORD)])
        .await;
    for _ in 0..2 {
        assert_eq!(reviewer.get(app.url(&file.url())).send().await.expect("get").status(), StatusCode::OK);
    }
    let views: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'file.viewed' and target_id = $1")
            .bind(file.id.to_string())
            .fetch_one(&app.services.pool)
            .await
            .expect("audit");
    assert_eq!(views, 2, "every staff view of a private file is on the record");
    let reviewer_link = share(&app, &reviewer, file, 600).await;
    assert_eq!(reviewer_link.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_files_are_refused_with_their_reason_and_leave_nothing_behind() {
    let app = spawn_app().await;
    app.verified_user("Mei", "mei@example.com").await;
    let whole = png(400, 300);
    let mut too_large = png(10, 10);
    too_large.resize((20 << 20) + 1, 0);
    let cases: Vec<(&str, Vec<u8>, StatusCode, ErrorCode)> = vec![
        (
            "photo.png",
            b"#!/bin/sh\necho not a picture\n".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::FileTypeNotAllowed,
        ),
        ("huge.png", too_large, StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::FileTooLarge),
        ("cut.png", whole[..whole.len() / 2].to_vec(), StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::FileBroken),
        (
            "cut.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::FileBroken,
        ),
        ("../../etc/photo.png", whole.clone(), StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::FileNameInvalid),
        ("empty.png", Vec::new(), StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::FileBroken),
    ];
    for (name, bytes, status, code) in cases {
        let response = upload(&app, &app.client, vec![(name, bytes)], "public").await;
        assert_eq!(response.status(), status, "{name}");
        assert_eq!(app_error(response).await.code, code, "{name}");
    }
    assert_eq!(file_rows(&app).await, 0);
    assert_eq!(stored_objects(&app), Vec::<std::path::PathBuf>::new());

    // Strangers and other sites cannot upload at all.
    let anonymous = upload(&app, &new_client(), vec![("a.png", whole.clone())], "public").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let form = Form::new().part("file", Part::bytes(whole).file_name("a.png"));
    let cross_site = app
        .client
        .post(app.url("/api/files"))
        .header("origin", "http://evil.example")
        .multipart(form)
        .send()
        .await
        .expect("request");
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert_eq!(file_rows(&app).await, 0);
}

async fn begin(app: &TestApp, client: &reqwest::Client, name: &str, size: usize) -> reqwest::Response {
    client
        .post(app.url("/api/files/uploads"))
        .json(&serde_json::json!({"name": name, "size": size, "access": "private"}))
        .send()
        .await
        .expect("begin")
}

async fn send_chunk(
    app: &TestApp,
    client: &reqwest::Client,
    status: &UploadStatus,
    bytes: &[u8],
    index: u32,
) -> StatusCode {
    let size = status.chunk_size as usize;
    let chunk = bytes[index as usize * size..((index as usize + 1) * size).min(bytes.len())].to_vec();
    let url = app.url(&format!("/api/files/uploads/{}/chunks/{index}", status.id));
    client.put(url).body(chunk).send().await.expect("chunk").status()
}

#[tokio::test]
async fn a_large_file_arrives_in_chunks_in_any_order_and_resumes_where_it_stopped() {
    let app = spawn_app().await;
    app.verified_user("Mei", "mei@example.com").await;
    let manual = pdf(9 * 1024 * 1024);
    let status: UploadStatus = begin(&app, &app.client, "manual.pdf", manual.len()).await.json().await.expect("json");
    assert_eq!(status.chunks, 3);
    assert_eq!(send_chunk(&app, &app.client, &status, &manual, 2).await, StatusCode::OK);
    assert_eq!(send_chunk(&app, &app.client, &status, &manual, 0).await, StatusCode::OK);
    // The connection dropped: the browser asks what arrived and sends only the rest.
    let now: UploadStatus = app
        .client
        .get(app.url(&format!("/api/files/uploads/{}", status.id)))
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("json");
    assert_eq!(now.received, vec![0, 2]);
    let complete = app.url(&format!("/api/files/uploads/{}/complete", status.id));
    let early = app.client.post(&complete).send().await.expect("complete");
    assert_eq!(early.status(), StatusCode::CONFLICT);
    assert_eq!(app_error(early).await.code, ErrorCode::UploadIncomplete);

    // Another user cannot see, feed or finish it.
    let other = new_client();
    app.register("Tom", "tom@example.com").await;
    app.call_as(&other, "account/login", &[("email", "tom@example.com"), ("password", crate::helpers::PASSWORD)]).await;
    assert_eq!(send_chunk(&app, &other, &status, &manual, 1).await, StatusCode::NOT_FOUND);
    assert_eq!(other.post(&complete).send().await.expect("complete").status(), StatusCode::NOT_FOUND);

    assert_eq!(send_chunk(&app, &app.client, &status, &manual, 1).await, StatusCode::OK);
    let done = app.client.post(&complete).send().await.expect("complete");
    assert_eq!(done.status(), StatusCode::CREATED);
    let file: FileInfo = done.json().await.expect("json");
    assert_eq!((file.size_bytes, file.sha256.clone()), (manual.len() as u64, sha256_hex(&manual)));
    let got = app.client.get(app.url(&file.url())).send().await.expect("get").bytes().await.expect("body");
    assert!(got.as_ref() == manual.as_slice());
    // A player jumping ahead, or a download resuming, asks for a part.
    let part = |range: &'static str| app.client.get(app.url(&file.url())).header("range", range).send();
    let middle = part("bytes=5000000-5000099").await.expect("range");
    assert_eq!(middle.status(), StatusCode::PARTIAL_CONTENT);
    let header =
        |r: &reqwest::Response, name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(
        header(&middle, "content-range").as_deref(),
        Some(format!("bytes 5000000-5000099/{}", manual.len()).as_str())
    );
    assert_eq!(header(&middle, "accept-ranges").as_deref(), Some("bytes"));
    assert!(middle.bytes().await.expect("body").as_ref() == &manual[5_000_000..5_000_100]);
    let tail = part("bytes=-10").await.expect("range").bytes().await.expect("body");
    assert!(tail.as_ref() == &manual[manual.len() - 10..]);
    let past = part("bytes=99999999-").await.expect("range");
    assert_eq!(past.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(header(&past, "content-range").as_deref(), Some(format!("bytes */{}", manual.len()).as_str()));
    // The chunks are gone; only the file remains.
    let objects = stored_objects(&app);
    assert!(objects.iter().all(|p| p.to_string_lossy().contains("/files/")), "{objects:?}");
}

#[tokio::test]
async fn refused_and_abandoned_chunked_uploads_leave_nothing_behind() {
    let app = spawn_app().await;
    app.verified_user("Mei", "mei@example.com").await;
    // Refused at the start: too large for any kind, or a tricky name.
    let huge = begin(&app, &app.client, "film.mp4", 600 << 20).await;
    assert_eq!(app_error(huge).await.code, ErrorCode::FileTooLarge);
    let tricky = begin(&app, &app.client, "..\\boot.ini", 10).await;
    assert_eq!(app_error(tricky).await.code, ErrorCode::FileNameInvalid);

    // Refused at the end: 5 MB of text is no document, whatever its name says.
    let text = vec![b'a'; 5 << 20];
    let status: UploadStatus = begin(&app, &app.client, "notes.pdf", text.len()).await.json().await.expect("json");
    for index in 0..status.chunks {
        assert_eq!(send_chunk(&app, &app.client, &status, &text, index).await, StatusCode::OK);
    }
    let refused =
        app.client.post(app.url(&format!("/api/files/uploads/{}/complete", status.id))).send().await.expect("complete");
    assert_eq!(app_error(refused).await.code, ErrorCode::FileTypeNotAllowed);
    assert_eq!(stored_objects(&app), Vec::<std::path::PathBuf>::new());

    // Abandoned halfway: swept with its chunks once it expires.
    let manual = pdf(6 << 20);
    let status: UploadStatus = begin(&app, &app.client, "manual.pdf", manual.len()).await.json().await.expect("json");
    assert_eq!(send_chunk(&app, &app.client, &status, &manual, 0).await, StatusCode::OK);
    assert_eq!(stored_objects(&app).len(), 1);
    assert_eq!(domain::files::chunked::sweep_expired(&app.services).await.expect("sweep"), 0);
    sqlx::query("update file_uploads set expires_at = now() - interval '1 second'")
        .execute(&app.services.pool)
        .await
        .expect("age");
    assert_eq!(domain::files::chunked::sweep_expired(&app.services).await.expect("sweep"), 1);
    assert_eq!(stored_objects(&app), Vec::<std::path::PathBuf>::new());
    let uploads: i64 =
        sqlx::query_scalar("select count(*) from file_uploads").fetch_one(&app.services.pool).await.expect("count");
    assert_eq!((uploads, file_rows(&app).await), (0, 0));
}

/// A PNG of a few KB whose header says it is `side` × `side` pixels: a decompression
/// bomb (its pixels would take `side²` × 3 bytes once decoded).
fn bomb_png(side: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut png, b"IHDR", &header);
    // The start of the pixel stream: zeros compress to almost nothing.
    let mut deflate = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut deflate, &vec![0u8; 4 << 20]).expect("deflate");
    chunk(&mut png, b"IDAT", &deflate.finish().expect("deflate"));
    chunk(&mut png, b"IEND", &[]);
    png
}

/// The test process's resident memory (the server runs in it), in MiB.
fn resident_mib() -> u64 {
    server::metrics::resident_bytes().expect("resident memory") >> 20
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_picture_bombs_at_once_are_refused_from_their_header_and_memory_stays_flat() {
    let app = spawn_app().await;
    app.verified_user("Mei", "mei@example.com").await;
    let bomb = bomb_png(100_000);
    assert!(bomb.len() < 16 << 10, "a few KB: {}", bomb.len());
    let before = resident_mib();
    let uploads = (0..10).map(|i| {
        upload(&app, &app.client, vec![(if i % 2 == 0 { "bomb.png" } else { "x.png" }, bomb.clone())], "public")
    });
    for response in futures::future::join_all(uploads).await {
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app_error(response).await.code, ErrorCode::ImageTooLarge);
    }
    let grown = resident_mib().saturating_sub(before);
    assert!(grown < 64, "memory grew by {grown} MiB");
    assert_eq!(file_rows(&app).await, 0);
    assert_eq!(stored_objects(&app), Vec::<std::path::PathBuf>::new(), "nothing is left in storage");
    // A 16,000-pixel-square picture (256 megapixels) is refused the same way.
    let response = upload(&app, &app.client, vec![("wide.png", bomb_png(16_000))], "public").await;
    assert_eq!(app_error(response).await.code, ErrorCode::ImageTooLarge);
}

#[tokio::test]
async fn uploads_stop_at_the_account_quota_and_files_never_attached_are_removed_after_a_day() {
    let app = spawn_app().await;
    let mei = app.verified_user("Mei", "mei@example.com").await;
    let pool = &app.services.pool;
    let stored: Vec<FileInfo> = upload(&app, &app.client, vec![("a.pdf", pdf(2000)), ("b.pdf", pdf(3000))], "private")
        .await
        .json()
        .await
        .expect("json");
    // One is attached (as the account's picture), the other never is; a day passes.
    sqlx::query("update users set avatar_file_id = $2 where id = $1")
        .bind(mei.0)
        .bind(stored[0].id.0)
        .execute(pool)
        .await
        .expect("attach");
    sqlx::query("update files set created_at = now() - interval '25 hours'").execute(pool).await.expect("age");
    let removed = domain::files::quota::sweep_unattached(&app.services).await.expect("sweep");
    assert_eq!(removed, 1);
    let left: Vec<uuid::Uuid> = sqlx::query_scalar("select id from files").fetch_all(pool).await.expect("files");
    assert_eq!(left, [stored[0].id.0], "the attached file stays");
    assert_eq!(stored_objects(&app).len(), 1, "the other's bytes are gone from storage too");

    // Close to the quota (a large video, say), a new upload that would pass it is refused.
    let mut conn = pool.acquire().await.expect("conn");
    let usage = domain::files::quota::usage(&mut conn, mei).await.expect("usage");
    assert_eq!((usage.used_bytes, usage.quota_bytes), (2000, domain::files::quota::QUOTA_BYTES));
    sqlx::query(
        "insert into files (id, owner_id, kind, content_type, original_name, size_bytes, sha256)
         values ($1, $2, 'video', 'video/mp4', 'flight.mp4', $3, $4)",
    )
    .bind(uuid::Uuid::new_v4())
    .bind(mei.0)
    .bind((domain::files::quota::QUOTA_BYTES - 4000) as i64)
    .bind(vec![0u8; 32])
    .execute(pool)
    .await
    .expect("a large file");
    let refused = upload(&app, &app.client, vec![("c.pdf", pdf(5000))], "private").await;
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app_error(refused).await.code, ErrorCode::StorageQuotaExceeded);
    let fits = upload(&app, &app.client, vec![("d.pdf", pdf(1500))], "private").await;
    assert_eq!(fits.status(), StatusCode::CREATED, "what still fits is taken");
    let chunked = begin(&app, &app.client, "big.mp4", 10 << 20).await;
    assert_eq!(app_error(chunked).await.code, ErrorCode::StorageQuotaExceeded, "a chunked upload is refused up front");
}

/// How a store with several instances keeps its files: in S3-compatible storage they
/// all share (a real S3 server here), so any instance serves what another stored.
#[tokio::test]
async fn on_s3_storage_every_instance_serves_what_another_stored() {
    let s3 = S3Server::start();
    let settings = s3.settings("store");
    let settings: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let first = spawn_app_with(&settings).await;
    let second = spawn_app_on(&first.database_url, &settings).await;
    // The session cookie is the same for both, as behind one load balancer.
    let mei = &first.client;
    first.verified_user("Mei", "mei@example.com").await;

    // A picture uploaded through one instance, read with its thumbnails through the other.
    let picture = png(1200, 800);
    let stored: Vec<FileInfo> =
        upload(&first, mei, vec![("frame.png", picture.clone())], "public").await.json().await.expect("json");
    let image = &stored[0];
    let anonymous = new_client();
    let got = anonymous.get(second.url(&image.url())).send().await.expect("get");
    assert_eq!(got.status(), StatusCode::OK);
    assert!(got.bytes().await.expect("body").as_ref() == picture.as_slice());
    let small = image.thumbnail_url(types::files::ThumbnailSize::Small).expect("an image");
    let thumb = anonymous.get(second.url(&small)).send().await.expect("get").bytes().await.expect("body");
    assert_eq!(image::load_from_memory(&thumb).expect("a WebP picture").width(), 320);

    // A private manual in chunks sent to both instances, finished on the second.
    let manual = pdf(9 * 1024 * 1024);
    let status: UploadStatus = begin(&first, mei, "manual.pdf", manual.len()).await.json().await.expect("json");
    for (instance, index) in [(&second, 2), (&first, 0), (&second, 1)] {
        assert_eq!(send_chunk(instance, mei, &status, &manual, index).await, StatusCode::OK);
    }
    let done = mei.post(second.url(&format!("/api/files/uploads/{}/complete", status.id))).send().await;
    let done = done.expect("complete");
    assert_eq!(done.status(), StatusCode::CREATED);
    let file: FileInfo = done.json().await.expect("json");
    assert_eq!(file.sha256, sha256_hex(&manual));

    // Shared through one instance, the link opens through the other, in parts too.
    let link = shared_link(&first, mei, &file, &second).await;
    assert_eq!(anonymous.get(second.url(&file.url())).send().await.expect("get").status(), StatusCode::NOT_FOUND);
    let whole = anonymous.get(&link).send().await.expect("get").bytes().await.expect("body");
    assert!(whole.as_ref() == manual.as_slice());
    let part = anonymous.get(&link).header("range", "bytes=5000000-5000099").send().await.expect("range");
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert!(part.bytes().await.expect("body").as_ref() == &manual[5_000_000..5_000_100]);

    // Everything is in the bucket under the prefix, the chunks are gone, and no
    // instance wrote a local directory.
    let objects = s3.objects("store");
    let names: Vec<String> = objects.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    assert!(names.iter().any(|n| n.ends_with(&format!("files/{}/original", file.id))), "{names:?}");
    assert!(names.iter().all(|n| !n.contains("/uploads/")), "{names:?}");
    assert!(!storage_dir(&first.database_url).exists());
}

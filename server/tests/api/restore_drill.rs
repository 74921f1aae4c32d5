//! The restore drill: a store on S3 is backed up while it serves, restored into a new
//! database and a new storage prefix with the scripts an operator runs, and the
//! restored store serves the same accounts, orders, books and files.

use reqwest::{
    StatusCode,
    multipart::{Form, Part},
};
use types::files::FileInfo;

use crate::{
    helpers::{empty_database, fresh_database},
    peers::S3Server,
    release::{Instance, client, login, run_cli, run_unchecked, scalar, store_env},
};

/// What a restore must bring back: orders, ledger entries, users, products.
async fn counts(pool: &sqlx::PgPool) -> Vec<i64> {
    let mut out = Vec::new();
    for table in ["order_groups", "sub_orders", "ledger_entries", "users", "products", "files"] {
        out.push(scalar(pool, &format!("select count(*) from {table}")).await);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "runs the release build: the test command runs it after building"]
async fn a_backup_restores_into_a_new_database_and_storage_with_everything_in_it() {
    let (pool, database_url) = fresh_database().await;
    let s3 = S3Server::start();
    let live = store_env(&database_url, s3.settings("live"));
    run_cli(&live, &["seed-demo"]);
    let store = Instance::start(crate::peers::free_port(), &live);
    store.wait_ready().await;
    let maker = client("192.0.2.1");
    login(&maker, &store.url(""), "creator@openaero.test").await;
    let manual = {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.resize(300_000, b'%');
        bytes.extend_from_slice(b"\n%%EOF\n");
        bytes
    };
    let form = Form::new().text("access", "private").part("file", Part::bytes(manual.clone()).file_name("manual.pdf"));
    let uploaded = maker.post(store.url("/api/files")).multipart(form).send().await.expect("upload");
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let file = uploaded.json::<Vec<FileInfo>>().await.expect("files").remove(0);
    let before = counts(&pool).await;
    assert!(before[0] > 0, "the demo store has orders");

    let backup = tempfile::tempdir().expect("backup directory");
    let dir = backup.path().join("store").display().to_string();
    run_cli(&live, &["scripts/backup.sh", &dir]);
    drop(store);

    // A new database and a new place for the files, as after losing both.
    let restored_url = empty_database().await;
    let restored = store_env(&restored_url, s3.settings("restored"));
    run_cli(&restored, &["scripts/restore.sh", &dir]);
    let restored_pool = sqlx::PgPool::connect(&restored_url).await.expect("restored database");
    assert_eq!(counts(&restored_pool).await, before, "orders, books, accounts, products and files");

    let store = Instance::start(crate::peers::free_port(), &restored);
    store.wait_ready().await;
    let maker = client("192.0.2.1");
    login(&maker, &store.url(""), "creator@openaero.test").await;
    let read = maker.get(store.url(&file.url())).send().await.expect("read");
    assert_eq!(read.status(), StatusCode::OK);
    assert!(read.bytes().await.expect("body").as_ref() == manual.as_slice(), "the file came back byte for byte");
    let home = maker.get(store.url("/")).send().await.expect("home");
    assert_eq!(home.status(), StatusCode::OK);

    // A second restore over the first is refused, and changes nothing.
    let again = run_unchecked(&restored, &["scripts/restore.sh", &dir]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has"), "says why");
    assert_eq!(counts(&restored_pool).await, before);
    // So is a damaged backup.
    std::fs::write(backup.path().join("store/database.dump"), b"not a dump").expect("damage");
    let damaged =
        run_unchecked(&store_env(&empty_database().await, s3.settings("other")), &["scripts/restore.sh", &dir]);
    assert!(String::from_utf8_lossy(&damaged.stderr).contains("checksums"), "a damaged backup is refused");
}

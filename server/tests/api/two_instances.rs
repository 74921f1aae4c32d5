//! Two release-built server processes on one PostgreSQL and one S3 server, behind
//! HAProxy (round robin), as a store runs when one machine is not enough: they act as
//! one store, the survivor finishes what a killed one began, and restarting them one
//! at a time fails no request.
//!
//! It runs the release binary, so a plain test run skips it; the test command runs it
//! after the release build (`--run-ignored only`).

use std::{
    process::Command,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use reqwest::{Client, StatusCode};
use sqlx::PgPool;
use types::{checkout::CheckoutPage, files::UploadStatus};

use server::edge_limits::SEARCH;

use crate::{
    edge_limits::hammer,
    helpers::fresh_database,
    order_pages::{checkout_form, pairs},
    peers::{Peer, S3Server, free_port},
    products::product_form,
    release::{Instance, call, client, login, run_cli, scalar, store_env},
};

const BUYERS: &[&str] = &[
    "customer@openaero.test",
    "mei.lin@openaero.test",
    "jonas.berg@openaero.test",
    "amara.okafor@openaero.test",
    "diego.santos@openaero.test",
    "hana.sato@openaero.test",
];
/// The store's stock of the drone everybody wants: less than they try to buy.
const STOCK: i32 = 12;

/// HAProxy in front of the instances, round robin, checking `/ready` every 200 ms,
/// on two addresses: one that retries a request whose connection failed before it was
/// answered (as a production balancer should), and a strict one that never retries,
/// so that what it sees is what the instances did.
struct Balancer {
    _haproxy: Peer,
    retrying: String,
    strict: String,
}

fn balancer(instances: &[u16]) -> Balancer {
    let strict = free_port();
    let haproxy = Peer::start("haproxy", "the test command installs it from Debian's packages", |port, dir| {
        let servers: String =
            instances.iter().enumerate().map(|(i, p)| format!("  server app{i} 127.0.0.1:{p} check\n")).collect();
        let backend = |name: &str, retries: &str| {
            format!(
                "backend {name}\n  balance roundrobin\n  option httpchk GET /ready\n{retries}\
                 \x20 default-server inter 200ms fall 2 rise 2\n{servers}"
            )
        };
        let config = [
            "global\n  maxconn 2000\n".to_owned(),
            "defaults\n  mode http\n  option forwardfor\n  timeout connect 1s\n  timeout client 30s\n  timeout server 30s\n".to_owned(),
            format!("frontend retrying\n  bind 127.0.0.1:{port}\n  default_backend retrying\n"),
            format!("frontend strict\n  bind 127.0.0.1:{strict}\n  default_backend strict\n"),
            backend("retrying", "  retries 3\n  option redispatch 1\n  retry-on conn-failure empty-response\n"),
            backend("strict", "  retries 0\n"),
        ]
        .concat();
        let file = dir.join("haproxy.cfg");
        std::fs::write(&file, config).expect("haproxy.cfg");
        vec!["-db".into(), "-f".into(), file.display().to_string()]
    });
    Balancer {
        retrying: format!("http://127.0.0.1:{}", haproxy.port),
        strict: format!("http://127.0.0.1:{strict}"),
        _haproxy: haproxy,
    }
}

/// Waits up to `limit` for `done`.
async fn within<F: std::future::Future<Output = bool>>(limit: Duration, what: &str, mut done: impl FnMut() -> F) {
    let deadline = Instant::now() + limit;
    while !done().await {
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Buys one of `slug` with `card`: the outcome, or `None` when the request failed
/// on the way (an instance died under it).
async fn buy(client: &Client, base: &str, slug: &str, card: &str) -> Option<StatusCode> {
    call(client, base, "cart/add", &[("product", slug)]).await.ok()?;
    let page: CheckoutPage = call(client, base, "checkout", &[]).await.ok()?.json().await.ok()?;
    let form = checkout_form(&page, card);
    Some(call(client, base, "checkout/place", &pairs(&form)).await.ok()?.status())
}

/// Requests a page through the balancer every 20 ms until told to stop, noting when
/// each one failed.
fn probe(base: String, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<(usize, Vec<Instant>)> {
    tokio::spawn(async move {
        let client = client("192.0.2.3");
        let (mut sent, mut failed) = (0, Vec::new());
        while !stop.load(Ordering::Relaxed) {
            sent += 1;
            let ok = client.get(format!("{base}/")).send().await.is_ok_and(|r| r.status() == StatusCode::OK);
            if !ok {
                failed.push(Instant::now());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        (sent, failed)
    })
}

/// `wrk` on `path` through the balancer for `seconds`: its report.
fn load(base: &str, path: &str, seconds: u32) -> std::thread::JoinHandle<String> {
    let url = format!("{base}{path}");
    std::thread::spawn(move || {
        let out = Command::new("wrk")
            .args(["-t1", "-c8", &format!("-d{seconds}s"), &url])
            .output()
            .expect("wrk (the test command installs it from Debian's packages)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    })
}

/// Requests wrk saw fail: non-2xx/3xx answers plus socket errors.
fn wrk_failures(report: &str) -> u64 {
    let number = |line: &str, after: &str| -> u64 {
        let digits = line.split(after).nth(1).and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next());
        digits.and_then(|d| d.parse().ok()).unwrap_or(0)
    };
    let mut failures = 0;
    for line in report.lines() {
        if line.contains("Non-2xx or 3xx responses:") {
            failures += number(line, "responses: ");
        }
        if line.contains("Socket errors:") {
            for what in ["connect ", "read ", "write ", "timeout "] {
                failures += number(line, what);
            }
        }
    }
    failures
}

/// How many of `product` paid checkouts took.
async fn sold(pool: &PgPool, product: uuid::Uuid) -> i64 {
    sqlx::query_scalar(
        "select coalesce(sum(l.quantity), 0)::int8 from checkout_lines l join checkouts c on c.id = l.checkout_id
         where c.state = 'completed' and l.product_id = $1",
    )
    .bind(product)
    .fetch_one(pool)
    .await
    .expect("sold")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "runs the release build: the test command runs it after building"]
async fn two_instances_behind_a_balancer_act_as_one_store_survive_a_kill_and_restart_without_a_failure() {
    let (pool, database_url) = fresh_database().await;
    let s3 = S3Server::start();
    let mut storage = s3.settings("store");
    storage.push(("OPENAERO_DRAIN_SECS", "2".into()));
    let env = store_env(&database_url, storage);
    run_cli(&env, &["seed-demo"]);
    // The drone everybody wants, and another that two buyers pay for slowly.
    let on_sale: Vec<(String, uuid::Uuid)> = sqlx::query_as(
        "select p.slug, p.id from products p join creators c on c.id = p.creator_id join users u on u.id = c.user_id
         where p.status = 'published' and u.email <> 'creator@openaero.test' order by p.slug limit 2",
    )
    .fetch_all(&pool)
    .await
    .expect("products to buy");
    let [(slug, wanted), (spare_slug, _)] = <[_; 2]>::try_from(on_sale).expect("two products");
    sqlx::query("update products set stock_on_hand = $2, stock_reserved = 0 where slug = any($1)")
        .bind([&slug, &spare_slug])
        .bind(STOCK)
        .execute(&pool)
        .await
        .expect("stock");
    let sold_before = sold(&pool, wanted).await;

    let (port_a, port_b) = (free_port(), free_port());
    let mut a = Instance::start(port_a, &env);
    let mut b = Instance::start(port_b, &env);
    a.wait_ready().await;
    b.wait_ready().await;
    let lb = balancer(&[port_a, port_b]);
    let store = lb.retrying.clone();
    tokio::time::sleep(Duration::from_millis(600)).await;

    // --- One store: a session, an upload and a change made through one instance hold on the other.
    let maker = client("192.0.2.1");
    login(&maker, &store, "creator@openaero.test").await;
    for base in [store.as_str(), store.as_str(), &a.url(""), &b.url("")] {
        let account = maker.get(format!("{base}/account")).send().await.expect("account");
        assert_eq!(account.status(), StatusCode::OK, "signed in on {base}");
        assert!(account.text().await.expect("body").contains("Chen Creator"));
    }
    let manual = {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.resize(9 << 20, b' ');
        bytes.extend_from_slice(b"%%EOF\n");
        bytes
    };
    let status: UploadStatus = maker
        .post(a.url("/api/files/uploads"))
        .json(&serde_json::json!({"name": "manual.pdf", "size": manual.len(), "access": "private"}))
        .send()
        .await
        .expect("begin")
        .json()
        .await
        .expect("upload status");
    for index in 0..status.chunks {
        let size = status.chunk_size as usize;
        let chunk = manual[index as usize * size..((index as usize + 1) * size).min(manual.len())].to_vec();
        let instance = if index % 2 == 0 { &b } else { &a };
        let url = instance.url(&format!("/api/files/uploads/{}/chunks/{index}", status.id));
        assert_eq!(maker.put(url).body(chunk).send().await.expect("chunk").status(), StatusCode::OK);
    }
    let done = maker.post(b.url(&format!("/api/files/uploads/{}/complete", status.id))).send().await.expect("done");
    assert_eq!(done.status(), StatusCode::CREATED, "an upload begun on one instance is finished on the other");
    let file: types::files::FileInfo = done.json().await.expect("file");
    let read = maker.get(a.url(&file.url())).send().await.expect("read").bytes().await.expect("body");
    assert!(read.as_ref() == manual.as_slice());

    let (own_slug, own_id, own_name): (String, uuid::Uuid, String) = sqlx::query_as(
        "select p.slug, p.id, p.name_en from products p join creators c on c.id = p.creator_id join users u on u.id = c.user_id
         where p.status = 'published' and u.email = 'creator@openaero.test' order by p.slug limit 1",
    )
    .fetch_one(&pool)
    .await
    .expect("the maker's product");
    let search = format!("/search?q={}", own_name.replace(' ', "+"));
    let listed = |html: String| html.contains(&format!("/p/{own_slug}"));
    for instance in [&a, &b] {
        let page = maker.get(instance.url(&format!("/p/{own_slug}"))).send().await.expect("page");
        assert_eq!(page.status(), StatusCode::OK, "cached on {}", instance.port);
        let found = maker.get(instance.url(&search)).send().await.expect("search").text().await.expect("body");
        assert!(listed(found), "{search} finds it on {}", instance.port);
    }
    // A price change made through one instance shows on the other's page and search.
    let anonymous = client("192.0.2.2");
    let id = own_id.to_string();
    let form = product_form(&id, &own_name, "Repriced.", "4321.09", "");
    let repriced = call(&maker, &a.url(""), "creator/product/save", &form).await;
    assert!(repriced.expect("save").status().is_success());
    within(Duration::from_secs(2), "the other instance shows the new price on the page and in search", || async {
        let page = anonymous.get(b.url(&format!("/p/{own_slug}"))).send().await.expect("page");
        let found = anonymous.get(b.url(&search)).send().await.expect("search").text().await.expect("body");
        page.text().await.expect("body").contains("$4,321.09") && found.contains("$4,321.09")
    })
    .await;
    let archived = call(&maker, &a.url(""), "creator/product/archive", &[("id", &id)]).await;
    assert!(archived.expect("archive").status().is_success());
    within(Duration::from_secs(2), "the other instance stops selling an archived product", || async {
        let page = anonymous.get(b.url(&format!("/p/{own_slug}"))).send().await.expect("page");
        let found = anonymous.get(b.url(&search)).send().await.expect("search").text().await.expect("body");
        page.status() == StatusCode::NOT_FOUND && !listed(found)
    })
    .await;

    // --- One instance is killed under load while customers check out through the balancer.
    let buyers: Vec<Client> = futures::future::join_all(BUYERS.iter().enumerate().map(|(n, email)| {
        let store = store.clone();
        async move {
            let buyer = client(&format!("192.0.2.{}", 10 + n));
            login(&buyer, &store, email).await;
            buyer
        }
    }))
    .await;
    let stop = Arc::new(AtomicBool::new(false));
    let prober = probe(store.clone(), stop.clone());
    let wrk = load(&store, &format!("/p/{slug}"), 8);
    let shoppers: Vec<_> = buyers[2..]
        .iter()
        .cloned()
        .map(|buyer| {
            let (store, slug, stop) = (store.clone(), slug.clone(), stop.clone());
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    outcomes.push(buy(&buyer, &store, &slug, "4242 4242 4242 4242").await);
                }
                outcomes
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    // Two buyers pay on the instance about to die with a card the network confirms
    // two seconds later: the survivor must finish those.
    for buyer in &buyers[..2] {
        let placed = buy(buyer, &a.url(""), &spare_slug, "4000 0000 0000 3220").await;
        assert_eq!(placed, Some(StatusCode::OK), "a payment waiting for confirmation");
    }
    a.child.kill().expect("SIGKILL");
    let killed = Instant::now();
    tokio::time::sleep(Duration::from_secs(4)).await;
    stop.store(true, Ordering::Relaxed);
    let (probed, failed) = prober.await.expect("prober");
    let report = wrk.join().expect("wrk");
    let mut attempts = 0;
    for shopper in shoppers {
        attempts += shopper.await.expect("shopper").len();
    }
    eprintln!("kill: {probed} probes, {} failed; {attempts} checkouts tried; wrk:\n{report}", failed.len());
    assert!(
        failed.iter().all(|at| *at >= killed && at.duration_since(killed) < Duration::from_secs(1)),
        "requests failed other than while the balancer noticed the kill: {:?}",
        failed.iter().map(|at| at.checked_duration_since(killed)).collect::<Vec<_>>()
    );
    assert!(attempts as i32 > STOCK, "more checkouts than stock were tried");

    // Every checkout ends: the survivor takes over the dead instance's once their
    // lease runs out. Nothing is oversold and the books balance.
    within(Duration::from_secs(60), "every checkout completed or failed", || async {
        scalar(&pool, "select count(*) from checkouts where state not in ('completed', 'failed')").await == 0
    })
    .await;
    let (on_hand, reserved): (i32, i32) =
        sqlx::query_as("select stock_on_hand, stock_reserved from products where id = $1")
            .bind(wanted)
            .fetch_one(&pool)
            .await
            .expect("stock");
    let sold = sold(&pool, wanted).await - sold_before;
    assert_eq!((on_hand, reserved), (STOCK - sold as i32, 0), "stock is what was not sold, and none is held");
    assert_eq!(sold, i64::from(STOCK), "every drone sold, and not one more");
    let later_completed =
        scalar(&pool, "select count(*) from checkouts where card_last4 = '3220' and state = 'completed'").await;
    assert_eq!(later_completed, 2, "the survivor finished the payments the dead instance was waiting for");
    let captured = scalar(&pool, "select count(*) from sandbox_payments where status = 'captured'").await;
    let paid = scalar(&pool, "select count(*) from checkouts where state = 'completed'").await;
    assert_eq!(captured, paid, "a charge for every paid checkout, and none without");
    let books = domain::ledger::reconcile::run(&pool).await.expect("reconcile");
    assert!(books.balanced(), "{:?}", books.checks);

    // --- A rolling restart under load: no request fails, even through a balancer that
    // never retries, because each instance drains (fails /ready, serves on) first.
    a.restart();
    a.wait_ready().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let stop = Arc::new(AtomicBool::new(false));
    let prober = probe(lb.strict.clone(), stop.clone());
    let wrk = load(&lb.strict, &format!("/p/{slug}"), 12);
    for instance in [&mut a, &mut b] {
        instance.terminate().await;
        instance.restart();
        instance.wait_ready().await;
        // Until the balancer has seen it ready twice (every 200 ms).
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let (probed, failed) = prober.await.expect("prober");
    let report = wrk.join().expect("wrk");
    eprintln!("rolling restart: {probed} probes, {} failed; wrk:\n{report}", failed.len());
    assert!(failed.is_empty(), "{} requests failed during a rolling restart", failed.len());
    assert!(report.contains("requests in"), "wrk ran: {report}");
    assert_eq!(wrk_failures(&report), 0, "wrk saw failures during a rolling restart:\n{report}");

    // --- The search limit holds for the store, not per instance: one address searching
    // through the balancer as fast as it can is refused past the store's rate.
    let searcher = client("192.0.2.50");
    hammer(SEARCH, 3 * SEARCH.burst as usize, |_| searcher.get(format!("{store}/search?q=drone"))).await;
}

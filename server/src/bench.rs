//! `openaero bench-checkout`: checkout throughput and latency through the domain
//! (the saga, the sandbox provider and PostgreSQL; not HTTP or sessions), with
//! buyers racing for one popular product or spread over many. Afterwards it checks
//! that nothing was oversold and the books balance. Run by bench/checkout.sh on its
//! own database.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use domain::{
    RequestMeta, Services,
    commerce::{
        cart::{self, CartOwner},
        checkout::{self, PlaceOrder, ShipToChoice},
        payments::CardDetails,
    },
};
use tokio::sync::Mutex;
use types::{
    checkout::CheckoutOutcome,
    ids::{ProductId, UserId},
    orders::ShipTo,
};

/// One scenario's figures.
struct Figures {
    completed: usize,
    sold_out: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Runs `jobs` on `concurrency` workers and times each.
async fn timed<T: Send + 'static, F, Fut>(
    jobs: Vec<T>,
    concurrency: usize,
    work: F,
) -> (Duration, Vec<(Duration, bool)>)
where
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let queue = Arc::new(Mutex::new(jobs));
    let work = Arc::new(work);
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let queue = queue.clone();
            let work = work.clone();
            tokio::spawn(async move {
                let mut times = Vec::new();
                loop {
                    let Some(job) = queue.lock().await.pop() else { break };
                    let t = Instant::now();
                    let ok = work(job).await;
                    times.push((t.elapsed(), ok));
                }
                times
            })
        })
        .collect();
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap_or_default());
    }
    (started.elapsed(), all)
}

async fn buyers(services: &Services, n: usize) -> anyhow::Result<Vec<UserId>> {
    let ids: Vec<uuid::Uuid> = (0..n).map(|_| uuid::Uuid::new_v4()).collect();
    sqlx::query(
        "insert into users (id, email, name, password_hash, email_verified_at)
         select id, 'bench-' || id || '@bench.invalid', 'Bench buyer', 'unusable', now() from unnest($1::uuid[]) id",
    )
    .bind(&ids)
    .execute(&services.pool)
    .await?;
    Ok(ids.into_iter().map(UserId).collect())
}

async fn scenario(
    services: &Services,
    concurrency: usize,
    orders: usize,
    products: &[ProductId],
) -> anyhow::Result<(Figures, Vec<Duration>)> {
    let buyers = buyers(services, orders).await?;
    // Fill the carts (timed: the cart-add latency).
    let jobs: Vec<(UserId, ProductId)> =
        buyers.iter().enumerate().map(|(i, b)| (*b, products[i % products.len()])).collect();
    let s = services.clone();
    let (_, adds) = timed(jobs, concurrency, move |(buyer, product)| {
        let s = s.clone();
        async move { cart::add(&s.pool, CartOwner::User(buyer), product, 1).await.is_ok() }
    })
    .await;
    let mut forms = Vec::new();
    for buyer in &buyers {
        let page = checkout::page(&services.pool, *buyer).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        forms.push((*buyer, page.key, page.cart.total().minor));
    }
    let s = services.clone();
    let results = Arc::new(Mutex::new((0usize, 0usize)));
    let tally = results.clone();
    let (elapsed, times) = timed(forms, concurrency, move |(buyer, key, total)| {
        let s = s.clone();
        let tally = tally.clone();
        async move {
            let card = match CardDetails::parse("4242424242424242", "12/40", "123", chrono::Utc::now().date_naive()) {
                Ok(card) => card,
                Err(_) => return false,
            };
            let order = PlaceOrder {
                key,
                reviewed_total_minor: total,
                ship_to: ShipToChoice::New {
                    address: ShipTo {
                        full_name: "Bench Buyer".into(),
                        line1: "1 Loop".into(),
                        city: "Localhost".into(),
                        postal_code: "12345".into(),
                        country: "US".into(),
                        ..ShipTo::default()
                    },
                    save: false,
                },
                card,
            };
            match checkout::place(&s, buyer, order, &RequestMeta::default()).await {
                Ok(CheckoutOutcome::Completed { .. }) => {
                    tally.lock().await.0 += 1;
                    true
                }
                Err(domain::Error::Conflict(types::ErrorCode::SoldOut)) => {
                    tally.lock().await.1 += 1;
                    true
                }
                other => {
                    eprintln!("unexpected checkout answer: {other:?}");
                    false
                }
            }
        }
    })
    .await;
    let (completed, sold_out) = *results.lock().await;
    let mut latencies: Vec<Duration> = times.iter().map(|(d, _)| *d).collect();
    latencies.sort();
    let mut add_latencies: Vec<Duration> = adds.iter().map(|(d, _)| *d).collect();
    add_latencies.sort();
    Ok((Figures { completed, sold_out, elapsed, latencies }, add_latencies))
}

/// Nothing oversold, nothing left reserved.
async fn check_stock(services: &Services, products: &[ProductId]) -> anyhow::Result<()> {
    let ids: Vec<uuid::Uuid> = products.iter().map(|p| p.0).collect();
    let (reserved, negative): (i64, i64) = sqlx::query_as(
        "select coalesce(sum(stock_reserved), 0)::int8, count(*) filter (where stock_on_hand < 0)
         from products where id = any($1)",
    )
    .bind(&ids)
    .fetch_one(&services.pool)
    .await?;
    anyhow::ensure!(reserved == 0 && negative == 0, "stock left reserved ({reserved}) or oversold ({negative})");
    Ok(())
}

pub async fn bench_checkout(services: &Services, orders: usize) -> anyhow::Result<()> {
    let pool = &services.pool;
    let product_ids: Vec<uuid::Uuid> =
        sqlx::query_scalar("select id from products where status = 'published' order by md5(id::text) limit 200")
            .fetch_all(pool)
            .await?;
    anyhow::ensure!(product_ids.len() >= 100, "seed a catalog first (openaero seed-catalog)");
    let products: Vec<ProductId> = product_ids.into_iter().map(ProductId).collect();
    println!(
        "| scenario | buyers | concurrency | paid orders/s | answers/s | p50 ms | p95 ms | p99 ms | paid | sold out | cart add p50 / p95 ms |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, set) in [("one popular product", &products[..1]), ("200 products", &products[..])] {
        for concurrency in [16, 64] {
            // The popular product has stock for 80 % of the buyers: the rest race for nothing.
            let stock = if set.len() == 1 { (orders * 4 / 5) as i32 } else { orders as i32 };
            sqlx::query("update products set stock_on_hand = $2, stock_reserved = 0 where id = any($1)")
                .bind(set.iter().map(|p| p.0).collect::<Vec<_>>())
                .bind(stock)
                .execute(pool)
                .await?;
            let (f, adds) = scenario(services, concurrency, orders, set).await?;
            check_stock(services, set).await?;
            if set.len() == 1 {
                anyhow::ensure!(f.completed == stock as usize, "paid {} of {stock} in stock", f.completed);
            }
            println!(
                "| {name} | {orders} | {concurrency} | {:.0} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {} | {:.2} / {:.2} |",
                f.completed as f64 / f.elapsed.as_secs_f64(),
                (f.completed + f.sold_out) as f64 / f.elapsed.as_secs_f64(),
                percentile(&f.latencies, 0.5),
                percentile(&f.latencies, 0.95),
                percentile(&f.latencies, 0.99),
                f.completed,
                f.sold_out,
                percentile(&adds, 0.5),
                percentile(&adds, 0.95),
            );
        }
    }
    let report = domain::ledger::reconcile::run(pool).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    anyhow::ensure!(report.balanced(), "the books do not balance: {:?}", report.checks);
    println!("\nAfter the runs: {} ledger transactions, the books balance.", report.transactions);
    Ok(())
}

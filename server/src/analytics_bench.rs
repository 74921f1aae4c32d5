//! `openaero seed-analytics` and `openaero bench-reports`, for bench/analytics.sh:
//! how fast the collector writes (COPY, rollups and visits, as the background task
//! does), and how fast every dashboard answers once there are millions of events.
//! Both run through the domain, not HTTP, on a throw-away database.

use std::time::{Duration, Instant};

use chrono::Utc;
use domain::{
    Services,
    analytics::{
        history::{Store, Traffic, days_before},
        partitions,
        report::Period,
    },
};
use types::{Locale, TextEnum, UserId, analytics::table::Section};

use crate::bench::percentile;

/// Events a write takes at once: what half a second of collection holds at 20,000
/// events a second, the collector's interval and the target.
const BATCH: usize = 10_000;

/// Writes about `events` made-up events spread over the `days` days before today.
/// Only the writing is timed, not the making up.
pub async fn seed_analytics(services: &Services, events: usize, days: u64) -> anyhow::Result<()> {
    let pool = &services.pool;
    let store = Store::load(pool).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    anyhow::ensure!(!store.products.is_empty(), "no live products: run seed-demo first");
    let days = days_before(Utc::now().date_naive(), days.max(1));
    partitions::ensure_days(pool, &days).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let per_day = events / days.len();
    let mut traffic = Traffic::new(&store, 1);
    let (mut written, mut writing) = (0usize, Duration::ZERO);
    for (i, day) in days.iter().enumerate() {
        let made = traffic.days(&[*day], per_day);
        for batch in made.chunks(BATCH) {
            let started = Instant::now();
            let mut tx = pool.begin().await?;
            services.analytics.write(&mut tx, batch).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            tx.commit().await?;
            writing += started.elapsed();
            written += batch.len();
        }
        if (i + 1) % 10 == 0 || i + 1 == days.len() {
            eprintln!("{day}: {written} events, {:.0} events/s", written as f64 / writing.as_secs_f64());
        }
    }
    println!(
        "wrote {written} events in batches of {BATCH}: {:.1} s of writing, {:.0} events/s",
        writing.as_secs_f64(),
        written as f64 / writing.as_secs_f64()
    );
    Ok(())
}

/// Times every dashboard `rounds` times over the last 30 and 90 days, and the figures
/// of the maker with the most products.
pub async fn bench_reports(services: &Services, rounds: usize) -> anyhow::Result<()> {
    // Runtime queries: only the domain's are checked at compile time (.sqlx/).
    let maker: Option<uuid::Uuid> = sqlx::query_scalar(
        "select c.user_id from creators c join products p on p.creator_id = c.id
         where c.user_id is not null group by c.id order by count(*) desc limit 1",
    )
    .fetch_optional(&services.pool)
    .await?;
    let events: i64 = sqlx::query_scalar("select count(*) from analytics_events").fetch_one(&services.pool).await?;
    println!("{events} raw events\n\n| report | period | p50 ms | p95 ms |\n|---|---|---|---|");
    let today = Utc::now().date_naive();
    for days in [30, 90] {
        let period = Period::last(days, today);
        for &section in Section::ALL {
            let mut times = Vec::with_capacity(rounds);
            for _ in 0..rounds {
                let started = Instant::now();
                services.reports.dashboard(section, period, Locale::En).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
                times.push(started.elapsed());
            }
            report(<&str>::from(section), days, times);
        }
        if let Some(user) = maker {
            let mut times = Vec::with_capacity(rounds);
            for _ in 0..rounds {
                let started = Instant::now();
                services.reports.maker(UserId(user), period, Locale::En).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
                times.push(started.elapsed());
            }
            report("a maker's figures", days, times);
        }
    }
    Ok(())
}

fn report(name: &str, days: u64, mut times: Vec<Duration>) {
    times.sort();
    println!("| {name} | {days} days | {:.1} | {:.1} |", percentile(&times, 0.5), percentile(&times, 0.95));
}

//! This instance's buffer of analytics events, and the one way events are written:
//! COPY into the day's partition, and the rollups and visitors' days brought up to date
//! in the same transaction, so they always equal the raw events they count.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::{NaiveDate, Utc};
use rand::RngCore as _;
use sqlx::{PgConnection, PgPool};
use tokio::sync::watch;
use types::TextEnum;

use super::{Event, partitions, rollups, visits};
use crate::{
    Result,
    copy::{CopyBuffer, copy_in},
};

pub const FLUSH_INTERVAL: Duration = Duration::from_millis(500);
/// Past this many unwritten events (the database is away, or events come faster than
/// it takes them) the oldest are dropped and counted. At ~200 bytes an event this is
/// at most ~20 MiB, and five seconds of the 20,000 events a second collection must take.
const BUFFER_LIMIT: usize = 100_000;
/// How often the partitions ahead are made and the old ones dropped.
const MAINTENANCE_INTERVAL: Duration = Duration::from_secs(3600);

/// The buffer; clones share it. A collector made [`Collector::off`] records nothing.
#[derive(Clone)]
pub struct Collector {
    inner: Arc<Inner>,
}

struct Inner {
    on: bool,
    buffer: Mutex<VecDeque<Event>>,
    /// The salt of the day last written, so a write asks the database once a day.
    salt: Mutex<Option<(NaiveDate, Arc<Vec<u8>>)>>,
    /// Held from taking a batch until it is committed, so a flush returns only when
    /// everything recorded before it is written, even while the writer holds a batch.
    writing: tokio::sync::Mutex<()>,
}

impl Default for Collector {
    fn default() -> Self {
        Collector::new(true)
    }
}

impl Collector {
    pub fn new(on: bool) -> Collector {
        Collector {
            inner: Arc::new(Inner {
                on,
                buffer: Mutex::default(),
                salt: Mutex::default(),
                writing: tokio::sync::Mutex::default(),
            }),
        }
    }

    /// Collection switched off (`OPENAERO_ANALYTICS=false`): events are not kept.
    pub fn off() -> Collector {
        Collector::new(false)
    }

    pub fn is_on(&self) -> bool {
        self.inner.on
    }

    /// Keeps `event` for the next write; never waits on anything but the buffer's lock.
    pub fn record(&self, event: Event) {
        if !self.inner.on {
            return;
        }
        if let Ok(mut buffer) = self.inner.buffer.lock() {
            if buffer.len() >= BUFFER_LIMIT {
                buffer.pop_front();
                metrics::counter!("analytics_events_dropped_total").increment(1);
            }
            buffer.push_back(event);
        }
    }

    /// Writes what is buffered, in one transaction. When that fails the events go back
    /// to the front of the buffer for the next try (as many as fit).
    pub async fn flush(&self, pool: &PgPool) -> Result<usize> {
        let _writing = self.inner.writing.lock().await;
        let batch: Vec<Event> = match self.inner.buffer.lock() {
            Ok(mut buffer) => buffer.drain(..).collect(),
            Err(_) => return Ok(0),
        };
        if batch.is_empty() {
            return Ok(0);
        }
        let written = async {
            let mut tx = pool.begin().await?;
            self.write(&mut tx, &batch).await?;
            tx.commit().await?;
            Ok::<_, crate::Error>(())
        }
        .await;
        match written {
            Ok(()) => {
                metrics::counter!("analytics_events_written_total").increment(batch.len() as u64);
                Ok(batch.len())
            }
            Err(e) => {
                // A day with no partition yet (a clock past the days made ahead) is made
                // for the next try.
                let days: Vec<NaiveDate> = batch.iter().map(|e| e.at.date_naive()).collect();
                if let Err(e) = partitions::ensure_days(pool, &days).await {
                    tracing::warn!(error = %e, "making analytics partitions failed");
                }
                self.put_back(batch);
                Err(e)
            }
        }
    }

    fn put_back(&self, batch: Vec<Event>) {
        let Ok(mut buffer) = self.inner.buffer.lock() else { return };
        let room = BUFFER_LIMIT.saturating_sub(buffer.len());
        let lost = batch.len().saturating_sub(room);
        if lost > 0 {
            metrics::counter!("analytics_events_dropped_total").increment(lost as u64);
        }
        for event in batch.into_iter().skip(lost).rev() {
            buffer.push_front(event);
        }
    }

    /// Writes `events` on `conn` (the caller owns the transaction): the raw rows by COPY,
    /// then the rollups.
    pub async fn write(&self, conn: &mut PgConnection, events: &[Event]) -> Result<()> {
        let mut visitors = Vec::with_capacity(events.len());
        for event in events {
            visitors.push(match event.visitor {
                Some(key) => Some(key.hash(&self.salt(conn, event.at.date_naive()).await?)),
                None => None,
            });
        }
        let mut rows = CopyBuffer::new();
        for (event, visitor) in events.iter().zip(&visitors) {
            rows.value(event.at.to_rfc3339())
                .text(event.kind.as_str())
                .opt(event.page_kind.map(TextEnum::as_str))
                .opt(visitor.map(|hash| format!("\\x{}", hex::encode(hash))))
                .opt(event.user)
                .opt(event.product.map(|p| p.product))
                .opt(event.creator())
                .opt(event.product.and_then(|p| p.category))
                .value(event.quantity)
                .value(event.amount_minor)
                .opt(event.currency.as_deref())
                .opt(event.origin.source.as_deref())
                .opt(event.origin.medium.as_deref())
                .opt(event.origin.campaign.as_deref())
                .opt(event.query.as_deref());
            rows.end_row();
        }
        copy_in(
            conn,
            "copy analytics_events (at, kind, page_kind, visitor, user_id, product_id, creator_id, category_id,
                                    quantity, amount_minor, currency, source, utm_medium, utm_campaign, query)
             from stdin",
            rows.take(),
        )
        .await?;
        rollups::add(conn, events, &visitors).await?;
        visits::add(conn, events, &visitors).await
    }

    /// The salt of `day`'s visitor hashes, made by whichever instance asks first.
    async fn salt(&self, conn: &mut PgConnection, day: NaiveDate) -> Result<Arc<Vec<u8>>> {
        if let Ok(kept) = self.inner.salt.lock()
            && let Some((kept_day, salt)) = kept.as_ref()
            && *kept_day == day
        {
            return Ok(salt.clone());
        }
        let mut fresh = vec![0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut fresh);
        let salt = sqlx::query_scalar!(
            r#"with made as (
                   insert into analytics_salts (day, salt) values ($1::text::date, $2)
                   on conflict (day) do nothing returning salt
               )
               select salt as "salt!" from made
               union all
               select salt from analytics_salts where day = $1::text::date
               limit 1"#,
            day.to_string(),
            fresh
        )
        .fetch_one(&mut *conn)
        .await?;
        let salt = Arc::new(salt);
        if let Ok(mut kept) = self.inner.salt.lock() {
            *kept = Some((day, salt.clone()));
        }
        Ok(salt)
    }
}

/// Writes the buffer every [`FLUSH_INTERVAL`] until `stop`, then once more; makes the
/// days ahead and drops the days past `keep_days` at start and every hour.
pub async fn write_continuously(pool: PgPool, collector: Collector, keep_days: u32, mut stop: watch::Receiver<bool>) {
    let mut maintained: Option<tokio::time::Instant> = None;
    loop {
        if maintained.is_none_or(|at| at.elapsed() >= MAINTENANCE_INTERVAL) {
            match partitions::maintain(&pool, Utc::now().date_naive(), keep_days).await {
                Ok(()) => maintained = Some(tokio::time::Instant::now()),
                Err(e) => tracing::warn!(error = %e, "making or dropping analytics partitions failed"),
            }
        }
        let stopping = tokio::select! {
            _ = tokio::time::sleep(FLUSH_INTERVAL) => false,
            _ = stop.changed() => true,
        };
        if let Err(e) = collector.flush(&pool).await {
            tracing::warn!(error = %e, "writing analytics events failed; they are kept for the next try");
        }
        if stopping {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use types::analytics::{EventKind, PageKind};
    use uuid::Uuid;

    use super::*;
    use crate::analytics::ProductRef;

    fn view(at: &str, product: u128) -> Event {
        let mut event = Event::new(EventKind::ProductView, at.parse().expect("time"));
        event.page_kind = Some(PageKind::Product);
        event.product =
            Some(ProductRef { product: Uuid::from_u128(product), creator: Uuid::from_u128(9), category: None });
        event
    }

    #[test]
    fn a_full_buffer_drops_the_oldest_events_and_a_failed_write_keeps_them() {
        let collector = Collector::default();
        for n in 0..BUFFER_LIMIT as u128 + 2 {
            collector.record(view("2026-12-06T10:00:00Z", n));
        }
        let first = |c: &Collector| c.inner.buffer.lock().expect("buffer").front().cloned();
        assert_eq!(first(&collector), Some(view("2026-12-06T10:00:00Z", 2)));
        let batch: Vec<Event> = collector.inner.buffer.lock().expect("buffer").drain(..10).collect();
        collector.put_back(batch);
        assert_eq!(collector.inner.buffer.lock().expect("buffer").len(), BUFFER_LIMIT);
        assert_eq!(first(&collector), Some(view("2026-12-06T10:00:00Z", 2)), "back in their order");
        let off = Collector::off();
        off.record(view("2026-12-06T10:00:00Z", 1));
        assert!(off.inner.buffer.lock().expect("buffer").is_empty());
    }
}

//! The search log: every search with words (query, filters, result count, locale,
//! user) and the result it led to, for the popular, trending and zero-result reports.
//!
//! A page of results is computed once and may then be served to many visitors (the
//! read cache, and the anonymous page cache in front of rendering): every serve is a
//! row, and the page's links carry the page's id (`from_search=`), so a click marks
//! the latest unclicked search of that page. What serving a page records is an
//! [`Entry`], made while rendering and kept with a cached page (`app::ssr::ServeRecords`),
//! so recording never needs the page rendered again.
//!
//! Searches are the storefront's hottest path, so they do not write on the request:
//! entries are buffered per instance and written in one statement every
//! [`FLUSH_INTERVAL`] by [`write_continuously`] (and once more at shutdown). A crash
//! or a failed write loses at most one interval of log, never a search.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};
use types::TextEnum;

use serde_json::json;
use sqlx::PgPool;
use tokio::sync::watch;
use types::{Locale, UserId, search::SearchParams};
use uuid::Uuid;

use crate::Result;

pub const FLUSH_INTERVAL: Duration = Duration::from_millis(250);
/// Past this many unwritten entries (the database is away, or searches come faster
/// than it takes them) the oldest are dropped, and each flush says how many. Ten
/// thousand is 40,000 searches a second between two flushes; at 50,000 a flood of
/// one cached search (53,000 a second) held ~90 MiB in the buffer and its write.
const BUFFER_LIMIT: usize = 10_000;

/// What serving a page records in the log.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A page of results with words was served.
    /// The words and filters are shared text: a kept page records the same ones on
    /// every serve.
    Search { page_id: Uuid, query: Arc<str>, filters: Arc<str>, results: i32, locale: &'static str, user: Option<Uuid> },
    /// A result was opened from the page `page_id`.
    Click { page_id: Uuid, product_slug: String },
}

impl Entry {
    /// A search for the reports: its words and filters, and how many it found.
    pub fn search(page_id: Uuid, params: &SearchParams, total: u64, locale: Locale, user: Option<UserId>) -> Entry {
        let mut filters = json!({
            "category": params.category,
            "price_min": params.price_min,
            "price_max": params.price_max,
            "cert": params.certification,
            "weather": params.weather,
            "creator": params.creators,
            "in_stock": params.in_stock,
            "sort": params.sort.as_str(),
            "page": params.page,
        });
        for (info, filter) in types::specs::Spec::filters() {
            filters[filter.param] = json!(params.spec_min.get(&info.spec));
        }
        Entry::Search {
            page_id,
            query: params.q.as_str().into(),
            filters: filters.to_string().into(),
            results: total.min(i32::MAX as u64) as i32,
            locale: locale.tag(),
            user: user.map(|u| u.0),
        }
    }

    pub fn click(page_id: Uuid, product_slug: &str) -> Entry {
        Entry::Click { page_id, product_slug: product_slug.to_owned() }
    }
}

/// This instance's buffer of log entries; clones share it.
#[derive(Clone, Default)]
pub struct SearchLog {
    buffer: Arc<Mutex<Buffer>>,
}

#[derive(Default)]
struct Buffer {
    entries: VecDeque<Entry>,
    dropped: u64,
}

impl SearchLog {
    /// Buffers `entry` for the next write.
    pub fn record(&self, entry: Entry) {
        if let Ok(mut buffer) = self.buffer.lock() {
            if buffer.entries.len() >= BUFFER_LIMIT {
                buffer.entries.pop_front();
                buffer.dropped += 1;
            }
            buffer.entries.push_back(entry);
        }
    }

    /// Writes what is buffered: the searches in one statement, then the clicks (a
    /// click always comes after its search, in this flush or an earlier one). Each
    /// click marks the latest search of its page that no click has marked yet.
    pub async fn flush(&self, pool: &PgPool) -> Result<()> {
        let (entries, dropped) = match self.buffer.lock() {
            Ok(mut buffer) => (std::mem::take(&mut buffer.entries), std::mem::take(&mut buffer.dropped)),
            Err(_) => return Ok(()),
        };
        if dropped > 0 {
            tracing::warn!(dropped, "search log buffer was full; the oldest entries were dropped");
        }
        if entries.is_empty() {
            return Ok(());
        }
        let (mut pages, mut queries, mut filters, mut results, mut locales, mut users) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut clicks = Vec::new();
        for entry in entries {
            match entry {
                Entry::Search { page_id, query, filters: f, results: n, locale, user } => {
                    pages.push(page_id);
                    queries.push(query.to_string());
                    filters.push(f.to_string());
                    results.push(n);
                    locales.push(locale.to_owned());
                    users.push(user);
                }
                Entry::Click { page_id, product_slug } => clicks.push((page_id, product_slug)),
            }
        }
        let mut tx = pool.begin().await?;
        sqlx::query!(
            "insert into search_log (id, page_id, query, filters, result_count, locale, user_id)
             select gen_random_uuid(), page, query, filters::jsonb, results, locale, user_id
             from unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::uuid[])
                  as t(page, query, filters, results, locale, user_id)",
            &pages,
            &queries,
            &filters,
            &results,
            &locales,
            &users as &[Option<Uuid>]
        )
        .execute(&mut *tx)
        .await?;
        for (page_id, slug) in clicks {
            sqlx::query!(
                "update search_log
                 set clicked_product_id = (select id from products where slug = $2), clicked_at = now()
                 where id = (select id from search_log
                             where page_id = $1 and clicked_at is null and created_at > now() - interval '1 day'
                             order by created_at desc limit 1)",
                page_id,
                slug
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Writes the buffer every [`FLUSH_INTERVAL`] until `stop`, then once more.
pub async fn write_continuously(pool: PgPool, log: SearchLog, mut stop: watch::Receiver<bool>) {
    loop {
        let stopping = tokio::select! {
            _ = tokio::time::sleep(FLUSH_INTERVAL) => false,
            _ = stop.changed() => true,
        };
        if let Err(e) = log.flush(&pool).await {
            tracing::warn!(error = %e, "writing the search log failed; those entries are lost");
        }
        if stopping {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_buffer_drops_the_oldest_entries_and_counts_them() {
        // Found at a million products: a kept search page served 23,000 times a second
        // filled the buffer, and each drop shifted 50,000 entries and logged a line.
        let log = SearchLog::default();
        let page = |n: u32| Uuid::from_u128(u128::from(n));
        for n in 0..BUFFER_LIMIT as u32 + 3 {
            log.record(Entry::click(page(n), "kestrel-vtol"));
        }
        let buffer = log.buffer.lock().expect("buffer");
        assert_eq!((buffer.entries.len(), buffer.dropped), (BUFFER_LIMIT, 3));
        assert_eq!(buffer.entries.front(), Some(&Entry::click(page(3), "kestrel-vtol")));
    }
}

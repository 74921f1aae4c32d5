//! Each visitor's day (`analytics_visits`), kept with every write: when they came and
//! went, their visits (a new one after [`VISIT_GAP`] away) and views, and their account
//! once signed in. The same statement adds what changed to the day's visitors and visits
//! (`analytics_days`) and to the accounts seen that day (`analytics_active_users`),
//! which the dashboards read; a visitor's day is needed only while it can still be
//! written, and is deleted with its day's salt.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::Event;
use crate::Result;

/// Away this long, a visitor's next view starts another visit.
pub const VISIT_GAP: TimeDelta = TimeDelta::minutes(30);

/// One visitor's day, as far as one batch tells it.
#[derive(Debug, Clone, PartialEq)]
struct Day {
    user: Option<Uuid>,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
    /// Visits begun within the batch (the first one counts even if it continues one
    /// already stored; the upsert takes it back then).
    visits: i32,
    views: i32,
}

/// The batch's events with a visitor, per visitor and day.
fn days(events: &[Event], visitors: &[Option<[u8; 16]>]) -> HashMap<(NaiveDate, [u8; 16]), Day> {
    let mut seen: Vec<(&Event, [u8; 16])> =
        events.iter().zip(visitors).filter_map(|(event, visitor)| Some((event, (*visitor)?))).collect();
    seen.sort_by_key(|(event, _)| event.at);
    let mut days: HashMap<(NaiveDate, [u8; 16]), Day> = HashMap::new();
    for (event, visitor) in seen {
        days.entry((event.at.date_naive(), visitor))
            .and_modify(|day| {
                if event.at - day.last > VISIT_GAP {
                    day.visits += 1;
                }
                day.last = event.at;
                day.views += 1;
                day.user = event.user.or(day.user);
            })
            .or_insert(Day { user: event.user, first: event.at, last: event.at, visits: 1, views: 1 });
    }
    days
}

/// Adds the batch to the visitors' days, and to the days' totals. A batch's first view
/// of a visitor continues the stored visit when it came within [`VISIT_GAP`] of the
/// stored last one.
pub(super) async fn add(conn: &mut PgConnection, events: &[Event], visitors: &[Option<[u8; 16]>]) -> Result<()> {
    let days = days(events, visitors);
    if days.is_empty() {
        return Ok(());
    }
    let (mut day, mut visitor, mut user, mut first, mut last, mut visits, mut views) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for ((d, v), row) in days {
        day.push(d.to_string());
        visitor.push(v.to_vec());
        user.push(row.user);
        // Times go as text: this build's sqlx maps SQL times to the `time` crate.
        first.push(row.first.to_rfc3339());
        last.push(row.last.to_rfc3339());
        visits.push(row.visits);
        views.push(row.views);
    }
    sqlx::query!(
        "with written as (
             insert into analytics_visits as v
                 (day, visitor, user_id, first_at, last_at, sessions, views, added_visitor, added_sessions)
             select r.*, true, r.sessions
             from unnest($1::text[]::date[], $2::bytea[], $3::uuid[], $4::text[]::timestamptz[],
                         $5::text[]::timestamptz[], $6::int4[], $7::int4[])
                 as r(day, visitor, user_id, first_at, last_at, sessions, views)
             on conflict (day, visitor) do update
             set added_visitor = false,
                 added_sessions = excluded.sessions
                     - case when excluded.first_at - v.last_at <= interval '30 minutes' then 1 else 0 end,
                 sessions = v.sessions + excluded.sessions
                     - case when excluded.first_at - v.last_at <= interval '30 minutes' then 1 else 0 end,
                 first_at = least(v.first_at, excluded.first_at),
                 last_at = greatest(v.last_at, excluded.last_at),
                 views = v.views + excluded.views,
                 user_id = coalesce(excluded.user_id, v.user_id)
             returning day, user_id, added_visitor, added_sessions
         ), active as (
             insert into analytics_active_users (day, user_id)
             select distinct day, user_id from written where user_id is not null
             on conflict do nothing
         )
         insert into analytics_days as d (day, visitors, sessions)
         select day, count(*) filter (where added_visitor), sum(added_sessions) from written group by day
         on conflict (day) do update
         set visitors = d.visitors + excluded.visitors, sessions = d.sessions + excluded.sessions",
        &day as &[String],
        &visitor as &[Vec<u8>],
        &user as &[Option<Uuid>],
        &first as &[String],
        &last as &[String],
        &visits,
        &views,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use types::analytics::EventKind;

    use super::*;

    #[test]
    fn a_visitor_back_after_half_an_hour_starts_another_visit() {
        let view = |at: &str| Event::new(EventKind::PageView, at.parse().expect("time"));
        let events = [
            view("2026-12-06T10:00:00Z"),
            view("2026-12-06T10:29:00Z"),
            view("2026-12-06T11:00:00Z"),
            view("2026-12-06T10:10:00Z"),
        ];
        let (ann, bo) = ([1u8; 16], [2u8; 16]);
        let visitors = [Some(ann), Some(ann), Some(ann), Some(bo)];
        let days = days(&events, &visitors);
        let day = "2026-12-06".parse().expect("day");
        let ann_day = &days[&(day, ann)];
        assert_eq!((ann_day.visits, ann_day.views), (2, 3), "10:29 continues, 11:00 is 31 minutes later");
        assert_eq!((days[&(day, bo)].visits, days.len()), (1, 2));
    }
}

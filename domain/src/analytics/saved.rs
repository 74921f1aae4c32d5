//! Saved reports: an admin keeps one of the console's reports and its period under a
//! name, either the dates chosen or "the last N days", which moves with the calendar.
//! Each admin sees and removes only their own; saving under a name they used before
//! replaces it.

use chrono::NaiveDate;
use sqlx::PgPool;
use types::{
    TextEnum, UserId,
    analytics::table::{SavedReport, Section},
};
use uuid::Uuid;

use super::report::Period;
use crate::{Error, Result, fields};

/// The longest name kept.
pub const NAME_MAX: usize = 80;

/// Saves `section` over `period` as `name`; `moving` keeps its length and lets it move
/// ("the last 30 days") instead of its dates.
pub async fn save(
    pool: &PgPool,
    owner: UserId,
    name: &str,
    section: Section,
    period: Period,
    moving: bool,
) -> Result<()> {
    let mut errors = Vec::new();
    let name = fields::text("name", name, true, NAME_MAX, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let (last_days, from, to) = if moving {
        (Some(period.days() as i32), None, None)
    } else {
        (None, Some(period.from.to_string()), Some(period.to.to_string()))
    };
    sqlx::query!(
        "insert into analytics_saved_reports (id, owner_id, name, section, last_days, from_day, to_day)
         values ($1, $2, $3, $4, $5, $6::text::date, $7::text::date)
         on conflict (owner_id, name) do update
         set section = excluded.section, last_days = excluded.last_days,
             from_day = excluded.from_day, to_day = excluded.to_day",
        Uuid::new_v4(),
        owner.0,
        name,
        section.as_str(),
        last_days,
        from,
        to
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// `owner`'s saved reports by name, each with the link that opens it as of `today`.
pub async fn list(pool: &PgPool, owner: UserId, today: NaiveDate) -> Result<Vec<SavedReport>> {
    let rows = sqlx::query!(
        r#"select id, name, section, last_days, from_day::text as "from_day", to_day::text as "to_day"
           from analytics_saved_reports where owner_id = $1 order by lower(name), name"#,
        owner.0
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let section = Section::parse(&r.section)?;
            let (from, to) = match (r.last_days, r.from_day, r.to_day) {
                (Some(days), _, _) => {
                    let period = Period::last(days.max(1) as u64, today);
                    (period.from.to_string(), period.to.to_string())
                }
                (None, Some(from), Some(to)) => (from, to),
                _ => return None,
            };
            Some(SavedReport {
                id: r.id.to_string(),
                name: r.name,
                section,
                href: format!("{}?from={from}&to={to}", section.path()),
                moving_days: r.last_days.map(|d| d as u32),
                from,
                to,
            })
        })
        .collect())
}

/// Removes `owner`'s report `id`; another's is not found.
pub async fn delete(pool: &PgPool, owner: UserId, id: &str) -> Result<()> {
    let id: Uuid = id.parse().map_err(|_| Error::NotFound)?;
    let gone = sqlx::query!("delete from analytics_saved_reports where id = $1 and owner_id = $2", id, owner.0)
        .execute(pool)
        .await?
        .rows_affected();
    if gone == 0 { Err(Error::NotFound) } else { Ok(()) }
}

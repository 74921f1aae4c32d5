//! Cursor pagination: `limit` (1–100, 20 when left out) and `starting_after`, the id
//! (or number) of the last object of the page before. Lists keep a stable order, so a
//! page is never skipped or repeated when objects are added meanwhile.

use serde::{Deserialize, Serialize};
use types::{ErrorCode, FieldError};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// How many objects to return, 1–100.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
    /// The id (for orders, the number) of the last object of the previous page.
    pub starting_after: Option<String>,
}

fn refused(field: &str, code: ErrorCode) -> ApiError {
    ApiError::fields(vec![FieldError::new(field, code)])
}

impl Page {
    pub fn limit(&self) -> ApiResult<i64> {
        match self.limit.unwrap_or(DEFAULT_LIMIT) {
            n @ 1..=MAX_LIMIT => Ok(i64::from(n)),
            _ => Err(refused("limit", ErrorCode::OutOfRange)),
        }
    }

    /// `starting_after` as an id.
    pub fn after_id(&self) -> ApiResult<Option<uuid::Uuid>> {
        self.starting_after
            .as_deref()
            .map(|raw| raw.parse().map_err(|_| refused("starting_after", ErrorCode::InvalidInput)))
            .transpose()
    }

    /// This page of a list read whole (one person's orders), by each item's `key`.
    /// A `starting_after` that is not in the list is refused rather than guessed at.
    pub fn slice<T>(&self, items: Vec<T>, key: impl Fn(&T) -> String) -> ApiResult<List<T>> {
        let limit = self.limit()? as usize;
        let start = match &self.starting_after {
            None => 0,
            Some(after) => {
                items
                    .iter()
                    .position(|i| key(i) == *after)
                    .ok_or_else(|| refused("starting_after", ErrorCode::NotFound))?
                    + 1
            }
        };
        let has_more = items.len() > start + limit;
        Ok(List { data: items.into_iter().skip(start).take(limit).collect(), has_more })
    }
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct List<T> {
    pub data: Vec<T>,
    /// Whether another page follows: ask with `starting_after` set to the last one here.
    pub has_more: bool,
}

impl<T> List<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> List<U> {
        List { data: self.data.into_iter().map(f).collect(), has_more: self.has_more }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(limit: u32, after: Option<&str>) -> Page {
        Page { limit: Some(limit), starting_after: after.map(str::to_owned) }
    }

    #[test]
    fn pages_follow_each_other_without_gaps_or_repeats() {
        let items: Vec<String> = (1..=5).map(|n| format!("A-{n}")).collect();
        let first = page(2, None).slice(items.clone(), String::clone).expect("first");
        assert_eq!((first.data.as_slice(), first.has_more), (&["A-1".to_owned(), "A-2".to_owned()][..], true));
        let last = page(3, Some("A-2")).slice(items.clone(), String::clone).expect("rest");
        assert_eq!((last.data.len(), last.has_more), (3, false));
        let unknown = page(2, Some("B-1")).slice(items, String::clone).expect_err("not in the list");
        assert_eq!(unknown.status.as_u16(), 422);
        assert!(page(0, None).limit().is_err() && page(101, None).limit().is_err());
    }
}

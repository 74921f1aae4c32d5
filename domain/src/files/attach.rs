//! Files attached to something a form submits (application documents, product
//! media, certification evidence): the ids as the form sent them, and the check that
//! they are the submitter's own uploads of an accepted kind.

use sqlx::PgConnection;
use types::TextEnum;
use types::{ErrorCode, FieldError, UserId, files::FileKind, ids::FileId};

use crate::Result;

/// The ids in `raw` in order, blanks skipped and repeats dropped; anything that is
/// not an id is reported on `field`, as are more than `max` files.
pub fn parse_ids(raw: &[String], field: &str, max: usize, errors: &mut Vec<FieldError>) -> Vec<FileId> {
    let mut ids = Vec::new();
    let mut malformed = false;
    for raw in raw.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
        match raw.parse::<FileId>() {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(_) => malformed = true,
        }
    }
    if malformed {
        errors.push(FieldError::new(field, ErrorCode::NotFound));
    } else if ids.len() > max {
        errors.push(FieldError::new(field, ErrorCode::TooLong));
    }
    ids
}

/// Every file must be `user`'s own upload, of one of `kinds` (any kind when empty);
/// the problem, if any, as an error on `field`.
pub async fn check_owned(
    conn: &mut PgConnection,
    user: UserId,
    ids: &[FileId],
    kinds: &[FileKind],
    field: &str,
) -> Result<Option<FieldError>> {
    let wanted: Vec<uuid::Uuid> = ids.iter().map(|d| d.0).collect();
    let found = sqlx::query_scalar!("select kind from files where owner_id = $1 and id = any($2)", user.0, &wanted)
        .fetch_all(conn)
        .await?;
    Ok(if found.len() != wanted.len() {
        Some(FieldError::new(field, ErrorCode::NotFound))
    } else if !kinds.is_empty() && found.iter().any(|k| !kinds.iter().any(|kind| kind.as_str() == k)) {
        Some(FieldError::new(field, ErrorCode::FileTypeNotAllowed))
    } else {
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_in_order_without_blanks_or_repeats() {
        let a = FileId::new();
        let b = FileId::new();
        let raw = vec![a.to_string(), " ".into(), b.to_string(), a.to_string()];
        let mut errors = Vec::new();
        assert_eq!(parse_ids(&raw, "documents", 5, &mut errors), vec![a, b]);
        assert!(errors.is_empty());
        parse_ids(&raw, "documents", 1, &mut errors);
        assert_eq!(errors, vec![FieldError::new("documents", ErrorCode::TooLong)]);
        let mut errors = Vec::new();
        parse_ids(&["../etc/passwd".into()], "media", 5, &mut errors);
        assert_eq!(errors, vec![FieldError::new("media", ErrorCode::NotFound)]);
    }
}

//! The audit log of administrative actions: append-only, readable by admins.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;
use types::{UserId, admin::AuditEntry};

use crate::Result;

/// Records an action in the caller's transaction, so the log and the change commit together.
pub async fn record(
    conn: &mut PgConnection,
    actor: Option<UserId>,
    action: &str,
    target_type: &str,
    target_id: &str,
    details: Value,
) -> Result<()> {
    sqlx::query!(
        "insert into audit_log (actor_id, action, target_type, target_id, details)
         values ($1, $2, $3, $4, $5)",
        actor.map(|a| a.0),
        action,
        target_type,
        target_id,
        details,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The newest entries first, `limit` at a time, before the entry id `before` if given.
pub async fn list(conn: &mut PgConnection, before: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query_as!(
        AuditEntry,
        r#"select a.id, u.email as "actor_email?", a.action, a.target_type, a.target_id,
                  a.details::text as "details!", a.created_at as "created_at: DateTime<Utc>"
           from audit_log a left join users u on u.id = a.actor_id
           where ($1::bigint is null or a.id < $1)
           order by a.id desc
           limit $2"#,
        before,
        limit,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

//! Who reads the analytics (`analytics.view`, through their roles): whom alerts and the
//! weekly summary tell.

use sqlx::PgConnection;
use types::{TextEnum, UserId, profile::NotificationKind};

use crate::Result;

/// Every active account that may read the analytics; with `asked`, only those who
/// switched that topic on (on any channel).
pub(super) async fn readers(conn: &mut PgConnection, asked: Option<NotificationKind>) -> Result<Vec<UserId>> {
    Ok(sqlx::query_scalar!(
        "select distinct u.id from users u
         join user_roles ur on ur.user_id = u.id
         join role_permissions rp on rp.role = ur.role
         where rp.permission = 'analytics.view' and u.is_active
           and ($1::text is null or exists (
               select 1 from notification_preferences n where n.user_id = u.id and n.kind = $1))",
        asked.map(TextEnum::as_str)
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(UserId)
    .collect())
}

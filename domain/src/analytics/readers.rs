//! Who reads the analytics (`analytics.view`, through their roles): whom alerts and the
//! weekly summary tell.

use sqlx::PgConnection;
use types::{
    Locale, TextEnum, UserId,
    profile::{NotificationChannel, NotificationKind},
};

use crate::Result;

/// A reader, as a mail reaches them.
pub(super) struct Reader {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub locale: Locale,
}

/// Every active account that may read the analytics; with `asked`, only those who
/// switched that kind on by email.
pub(super) async fn readers(conn: &mut PgConnection, asked: Option<NotificationKind>) -> Result<Vec<Reader>> {
    let rows = sqlx::query!(
        "select distinct u.id, u.email, u.name, u.locale from users u
         join user_roles ur on ur.user_id = u.id
         join role_permissions rp on rp.role = ur.role
         where rp.permission = 'analytics.view' and u.is_active
           and ($1::text is null or exists (
               select 1 from notification_preferences n where n.user_id = u.id and n.kind = $1 and n.channel = $2))",
        asked.map(TextEnum::as_str),
        NotificationChannel::Email.as_str()
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Reader {
            id: UserId(r.id),
            email: r.email,
            name: r.name,
            locale: Locale::from_tag(&r.locale).unwrap_or_default(),
        })
        .collect())
}

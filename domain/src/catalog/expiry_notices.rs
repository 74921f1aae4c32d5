//! A maker hears 30 and again 7 days before a product's certificate expires, so they
//! can apply to renew it before the store stops showing it. Housekeeping looks every
//! few minutes; each warning's key (certificate and window) makes it once.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use types::{UserId, notifications::NotificationKind};

use crate::{
    Result, Services,
    users::notices::{self, Notice},
};

/// The days before expiry a maker is warned at, the earliest first.
pub const WARN_DAYS: [i64; 2] = [30, 7];

/// Which warning a certificate that expires in `days_left` is due: the narrowest window
/// it is inside (7 within a week, else 30 within a month), none further out.
pub fn window(days_left: i64) -> Option<i64> {
    WARN_DAYS.iter().rev().copied().find(|w| days_left <= *w)
}

/// Warns the makers of live certificates that expire within the widest window, each
/// once per window; returns how many certificates are within one.
#[tracing::instrument(skip_all)]
pub async fn warn_expiring(services: &Services, now: DateTime<Utc>) -> Result<usize> {
    let rows = sqlx::query!(
        r#"select c.id, c.product_id, c.expires_at as "expires_at: DateTime<Utc>", p.name_en, cr.user_id
           from certifications c
           join products p on p.id = c.product_id
           join creators cr on cr.id = p.creator_id
           where c.revoked_at is null and c.expires_at > $1::text::timestamptz
             and c.expires_at <= $1::text::timestamptz + make_interval(days => $2)
             and p.status <> 'archived'
             -- A renewal that outlives it makes its expiry no news.
             and not exists (select 1 from certifications n where n.product_id = c.product_id
                             and n.revoked_at is null and n.expires_at > c.expires_at)"#,
        // Times go as text: this build's sqlx maps SQL times to the `time` crate.
        now.to_rfc3339(),
        WARN_DAYS[0] as i32
    )
    .fetch_all(&services.pool)
    .await?;
    let due: Vec<_> = rows
        .into_iter()
        .filter_map(|cert| {
            let window = window((cert.expires_at - now).num_days())?;
            Some((format!("certificate:{}:expires:{window}", cert.id), window, cert))
        })
        .collect();
    let keys: Vec<String> = due.iter().map(|(key, ..)| key.clone()).collect();
    let sent = notices::sent_already(&services.pool, &keys).await?;
    let told = due.len();
    for (key, window, cert) in due.into_iter().filter(|(key, ..)| !sent.contains(key)) {
        let expires = cert.expires_at.format("%Y-%m-%d").to_string();
        let notice = Notice {
            user: UserId(cert.user_id),
            kind: NotificationKind::CertificateExpiring,
            params: BTreeMap::from([
                ("title".to_owned(), cert.name_en.clone()),
                ("days".to_owned(), window.to_string()),
                ("expires".to_owned(), expires.clone()),
            ]),
            link: format!("/creator/products/{}/certification", cert.product_id),
        };
        notices::send(services, &key, notice).await?;
    }
    Ok(told)
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn each_certificate_is_warned_in_the_narrowest_window_it_is_in() {
        assert_eq!(window(45), None);
        assert_eq!(window(30), Some(30));
        assert_eq!(window(8), Some(30));
        assert_eq!(window(7), Some(7));
        assert_eq!(window(0), Some(7));
    }
}

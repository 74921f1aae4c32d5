//! Closing an account. What names the person is erased: their name (the row says
//! "Closed account"), email, profile (their picture is then swept as unattached),
//! addresses, choices, notices, browsers, tokens, webhooks and sessions. What the books
//! must keep stays, without them: their orders (with only the country they went to),
//! and a maker's sales and ledger. A maker's products go off sale. Ratings stay, under
//! no name. It cannot be undone, so the password is asked, and it waits until nothing
//! of theirs is still moving (an order on its way, a sale to ship, money to pay out)
//! and another admin is left.

use serde_json::json;
use sqlx::PgConnection;
use types::{
    ErrorCode, UserId,
    ids::CreatorId,
    notice_templates::AccountMail,
    profile::{ClosingBlocker, ClosingPreview},
};

use crate::{
    Error, RequestMeta, Result, Services, catalog,
    events::{self, EventMetadata, EventType},
    ledger,
    notifications::notice_templates::{self, Reader},
    review,
    users::{self, password_hash},
};

/// What closing `user`'s account would do, and what has to happen first.
pub async fn preview(services: &Services, user: UserId) -> Result<ClosingPreview> {
    let mut conn = services.pool.acquire().await?;
    preview_on(&mut conn, user).await
}

async fn preview_on(conn: &mut PgConnection, user: UserId) -> Result<ClosingPreview> {
    let row = sqlx::query!(
        r#"select
             exists (select 1 from sub_orders s join order_groups g on g.id = s.group_id
                     where g.customer_id = $1 and s.status in ('pending_payment', 'paid', 'shipped')) as "orders_moving!",
             exists (select 1 from sub_orders s join creators c on c.id = s.creator_id
                     where c.user_id = $1 and s.status in ('paid', 'shipped')) as "sales_moving!",
             exists (select 1 from user_roles where user_id = $1 and role = 'admin')
               and not exists (select 1 from user_roles r join users u on u.id = r.user_id
                               where r.role = 'admin' and r.user_id <> $1 and u.is_active) as "last_admin!",
             (select count(*) from order_groups where customer_id = $1) as "orders!",
             (select count(*) from products p join creators c on c.id = p.creator_id
              where c.user_id = $1 and p.status <> 'archived') as "products!",
             (select id from creators where user_id = $1) as creator"#,
        user.0
    )
    .fetch_one(&mut *conn)
    .await?;
    let mut blockers = Vec::new();
    if row.orders_moving {
        blockers.push(ClosingBlocker::OrdersOnTheirWay);
    }
    if row.sales_moving {
        blockers.push(ClosingBlocker::SalesToFulfil);
    }
    if let Some(creator) = row.creator {
        let money = ledger::creator_balances(conn, CreatorId(creator), ledger::payouts::CURRENCY).await?;
        if money.pending + money.available + money.in_payout != 0 {
            blockers.push(ClosingBlocker::MoneyToPayOut);
        }
    }
    if row.last_admin {
        blockers.push(ClosingBlocker::LastAdmin);
    }
    Ok(ClosingPreview { blockers, orders_kept: row.orders as u32, products_archived: row.products as u32 })
}

/// Closes `user`'s account for good, if `password` is theirs and nothing stops it; a
/// last mail to the old address says so.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn close(services: &Services, user: UserId, password: &str, meta: &RequestMeta) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let row = sqlx::query!(
        "select email, name, locale, password_hash from users where id = $1 and closed_at is null for update",
        user.0
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    if !password_hash::verify(password.to_owned(), Some(row.password_hash)).await? {
        return Err(Error::field("password", ErrorCode::WrongCurrentPassword));
    }
    if !preview_on(&mut tx, user).await?.blockers.is_empty() {
        return Err(Error::Conflict(ErrorCode::AccountNotClosable));
    }
    let metadata = EventMetadata::from_request(meta);
    if let Some(creator) =
        sqlx::query_scalar!("select id from creators where user_id = $1", user.0).fetch_optional(&mut *tx).await?
    {
        let creator = CreatorId(creator);
        catalog::listing::archive_all(&mut tx, creator, &metadata).await?;
        review::queue::withdraw_all(&mut tx, creator).await?;
        // The shop's name stays on its past sales; what described it goes.
        sqlx::query!(
            "update creators set bio_en = '', bio_zh = '', location = '', website = '' where id = $1",
            creator.0
        )
        .execute(&mut *tx)
        .await?;
    }
    // Worded before the name and address are erased, and sent once they are.
    let locale = types::Locale::from_tag(&row.locale).unwrap_or_default();
    let to = Reader { name: &row.name, locale };
    let site = &services.settings.base_url;
    let goodbye =
        notice_templates::account_mail(&mut tx, site, AccountMail::AccountClosed, to, &row.email, None).await?;
    // A hash of nothing anyone knows: no password opens the account again.
    let unusable = password_hash::hash(uuid::Uuid::new_v4().to_string()).await?;
    erase(&mut tx, user, &row.email, &unusable).await?;
    crate::audit::record(&mut tx, Some(user), "user.close", "user", &user.to_string(), json!({})).await?;
    events::publish(&mut tx, users::user_event(EventType::UserClosed, user, json!({})), &metadata).await?;
    tx.commit().await?;

    // Said once, to the address that is gone from the account, which the mail's
    // record then forgets too.
    let key = format!("account_closed:{user}");
    if let Err(e) = services.mailer.send(&services.pool, &key, goodbye).await {
        tracing::warn!(error = %e, "the closing mail was not sent");
    }
    sqlx::query!("update outgoing_mail set to_address = '', body_text = '' where dedupe_key = $1", key)
        .execute(&services.pool)
        .await?;
    Ok(())
}

/// Erases what names `user`, keeping the row that orders and ratings point at.
async fn erase(conn: &mut PgConnection, user: UserId, email: &str, unusable_hash: &str) -> Result<()> {
    sqlx::query!(
        "update users set email = 'closed-' || id || '@closed.invalid', name = 'Closed account', bio = '', location = '',
                website = '', social_links = '{}', avatar_file_id = null, password_hash = $2,
                is_active = false, email_verified_at = null, auth_epoch = auth_epoch + 1,
                phone = null, phone_verified_at = null, closed_at = now(), updated_at = now()
         where id = $1",
        user.0,
        unusable_hash
    )
    .execute(&mut *conn)
    .await?;
    for statement in [
        "delete from addresses where user_id = $1",
        "delete from notification_preferences where user_id = $1",
        "delete from notifications where user_id = $1",
        "delete from notice_deliveries where user_id = $1",
        "delete from phone_codes where user_id = $1",
        "delete from push_subscriptions where user_id = $1",
        "delete from user_devices where user_id = $1",
        "delete from user_tokens where user_id = $1",
        "delete from api_tokens where user_id = $1",
        "delete from webhook_endpoints where owner_id = $1",
        "delete from user_roles where user_id = $1",
        "delete from carts where user_id = $1",
        // The books keep the order; where it went is kept to the country.
        "update order_groups set ship_to = jsonb_build_object('country', ship_to->'country') where customer_id = $1",
    ] {
        sqlx::query(statement).bind(user.0).execute(&mut *conn).await?;
    }
    sqlx::query!("update outgoing_mail set to_address = '', body_text = '' where to_address = $1", email)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

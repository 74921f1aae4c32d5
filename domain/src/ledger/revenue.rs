//! Revenue from the ledger: a creator's per month (gross sales, the platform's
//! commission, refunds net of the commission given back, and net), and the store's by
//! day, maker and category for the console's revenue report.

use sqlx::PgPool;
use types::{catalog::Money, ids::UserId, money::RevenuePeriod};

use super::payouts::CURRENCY;
use crate::Result;

/// The last `months` months with sales or refunds, oldest first.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn by_month(pool: &PgPool, user: UserId, months: i32) -> Result<Vec<RevenuePeriod>> {
    let rows = sqlx::query!(
        r#"select to_char(date_trunc('month', t.created_at), 'YYYY-MM') as "period!",
                  coalesce(-sum(e.amount_minor) filter (where t.kind = 'payment'), 0)::int8 as "gross!",
                  coalesce(sum(e.amount_minor) filter (where t.kind = 'payment' and e.account = 'commission'), 0)::int8
                      as "commission_credit!",
                  coalesce(sum(e.amount_minor) filter (where t.kind = 'refund' and e.account <> 'commission'), 0)::int8
                      as "refunds!"
           from ledger_entries e
           join ledger_transactions t on t.id = e.transaction_id
           join sub_orders s on s.id = e.sub_order_id
           join creators c on c.id = s.creator_id
           where c.user_id = $1 and t.kind in ('payment', 'refund') and e.currency = $2
             and t.created_at >= date_trunc('month', now()) - make_interval(months => $3 - 1)
           group by 1 order by 1"#,
        user.0,
        CURRENCY,
        months
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            // Payment entries of a sub-order: the creator's share and the commission,
            // both credits; together they are the gross sale.
            let commission = -r.commission_credit;
            RevenuePeriod {
                period: r.period,
                gross: Money::new(r.gross, CURRENCY),
                commission: Money::new(commission, CURRENCY),
                refunds: Money::new(r.refunds, CURRENCY),
                net: Money::new(r.gross - commission - r.refunds, CURRENCY),
            }
        })
        .collect())
}

/// The store's money over some days, from the books: what shoppers paid, the
/// platform's commission (less what refunds gave back), refunds and payouts sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRevenue {
    /// The day (`YYYY-MM-DD`), the maker's name or the category's name.
    pub key: String,
    /// The maker's or category's slug, for a link; none for a day.
    pub slug: Option<String>,
    pub gross: i64,
    pub commission: i64,
    pub refunded: i64,
    pub payouts: i64,
}

/// Each UTC day from `from` to `to` (`YYYY-MM-DD`, both included), empty days too.
pub async fn store_by_day(pool: &PgPool, from: &str, to: &str) -> Result<Vec<StoreRevenue>> {
    Ok(sqlx::query_as!(
        StoreRevenue,
        r#"select d.day::date::text as "key!", null::text as slug,
                  coalesce(sum(e.amount_minor) filter (where t.kind = 'payment' and e.account = 'cash'), 0)::int8
                      as "gross!",
                  coalesce(-sum(e.amount_minor) filter (where e.account = 'commission'), 0)::int8 as "commission!",
                  coalesce(-sum(e.amount_minor) filter (where t.kind = 'refund' and e.account = 'cash'), 0)::int8
                      as "refunded!",
                  coalesce(-sum(e.amount_minor) filter (where t.kind = 'payout_paid' and e.account = 'cash'), 0)::int8
                      as "payouts!"
           from generate_series($1::text::date, $2::text::date, interval '1 day') as d(day)
           left join ledger_transactions t
             on t.created_at >= d.day::date::timestamp at time zone 'UTC'
            and t.created_at < (d.day::date + 1)::timestamp at time zone 'UTC'
           left join ledger_entries e on e.transaction_id = t.id and e.currency = $3
           group by d.day order by d.day"#,
        from,
        to,
        CURRENCY
    )
    .fetch_all(pool)
    .await?)
}

/// Each maker with money moving in the days, most sold first. A sale's gross is its
/// sub-order's two credits (the maker's share and the commission).
pub async fn store_by_maker(pool: &PgPool, from: &str, to: &str) -> Result<Vec<StoreRevenue>> {
    Ok(sqlx::query_as!(
        StoreRevenue,
        r#"select c.display_name as key, c.slug as "slug?",
                  coalesce(-sum(e.amount_minor) filter (where t.kind = 'payment'), 0)::int8 as "gross!",
                  coalesce(-sum(e.amount_minor) filter (where e.account = 'commission'), 0)::int8 as "commission!",
                  coalesce(sum(e.amount_minor) filter (where t.kind = 'refund'), 0)::int8 as "refunded!",
                  coalesce(sum(e.amount_minor) filter (where t.kind = 'payout_paid'), 0)::int8 as "payouts!"
           from ledger_transactions t
           join ledger_entries e on e.transaction_id = t.id
           left join sub_orders s on s.id = e.sub_order_id
           join creators c on c.id = coalesce(e.creator_id, s.creator_id)
           where t.created_at >= $1::text::date::timestamp at time zone 'UTC'
             and t.created_at < ($2::text::date + 1)::timestamp at time zone 'UTC'
             and e.currency = $3
             and (e.sub_order_id is not null or (t.kind = 'payout_paid' and e.account = 'creator_payout_approved'))
           group by c.id order by 3 desc, 1"#,
        from,
        to,
        CURRENCY
    )
    .fetch_all(pool)
    .await?)
}

/// Each category's sales in the days: the lines of the sub-orders whose payment was
/// booked then, at the price and commission they sold at. Refunds and payouts belong
/// to sub-orders and makers, not to lines, so they are not split by category.
pub async fn store_by_category(pool: &PgPool, from: &str, to: &str, locale: &str) -> Result<Vec<StoreRevenue>> {
    Ok(sqlx::query_as!(
        StoreRevenue,
        r#"select case when $4 = 'zh' then k.name_zh else k.name_en end as "key!", k.slug as "slug?",
                  sum(l.quantity::int8 * l.unit_price_minor)::int8 as "gross!",
                  sum(l.commission_minor)::int8 as "commission!",
                  0::int8 as "refunded!", 0::int8 as "payouts!"
           from ledger_transactions t
           join lateral (select distinct sub_order_id from ledger_entries
                         where transaction_id = t.id and sub_order_id is not null and currency = $3) e on true
           join order_lines l on l.sub_order_id = e.sub_order_id
           join products p on p.id = l.product_id
           join categories k on k.id = p.category_id
           where t.kind = 'payment'
             and t.created_at >= $1::text::date::timestamp at time zone 'UTC'
             and t.created_at < ($2::text::date + 1)::timestamp at time zone 'UTC'
           group by k.id order by 3 desc, 1"#,
        from,
        to,
        CURRENCY,
        locale
    )
    .fetch_all(pool)
    .await?)
}

//! A creator's revenue per month, from their ledger entries: gross sales, the
//! platform's commission, refunds (net of the commission given back) and net.

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

//! Do the books balance? Every transaction sums to zero, all accounts together sum to
//! zero, and what the ledger says the provider holds matches the payments, refunds
//! and paid payouts recorded beside it. Run by `openaero reconcile` and the admin page.

use sqlx::PgPool;

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountTotal {
    pub account: String,
    pub currency: String,
    /// Debit balance (credits negative), as booked.
    pub balance: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub transactions: i64,
    pub entries: i64,
    pub accounts: Vec<AccountTotal>,
    pub checks: Vec<Check>,
}

impl Report {
    pub fn balanced(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }
}

/// The line of the report that counts test orders' transactions (paid through the sandbox).
pub const TEST_ORDERS: &str = "test orders (sandbox: no real money)";

#[tracing::instrument(skip_all)]
pub async fn run(pool: &PgPool) -> Result<Report> {
    let mut conn = pool.begin().await?;
    // One snapshot for every query, so a sale landing mid-report cannot look like a gap.
    sqlx::query!("set transaction isolation level repeatable read, read only").execute(&mut *conn).await?;
    let counts = sqlx::query!(
        r#"select (select count(*) from ledger_transactions) as "transactions!",
                  (select count(*) from ledger_entries) as "entries!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    let unbalanced = sqlx::query_scalar!(
        r#"select transaction_id::text as "id!" from ledger_entries
           group by transaction_id, currency having sum(amount_minor) <> 0
           union
           select t.id::text from ledger_transactions t
           where (select count(*) from ledger_entries e where e.transaction_id = t.id) < 2
           limit 20"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let accounts = sqlx::query_as!(
        AccountTotal,
        r#"select account, currency, sum(amount_minor)::int8 as "balance!"
           from ledger_entries group by account, currency order by currency, account"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let cash = sqlx::query!(
        r#"select p.currency,
                  (select coalesce(sum(amount_minor), 0) from ledger_entries
                   where account = 'cash' and currency = p.currency)::int8 as "booked!",
                  (coalesce(sum(p.amount_minor) filter (where p.status = 'captured'), 0)
                   - coalesce((select sum(r.amount_minor) from refunds r join payments q on q.id = r.payment_id
                               where q.currency = p.currency), 0)
                   - coalesce((select sum(o.amount_minor) from payouts o
                               where o.status = 'paid' and o.currency = p.currency), 0))::int8 as "recorded!"
           from payments p group by p.currency"#
    )
    .fetch_all(&mut *conn)
    .await?;
    // The books of sales paid through the payment sandbox: no real money moved.
    let tests = sqlx::query!(
        r#"with test_transactions as (
               select distinct e.transaction_id from ledger_entries e
               join sub_orders s on s.id = e.sub_order_id join order_groups g on g.id = s.group_id
               where g.is_test)
           select (select count(*) from test_transactions) as "transactions!",
                  (select coalesce(sum(e.amount_minor), 0) from ledger_entries e
                   join test_transactions t using (transaction_id) where e.account = 'cash')::int8 as "cash!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    conn.commit().await?;

    let mut checks = vec![Check {
        name: "every transaction balances",
        ok: unbalanced.is_empty(),
        detail: if unbalanced.is_empty() {
            format!("{} transactions, {} entries", counts.transactions, counts.entries)
        } else {
            format!("unbalanced: {}", unbalanced.join(", "))
        },
    }];
    let mut currencies: Vec<&str> = accounts.iter().map(|a| a.currency.as_str()).collect();
    currencies.dedup();
    for currency in currencies {
        let total: i64 = accounts.iter().filter(|a| a.currency == currency).map(|a| a.balance).sum();
        checks.push(Check { name: "all accounts sum to zero", ok: total == 0, detail: format!("{currency}: {total}") });
    }
    for c in cash {
        checks.push(Check {
            name: "cash matches captured payments less refunds and payouts",
            ok: c.booked == c.recorded,
            detail: format!("{}: ledger {} / payments {}", c.currency, c.booked, c.recorded),
        });
    }
    // Not a check that can fail: it says how much of the books is test orders.
    checks.push(Check {
        name: TEST_ORDERS,
        ok: true,
        detail: format!("{} transactions of test orders, cash {} (minor units)", tests.transactions, tests.cash),
    });
    Ok(Report { transactions: counts.transactions, entries: counts.entries, accounts, checks })
}

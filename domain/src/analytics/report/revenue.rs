//! Revenue, from the books rather than the event stream: the ledger is where money is
//! recorded, so this report agrees with it by construction, and a test checks that the
//! overview's gross sales (counted from events) agree too.

use sqlx::PgPool;
use types::{
    Locale,
    analytics::{
        change_percent,
        table::{Cell, Column, Dashboard, Figure, Table, TableName},
    },
    catalog::Money,
};

use super::Period;
use crate::{
    Result,
    ledger::{
        payouts::CURRENCY,
        revenue::{StoreRevenue, store_by_category, store_by_day, store_by_maker},
    },
};

fn money(minor: i64) -> Cell {
    Cell::Money(Money::new(minor, CURRENCY))
}

/// The money columns of each row, after the row's name.
fn money_table(name: TableName, key: Column, href: fn(&str) -> String, rows: Vec<StoreRevenue>) -> Table {
    Table::new(name, vec![key, Column::Gross, Column::Commission, Column::Refunded, Column::Payouts]).with_rows(
        rows.into_iter().map(|r| {
            let key = match r.slug {
                Some(slug) => Cell::Link { href: href(&slug), text: r.key },
                None => Cell::Text(r.key),
            };
            vec![key, money(r.gross), money(r.commission), money(r.refunded), money(r.payouts)]
        }),
    )
}

fn sum(rows: &[StoreRevenue], f: fn(&StoreRevenue) -> i64) -> i64 {
    rows.iter().map(f).sum()
}

pub(super) async fn dashboard(pool: &PgPool, period: Period, locale: Locale) -> Result<Dashboard> {
    let (from, to) = period.bounds();
    let (before_from, before_to) = period.previous().bounds();
    let (days, before, makers, categories) = futures::try_join!(
        store_by_day(pool, &from, &to),
        store_by_day(pool, &before_from, &before_to),
        store_by_maker(pool, &from, &to),
        store_by_category(pool, &from, &to, locale.tag()),
    )?;
    let figure = |name, f: fn(&StoreRevenue) -> i64| Figure {
        name,
        now: money(sum(&days, f)),
        change: change_percent(sum(&days, f), sum(&before, f)),
    };
    let figures = vec![
        figure(Column::Gross, |r| r.gross),
        figure(Column::Commission, |r| r.commission),
        figure(Column::Refunded, |r| r.refunded),
        figure(Column::Payouts, |r| r.payouts),
    ];
    let by_category =
        Table::new(TableName::RevenueCategories, vec![Column::Category, Column::Gross, Column::Commission]).with_rows(
            categories.into_iter().map(|r| {
                let slug = r.slug.unwrap_or_default();
                vec![Cell::Link { href: format!("/c/{slug}"), text: r.key }, money(r.gross), money(r.commission)]
            }),
        );
    Ok(Dashboard {
        from,
        to,
        figures,
        tables: vec![
            money_table(TableName::RevenueDays, Column::Day, |_| String::new(), days).charted(Column::Gross),
            money_table(TableName::RevenueMakers, Column::Maker, |slug| format!("/creators/{slug}"), makers),
            by_category,
        ],
        unseen: None,
    })
}

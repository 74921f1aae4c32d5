//! Products and makers: how far shoppers go with each product, maker and category
//! (view, add to a cart, buy), and what sold best.

use sqlx::PgPool;
use types::{
    Locale,
    analytics::{
        ProductFunnel, funnel_table,
        table::{Cell, Column, Dashboard, Table, TableName},
    },
    catalog::Money,
};

use super::{Period, overview::currency};
use crate::Result;

/// The rows a funnel table keeps: the head of a long tail.
const ROWS: i64 = 50;

/// What a funnel is grouped by. Each names the rollup's column, its table, the page
/// a row links to and its name in each language: fixed text, never a user's.
#[derive(Clone, Copy)]
enum By {
    Product,
    Maker,
    Category,
}

impl By {
    fn sql(self) -> &'static str {
        match self {
            By::Product => {
                "select x.slug, case when $4 = 'zh' then x.name_zh else x.name_en end as name, FIGURES,
                        (select coalesce(sum(v.visitors), 0) from analytics_product_day_visitors v
                         where v.product_id = x.id and v.day between $1::text::date and $2::text::date)::int8
                            as visitors
                 from analytics_daily d join products x on x.id = d.product_id WHERE group by x.id ORDER"
            }
            By::Maker => {
                "select x.slug, x.display_name as name, FIGURES, 0::int8 as visitors
                 from analytics_daily d join creators x on x.id = d.creator_id WHERE group by x.id ORDER"
            }
            By::Category => {
                "select x.slug, case when $4 = 'zh' then x.name_zh else x.name_en end as name, FIGURES,
                        0::int8 as visitors
                 from analytics_daily d join categories x on x.id = d.category_id WHERE group by x.id ORDER"
            }
        }
    }

    fn href(self, slug: &str) -> String {
        match self {
            By::Product => format!("/p/{slug}"),
            By::Maker => format!("/creators/{slug}"),
            By::Category => format!("/c/{slug}"),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    slug: String,
    name: String,
    views: i64,
    visitors: i64,
    adds: i64,
    purchases: i64,
    revenue: i64,
}

/// The first `limit` rows' funnels over `period`, ordered by `order` (fixed SQL).
async fn funnels(
    pool: &PgPool,
    period: Period,
    locale: Locale,
    currency: &str,
    by: By,
    (order, limit): (&str, i64),
) -> Result<Vec<Row>> {
    let (from, to) = period.bounds();
    let sql = by
        .sql()
        .replace(
            "FIGURES",
            "coalesce(sum(d.events) filter (where d.kind = 'product_view'), 0)::int8 as views,
             coalesce(sum(d.events) filter (where d.kind = 'add_to_cart'), 0)::int8 as adds,
             coalesce(sum(d.quantity) filter (where d.kind = 'product_purchased'), 0)::int8 as purchases,
             coalesce(sum(d.amount_minor) filter (where d.kind = 'product_purchased' and d.currency = $3), 0)::int8
                 as revenue",
        )
        .replace(
            "WHERE",
            "where d.day between $1::text::date and $2::text::date
               and d.kind in ('product_view', 'add_to_cart', 'product_purchased')",
        )
        .replace("ORDER", &format!("{order} limit $5"));
    Ok(sqlx::query_as::<_, Row>(&sql)
        .bind(from)
        .bind(to)
        .bind(currency)
        .bind(locale.tag())
        .bind(limit)
        .fetch_all(pool)
        .await?)
}

pub(super) async fn dashboard(pool: &PgPool, period: Period, locale: Locale) -> Result<Dashboard> {
    let currency = currency(pool, period).await?;
    let most_viewed = ("order by views desc, purchases desc, name", ROWS);
    let (products, makers, categories, best) = futures::try_join!(
        funnels(pool, period, locale, &currency, By::Product, most_viewed),
        funnels(pool, period, locale, &currency, By::Maker, most_viewed),
        funnels(pool, period, locale, &currency, By::Category, most_viewed),
        funnels(
            pool,
            period,
            locale,
            &currency,
            By::Product,
            (
                "having sum(d.quantity) filter (where d.kind = 'product_purchased') > 0
                 order by revenue desc, purchases desc, name",
                10
            )
        ),
    )?;
    let funnel = |name, key, by: By, rows: Vec<Row>| {
        funnel_table(
            name,
            key,
            matches!(by, By::Product),
            rows.into_iter().map(|r| {
                let link = Cell::Link { href: by.href(&r.slug), text: r.name };
                let funnel = ProductFunnel {
                    slug: r.slug,
                    name: String::new(),
                    views: r.views,
                    visitors: r.visitors,
                    adds: r.adds,
                    purchases: r.purchases,
                    revenue: Money::new(r.revenue, currency.clone()),
                };
                (link, funnel)
            }),
        )
    };
    let best_sellers = Table::new(TableName::BestSellers, vec![Column::Product, Column::Purchases, Column::Revenue])
        .charted(Column::Revenue)
        .with_rows(best.into_iter().map(|r| {
            vec![
                Cell::Link { href: By::Product.href(&r.slug), text: r.name },
                Cell::Count(r.purchases),
                Cell::Money(Money::new(r.revenue, currency.clone())),
            ]
        }));
    Ok(Dashboard {
        from: period.from.to_string(),
        to: period.to.to_string(),
        figures: Vec::new(),
        tables: vec![
            best_sellers,
            funnel(TableName::ProductFunnels, Column::Product, By::Product, products),
            funnel(TableName::MakerFunnels, Column::Maker, By::Maker, makers),
            funnel(TableName::CategoryFunnels, Column::Category, By::Category, categories),
        ],
        unseen: None,
    })
}

//! Products and makers: how far shoppers go with each product, maker and category
//! (view, add to a cart, buy), and what sold best. One read of the products' days over
//! the period; a maker's and a category's funnels are their products' summed here.

use std::collections::HashMap;

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
const ROWS: usize = 50;
/// The best sellers shown.
const BEST: usize = 10;

/// One product's period, with the maker and category it is listed under today.
struct Seen {
    product: ProductFunnel,
    maker: (String, String),
    category: (String, String),
}

async fn seen(pool: &PgPool, period: Period, locale: Locale, currency: &str) -> Result<Vec<Seen>> {
    let (from, to) = period.bounds();
    let rows = sqlx::query!(
        r#"select p.slug, case when $3 = 'zh' then p.name_zh else p.name_en end as "name!",
                  c.slug as maker_slug, c.display_name as maker_name,
                  k.slug as category_slug, case when $3 = 'zh' then k.name_zh else k.name_en end as "category_name!",
                  d.views as "views!", d.visitors as "visitors!", d.adds as "adds!", d.units as "units!",
                  (case when p.currency = $4 then d.revenue_minor else 0 end)::int8 as "revenue!"
           -- Summed first, then named: joining first would carry every day's row through.
           from (select product_id, sum(views)::int8 as views, sum(visitors)::int8 as visitors,
                        sum(adds)::int8 as adds, sum(units)::int8 as units, sum(revenue_minor)::int8 as revenue_minor
                 from analytics_product_daily
                 where day between $1::text::date and $2::text::date
                 group by product_id) d
           join products p on p.id = d.product_id
           join creators c on c.id = p.creator_id
           join categories k on k.id = p.category_id"#,
        from,
        to,
        locale.tag(),
        currency
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Seen {
            product: ProductFunnel {
                slug: r.slug,
                name: r.name,
                views: r.views,
                visitors: r.visitors,
                adds: r.adds,
                purchases: r.units,
                revenue: Money::new(r.revenue, currency.to_owned()),
            },
            maker: (r.maker_slug, r.maker_name),
            category: (r.category_slug, r.category_name),
        })
        .collect())
}

/// The products' funnels summed per group (a maker, a category: its slug and name).
/// Their visitors are not: a visitor of two products would count twice.
fn summed<'a>(seen: &'a [Seen], group: impl Fn(&'a Seen) -> &'a (String, String)) -> Vec<ProductFunnel> {
    let mut sums: HashMap<&str, ProductFunnel> = HashMap::new();
    for s in seen {
        let (slug, name) = group(s);
        let sum = sums.entry(slug).or_insert_with(|| ProductFunnel {
            slug: slug.clone(),
            name: name.clone(),
            views: 0,
            visitors: 0,
            adds: 0,
            purchases: 0,
            revenue: Money::new(0, s.product.revenue.currency.clone()),
        });
        sum.views += s.product.views;
        sum.adds += s.product.adds;
        sum.purchases += s.product.purchases;
        sum.revenue.minor += s.product.revenue.minor;
    }
    sums.into_values().collect()
}

/// The `n` most viewed (then most bought, then by name).
fn most_viewed(mut rows: Vec<ProductFunnel>, n: usize) -> Vec<ProductFunnel> {
    rows.sort_by(|a, b| b.views.cmp(&a.views).then(b.purchases.cmp(&a.purchases)).then_with(|| a.name.cmp(&b.name)));
    rows.truncate(n);
    rows
}

/// The `n` that brought in most (then sold most, then by name), of those that sold.
fn best_selling(rows: impl IntoIterator<Item = ProductFunnel>, n: usize) -> Vec<ProductFunnel> {
    let mut rows: Vec<ProductFunnel> = rows.into_iter().filter(|p| p.purchases > 0).collect();
    rows.sort_by(|a, b| {
        b.revenue.minor.cmp(&a.revenue.minor).then(b.purchases.cmp(&a.purchases)).then_with(|| a.name.cmp(&b.name))
    });
    rows.truncate(n);
    rows
}

pub(super) async fn dashboard(pool: &PgPool, period: Period, locale: Locale) -> Result<Dashboard> {
    let currency = currency(pool, period).await?;
    let seen = seen(pool, period, locale, &currency).await?;
    let makers = most_viewed(summed(&seen, |s| &s.maker), ROWS);
    let categories = most_viewed(summed(&seen, |s| &s.category), ROWS);
    let products: Vec<ProductFunnel> = seen.into_iter().map(|s| s.product).collect();
    let best = best_selling(products.iter().cloned(), BEST);
    let products = most_viewed(products, ROWS);
    let funnel = |name, key, href: fn(&str) -> String, rows: Vec<ProductFunnel>| {
        funnel_table(
            name,
            key,
            matches!(key, Column::Product),
            rows.into_iter().map(|p| (Cell::Link { href: href(&p.slug), text: p.name.clone() }, p)),
        )
    };
    let best_sellers = Table::new(TableName::BestSellers, vec![Column::Product, Column::Purchases, Column::Revenue])
        .charted(Column::Revenue)
        .with_rows(best.into_iter().map(|p| {
            vec![
                Cell::Link { href: product_href(&p.slug), text: p.name },
                Cell::Count(p.purchases),
                Cell::Money(p.revenue),
            ]
        }));
    Ok(Dashboard {
        from: period.from.to_string(),
        to: period.to.to_string(),
        figures: Vec::new(),
        tables: vec![
            best_sellers,
            funnel(TableName::ProductFunnels, Column::Product, product_href, products),
            funnel(TableName::MakerFunnels, Column::Maker, |slug| format!("/creators/{slug}"), makers),
            funnel(TableName::CategoryFunnels, Column::Category, |slug| format!("/c/{slug}"), categories),
        ],
        unseen: None,
    })
}

fn product_href(slug: &str) -> String {
    format!("/p/{slug}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(slug: &str, maker: &str, views: i64, purchases: i64, revenue: i64) -> Seen {
        Seen {
            product: ProductFunnel {
                slug: slug.to_owned(),
                name: slug.to_uppercase(),
                views,
                visitors: views / 2,
                adds: views / 4,
                purchases,
                revenue: Money::new(revenue, "USD".to_owned()),
            },
            maker: (maker.to_owned(), maker.to_uppercase()),
            category: ("fpv".to_owned(), "FPV".to_owned()),
        }
    }

    #[test]
    fn a_makers_funnel_is_its_products_summed_without_visitors() {
        let all = [seen("a", "ann", 100, 2, 5_000), seen("b", "ann", 40, 1, 9_000), seen("c", "bo", 300, 0, 0)];
        let makers = most_viewed(summed(&all, |s| &s.maker), ROWS);
        let figures: Vec<(&str, i64, i64, i64, i64, i64)> = makers
            .iter()
            .map(|m| (m.slug.as_str(), m.views, m.visitors, m.adds, m.purchases, m.revenue.minor))
            .collect();
        assert_eq!(figures, [("bo", 300, 0, 75, 0, 0), ("ann", 140, 0, 35, 3, 14_000)]);
        assert_eq!(makers[1].name, "ANN");
    }

    #[test]
    fn best_sellers_are_those_that_sold_by_revenue() {
        let all = [seen("a", "ann", 100, 2, 5_000), seen("b", "ann", 40, 1, 9_000), seen("c", "bo", 300, 0, 0)];
        let best: Vec<String> =
            best_selling(all.into_iter().map(|s| s.product), BEST).into_iter().map(|p| p.slug).collect();
        assert_eq!(best, ["b", "a"], "the one that sold nothing is not a best seller");
    }
}

//! What the analytics count: the kinds of events and of storefront pages.

pub mod alerts;
pub mod table;

use serde::{Deserialize, Serialize};

use crate::catalog::Money;
use table::{Cell, Column, Dashboard, Figure, Table, TableName};

/// Something that happened in the store, as the analytics count it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EventKind {
    /// A storefront page other than a product's was served (rendered, from the page
    /// cache, or confirmed unchanged to a browser that had it).
    PageView,
    /// A product's page was served: its page view, with its product, maker and category.
    ProductView,
    Search,
    AddToCart,
    CheckoutStarted,
    /// An order was paid: its total, once per order.
    OrderPaid,
    /// One line of a paid order: its product, maker, quantity and amount.
    ProductPurchased,
    OrderRefunded,
    Signup,
    CreatorApplication,
    ReviewDecided,
}

/// Which kind of storefront page a page view was.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum PageKind {
    Home,
    /// A category's listing (`/c/…`).
    Listing,
    Search,
    Product,
    /// A maker's public page (`/creators/…`).
    Maker,
    Cart,
    Checkout,
    /// Signing in or up, the account and its orders.
    Account,
    Other,
}

/// A store's figures over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub visitors: i64,
    /// Visits: a visitor back after 30 minutes away starts another.
    pub sessions: i64,
    pub page_views: i64,
    /// Checkouts opened with something in the cart.
    pub checkouts: i64,
    pub orders: i64,
    /// What the paid orders came to (gross merchandise value).
    pub revenue: Money,
    pub refunds: i64,
    pub refunded: Money,
}

impl Totals {
    /// Paid orders per visit, in basis points; `None` without visits.
    pub fn conversion_bps(&self) -> Option<i64> {
        share_bps(self.orders, self.sessions)
    }

    /// Revenue per paid order, rounded down; `None` without orders.
    pub fn average_order(&self) -> Option<Money> {
        (self.orders > 0).then(|| Money::new(self.revenue.minor / self.orders, self.revenue.currency.clone()))
    }
}

/// One day's figures, for the chart and its table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayFigures {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub visitors: i64,
    pub page_views: i64,
    pub orders: i64,
}

/// The operator's overview: a period's totals, the period before's, and its days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub from: String,
    pub to: String,
    pub current: Totals,
    pub previous: Totals,
    pub days: Vec<DayFigures>,
}

/// One product's funnel over a period, as its maker sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductFunnel {
    pub slug: String,
    pub name: String,
    /// Its page served.
    pub views: i64,
    /// Visitors who saw its page (each once a day).
    pub visitors: i64,
    /// Added to a cart (each add, whatever the quantity).
    pub adds: i64,
    /// Units bought in paid orders.
    pub purchases: i64,
    pub revenue: Money,
}

/// A share of `part` in `whole`, in basis points; `None` when `whole` is zero.
pub fn share_bps(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| part * 10_000 / whole)
}

/// What a maker sees of their own products over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MakerFigures {
    pub from: String,
    pub to: String,
    /// Each of the maker's products that was seen, added or bought in the period, most
    /// viewed first.
    pub products: Vec<ProductFunnel>,
    /// How many of the maker's live products nobody saw, added or bought in the period.
    pub unseen: i64,
    /// Where the views came from (`None` is direct), most first.
    pub sources: Vec<(Option<String>, i64)>,
    /// The searches whose results led to the maker's products, most first.
    pub searches: Vec<(String, i64)>,
}

/// How much `now` changed from `before`, in whole percent rounded toward zero; `None`
/// when there was nothing before to compare with.
pub fn change_percent(now: i64, before: i64) -> Option<i64> {
    (before != 0).then(|| (now - before) * 100 / before)
}

impl From<Overview> for Dashboard {
    fn from(o: Overview) -> Dashboard {
        let (now, before) = (&o.current, &o.previous);
        let count =
            |name, now: i64, before: i64| Figure { name, now: Cell::Count(now), change: change_percent(now, before) };
        let conversion = |t: &Totals| t.conversion_bps();
        let average = |t: &Totals| t.average_order().map_or(0, |m| m.minor);
        let figures = vec![
            count(Column::Visitors, now.visitors, before.visitors),
            count(Column::Sessions, now.sessions, before.sessions),
            count(Column::PageViews, now.page_views, before.page_views),
            count(Column::Checkouts, now.checkouts, before.checkouts),
            count(Column::Orders, now.orders, before.orders),
            Figure {
                name: Column::Revenue,
                now: Cell::Money(now.revenue.clone()),
                change: change_percent(now.revenue.minor, before.revenue.minor),
            },
            Figure {
                name: Column::Conversion,
                now: Cell::Share(conversion(now)),
                change: change_percent(conversion(now).unwrap_or(0), conversion(before).unwrap_or(0)),
            },
            Figure {
                name: Column::AverageOrder,
                now: now.average_order().map_or(Cell::Share(None), Cell::Money),
                change: change_percent(average(now), average(before)),
            },
            Figure {
                name: Column::Refunds,
                now: Cell::Money(now.refunded.clone()),
                change: change_percent(now.refunds, before.refunds),
            },
        ];
        let days = Table::new(TableName::Days, vec![Column::Day, Column::Visitors, Column::PageViews, Column::Orders])
            .charted(Column::PageViews)
            .with_rows(o.days.into_iter().map(|d| {
                vec![Cell::Text(d.day), Cell::Count(d.visitors), Cell::Count(d.page_views), Cell::Count(d.orders)]
            }));
        Dashboard { from: o.from, to: o.to, figures, tables: vec![days], unseen: None }
    }
}

impl From<MakerFigures> for Dashboard {
    fn from(f: MakerFigures) -> Dashboard {
        let products = funnel_table(
            TableName::Products,
            Column::Product,
            true,
            f.products.into_iter().map(|p| {
                let name = Cell::Link { text: p.name.clone(), href: format!("/p/{}", p.slug) };
                (name, p)
            }),
        );
        let ranked = |name, key, count, rows: Vec<(Cell, i64)>| {
            Table::new(name, vec![key, count]).with_rows(rows.into_iter().map(|(k, n)| vec![k, Cell::Count(n)]))
        };
        // No source (a visit typed in or from a page that said nothing) is an empty
        // cell, which the page names in the reader's language.
        let direct = |source: Option<String>| Cell::Text(source.unwrap_or_default());
        Dashboard {
            from: f.from,
            to: f.to,
            figures: Vec::new(),
            tables: vec![
                products,
                ranked(
                    TableName::Sources,
                    Column::Source,
                    Column::Views,
                    f.sources.into_iter().map(|(s, n)| (direct(s), n)).collect(),
                ),
                ranked(
                    TableName::Searches,
                    Column::Query,
                    Column::Opened,
                    f.searches.into_iter().map(|(q, n)| (Cell::Text(q), n)).collect(),
                ),
            ],
            unseen: Some(f.unseen),
        }
    }
}

/// A funnel per row (a product, a maker, a category): views, adds, units bought, the
/// share at each step, and revenue; and for a product its visitors (a maker's or a
/// category's would count a visitor once per product they saw, so they have none).
pub fn funnel_table(
    name: TableName,
    key: Column,
    visitors: bool,
    rows: impl IntoIterator<Item = (Cell, ProductFunnel)>,
) -> Table {
    let mut columns = vec![key, Column::Views];
    columns.extend(visitors.then_some(Column::Visitors));
    columns.extend([Column::Adds, Column::ViewToCart, Column::Purchases, Column::CartToPurchase, Column::Revenue]);
    Table::new(name, columns).with_rows(rows.into_iter().map(|(key, p)| {
        let mut row = vec![key, Cell::Count(p.views)];
        row.extend(visitors.then_some(Cell::Count(p.visitors)));
        row.extend([
            Cell::Count(p.adds),
            Cell::Share(share_bps(p.adds, p.views)),
            Cell::Count(p.purchases),
            Cell::Share(share_bps(p.purchases, p.adds)),
            Cell::Money(p.revenue),
        ]);
        row
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_and_shares_are_whole_and_say_when_there_is_nothing_to_compare() {
        assert_eq!(change_percent(150, 100), Some(50));
        assert_eq!(change_percent(50, 100), Some(-50));
        assert_eq!(change_percent(5, 0), None);
        let totals = Totals {
            visitors: 3,
            sessions: 4,
            page_views: 9,
            checkouts: 2,
            orders: 1,
            revenue: Money::new(10_001, "USD"),
            refunds: 0,
            refunded: Money::new(0, "USD"),
        };
        assert_eq!(totals.conversion_bps(), Some(2_500), "one order in four visits");
        assert_eq!(totals.average_order(), Some(Money::new(10_001, "USD")));
        let empty = Totals { sessions: 0, orders: 0, ..totals };
        assert_eq!((empty.conversion_bps(), empty.average_order()), (None, None));
    }
}

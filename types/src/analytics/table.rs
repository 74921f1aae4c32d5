//! Every report as one shape: a dashboard is a few headline figures and some tables,
//! and a table is named columns of typed cells. One component draws any of them (with
//! a chart beside a table where one helps) and one function writes any table as CSV,
//! so a new report is a query, not a page.

use serde::{Deserialize, Serialize};

use crate::catalog::Money;

/// The dashboards of the admin console, each at `/admin/analytics/<section>`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Section {
    Overview,
    Shoppers,
    Products,
    Revenue,
    Search,
}

impl Section {
    /// Where its page is.
    pub fn path(self) -> String {
        match self {
            Section::Overview => "/admin/analytics".to_owned(),
            other => format!("/admin/analytics/{}", <&str>::from(other)),
        }
    }
}

/// Which table it is: its title on the page and its file's name as CSV.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TableName {
    Days,
    /// A maker's own products.
    Products,
    Sources,
    Searches,
    ProductFunnels,
    MakerFunnels,
    CategoryFunnels,
    BestSellers,
    ActiveDays,
    ActiveWeeks,
    ActiveMonths,
    Buyers,
    Cohorts,
    RevenueDays,
    RevenueMakers,
    RevenueCategories,
    PopularQueries,
    ZeroResultQueries,
    UnopenedQueries,
    TrendingQueries,
}

/// What a column (or a headline figure) holds: its heading and its CSV header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Column {
    Day,
    /// The Monday a week starts on.
    Week,
    /// `YYYY-MM`.
    Month,
    Product,
    Maker,
    Category,
    Source,
    Query,
    Visitors,
    Sessions,
    PageViews,
    /// Checkouts opened with something in the cart.
    Checkouts,
    Orders,
    Conversion,
    AverageOrder,
    Views,
    Adds,
    ViewToCart,
    Purchases,
    CartToPurchase,
    Revenue,
    Refunds,
    Signups,
    /// Signed-in shoppers who came back.
    Active,
    Buyers,
    /// Buyers whose first paid order is in the period.
    NewBuyers,
    ReturningBuyers,
    /// Accounts opened in a cohort's week.
    CohortSize,
    /// The share of a cohort active `n` weeks after the week it signed up.
    WeeksAfter(u8),
    Searches,
    /// How many results a search found (the mean, for a query searched often).
    Results,
    /// Searches whose results somebody opened.
    Opened,
    /// The share of searches whose results somebody opened.
    OpenedShare,
    /// The share of searches that found nothing.
    ZeroResultShare,
    /// The same figure in the period before.
    Before,
    Change,
    Gross,
    Commission,
    Refunded,
    Payouts,
}

impl Column {
    /// Its header in a CSV file: stable, English and snake case, for programs.
    pub fn key(self) -> String {
        match self {
            Column::WeeksAfter(n) => format!("week_{n}"),
            other => <&str>::from(other).to_owned(),
        }
    }
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    /// A name that opens its page on this site.
    Link {
        text: String,
        href: String,
    },
    Count(i64),
    Money(Money),
    /// A share in basis points; `None` when there was nothing to divide.
    Share(Option<i64>),
    /// A change in whole percent; `None` when there was nothing before.
    Change(Option<i64>),
}

impl Cell {
    /// The number a chart draws: a count, an amount in minor units or a share.
    pub fn value(&self) -> Option<i64> {
        match self {
            Cell::Count(n) => Some(*n),
            Cell::Money(m) => Some(m.minor),
            Cell::Share(bps) | Cell::Change(bps) => *bps,
            Cell::Text(_) | Cell::Link { .. } => None,
        }
    }

    /// As a CSV field: counts as they are, money in major units with a point, shares as
    /// percent with two decimals, nothing for "none". Text that a spreadsheet would run
    /// as a formula (a shopper's search can start with `=`) is kept as text.
    pub fn csv(&self) -> String {
        let field = match self {
            Cell::Text(text) | Cell::Link { text, .. } => neutralised(text),
            Cell::Count(n) => n.to_string(),
            Cell::Money(m) => {
                let sign = if m.minor < 0 { "-" } else { "" };
                format!("{sign}{}.{:02}", m.minor.unsigned_abs() / 100, m.minor.unsigned_abs() % 100)
            }
            Cell::Share(bps) => bps.map(|b| format!("{}.{:02}", b / 100, (b % 100).abs())).unwrap_or_default(),
            Cell::Change(percent) => percent.map(|p| p.to_string()).unwrap_or_default(),
        };
        quoted(&field)
    }
}

/// Leading characters that make a spreadsheet read a cell as a formula.
fn neutralised(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

/// RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled.
fn quoted(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// A report's table: the first column names each row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: TableName,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// The column drawn as bars beside the table, one a row, where a picture helps.
    pub chart: Option<Column>,
}

impl Table {
    pub fn new(name: TableName, columns: Vec<Column>) -> Table {
        Table { name, columns, rows: Vec::new(), chart: None }
    }

    pub fn charted(mut self, column: Column) -> Table {
        self.chart = Some(column);
        self
    }

    pub fn with_rows(mut self, rows: impl IntoIterator<Item = Vec<Cell>>) -> Table {
        self.rows.extend(rows);
        self
    }

    /// The cells of one column, top to bottom.
    pub fn column(&self, column: Column) -> Vec<&Cell> {
        match self.columns.iter().position(|c| *c == column) {
            Some(i) => self.rows.iter().filter_map(|row| row.get(i)).collect(),
            None => Vec::new(),
        }
    }

    /// The file a spreadsheet opens: a header of column keys, then a line a row.
    pub fn to_csv(&self) -> String {
        let mut out = self.columns.iter().map(|c| c.key()).collect::<Vec<_>>().join(",");
        out.push_str("\r\n");
        for row in &self.rows {
            out.push_str(&row.iter().map(Cell::csv).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        out
    }
}

/// A report an admin saved under a name, with the link that opens it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedReport {
    pub id: String,
    pub name: String,
    pub section: Section,
    /// `{path}?from=…&to=…`, as of today for a moving period.
    pub href: String,
    /// "The last N days", moving with the calendar; `None` for fixed dates.
    pub moving_days: Option<u32>,
    pub from: String,
    pub to: String,
}

/// A headline figure with its change against the period before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub name: Column,
    pub now: Cell,
    /// In whole percent; `None` when there was nothing before.
    pub change: Option<i64>,
}

/// What one dashboard shows for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub from: String,
    pub to: String,
    pub figures: Vec<Figure>,
    pub tables: Vec<Table>,
    /// A maker's live products that nobody saw, added or bought in the period.
    pub unseen: Option<i64>,
}

impl Dashboard {
    pub fn table(&self, name: TableName) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_as_csv_quotes_what_needs_it_and_never_hands_a_spreadsheet_a_formula() {
        let table = Table::new(TableName::PopularQueries, vec![Column::Query, Column::Searches, Column::OpenedShare])
            .with_rows([
                vec![Cell::Text("fpv, \"pro\"".into()), Cell::Count(3), Cell::Share(Some(3_333))],
                vec![Cell::Text("=HYPERLINK(\"x\")".into()), Cell::Count(1), Cell::Share(None)],
            ]);
        assert_eq!(
            table.to_csv(),
            "query,searches,opened_share\r\n\"fpv, \"\"pro\"\"\",3,33.33\r\n\"'=HYPERLINK(\"\"x\"\")\",1,\r\n"
        );
        let money = Table::new(TableName::RevenueDays, vec![Column::Gross, Column::WeeksAfter(2)])
            .with_rows([vec![Cell::Money(Money::new(-123_405, "USD")), Cell::Share(Some(5))]]);
        assert_eq!(money.to_csv(), "gross,week_2\r\n-1234.05,0.05\r\n");
    }

    #[test]
    fn a_column_of_a_table_reads_top_to_bottom() {
        let table = Table::new(TableName::Days, vec![Column::Day, Column::Views])
            .with_rows([vec![Cell::Text("a".into()), Cell::Count(1)], vec![Cell::Text("b".into()), Cell::Count(2)]]);
        let views: Vec<_> = table.column(Column::Views).into_iter().filter_map(Cell::value).collect();
        assert_eq!(views, [1, 2]);
        assert!(table.column(Column::Orders).is_empty());
    }
}

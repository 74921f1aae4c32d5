//! The weekly summary's figures: what a notice stores (numbers, the same in every
//! language) and how they read in the reader's language.

use std::collections::BTreeMap;

use types::{
    Locale,
    analytics::{Overview, change_percent},
    catalog::Money,
};

/// The figures, each now and the week before (`_before`).
const FIGURES: [&str; 6] = ["visitors", "sessions", "page_views", "orders", "revenue", "refunds"];

/// What a summary notice of `week` stores.
pub fn params(week: &Overview) -> BTreeMap<String, String> {
    let (now, before) = (&week.current, &week.previous);
    let pairs = [
        (now.visitors, before.visitors),
        (now.sessions, before.sessions),
        (now.page_views, before.page_views),
        (now.orders, before.orders),
        (now.revenue.minor, before.revenue.minor),
        (now.refunds, before.refunds),
    ];
    let mut params: BTreeMap<String, String> = FIGURES
        .iter()
        .zip(pairs)
        .flat_map(|(name, (n, b))| [(name.to_string(), n.to_string()), (format!("{name}_before"), b.to_string())])
        .collect();
    params.insert("currency".into(), now.revenue.currency.clone());
    params.insert("from".into(), week.from.clone());
    params.insert("to".into(), week.to.clone());
    if let Some(bps) = now.conversion_bps() {
        params.insert("conversion_bps".into(), bps.to_string());
    }
    params
}

/// Adds `sales` and the `figures` block, in `locale`, to `values`.
pub fn put_values(locale: Locale, params: &BTreeMap<String, String>, values: &mut BTreeMap<String, String>) {
    let number = |key: &str| params.get(key).and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    let currency = params.get("currency").cloned().unwrap_or_default();
    let change = |name: &str| match change_percent(number(name), number(&format!("{name}_before"))) {
        Some(c) if c >= 0 => format!(" (+{c} %)"),
        Some(c) => format!(" ({c} %)"),
        None => String::new(),
    };
    let conversion = params
        .get("conversion_bps")
        .and_then(|b| b.parse::<i64>().ok())
        .map_or("–".to_owned(), |b| format!("{}.{:02} %", b / 100, b % 100));
    let sales = Money::new(number("revenue"), currency).format(locale);
    let labels = match locale {
        Locale::En => ["Visitors: ", "Visits: ", "Page views: ", "Paid orders: ", "Sales: ", "Refunds: "],
        Locale::Zh => ["访客：", "访问：", "页面浏览：", "已付款订单：", "销售额：", "退款："],
    };
    let line = |i: usize| {
        let figure = if FIGURES[i] == "revenue" { sales.clone() } else { number(FIGURES[i]).to_string() };
        format!("{}{figure}{}", labels[i], change(FIGURES[i]))
    };
    let (conversion_label, against) = match locale {
        Locale::En => ("Conversion (orders per visit): ", "Changes are against the week before."),
        Locale::Zh => ("转化率（每次访问的订单）：", "变化均与前一周相比。"),
    };
    let lines = [line(0), line(1), line(2), line(3), line(4), format!("{conversion_label}{conversion}"), line(5)];
    values.insert("figures".into(), format!("{}\n\n{against}", lines.join("\n")));
    values.insert("sales".into(), sales);
}

#[cfg(test)]
mod tests {
    use types::analytics::Totals;

    use super::*;

    fn totals(visitors: i64, orders: i64, revenue: i64) -> Totals {
        Totals {
            visitors,
            sessions: visitors + 10,
            page_views: visitors * 4,
            checkouts: orders + 1,
            orders,
            revenue: Money::new(revenue, "EUR"),
            refunds: 1,
            refunded: Money::new(100, "EUR"),
        }
    }

    #[test]
    fn the_figures_read_against_the_week_before_in_the_readers_language() {
        let week = Overview {
            from: "2026-11-30".into(),
            to: "2026-12-06".into(),
            current: totals(120, 6, 780_000),
            previous: totals(100, 8, 0),
            days: Vec::new(),
        };
        let params = params(&week);
        let mut en = BTreeMap::new();
        put_values(Locale::En, &params, &mut en);
        let figures = &en["figures"];
        assert!(figures.contains("Visitors: 120 (+20 %)"), "{figures}");
        assert!(figures.contains("Paid orders: 6 (-25 %)"), "{figures}");
        assert!(figures.contains(&format!("Sales: {}\n", Money::new(780_000, "EUR").format(Locale::En))), "{figures}");
        assert!(figures.contains("Conversion (orders per visit): 4.61 %"), "{figures}");
        assert_eq!(en["sales"], Money::new(780_000, "EUR").format(Locale::En));
        let mut zh = BTreeMap::new();
        put_values(Locale::Zh, &params, &mut zh);
        assert!(zh["figures"].contains("访客：120 (+20 %)"), "{}", zh["figures"]);
    }
}

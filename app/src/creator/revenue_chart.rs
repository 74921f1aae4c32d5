//! The creator's net revenue per month as a bar chart around a zero line (a month of
//! refunds can be below it).

use leptos::prelude::*;
use types::{catalog::Money, money::RevenuePeriod};

use crate::{
    components::bar_chart::{Bar, BarChart, axis_money},
    i18n::use_i18n,
};

/// Net revenue per month; the table below it holds the figures.
#[component]
pub fn RevenueChart(periods: Vec<RevenuePeriod>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t().finance;
    let locale = i18n.locale();
    let currency = periods.first().map(|p| p.net.currency.clone()).unwrap_or_default();
    let total = Money::new(periods.iter().map(|p| p.net.minor).sum(), currency.clone());
    let (first, last) = (
        periods.first().map(|p| (t.period)(&p.period)).unwrap_or_default(),
        periods.last().map(|p| (t.period)(&p.period)).unwrap_or_default(),
    );
    let bars = periods
        .iter()
        .map(|p| {
            let month: u32 = p.period.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
            Bar { label: (t.month_short)(month).to_owned(), name: (t.period)(&p.period), value: p.net.minor }
        })
        .collect();
    let format = Callback::new(move |v: i64| axis_money(v, &currency, locale));
    view! {
        <BarChart
            id="revenue-chart".to_owned()
            title=t.chart_title.to_owned()
            desc=(t.chart_desc)(&first, &last, &total.format(locale))
            bars
            format
        />
    }
}

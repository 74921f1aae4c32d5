//! The creator's net revenue per month as an inline SVG bar chart: bars around a
//! zero line, both axes labelled, a title and description for screen readers.

use leptos::prelude::*;
use types::{catalog::Money, money::RevenuePeriod};

use crate::i18n::use_i18n;

/// The chart's drawing area, in SVG user units (it scales to the card's width).
const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// The next round figure (1, 2 or 5 times a power of ten) at or above `v`, so the
/// axis reads $500 rather than $437.12.
fn round_up(v: i64) -> i64 {
    if v <= 0 {
        return 0;
    }
    let mut power = 1_i64;
    while power.saturating_mul(10) <= v {
        power *= 10;
    }
    [1, 2, 5, 10].into_iter().map(|m| m * power).find(|n| *n >= v).unwrap_or(v)
}

/// The vertical scale: the top and bottom values (top ≥ 0 ≥ bottom, never equal).
fn scale(periods: &[RevenuePeriod]) -> (i64, i64) {
    let top = round_up(periods.iter().map(|p| p.net.minor).max().unwrap_or(0));
    let bottom = -round_up(-periods.iter().map(|p| p.net.minor).min().unwrap_or(0));
    if top == bottom { (100, 0) } else { (top, bottom) }
}

/// Net revenue per month as bars around a zero line, labelled on both axes. Screen
/// readers get the title and description; the table below holds the figures.
#[component]
pub fn RevenueChart(periods: Vec<RevenuePeriod>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    let currency = periods.first().map(|p| p.net.currency.clone()).unwrap_or_default();
    let (top, bottom) = scale(&periods);
    let plot = HEIGHT - TOP - BOTTOM;
    let y = move |v: i64| TOP + (top - v) as f64 / (top - bottom) as f64 * plot;
    let slot = (WIDTH - LEFT - RIGHT) / periods.len().max(1) as f64;
    let mut ticks = vec![top, top / 2, 0, bottom];
    ticks.dedup();
    let total: i64 = periods.iter().map(|p| p.net.minor).sum();
    let (first, last) = (
        periods.first().map(|p| p.period.clone()).unwrap_or_default(),
        periods.last().map(|p| p.period.clone()).unwrap_or_default(),
    );
    let axis_label = {
        let currency = currency.clone();
        move |v: i64| {
            let text = Money::new(v, currency.clone()).format(i18n.locale());
            text.strip_suffix(".00").map(str::to_owned).unwrap_or(text)
        }
    };
    let total = Money::new(total, currency.clone());
    view! {
        // On a phone the chart scrolls sideways: the keyboard must reach the scroller.
        <div class="chart-wrap" tabindex="0" role="region" aria-labelledby="revenue-chart-title">
            <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
                aria-labelledby="revenue-chart-title revenue-chart-desc">
                <title id="revenue-chart-title">{move || t().chart_title}</title>
                <desc id="revenue-chart-desc">{move || {
                    (t().chart_desc)(&(t().period)(&first), &(t().period)(&last), &total.format(i18n.locale()))
                }}</desc>
                <g class="chart__grid">
                    {ticks.into_iter().map(|v| {
                        let label = axis_label.clone();
                        view! {
                            <line x1=LEFT x2=WIDTH - RIGHT y1=y(v) y2=y(v) class:chart__zero=v == 0 />
                            <text x=LEFT - 6.0 y=y(v) dy="0.35em" text-anchor="end">{move || label(v)}</text>
                        }
                    }).collect_view()}
                </g>
                {periods.into_iter().enumerate().map(|(i, p)| {
                    let v = p.net.minor;
                    let x = LEFT + slot * i as f64;
                    let (from, to) = (y(v.max(0)), y(v.min(0)));
                    let month: u32 = p.period.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
                    let period = p.period.clone();
                    let net = p.net.clone();
                    view! {
                        <rect class="chart__bar" class:chart__bar--negative=v < 0 x=x + slot * 0.18 y=from
                            width=slot * 0.64 height=(to - from).max(if v == 0 { 0.0 } else { 1.0 })>
                            <title>{move || format!("{}: {}", (t().period)(&period), net.format(i18n.locale()))}</title>
                        </rect>
                        <text class="chart__month" x=x + slot / 2.0 y=HEIGHT - 8.0 text-anchor="middle">
                            {move || (t().month_short)(month)}
                        </text>
                    }
                }).collect_view()}
            </svg>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(period: &str, net: i64) -> RevenuePeriod {
        let m = |minor| Money::new(minor, "USD");
        RevenuePeriod { period: period.to_owned(), gross: m(net), commission: m(0), refunds: m(0), net: m(net) }
    }

    #[test]
    fn the_axis_rounds_up_to_a_round_figure() {
        assert_eq!(round_up(43_712), 50_000);
        assert_eq!(round_up(100), 100);
        assert_eq!(round_up(101), 200);
        assert_eq!(round_up(0), 0);
        assert_eq!(scale(&[period("2026-01", 0)]), (100, 0), "an empty chart still has a scale");
        assert_eq!(scale(&[period("2026-01", 900), period("2026-02", -150)]), (1_000, -200));
    }
}

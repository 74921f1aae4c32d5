//! A bar chart as inline SVG drawn on the server: bars around a zero line, a scale of
//! round figures, a label under each bar (or every few bars when there are many), a
//! title and description for screen readers and a tooltip per bar. Its figures are
//! always also in a table beside it, so it works without JavaScript or sight.

use leptos::prelude::*;
use types::{Locale, catalog::Money};

/// The drawing area, in SVG user units (it scales to its box).
const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// Labels under the bars, at most.
const LABELS: usize = 8;

/// One bar: a short label under it, its full name in its tooltip, its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub name: String,
    pub value: i64,
}

/// An amount as an axis or a tooltip shows it: whole amounts without cents ($500, not
/// $500.00).
pub fn axis_money(minor: i64, currency: &str, locale: Locale) -> String {
    let text = Money::new(minor, currency).format(locale);
    text.strip_suffix(".00").map(str::to_owned).unwrap_or(text)
}

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
fn scale(bars: &[Bar]) -> (i64, i64) {
    let top = round_up(bars.iter().map(|b| b.value).max().unwrap_or(0));
    let bottom = -round_up(-bars.iter().map(|b| b.value).min().unwrap_or(0));
    if top == bottom { (100, 0) } else { (top, bottom) }
}

/// `id` names the chart on the page (its title and description take ids from it);
/// `format` writes a value as the axis and tooltips show it.
#[component]
pub fn BarChart(
    id: String,
    title: String,
    desc: String,
    bars: Vec<Bar>,
    format: Callback<i64, String>,
) -> impl IntoView {
    let (top, bottom) = scale(&bars);
    let plot = HEIGHT - TOP - BOTTOM;
    let y = move |v: i64| TOP + (top - v) as f64 / (top - bottom) as f64 * plot;
    let slot = (WIDTH - LEFT - RIGHT) / bars.len().max(1) as f64;
    let every = bars.len().div_ceil(LABELS).max(1);
    let mut ticks = vec![top, top / 2, 0, bottom];
    ticks.dedup();
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let (region_label, svg_label) = (title_id.clone(), format!("{title_id} {desc_id}"));
    view! {
        // On a phone the chart scrolls sideways: the keyboard must reach the scroller.
        <div class="chart-wrap" tabindex="0" role="region" aria-labelledby=region_label>
            <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
                aria-labelledby=svg_label>
                <title id=title_id>{title}</title>
                <desc id=desc_id>{desc}</desc>
                <g class="chart__grid">
                    {ticks.into_iter().map(|v| view! {
                        <line x1=LEFT x2=WIDTH - RIGHT y1=y(v) y2=y(v) class:chart__zero=v == 0 />
                        <text x=LEFT - 6.0 y=y(v) dy="0.35em" text-anchor="end">{format.run(v)}</text>
                    }).collect_view()}
                </g>
                {bars.into_iter().enumerate().map(|(i, b)| {
                    let x = LEFT + slot * i as f64;
                    let (from, to) = (y(b.value.max(0)), y(b.value.min(0)));
                    let label = (i % every == 0).then(|| view! {
                        <text class="chart__label" x=x + slot / 2.0 y=HEIGHT - 8.0 text-anchor="middle">{b.label}</text>
                    });
                    view! {
                        <rect class="chart__bar" class:chart__bar--negative=b.value < 0 x=x + slot * 0.18 y=from
                            width=slot * 0.64 height=(to - from).max(if b.value == 0 { 0.0 } else { 1.0 })>
                            <title>{format!("{}: {}", b.name, format.run(b.value))}</title>
                        </rect>
                        {label}
                    }
                }).collect_view()}
            </svg>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(value: i64) -> Bar {
        Bar { label: String::new(), name: String::new(), value }
    }

    #[test]
    fn the_axis_rounds_up_to_a_round_figure() {
        assert_eq!(round_up(43_712), 50_000);
        assert_eq!(round_up(100), 100);
        assert_eq!(round_up(101), 200);
        assert_eq!(round_up(0), 0);
        assert_eq!(scale(&[bar(0)]), (100, 0), "an empty chart still has a scale");
        assert_eq!(scale(&[bar(900), bar(-150)]), (1_000, -200));
    }
}

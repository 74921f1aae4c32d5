//! `/admin/analytics`: the store's figures for a period (the last 30 days unless the
//! URL says otherwise), each against the period of the same length before it, and
//! each day as a chart with the same figures in a table beside it. Plain HTML: the
//! period is a GET form and the chart is SVG drawn by the server.

use leptos::prelude::*;
use leptos_meta::Title;
use types::analytics::{DayFigures, Overview, Totals, change_percent};

use crate::{
    components::{period::PeriodForm, query::query_value},
    error::AppError,
    i18n::{analytics::AnalyticsTexts, use_i18n},
};

/// The store's overview for the period the form sent.
#[server(endpoint = "admin/analytics/overview")]
pub async fn analytics_overview(
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<Overview, AppError> {
    use crate::ssr::{require_permission, services};
    use domain::analytics::report::Period;
    require_permission(types::Permission::ViewAnalytics)?;
    let period = Period::parse(&from, &to, chrono::Utc::now().date_naive())?;
    Ok(services()?.reports.overview(period).await?)
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().analytics;
    let [from, to] = ["from", "to"].map(query_value);
    let overview = Resource::new(
        move || (from.get().unwrap_or_default(), to.get().unwrap_or_default()),
        |(from, to)| analytics_overview(from, to),
    );
    view! {
        <Title text=move || t().title />
        <h1 class="console__title">{move || t().title}</h1>
        <p class="muted measure">{move || t().lead}</p>
        <Transition>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! {
                        <PeriodForm action="/admin/analytics" from=o.from.clone() to=o.to.clone() error=None />
                        <Figures o=o.clone() />
                        <Days days=o.days />
                    }
                    .into_any(),
                    Err(e) if !e.fields.is_empty() => view! {
                        <PeriodForm
                            action="/admin/analytics"
                            from=from.get().unwrap_or_default()
                            to=to.get().unwrap_or_default()
                            error=Some(e)
                        />
                    }
                    .into_any(),
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One figure with its change against the period before.
fn figure(label: String, value: String, now: i64, before: i64, t: &'static AnalyticsTexts) -> impl IntoView {
    let change = (t.change)(change_percent(now, before));
    view! {
        <li class="stat">
            <span class="stat__label">{label}</span>
            <span class="stat__value">{value}</span>
            <span class="stat__change">{change}</span>
        </li>
    }
}

#[component]
fn Figures(o: Overview) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t().analytics;
    let locale = i18n.locale();
    let (now, before): (Totals, Totals) = (o.current, o.previous);
    let count = |n: i64| n.to_string();
    let conversion = |totals: &Totals| totals.conversion_bps();
    let aov = |totals: &Totals| totals.average_order().map_or(0, |m| m.minor);
    view! {
        <section class="card stack" aria-labelledby="overview-figures">
            <h2 class="card__title" id="overview-figures">{(t.period_title)(&o.from, &o.to)}</h2>
            <ul class="stat-list stat-list--figures">
                {figure(t.visitors.into(), count(now.visitors), now.visitors, before.visitors, t)}
                {figure(t.sessions.into(), count(now.sessions), now.sessions, before.sessions, t)}
                {figure(t.page_views.into(), count(now.page_views), now.page_views, before.page_views, t)}
                {figure(t.orders.into(), count(now.orders), now.orders, before.orders, t)}
                {figure(t.revenue.into(), now.revenue.format(locale), now.revenue.minor, before.revenue.minor, t)}
                {figure(
                    t.conversion.into(),
                    (t.percent_bps)(conversion(&now)),
                    conversion(&now).unwrap_or(0),
                    conversion(&before).unwrap_or(0),
                    t,
                )}
                {figure(
                    t.average_order.into(),
                    now.average_order().map_or_else(|| "–".to_owned(), |m| m.format(locale)),
                    aov(&now),
                    aov(&before),
                    t,
                )}
                {figure(t.refunds.into(), now.refunded.format(locale), now.refunds, before.refunds, t)}
            </ul>
        </section>
    }
}

/// The chart's drawing area, in SVG units.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 200.0;

#[component]
fn Days(days: Vec<DayFigures>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t().analytics;
    let most = days.iter().map(|d| d.page_views).max().unwrap_or(0).max(1) as f64;
    let slot = WIDTH / days.len().max(1) as f64;
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let height = (d.page_views as f64 / most) * (HEIGHT - 20.0);
            view! {
                <rect
                    class="chart__bar"
                    x=format!("{:.1}", i as f64 * slot + slot * 0.15)
                    y=format!("{:.1}", HEIGHT - height)
                    width=format!("{:.1}", slot * 0.7)
                    height=format!("{height:.1}")
                />
            }
        })
        .collect_view();
    let total: i64 = days.iter().map(|d| d.page_views).sum();
    let (first, last) = (
        days.first().map(|d| d.day.clone()).unwrap_or_default(),
        days.last().map(|d| d.day.clone()).unwrap_or_default(),
    );
    view! {
        <section class="card stack" aria-labelledby="overview-days">
            <h2 class="card__title" id="overview-days">{t.days_title}</h2>
            <div class="chart-and-table">
                <figure class="chart">
                    <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby="days-chart-title" preserveAspectRatio="none">
                        <title id="days-chart-title">{(t.chart_summary)(total, &first, &last)}</title>
                        {bars}
                    </svg>
                    <figcaption class="muted">{t.chart_caption}</figcaption>
                </figure>
                // Scrolls on its own: focusable, so the keyboard can scroll it too.
                <div class="table-wrap" tabindex="0" role="region" aria-label=t.days_table>
                    <table class="table table--stack">
                        <caption class="visually-hidden">{t.days_title}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t.day}</th>
                                <th scope="col" class="num">{t.visitors}</th>
                                <th scope="col" class="num">{t.page_views}</th>
                                <th scope="col" class="num">{t.orders}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {days.into_iter().map(|d| view! {
                                <tr>
                                    <th scope="row" data-label=t.day>{d.day}</th>
                                    <td class="num" data-label=t.visitors>{d.visitors}</td>
                                    <td class="num" data-label=t.page_views>{d.page_views}</td>
                                    <td class="num" data-label=t.orders>{d.orders}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
        </section>
    }
}

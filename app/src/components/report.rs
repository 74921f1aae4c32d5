//! Draws any [`Dashboard`]: its headline figures with their change, then each table,
//! with a chart beside it where the report asks for one and a link to the same table
//! as CSV. The console's reports and a maker's figures are all drawn here.

use leptos::prelude::*;
use types::analytics::table::{Cell, Column, Dashboard, Figure, Table};

use crate::{
    components::{
        bar_chart::{Bar, BarChart, axis_money},
        period::PeriodForm,
    },
    error::AppError,
    i18n::{I18n, use_i18n},
};

/// A report as its page shows it: the period's form above the dashboard, or the form
/// with its dates marked when they did not read (`from` and `to` as the URL gave them),
/// or what went wrong.
#[component]
pub fn PeriodReport(
    report: Result<Dashboard, AppError>,
    action: String,
    csv: String,
    from: String,
    to: String,
) -> impl IntoView {
    let i18n = use_i18n();
    match report {
        Ok(d) => view! {
            <PeriodForm action from=d.from.clone() to=d.to.clone() error=None />
            <DashboardView d csv />
        }
        .into_any(),
        Err(e) if !e.fields.is_empty() => view! { <PeriodForm action from to error=Some(e) /> }.into_any(),
        Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
    }
}

/// `csv` is where a table downloads: `{csv}/{table}.csv?from=…&to=…`.
#[component]
pub fn DashboardView(d: Dashboard, csv: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t().analytics;
    let period = (t.period_title)(&d.from, &d.to);
    let figures = (!d.figures.is_empty()).then(|| {
        view! {
            <section class="card stack" aria-labelledby="report-figures">
                <h2 class="card__title" id="report-figures">{period.clone()}</h2>
                <ul class="stat-list stat-list--figures">
                    {d.figures.into_iter().map(|f| view! { <FigureView f /> }).collect_view()}
                </ul>
            </section>
        }
    });
    let unseen = d.unseen.filter(|n| *n > 0).map(|n| (t.unseen)(n));
    let query = format!("from={}&to={}", d.from, d.to);
    let tables = d
        .tables
        .into_iter()
        .enumerate()
        .map(|(i, table)| {
            let href = format!("{csv}/{}.csv?{query}", <&str>::from(table.name));
            // A maker's products carry the line about the live ones nobody saw.
            let after = if i == 0 { unseen.clone() } else { None };
            view! { <TableView table href after /> }
        })
        .collect_view();
    view! {
        {figures}
        <div class="report-grid">{tables}</div>
    }
}

#[component]
fn FigureView(f: Figure) -> impl IntoView {
    let i18n = use_i18n();
    let a = i18n.t().analytics;
    view! {
        <li class="stat">
            <span class="stat__label">{(a.column)(f.name)}</span>
            <span class="stat__value">{text(&f.now, f.name, i18n)}</span>
            <span class="stat__change">{(a.change)(f.change)}</span>
        </li>
    }
}

/// A cell as the page shows it.
fn text(cell: &Cell, column: Column, i18n: I18n) -> String {
    let a = i18n.t().analytics;
    match cell {
        Cell::Text(s) if s.is_empty() && column == Column::Source => a.direct.to_owned(),
        Cell::Text(s) | Cell::Link { text: s, .. } => s.clone(),
        Cell::Count(n) => n.to_string(),
        Cell::Money(m) => m.format(i18n.locale()),
        Cell::Share(bps) => (a.percent_bps)(*bps),
        Cell::Change(Some(p)) if *p > 0 => format!("+{p} %"),
        Cell::Change(Some(p)) => format!("{p} %"),
        Cell::Change(None) => a.new.to_owned(),
    }
}

/// The value a chart draws, written as its column writes it.
fn value_text(value: i64, like: Option<&Cell>, i18n: I18n) -> String {
    match like {
        Some(Cell::Money(m)) => axis_money(value, &m.currency, i18n.locale()),
        Some(Cell::Share(_)) => (i18n.t().analytics.percent_bps)(Some(value)),
        _ => value.to_string(),
    }
}

#[component]
fn TableView(table: Table, href: String, after: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let a = i18n.t().analytics;
    let title = (a.table)(table.name);
    let key: &'static str = table.name.into();
    let heading = format!("report-{key}");
    let labelled = heading.clone();
    let note = (a.table_note)(table.name);
    let note = (!note.is_empty()).then(|| view! { <p class="muted">{note}</p> });
    let wide = table.chart.is_some() || table.columns.len() > 4;
    if table.rows.is_empty() {
        return view! {
            <section class="card stack" class:report--wide=wide aria-labelledby=labelled>
                <h2 class="card__title" id=heading>{title}</h2>
                <p class="muted">{a.empty}</p>
                {after.map(|line| view! { <p class="muted">{line}</p> })}
            </section>
        }
        .into_any();
    }
    let chart = table.chart.map(|column| {
        let by = table.columns.first().copied().unwrap_or(Column::Day);
        let cells = table.column(column);
        let like = cells.first().map(|c| (*c).clone());
        let names = table.column(by);
        let bars: Vec<Bar> = names
            .iter()
            .zip(&cells)
            .enumerate()
            .map(|(i, (name, cell))| {
                let name = text(name, by, i18n);
                // Under the bars, a date by its month and day; a name (too long to fit)
                // by its rank, as in the table. Each bar's tooltip has it in full.
                let label =
                    if by == Column::Day { name.get(5..).unwrap_or(&name).to_owned() } else { (i + 1).to_string() };
                Bar { label, name, value: cell.value().unwrap_or(0) }
            })
            .collect();
        let total = value_text(bars.iter().map(|b| b.value).sum(), like.as_ref(), i18n);
        let (first, last) = (
            bars.first().map(|b| b.name.clone()).unwrap_or_default(),
            bars.last().map(|b| b.name.clone()).unwrap_or_default(),
        );
        let (measure, by) = ((a.column)(column), (a.column)(by));
        let format = Callback::new(move |v: i64| value_text(v, like.as_ref(), i18n));
        view! {
            <BarChart
                id=format!("chart-{key}")
                title=(a.chart_summary)(&measure, &by, &total, &first, &last)
                desc=(a.chart_caption)(&measure, &by)
                bars
                format
            />
        }
    });
    // A narrow table fits beside its chart on a wide screen; a wide one goes below.
    let beside = chart.is_some() && table.columns.len() <= 4;
    let columns = table.columns.clone();
    let head = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let num = i > 0;
            view! { <th scope="col" class:num=num>{(a.column)(*c)}</th> }
        })
        .collect_view();
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .zip(&columns)
                .enumerate()
                .map(|(i, (cell, column))| {
                    let label = (a.column)(*column);
                    let shown = text(&cell, *column, i18n);
                    // Amounts and percentages read whole.
                    let money = matches!(cell, Cell::Money(_) | Cell::Share(_));
                    let content = match cell {
                        Cell::Link { href, .. } => view! { <a href=href>{shown}</a> }.into_any(),
                        _ => shown.into_any(),
                    };
                    if i == 0 {
                        // A date breaks at its hyphens; it reads better whole.
                        let date = matches!(column, Column::Day | Column::Week | Column::Month);
                        view! { <th scope="row" class:nowrap=date data-label=label>{content}</th> }.into_any()
                    } else {
                        view! { <td class="num" class:nowrap=money data-label=label>{content}</td> }.into_any()
                    }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <section class="card stack" class:report--wide=wide aria-labelledby=labelled>
            <h2 class="card__title" id=heading>{title}</h2>
            {note}
            <div class="chart-and-table" class:chart-and-table--beside=beside>
                {chart}
                // Scrolls on its own: focusable, so the keyboard can scroll it too.
                <div class="table-wrap" tabindex="0" role="region" aria-label=(a.table_region)(title)>
                    <table class="table table--stack table--report">
                        <caption class="visually-hidden">{title}</caption>
                        <thead><tr>{head}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
            {after.map(|line| view! { <p class="muted">{line}</p> })}
            <p><a class="report__csv" href=href download>{(a.csv)(title)}</a></p>
        </section>
    }
    .into_any()
}

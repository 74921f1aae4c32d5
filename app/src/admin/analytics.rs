//! `/admin/analytics[/<section>]`: the console's reports for a period (the last 30
//! days unless the URL says otherwise), each against the period of the same length
//! before it. Plain HTML: the period is a GET form, the charts are SVG drawn by the
//! server, and every table is also a CSV file (`server::analytics_export`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::analytics::table::{Dashboard, Section};

use crate::{
    components::{query::query_value, report::PeriodReport},
    error::AppError,
    i18n::use_i18n,
};

/// One of the console's reports for the period the form sent.
#[server(endpoint = "admin/analytics/dashboard")]
pub async fn analytics_dashboard(
    section: Section,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<Dashboard, AppError> {
    use crate::ssr::{request_locale, require_permission, services};
    use domain::analytics::report::Period;
    require_permission(types::Permission::ViewAnalytics)?;
    let period = Period::parse(&from, &to, chrono::Utc::now().date_naive())?;
    Ok(services()?.reports.dashboard(section, period, request_locale().unwrap_or_default()).await?)
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().analytics;
    let params = use_params_map();
    // No segment is the overview; a segment that names no report is "not found".
    let section = Memo::new(move |_| match params.read().get("section") {
        None => Some(Section::Overview),
        Some(s) => s.parse::<Section>().ok(),
    });
    let [from, to] = ["from", "to"].map(query_value);
    let report = Resource::new(
        move || (section.get(), from.get().unwrap_or_default(), to.get().unwrap_or_default()),
        |(section, from, to)| async move {
            match section {
                Some(section) => analytics_dashboard(section, from, to).await,
                None => Err(AppError::new(types::ErrorCode::NotFound)),
            }
        },
    );
    view! {
        <Title text=move || t().title />
        <h1 class="console__title">{move || t().title}</h1>
        <nav class="tabs" aria-label=move || t().sections>
            {Section::ALL.into_iter().map(|s| {
                let current = move || section.get() == Some(s);
                // Another report keeps the period chosen.
                let href = move || match (from.get(), to.get()) {
                    (Some(f), Some(t)) => format!("{}?from={f}&to={t}", s.path()),
                    _ => s.path(),
                };
                view! {
                    <a href=href aria-current=move || current().then_some("page")>{move || (t().section)(s)}</a>
                }
            }).collect_view()}
        </nav>
        <p class="muted measure">{move || section.get().map(|s| (t().section_lead)(s))}</p>
        <Transition>
            {move || Suspend::new(async move {
                let shown = section.get().unwrap_or(Section::Overview);
                view! {
                    <PeriodReport
                        report=report.await
                        action=shown.path()
                        csv=format!("/admin/analytics/{}", <&str>::from(shown))
                        from=from.get().unwrap_or_default()
                        to=to.get().unwrap_or_default()
                    />
                }
            })}
        </Transition>
    }
}

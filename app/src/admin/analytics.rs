//! `/admin/analytics[/<section>]`: the console's reports for a period (the last 30
//! days unless the URL says otherwise), each against the period of the same length
//! before it. Plain HTML: the period is a GET form, the charts are SVG drawn by the
//! server, and every table is also a CSV file (`server::analytics_export`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::{
    TextEnum,
    analytics::{
        alerts::ALERTS_PATH,
        table::{Dashboard, SavedReport, Section},
    },
};

use crate::{
    components::{
        form::{FormError, TextField, action_error, field_error},
        query::query_value,
        report::PeriodReport,
    },
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

/// The signed-in admin's saved reports, each with its link as of today.
#[server(endpoint = "admin/analytics/saved")]
pub async fn saved_reports() -> Result<Vec<SavedReport>, AppError> {
    use crate::ssr::{require_permission, services};
    let user = require_permission(types::Permission::ViewAnalytics)?;
    Ok(domain::analytics::saved::list(&services()?.pool, user.id, chrono::Utc::now().date_naive()).await?)
}

/// Saves a report and its period under a name (`moving`: as the last so many days).
#[server(endpoint = "admin/analytics/save")]
pub async fn save_report(
    section: Section,
    #[server(default)] name: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] moving: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::{require_permission, services};
    use domain::analytics::{report::Period, saved};
    let user = require_permission(types::Permission::ViewAnalytics)?;
    let period = Period::parse(&from, &to, chrono::Utc::now().date_naive())?;
    Ok(saved::save(&services()?.pool, user.id, &name, section, period, moving.is_some()).await?)
}

/// Removes one of the signed-in admin's saved reports.
#[server(endpoint = "admin/analytics/forget")]
pub async fn forget_report(id: String) -> Result<(), AppError> {
    use crate::ssr::{require_permission, services};
    let user = require_permission(types::Permission::ViewAnalytics)?;
    Ok(domain::analytics::saved::delete(&services()?.pool, user.id, &id).await?)
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
        <ReportTabs current=Signal::derive(move || section.get()) />
        <p class="muted measure">{move || section.get().map(|s| (t().section_lead)(s))}</p>
        <Transition>
            {move || Suspend::new(async move {
                let shown = section.get().unwrap_or(Section::Overview);
                let report = report.await;
                let period = report.as_ref().ok().map(|d| (d.from.clone(), d.to.clone()));
                view! {
                    <PeriodReport
                        report
                        action=shown.path()
                        csv=format!("/admin/analytics/{}", shown.as_str())
                        from=from.get().unwrap_or_default()
                        to=to.get().unwrap_or_default()
                    />
                    {period.map(|(from, to)| view! { <Saved section=shown from to /> })}
                }
            })}
        </Transition>
    }
}

/// The reports, each keeping the period chosen, and the alerts. `current` is the report
/// shown; `None` on the alerts page.
#[component]
pub fn ReportTabs(#[prop(into)] current: Signal<Option<Section>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().analytics;
    let [from, to] = ["from", "to"].map(query_value);
    let on_alerts = move || current.get().is_none();
    view! {
        <nav class="tabs" aria-label=move || t().sections>
            {Section::ALL.iter().map(|&s| {
                let here = move || current.get() == Some(s);
                let href = move || match (from.get(), to.get()) {
                    (Some(f), Some(t)) => format!("{}?from={f}&to={t}", s.path()),
                    _ => s.path(),
                };
                view! {
                    <a href=href aria-current=move || here().then_some("page")>{move || (t().section)(s)}</a>
                }
            }).collect_view()}
            <a href=ALERTS_PATH aria-current=move || on_alerts().then_some("page")>{move || t().alerts}</a>
        </nav>
    }
}

/// The admin's saved reports, and a form to save the one shown under a name.
#[component]
fn Saved(section: Section, from: String, to: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().analytics;
    let save = ServerAction::<SaveReport>::new();
    let forget = ServerAction::<ForgetReport>::new();
    let saved = Resource::new(move || (save.version().get(), forget.version().get()), |_| saved_reports());
    let error = action_error(save.into());
    let days = match (from.parse::<chrono::NaiveDate>(), to.parse::<chrono::NaiveDate>()) {
        (Ok(f), Ok(t)) => (t - f).num_days() + 1,
        _ => 30,
    };
    view! {
        <section class="card stack" aria-labelledby="saved-reports">
            <h2 class="card__title" id="saved-reports">{move || t().saved_title}</h2>
            <FormError error=action_error(forget.into()) />
            <Transition>
                {move || Suspend::new(async move {
                    match saved.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">{t().saved_none}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="saved-reports">
                                {list.into_iter().map(|r| view! { <SavedItem r forget /> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                    }
                })}
            </Transition>
            <FormError error />
            <ActionForm action=save attr:class="form">
                <input type="hidden" name="section" value=section.as_str() />
                <input type="hidden" name="from" value=from />
                <input type="hidden" name="to" value=to />
                <TextField label=Signal::derive(move || t().saved_name) name="name" required=true maxlength=80
                    error=field_error(error, "name") />
                <label class="checkbox-row" for="saved-moving">
                    <input type="checkbox" id="saved-moving" name="moving" value="on" />
                    {move || (t().saved_moving)(days)}
                </label>
                <button type="submit" class="btn btn--secondary">{move || t().save}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn SavedItem(r: SavedReport, forget: ServerAction<ForgetReport>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t().analytics;
    let period = (t.saved_period)(r.moving_days, &r.from, &r.to);
    let remove = (t.remove)(&r.name);
    view! {
        <li class="saved-reports__item">
            <a href=r.href>{r.name}</a>
            <span class="muted">{(t.section)(r.section)}" · "{period}</span>
            <ActionForm action=forget>
                <input type="hidden" name="id" value=r.id />
                <button type="submit" class="btn btn--small btn--ghost" aria-label=remove>{t.remove_short}</button>
            </ActionForm>
        </li>
    }
}

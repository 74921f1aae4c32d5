//! `/admin/analytics/alerts`: the rules that tell the analytics team when a figure
//! crosses a line (and when it recovers), each with its state at the last check, and a
//! form for a new one. Checking and telling are `domain::analytics::alerts`.

use leptos::prelude::*;
use leptos_meta::Title;
use types::{
    TextEnum,
    analytics::alerts::{AlertRule, Comparison, Metric},
};

use super::analytics::ReportTabs;
use crate::{
    components::form::{FormError, TextField, action_error, field_error},
    error::AppError,
    i18n::use_i18n,
};

/// Every alert rule with what its last check found.
#[server(endpoint = "admin/analytics/alerts")]
pub async fn alert_rules() -> Result<Vec<AlertRule>, AppError> {
    use crate::ssr::{require_permission, services};
    require_permission(types::Permission::ViewAnalytics)?;
    Ok(domain::analytics::alerts::list(&services()?.pool).await?)
}

/// Adds a rule; the hours are both empty (all day) or both given.
#[server(endpoint = "admin/analytics/alerts/add")]
pub async fn add_alert_rule(
    #[server(default)] name: String,
    #[server(default)] metric: String,
    #[server(default)] comparison: String,
    #[server(default)] threshold: String,
    #[server(default)] window_minutes: String,
    #[server(default)] from_hour: String,
    #[server(default)] to_hour: String,
) -> Result<(), AppError> {
    use crate::ssr::{require_permission, services};
    use domain::analytics::alerts;
    let user = require_permission(types::Permission::ViewAnalytics)?;
    let rule = alerts::draft(&name, &metric, &comparison, &threshold, &window_minutes, &from_hour, &to_hour)?;
    Ok(alerts::create(&services()?.pool, user.id, &rule).await?)
}

#[server(endpoint = "admin/analytics/alerts/remove")]
pub async fn remove_alert_rule(id: String) -> Result<(), AppError> {
    use crate::ssr::{require_permission, services};
    require_permission(types::Permission::ViewAnalytics)?;
    Ok(domain::analytics::alerts::delete(&services()?.pool, &id).await?)
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().analytics;
    let add = ServerAction::<AddAlertRule>::new();
    let remove = ServerAction::<RemoveAlertRule>::new();
    let rules = Resource::new(move || (add.version().get(), remove.version().get()), |_| alert_rules());
    let error = action_error(add.into());
    view! {
        <Title text=move || format!("{} · {}", t().alerts, t().title) />
        <h1 class="console__title">{move || t().title}</h1>
        <ReportTabs current=None />
        <p class="muted measure">{move || t().alerts_lead}</p>
        <FormError error=action_error(remove.into()) />
        <Transition>
            {move || Suspend::new(async move {
                match rules.await {
                    Ok(list) if list.is_empty() => view! { <p class="card muted">{t().alerts_none}</p> }.into_any(),
                    Ok(list) => view! { <RuleTable list remove /> }.into_any(),
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Transition>
        <section class="card stack" aria-labelledby="new-alert">
            <h2 class="card__title" id="new-alert">{move || t().alert_new}</h2>
            <FormError error />
            <ActionForm action=add attr:class="form">
                <TextField label=Signal::derive(move || t().alert_name) name="name" required=true maxlength=80
                    error=field_error(error, "name") />
                <Choice label=Signal::derive(move || t().alert_metric_label) name="metric"
                    options=Metric::ALL.iter().map(|&m| (m.as_str(), (t().alert_metric)(m))).collect()
                    error=field_error(error, "metric") />
                <Choice label=Signal::derive(move || t().alert_comparison_label) name="comparison"
                    options=Comparison::ALL.iter().map(|&c| (c.as_str(), (t().alert_comparison)(c))).collect()
                    error=field_error(error, "comparison") />
                <div class="field-row">
                    <TextField label=Signal::derive(move || t().alert_threshold) name="threshold" input_type="number"
                        required=true inputmode="numeric" hint=Signal::derive(move || t().alert_threshold_hint)
                        error=field_error(error, "threshold") />
                    <TextField label=Signal::derive(move || t().alert_window) name="window_minutes" input_type="number"
                        required=true value="60".to_owned() inputmode="numeric" error=field_error(error, "window_minutes") />
                </div>
                <fieldset class="fieldset">
                    <legend>{move || t().alert_hours}</legend>
                    <p class="field__hint">{move || t().alert_hours_hint}</p>
                    <div class="field-row">
                        <TextField label=Signal::derive(move || t().alert_from_hour) name="from_hour" input_type="number"
                            inputmode="numeric" error=field_error(error, "from_hour") />
                        <TextField label=Signal::derive(move || t().alert_to_hour) name="to_hour" input_type="number"
                            inputmode="numeric" error=field_error(error, "to_hour") />
                    </div>
                </fieldset>
                <div>
                    <button type="submit" class="btn btn--primary">{move || t().alert_add}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// A labelled `<select>` with its error, like a [`TextField`].
#[component]
fn Choice(
    label: Signal<&'static str>,
    name: &'static str,
    options: Vec<(&'static str, &'static str)>,
    error: Signal<Option<types::ErrorCode>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            <select id=id name=name aria-describedby=move || error.get().map(|_| described.clone())>
                {options.into_iter().map(|(value, text)| view! { <option value=value>{text}</option> }).collect_view()}
            </select>
            {move || error.get().map(|code| view! {
                <p class="field__error" id=error_id.clone()>{(i18n.t().error)(code)}</p>
            })}
        </div>
    }
}

#[component]
fn RuleTable(list: Vec<AlertRule>, remove: ServerAction<RemoveAlertRule>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t().analytics;
    let [name, watches, state, removal] = t.alert_columns;
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t.alerts>
            <table class="table table--stack">
                <thead>
                    <tr>
                        <th scope="col">{name}</th>
                        <th scope="col">{watches}</th>
                        <th scope="col">{state}</th>
                        <th scope="col"><span class="sr-only">{removal}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|r| {
                        let text = (t.alert_state)(r.firing, r.last_value, r.changed_at.as_deref(), r.rule.metric.is_share());
                        let remove_label = (t.remove)(&r.rule.name);
                        let badge = match (r.firing, r.last_value) {
                            (_, None) => "badge badge--muted",
                            (true, _) => "badge badge--danger",
                            (false, _) => "badge badge--ok",
                        };
                        view! {
                            <tr>
                                <th scope="row" data-label=name>{r.rule.name.clone()}</th>
                                <td data-label=watches>{(t.alert_rule)(&r.rule)}</td>
                                <td data-label=state>
                                    <span class=badge>{text}</span>
                                </td>
                                <td>
                                    <ActionForm action=remove>
                                        <input type="hidden" name="id" value=r.id />
                                        <button type="submit" class="btn btn--small btn--ghost" aria-label=remove_label>
                                            {t.remove_short}
                                        </button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

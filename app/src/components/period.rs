//! A period of days as a GET form (from, to), for the analytics of the console and
//! the portal: the period lives in the URL, so a report can be bookmarked.

use leptos::prelude::*;

use crate::{
    components::form::{TextField, field_error},
    error::AppError,
    i18n::{analytics::AnalyticsTexts, use_i18n},
};

/// The period as two dates; a date that does not read is marked at its field.
#[component]
pub fn PeriodForm(action: String, from: String, to: String, error: Option<AppError>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().analytics;
    let label = move |f: fn(&AnalyticsTexts) -> &'static str| Signal::derive(move || f(t()));
    let error = Signal::stored(error);
    let reset = action.clone();
    view! {
        <form class="card form" method="get" action=action aria-label=move || t().period>
            <div class="field-row">
                <TextField label=label(|t| t.from) name="from" value=from input_type="date" error=field_error(error, "from") />
                <TextField label=label(|t| t.to) name="to" value=to input_type="date" error=field_error(error, "to") />
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn--primary">{move || t().show}</button>
                <a class="btn btn--ghost" href=reset>{move || t().last_30_days}</a>
            </div>
        </form>
    }
}

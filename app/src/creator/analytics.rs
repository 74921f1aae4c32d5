//! `/creator/analytics`: what a maker sees of their own products over a period (the
//! last 30 days unless the URL says otherwise): each product's views, adds to a cart
//! and units bought with the share at each step, where the views came from, and which
//! searches led to them. Another maker's figures are never shown: the server function
//! finds the maker by the signed-in account, never by a parameter.

use leptos::prelude::*;
use leptos_meta::Title;
use types::analytics::table::Dashboard;

use crate::{
    components::{query::query_value, report::PeriodReport},
    error::AppError,
    i18n::use_i18n,
};

/// The signed-in maker's figures for the period the form sent.
#[server(endpoint = "creator/analytics")]
pub async fn read_maker_figures(
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<Dashboard, AppError> {
    use crate::ssr::{request_locale, require_permission, services};
    use domain::analytics::report::Period;
    let user = require_permission(types::Permission::CreatorPortal)?;
    let period = Period::parse(&from, &to, chrono::Utc::now().date_naive())?;
    let figures = services()?.reports.maker(user.id, period, request_locale().unwrap_or_default()).await?;
    Ok(figures.into())
}

#[component]
pub fn MakerAnalyticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().analytics;
    let [from, to] = ["from", "to"].map(query_value);
    let figures = Resource::new(
        move || (from.get().unwrap_or_default(), to.get().unwrap_or_default()),
        |(from, to)| read_maker_figures(from, to),
    );
    view! {
        <Title text=move || t().maker_title />
        <h1 class="console__title">{move || t().maker_title}</h1>
        <p class="muted measure">{move || t().maker_lead}</p>
        <Transition>
            {move || Suspend::new(async move {
                view! {
                    <PeriodReport
                        report=figures.await
                        action="/creator/analytics".to_owned()
                        csv="/creator/analytics".to_owned()
                        from=from.get().unwrap_or_default()
                        to=to.get().unwrap_or_default()
                    />
                }
            })}
        </Transition>
    }
}

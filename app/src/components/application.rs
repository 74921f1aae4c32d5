//! A maker's application to sell, read-only: what its author sees while it waits and
//! what the reviewer decides on.

use leptos::prelude::*;
use types::creators::Application;

use crate::i18n::use_i18n;

/// The application's fields, read-only (the tax id masked).
#[component]
pub fn ApplicationSummary(application: Application) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let kind = application.kind;
    view! {
        <dl class="kv">
            <dt>{move || t().portal.business_name}</dt><dd>{application.business_name.clone()}</dd>
            <dt>{move || t().portal.business_kind}</dt><dd>{move || (t().shop.creator_kind)(kind)}</dd>
            <dt>{move || t().portal.tax_id}</dt><dd class="mono">{application.tax_id_masked.clone()}</dd>
            <dt>{move || t().portal.address}</dt><dd>{application.address.one_line()}</dd>
            <dt>{move || t().portal.contact_email}</dt><dd>{application.contact_email.clone()}</dd>
            <dt>{move || t().portal.contact_phone}</dt><dd>{application.contact_phone.clone()}</dd>
            <dt>{move || t().portal.documents}</dt>
            <dd>
                <ul class="plain-list">
                    {application.documents.iter().map(|d| view! {
                        <li><a href=d.url() target="_blank" rel="noopener">{d.name.clone()}</a>
                            " · " {types::files::human_size(d.size_bytes)}</li>
                    }).collect_view()}
                </ul>
            </dd>
        </dl>
    }
}

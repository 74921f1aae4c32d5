//! A table of notice deliveries: what was sent to whom, on which channel, and where
//! it stands. The admin console shows it with the recipient and a resend button; a
//! person sees their own without either.

use leptos::prelude::*;
use types::notifications::{DeliveryStatus, NoticeDelivery};

use crate::{
    components::time::{machine_time, short_time},
    i18n::use_i18n,
};

fn badge(status: DeliveryStatus) -> &'static str {
    match status {
        DeliveryStatus::Queued => "badge badge--info",
        DeliveryStatus::Sent => "badge badge--muted",
        DeliveryStatus::Delivered => "badge badge--ok",
        DeliveryStatus::Bounced => "badge badge--warn",
        DeliveryStatus::Failed => "badge badge--danger",
    }
}

/// The rows of `items`. With `action`, each row ends with what it renders (an
/// admin's resend form); `for_admins` adds the recipient and the provider's words.
#[component]
pub fn DeliveryTable(
    items: Vec<NoticeDelivery>,
    #[prop(optional)] for_admins: bool,
    #[prop(optional, into)] action: Option<Callback<NoticeDelivery, AnyView>>,
) -> impl IntoView {
    let t = use_i18n().t();
    let d = t.deliveries;
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=d.title>
            <table class="table delivery-table">
                <thead>
                    <tr>
                        <th scope="col">{t.admin_when}</th>
                        {for_admins.then(|| view! { <th scope="col">{d.person}</th> })}
                        <th scope="col">{d.notice}</th>
                        <th scope="col">{d.status}</th>
                        {for_admins.then(|| view! { <th scope="col">{d.reference}</th> })}
                        {action.is_some().then(|| view! { <th scope="col"><span class="sr-only">{d.resend}</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|row| {
                        let cell = action.map(|a| view! { <td>{a.run(row.clone())}</td> });
                        view! {
                            <tr>
                                <td class="nowrap">
                                    <time datetime=machine_time(&row.created_at)>{short_time(&row.created_at)}</time>
                                </td>
                                {for_admins.then(|| view! { <td class="break-all">{row.email.clone()}</td> })}
                                <td>
                                    {(d.kind_name)(row.kind)}
                                    {(!row.summary.is_empty()).then(|| view! { <br /><span class="muted">{row.summary.clone()}</span> })}
                                </td>
                                <td>
                                    <span class="delivery-table__channel">{(t.channel_name)(row.channel)}</span>
                                    " "
                                    <span class=badge(row.status)>{(d.status_name)(row.status)}</span>
                                    {(for_admins && row.attempts > 1).then(|| view! {
                                        <br /><span class="muted">{(d.attempts_count)(row.attempts)}</span>
                                    })}
                                </td>
                                {for_admins.then(|| view! {
                                    <td class="delivery-table__reference">
                                        {row.last_error.clone().map(|e| view! { <span>{e}</span><br /> })}
                                        {row.provider_ref.clone().map(|r| view! { <code>{r}</code> })}
                                    </td>
                                })}
                                {cell}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

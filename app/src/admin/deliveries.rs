//! Notice deliveries: find what was sent to a person, of which kind, on which channel
//! and in which state, and send a finished one again. The filters are a plain GET
//! form, so a search is a link an admin can share.

use leptos::prelude::*;
use leptos_meta::Title;
use types::{
    TextEnum,
    notifications::{DeliveryFilter, DeliveryStatus, NoticeDelivery, NotificationKind},
    profile::NotificationChannel,
};

use super::api::{ResendDelivery, admin_deliveries};
use crate::{
    components::{
        actions::succeeded,
        deliveries::DeliveryTable,
        form::{FormError, action_error},
        list::{Pager, list_or_empty},
        query::query_value,
    },
    i18n::use_i18n,
};

const PATH: &str = "/admin/deliveries";

#[component]
pub fn DeliveriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let d = move || i18n.t().deliveries;
    let resend = ServerAction::<ResendDelivery>::new();
    let resent = succeeded(resend);
    let person = query_value("person");
    let kind = query_value("kind");
    let channel = query_value("channel");
    let status = query_value("status");
    let before = query_value("before");
    let filter = move || DeliveryFilter {
        person: person.get().filter(|p| !p.trim().is_empty()),
        kind: kind.get().and_then(|k| NotificationKind::parse(&k)),
        channel: channel.get().and_then(|c| NotificationChannel::parse(&c)),
        status: status.get().and_then(|s| DeliveryStatus::parse(&s)),
        before: before.get().and_then(|b| b.parse().ok()),
    };
    let page = Resource::new(move || (filter(), resend.version().get()), |(filter, _)| admin_deliveries(filter));
    let resend_form = Callback::new(move |row: NoticeDelivery| {
        (!row.status.in_flight() && row.channel != NotificationChannel::InApp)
            .then(|| {
                view! {
                    <ActionForm action=resend>
                        <input type="hidden" name="id" value=row.id.to_string() />
                        <button type="submit" class="btn btn--small btn--ghost">{d().resend}</button>
                    </ActionForm>
                }
            })
            .into_any()
    });
    view! {
        <Title text=move || d().title />
        <h1 class="console__title">{move || d().title}</h1>
        <p class="muted measure">{move || d().lead}</p>
        <FormError error=action_error(resend.into()) />
        {move || resent.get().then(|| view! { <div class="alert alert--success" role="status">{d().resent}</div> })}
        <form class="filter-bar" method="get" action=PATH>
            <label>
                <span>{move || d().person}</span>
                <input type="search" name="person" placeholder=move || d().person_hint prop:value=move || person.get().unwrap_or_default() />
            </label>
            <Choice name="kind" label=d().notice any=d().any current=kind
                options=NotificationKind::ALL.iter().map(|k| (k.as_str(), (d().kind_name)(*k))).collect() />
            <Choice name="channel" label=d().channel any=d().any current=channel
                options=NotificationChannel::ALL.iter().map(|c| (c.as_str(), (t().channel_name)(*c))).collect() />
            <Choice name="status" label=d().status any=d().any current=status
                options=DeliveryStatus::ALL.iter().map(|s| (s.as_str(), (d().status_name)(*s))).collect() />
            <button type="submit" class="btn btn--primary">{move || d().show}</button>
        </form>
        <Transition>
            {move || Suspend::new(async move {
                let loaded = page.await;
                let shown = filter();
                let older = loaded.as_ref().ok().and_then(|p| p.older).map(|id| {
                    format!("{PATH}?{}", DeliveryFilter { before: Some(id), ..shown.clone() }.to_query())
                });
                let newer = shown.before.is_some().then(|| format!("{PATH}?{}", DeliveryFilter { before: None, ..shown.clone() }.to_query()));
                let empty = if shown.narrows() { d().none_matching } else { d().none };
                view! {
                    {list_or_empty(t(), loaded.map(|p| p.items), empty, |items| view! {
                        <DeliveryTable items for_admins=true action=resend_form />
                    }.into_any())}
                    <Pager label=d().title newer older />
                }
            })}
        </Transition>
    }
}

/// A select of the filter bar: "any", then each option, the current one selected.
#[component]
fn Choice(
    name: &'static str,
    label: &'static str,
    any: &'static str,
    current: Signal<Option<String>>,
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    view! {
        <label>
            <span>{label}</span>
            <select name=name>
                <option value="">{any}</option>
                {options.into_iter().map(|(value, text)| view! {
                    <option value=value selected=move || current.get().as_deref() == Some(value)>{text}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

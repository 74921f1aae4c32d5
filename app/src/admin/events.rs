use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    api::{RetryEvent, list_dead_events},
    short_time,
};
use crate::{
    components::form::{FormError, action_error},
    components::list::list_or_empty,
    i18n::use_i18n,
};

/// Event deliveries that ran out of retries, with a button to try again.
#[component]
pub fn EventsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let retry = ServerAction::<RetryEvent>::new();
    let error = action_error(retry.into());
    let dead = Resource::new(|| (), |_| list_dead_events());
    view! {
        <Title text=move || t().admin_events />
        <h1 class="console__title">{move || t().admin_events}</h1>
        <p class="muted">{move || t().admin_events_lead}</p>
        <FormError error />
        <Transition>
            {move || Suspend::new(async move {
                list_or_empty(t(), dead.await, t().admin_events_none, |rows| view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t().admin_when}</th>
                                        <th scope="col">{t().admin_event}</th>
                                        <th scope="col">{t().admin_handler}</th>
                                        <th scope="col">{t().admin_attempts}</th>
                                        <th scope="col">{t().admin_last_error}</th>
                                        <th scope="col"><span class="sr-only">{t().admin_retry}</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td class="nowrap">{short_time(&r.updated_at)}</td>
                                            <td><code>{r.event_type}</code><br /><span class="muted">{r.aggregate_id}</span></td>
                                            <td><code>{r.handler.clone()}</code></td>
                                            <td>{r.attempts}</td>
                                            <td>{r.last_error}</td>
                                            <td>
                                                <ActionForm action=retry>
                                                    <input type="hidden" name="event_id" value=r.event_id.to_string() />
                                                    <input type="hidden" name="handler" value=r.handler />
                                                    <button type="submit" class="btn btn--small btn--ghost">{t().admin_retry}</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any())
            })}
        </Transition>
    }
}

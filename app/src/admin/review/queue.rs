use leptos::prelude::*;
use leptos_meta::Title;
use types::TextEnum;
use types::review::{ClaimFilter, QueueItem, ReviewKind};

use super::api::{ClaimItem, review_queue};
use crate::{
    components::query::query_value,
    components::time::short_time,
    components::{
        form::{FormError, action_error},
        list::list_or_empty,
    },
    i18n::use_i18n,
};

/// Open items, oldest first, with filters by kind and by who has claimed them.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let kind = query_value("kind");
    let claim = query_value("claim");
    let claim_action = ServerAction::<ClaimItem>::new();
    let error = action_error(claim_action.into());
    let items = Resource::new(move || (kind.get(), claim.get()), |(kind, claim)| review_queue(kind, claim));
    view! {
        <Title text=move || t().portal.review_queue />
        <h1 class="console__title">{move || t().portal.review_queue}</h1>
        <form class="filter-bar" method="get" action="/admin">
            <label>
                <span>{move || t().portal.filter_kind}</span>
                <select name="kind">
                    <option value="">{move || t().portal.all_kinds}</option>
                    {ReviewKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind.get().as_deref() == Some(k.as_str())>
                            {move || (t().portal.review_kind)(*k)}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{move || t().portal.filter_claim}</span>
                <select name="claim">
                    {[ClaimFilter::All, ClaimFilter::Unclaimed, ClaimFilter::Mine].into_iter().map(|c| view! {
                        <option value=c.as_str() selected=move || claim.get().as_deref() == Some(c.as_str())>
                            {move || (t().portal.claim_filter)(c)}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="btn btn--primary">{move || t().shop.apply}</button>
        </form>
        <FormError error />
        <Transition>
            {move || Suspend::new(async move {
                list_or_empty(t(), items.await, t().portal.queue_empty, |rows| view! {
                    <div class="table-wrap">
                        <table class="table table--stack">
                            <thead>
                                <tr>
                                    <th scope="col">{t().portal.submitted}</th>
                                    <th scope="col">{t().portal.filter_kind}</th>
                                    <th scope="col">{t().portal.subject}</th>
                                    <th scope="col">{t().portal.creator}</th>
                                    <th scope="col">{t().portal.claimed_by}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|item| view! { <QueueRow item claim_action /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any())
            })}
        </Transition>
    }
}

#[component]
fn QueueRow(item: QueueItem, claim_action: ServerAction<ClaimItem>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let href = format!("/admin/review/{}", item.id);
    let kind = item.kind;
    view! {
        <tr>
            <td class="nowrap" data-label=move || t().portal.submitted>{short_time(&item.submitted_at)}</td>
            <td data-label=move || t().portal.filter_kind>
                <span class="badge badge--muted">{move || (t().portal.review_kind)(kind)}</span>
            </td>
            <td data-label=move || t().portal.subject><a href=href>{item.title.clone()}</a></td>
            <td data-label=move || t().portal.creator>{item.creator_name.clone()}</td>
            <td data-label=move || t().portal.claimed_by>
                {match item.claimed_by.clone() {
                    Some(name) => view! { <span>{name}</span> }.into_any(),
                    None if item.own_case => view! { <span class="muted">{move || t().portal.own_case_short}</span> }.into_any(),
                    None => view! {
                        <ActionForm action=claim_action>
                            <input type="hidden" name="id" value=item.id.to_string() />
                            <button type="submit" class="btn btn--ghost btn--small">{move || t().portal.claim}</button>
                        </ActionForm>
                    }.into_any(),
                }}
            </td>
        </tr>
    }
}

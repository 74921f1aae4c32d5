//! The notifications list: what reviewers decided, newest first.

use leptos::prelude::*;
use leptos_meta::Title;
use types::notifications::Notification;

use crate::notifications::{MarkNotificationsRead, notifications};
use crate::{
    components::list::list_or_empty,
    components::time::{machine_time, short_time},
    i18n::use_i18n,
};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let list = Resource::new(|| (), |_| notifications());
    view! {
        <Title text=move || t().portal.notifications />
        <section class="card stack">
            <div class="row row--between">
                <h2 class="card__title">{move || t().portal.notifications}</h2>
                <ActionForm action=mark>
                    <button type="submit" class="btn btn--ghost btn--small">{move || t().portal.mark_all_read}</button>
                </ActionForm>
            </div>
            <Transition>
                {move || Suspend::new(async move {
                    let items = list.await.map(|l| l.items);
                    list_or_empty(t(), items, t().portal.no_notifications, |items| view! {
                        <ul class="notice-list">
                            {items.into_iter().map(|n| view! { <NotificationRow n /> }).collect_view()}
                        </ul>
                    }.into_any())
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NotificationRow(n: Notification) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let text = (t.portal.notification_text)(&n);
    let feedback = n.params.get("feedback").cloned().filter(|f| !f.is_empty());
    view! {
        <li class="notice" class:notice--unread=!n.read>
            <a href=n.link.clone()>{text}</a>
            {feedback.map(|f| view! { <p class="notice__feedback pre-wrap">{f}</p> })}
            <time class="notice__time" datetime=machine_time(&n.created_at)>{short_time(&n.created_at)}</time>
        </li>
    }
}

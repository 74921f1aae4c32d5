//! The notification centre: the reader's history, newest first, filtered by topic or to
//! unread ones, a page at a time; each notice can be marked read or deleted. Plain
//! forms, so it works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use types::{
    Locale, TextEnum,
    notifications::{Notification, NotificationKind},
    profile::NotificationKind as Topic,
};

use super::api::my_deliveries;
use crate::notifications::{DeleteNotification, MarkNotificationsRead, notifications};
use crate::{
    components::deliveries::DeliveryTable,
    components::list::{Pager, list_or_empty},
    components::query::query_value,
    components::time::{machine_time, short_time},
    i18n::use_i18n,
};

/// The topics some in-app notice belongs to, in the preferences' order.
fn topics() -> impl Iterator<Item = Topic> {
    Topic::ALL.iter().copied().filter(|t| NotificationKind::ALL.iter().any(|k| k.topic() == *t))
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let unread = query_value("unread");
    let topic = query_value("topic");
    let before = query_value("before");
    let unread_only = move || unread.get().is_some_and(|v| v == "true");
    let list = Resource::new(
        move || (unread_only(), topic.get().filter(|t| !t.is_empty()), before.get()),
        |(unread, topic, before)| notifications(unread, topic, before),
    );
    // The filters of this view, for the links to other pages of it.
    let filters = move || {
        let mut query = Vec::new();
        if unread_only() {
            query.push("unread=true".to_owned());
        }
        if let Some(topic) = topic.get().filter(|t| !t.is_empty()) {
            query.push(format!("topic={topic}"));
        }
        query
    };
    let page_link = move |before: Option<String>| {
        let mut query = filters();
        query.extend(before.map(|b| format!("before={b}")));
        if query.is_empty() {
            "/account/notifications".to_owned()
        } else {
            format!("/account/notifications?{}", query.join("&"))
        }
    };
    view! {
        <Title text=move || t().portal.notifications />
        <section class="card stack">
            <div class="row row--between">
                <h2 class="card__title">{move || t().portal.notifications}</h2>
                <ActionForm action=mark>
                    <button type="submit" class="btn btn--ghost btn--small">{move || t().portal.mark_all_read}</button>
                </ActionForm>
            </div>
            <form class="filter-bar" method="get" action="/account/notifications">
                <label>
                    <span>{move || t().notifications_kind}</span>
                    <select name="topic">
                        <option value="">{move || t().portal.all_topics}</option>
                        {topics().map(|k| view! {
                            <option value=k.as_str() selected=move || topic.get().as_deref() == Some(k.as_str())>
                                {move || (t().kind_name)(k)}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="checkbox-row">
                    <input type="checkbox" name="unread" value="true" checked=unread_only />
                    <span>{move || t().portal.unread_only}</span>
                </label>
                <button type="submit" class="btn btn--primary">{move || t().portal.show}</button>
            </form>
            <p><a href=SENT_PATH>{move || t().deliveries.mine_link}</a></p>
            <Transition>
                {move || Suspend::new(async move {
                    let page = list.await;
                    let older = page.as_ref().ok().and_then(|p| p.older).map(|id| page_link(Some(id.to_string())));
                    let newer = before.get().is_some().then(|| page_link(None));
                    let filtered = unread_only() || topic.get().is_some_and(|t| !t.is_empty());
                    let empty = if filtered { t().portal.no_matching_notifications } else { t().portal.no_notifications };
                    let items = page.map(|p| p.items);
                    view! {
                        {list_or_empty(t(), items, empty, |items| view! {
                            <ul class="notice-list">
                                {items.into_iter().map(|n| view! { <NotificationRow n mark /> }).collect_view()}
                            </ul>
                        }.into_any())}
                        <Pager label=t().portal.notifications newer older />
                    }
                })}
            </Transition>
        </section>
    }
}

const SENT_PATH: &str = "/account/notifications/sent";

/// What was sent to the reader on each channel and whether it arrived: a mail that
/// bounced is here even when its notice is not in the app.
#[component]
pub fn SentPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let before = query_value("before");
    let page = Resource::new(move || before.get(), my_deliveries);
    view! {
        <Title text=move || t().deliveries.mine_title />
        <section class="card stack">
            <h2 class="card__title">{move || t().deliveries.mine_title}</h2>
            <p class="muted">{move || t().deliveries.mine_lead}</p>
            <Transition>
                {move || Suspend::new(async move {
                    let loaded = page.await;
                    let older = loaded.as_ref().ok().and_then(|p| p.older).map(|id| format!("{SENT_PATH}?before={id}"));
                    let newer = before.get().is_some().then(|| SENT_PATH.to_owned());
                    view! {
                        {list_or_empty(t(), loaded.map(|p| p.items), t().deliveries.none, |items| view! {
                            <DeliveryTable items />
                        }.into_any())}
                        <Pager label=t().deliveries.mine_title newer older />
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NotificationRow(n: Notification, mark: ServerAction<MarkNotificationsRead>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let delete = ServerAction::<DeleteNotification>::new();
    let text = n.text.clone();
    // What to read under the notice: a reviewer's feedback, or an announcement's text
    // in the reader's language.
    let detail = match (n.kind, i18n.locale()) {
        (NotificationKind::Announcement, Locale::En) => "body_en",
        (NotificationKind::Announcement, Locale::Zh) => "body_zh",
        _ => "feedback",
    };
    let feedback = n.params.get(detail).cloned().filter(|f| !f.is_empty());
    let id = n.id.to_string();
    let unread_id = id.clone();
    view! {
        <li class="notice" class:notice--unread=!n.read>
            <a href=n.link.clone()>{text}</a>
            {feedback.map(|f| view! { <p class="notice__feedback pre-wrap">{f}</p> })}
            <div class="notice__foot">
                <time class="notice__time" datetime=machine_time(&n.created_at)>{short_time(&n.created_at)}</time>
                {(!n.read).then(|| view! {
                    <ActionForm action=mark>
                        <input type="hidden" name="id" value=unread_id />
                        <button type="submit" class="link-button">{t.portal.mark_read}</button>
                    </ActionForm>
                })}
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="link-button">{t.portal.delete_notification}</button>
                </ActionForm>
            </div>
        </li>
    }
}

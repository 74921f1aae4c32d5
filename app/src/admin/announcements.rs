//! Announcements: write one message in both languages to everyone holding a role, at
//! a rate, and follow it (told so far of how many) or stop it while it runs.

use leptos::prelude::*;
use leptos_meta::Title;
use types::{
    Role, TextEnum,
    announcements::{AnnouncementStatus, AnnouncementView, MAX_BODY, MAX_TITLE},
};

use super::{
    api::{CancelAnnouncement, SendAnnouncement, list_announcements},
    short_time,
};
use crate::{
    components::{
        actions::succeeded,
        form::{FormError, SubmitButton, TextArea, TextField, action_error, field_error},
        list::list_or_empty,
    },
    i18n::use_i18n,
};

#[component]
pub fn AnnouncementsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().announcements;
    let send = ServerAction::<SendAnnouncement>::new();
    let cancel = ServerAction::<CancelAnnouncement>::new();
    let sent = succeeded(send);
    let error = action_error(send.into());
    let list = Resource::new(move || (send.version().get(), cancel.version().get()), |_| list_announcements());
    view! {
        <Title text=move || t().title />
        <h1 class="console__title">{move || t().title}</h1>
        <p class="muted measure">{move || t().lead}</p>
        {move || sent.get().then(|| view! { <div class="alert alert--success" role="status">{t().sent}</div> })}
        <FormError error=action_error(cancel.into()) />
        <Transition>
            {move || Suspend::new(async move {
                list_or_empty(i18n.t(), list.await, t().none, |rows| view! { <Sent rows cancel /> }.into_any())
            })}
        </Transition>
        <section class="card stack">
            <h2 class="section__title">{move || t().new_title}</h2>
            <ActionForm action=send attr:class="form" attr:novalidate=true>
                <FormError error />
                <div class="field">
                    <label for="field-audience">{move || t().audience}</label>
                    <select id="field-audience" name="audience">
                        {Role::ALL.iter().map(|r| view! {
                            <option value=r.as_str()>{move || (i18n.t().role_name)(*r)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField label=Signal::derive(move || t().title_en) name="title_en" required=true maxlength=MAX_TITLE
                    error=field_error(error, "title_en") />
                <TextArea label=Signal::derive(move || t().body_en) name="body_en" maxlength=MAX_BODY
                    error=field_error(error, "body_en") />
                <TextField label=Signal::derive(move || t().title_zh) name="title_zh" required=true maxlength=MAX_TITLE
                    error=field_error(error, "title_zh") />
                <TextArea label=Signal::derive(move || t().body_zh) name="body_zh" maxlength=MAX_BODY
                    error=field_error(error, "body_zh") />
                <TextField label=Signal::derive(move || t().per_minute) name="per_minute" inputmode="numeric"
                    value="600".to_owned() hint=Signal::derive(move || t().per_minute_hint)
                    error=field_error(error, "per_minute") />
                <div class="form-actions">
                    <SubmitButton label=Signal::derive(move || t().send) pending=send.pending().into() />
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn Sent(rows: Vec<AnnouncementView>, cancel: ServerAction<CancelAnnouncement>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let a = t.announcements;
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=a.title>
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t.admin_when}</th>
                        <th scope="col">{a.title_en}</th>
                        <th scope="col">{a.audience}</th>
                        <th scope="col">{a.progress}</th>
                        <th scope="col"><span class="sr-only">{a.cancel}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let status = match row.status {
                            AnnouncementStatus::Sending => "badge badge--info",
                            AnnouncementStatus::Cancelled => "badge badge--warn",
                            AnnouncementStatus::Done => "badge badge--ok",
                        };
                        view! {
                            <tr>
                                <td class="nowrap">{short_time(&row.created_at)}<br /><span class="muted">{row.created_by}</span></td>
                                <td>{row.title_en}</td>
                                <td>{(t.role_name)(row.audience)}</td>
                                <td>
                                    <span class=status>{(a.status_name)(row.status)}</span>
                                    <br />{(a.told)(row.told, row.total)}
                                    <br /><span class="muted">{(a.rate)(row.per_minute)}</span>
                                </td>
                                <td>
                                    {(row.status == AnnouncementStatus::Sending).then(|| view! {
                                        <ActionForm action=cancel>
                                            <input type="hidden" name="id" value=row.id.to_string() />
                                            <button type="submit" class="btn btn--small btn--ghost">{a.cancel}</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

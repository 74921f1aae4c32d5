use leptos::prelude::*;
use leptos_meta::Title;
use types::TextEnum;
use types::{
    Locale,
    profile::{NotificationChannel, NotificationKind, Preferences},
};

use super::{
    api::{UpdatePreferences, get_preferences},
    phone::PhoneCard,
    push::PushCard,
};
use crate::{
    components::{
        form::{FormError, SubmitButton, action_error},
        query::query_flag,
    },
    i18n::use_i18n,
    session::use_session,
};

#[component]
pub fn PreferencesPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let action = ServerAction::<UpdatePreferences>::new();
    let error = action_error(action.into());
    let saved = query_flag("saved");
    let prefs = Resource::new(|| (), |_| get_preferences());
    let session = use_session();
    view! {
        <Title text=move || t().account_preferences />
        <PhoneCard />
        <PushCard />
        <section class="card">
            {move || saved.get().then(|| view! { <div class="alert alert--success" role="status">{t().preferences_saved}</div> })}
            <Suspense>
                {move || Suspend::new(async move {
                    let Ok(p) = prefs.await else { return ().into_any() };
                    // A kind that needs a permission (the analytics summary) is offered only with it.
                    let user = session.user.await.ok().flatten();
                    let kinds: Vec<NotificationKind> = NotificationKind::ALL
                        .iter()
                        .copied()
                        .filter(|k| k.needs().is_none_or(|p| user.as_ref().is_some_and(|u| u.can(p))))
                        .collect();
                    view! {
                        <ActionForm action=action attr:class="form">
                            <FormError error />
                            <div class="field">
                                <label for="field-locale">{move || t().field_language}</label>
                                <select id="field-locale" name="locale">
                                    {Locale::ALL.iter().copied().map(|l| view! {
                                        <option value=l.tag() selected=p.locale == l>{l.native_name()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <fieldset>
                                <legend>{move || t().notifications_title}</legend>
                                <p class="field__hint">{move || t().notifications_hint}</p>
                                <div class="table-wrap">
                                    <table class="pref-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{move || t().notifications_kind}</th>
                                                {NotificationChannel::ALL.iter().copied().map(|c| view! {
                                                    <th scope="col">{move || (i18n.t().channel_name)(c)}</th>
                                                }).collect_view()}
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {kinds.into_iter().enumerate().map(|(ki, k)| view! {
                                                <tr>
                                                    <th scope="row">{move || (i18n.t().kind_name)(k)}</th>
                                                    {NotificationChannel::ALL.iter().copied().enumerate().map(|(ci, c)| {
                                                        let name = format!("enabled[{}]", ki * NotificationChannel::ALL.len() + ci);
                                                        let label = move || format!("{} — {}", (i18n.t().kind_name)(k), (i18n.t().channel_name)(c));
                                                        view! {
                                                            <td>
                                                                <input type="checkbox" name=name
                                                                    value=Preferences::pair_value(k, c)
                                                                    checked=p.is_on(k, c) disabled=k.locked_on(c)
                                                                    aria-label=label />
                                                            </td>
                                                        }
                                                    }).collect_view()}
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            </fieldset>
                            <div class="form-actions">
                                <SubmitButton label=Signal::derive(move || t().save) pending=action.pending().into() />
                            </div>
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

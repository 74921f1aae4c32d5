//! `/admin/flags`: every live feature flag with its own form (on, roles, share,
//! description) and a retire button, a form for a new flag, and the retired ones.

use leptos::prelude::*;
use leptos_meta::Title;
use types::{Role, TextEnum, flags::FlagView};

use super::{
    api::{RetireFlag, SaveFlag, list_flags},
    short_time,
};
use crate::{
    components::{
        actions::{posted_row, row_error, succeeded},
        form::{FormError, TextField, action_error, field_error},
    },
    i18n::use_i18n,
};

/// The two actions every flag's forms share; each form shows only its own errors.
#[derive(Clone)]
struct FlagActions {
    save: ServerAction<SaveFlag>,
    retire: ServerAction<RetireFlag>,
    /// The flag whose form was sent just before this page.
    saved_row: Option<String>,
}

#[component]
pub fn FlagsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().flags;
    let save = ServerAction::<SaveFlag>::new();
    let retire = ServerAction::<RetireFlag>::new();
    let actions = FlagActions { save, retire, saved_row: posted_row(save, "key") };
    let flags = Resource::new(|| (), |_| list_flags());
    let done = [succeeded(save), succeeded(retire)];
    let done = move || done.iter().any(|d| d.get());
    let actions = StoredValue::new(actions);
    view! {
        <Title text=move || t().title />
        <h1 class="console__title">{move || t().title}</h1>
        <p class="muted measure">{move || t().lead}</p>
        <FormError error=action_error(retire.into()) />
        {move || done().then(|| view! { <div class="alert alert--success" role="status">{t().saved}</div> })}
        <Transition>
            {move || Suspend::new(async move {
                match flags.await {
                    Ok(all) => {
                        let (live, retired): (Vec<FlagView>, Vec<FlagView>) = all.into_iter().partition(|f| !f.retired);
                        let live_keys: Vec<String> = live.iter().map(|f| f.key.clone()).collect();
                        let actions = actions.get_value();
                        view! {
                            {if live.is_empty() {
                                view! { <p class="empty-state">{move || t().none}</p> }.into_any()
                            } else {
                                live.into_iter().map(|flag| view! { <LiveFlag flag actions=actions.clone() /> }).collect_view().into_any()
                            }}
                            <NewFlag actions=actions.clone() live_keys />
                            <RetiredFlags retired />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Who a flag is on for, in words.
fn state(t: &'static crate::i18n::Texts, flag: &FlagView) -> String {
    let roles: Vec<&str> = flag.roles.iter().map(|r| (t.role_name)(*r)).collect();
    (t.flags.state)(flag.enabled, flag.percent, &roles.join(", "))
}

#[component]
fn LiveFlag(flag: FlagView, actions: FlagActions) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().flags;
    let key = flag.key.clone();
    let error = row_error(action_error(actions.save.into()), &actions.saved_row, &key);
    let slug = key.replace('.', "-");
    let heading = format!("flag-{slug}");
    let summary = state(i18n.t(), &flag);
    let roles = Role::ALL
        .iter()
        .map(|&role| {
            let id = format!("flag-{slug}-{}", role.as_str());
            let label_for = id.clone();
            let name = format!("role_{}", role.as_str());
            let checked = flag.roles.contains(&role);
            view! {
                <label class="checkbox-row" for=label_for>
                    <input type="checkbox" id=id name=name value="on" checked=checked />
                    {move || (i18n.t().role_name)(role)}
                </label>
            }
        })
        .collect_view();
    let (labelled_by, shown_key, retire_key) = (heading.clone(), key.clone(), key.clone());
    let (enabled_id, enabled_for) = (format!("flag-{slug}-enabled"), format!("flag-{slug}-enabled"));
    view! {
        <section class="card stack flag" aria-labelledby=labelled_by>
            <div class="flag__head">
                <h2 class="card__title" id=heading><code>{shown_key}</code></h2>
                <span class="badge" class:badge--ok=flag.enabled class:badge--muted=!flag.enabled>{summary}</span>
            </div>
            <FormError error />
            <ActionForm action=actions.save attr:class="form flag__form">
                <input type="hidden" name="key" value=key />
                <TextField label=Signal::derive(move || t().description) name="description"
                    id=format!("flag-{slug}-description") value=flag.description.clone() maxlength=500
                    error=field_error(error, "description") />
                <label class="checkbox-row" for=enabled_for>
                    <input type="checkbox" id=enabled_id name="enabled" value="on" checked=flag.enabled />
                    {move || t().on}
                </label>
                <fieldset class="fieldset">
                    <legend>{move || t().only_for}</legend>
                    <p class="field__hint">{move || t().everyone_hint}</p>
                    <div class="checkbox-group">{roles}</div>
                </fieldset>
                <TextField label=Signal::derive(move || t().percent) name="percent" input_type="number"
                    id=format!("flag-{slug}-percent") value=flag.percent.to_string() inputmode="numeric"
                    hint=Signal::derive(move || t().percent_hint) error=field_error(error, "percent") />
                <button type="submit" class="btn btn--primary">{move || t().save}</button>
            </ActionForm>
            <ActionForm action=actions.retire attr:class="flag__retire">
                <input type="hidden" name="key" value=retire_key />
                <button type="submit" class="btn btn--small btn--ghost">{move || t().retire}</button>
                <span class="muted">{move || t().retire_note}</span>
            </ActionForm>
        </section>
    }
}

#[component]
fn NewFlag(actions: FlagActions, live_keys: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().flags;
    // The new flag's form was the one sent when the posted key is no live flag's.
    let mine = actions.saved_row.as_ref().is_none_or(|key| !live_keys.contains(key));
    let error = action_error(actions.save.into());
    let error = Signal::derive(move || if mine { error.get() } else { None });
    view! {
        <section class="card stack" aria-labelledby="new-flag">
            <h2 class="card__title" id="new-flag">{move || t().create_title}</h2>
            <FormError error />
            <ActionForm action=actions.save attr:class="form">
                <TextField label=Signal::derive(move || t().key) name="key" required=true maxlength=64
                    autocomplete="off" hint=Signal::derive(move || t().key_hint) error=field_error(error, "key") />
                <TextField label=Signal::derive(move || t().description) name="description" maxlength=500 />
                <input type="hidden" name="percent" value="100" />
                <button type="submit" class="btn btn--primary">{move || t().create}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn RetiredFlags(retired: Vec<FlagView>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().flags;
    (!retired.is_empty()).then(|| {
        view! {
            <section class="card stack">
                <h2 class="card__title">{move || t().retired_title}</h2>
                <div class="table-wrap">
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">{move || t().key}</th>
                                <th scope="col">{move || t().description}</th>
                                <th scope="col">{move || t().changed}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {retired.into_iter().map(|f| view! {
                                <tr>
                                    <td><code>{f.key}</code></td>
                                    <td>{f.description}</td>
                                    <td class="nowrap">{short_time(&f.updated_at)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
    })
}

//! A person's own data: a link that downloads all of it, and closing the account,
//! which states what is erased and what is kept before the password confirms it, or
//! what has to happen first. Plain forms, so it works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use types::profile::{ClosingPreview, EXPORT_PATH};

use super::api::{CloseAccount, account_closing};
use crate::{
    components::form::{FormError, TextField, action_error, field_error},
    i18n::use_i18n,
};

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().privacy;
    let preview = Resource::new(|| (), |_| account_closing());
    view! {
        <Title text=move || t().tab />
        <section class="card stack">
            <h2 class="section__title">{move || t().export_title}</h2>
            <p class="muted measure">{move || t().export_lead}</p>
            <p><a class="btn btn--ghost" href=EXPORT_PATH download="">{move || t().export_button}</a></p>
        </section>
        <section class="card stack">
            <h2 class="section__title">{move || t().close_title}</h2>
            <p class="measure"><strong>{move || t().close_lead}</strong></p>
            <Transition>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(preview) => view! { <Closing preview /> }.into_any(),
                        Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Closing(preview: ClosingPreview) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    if !preview.blockers.is_empty() {
        return view! {
            <p>{t.privacy.first}</p>
            <ul class="bullet-list">
                {preview.blockers.into_iter().map(|b| view! { <li>{(t.privacy.blocker)(b)}</li> }).collect_view()}
            </ul>
        }
        .into_any();
    }
    let action = ServerAction::<CloseAccount>::new();
    let error = action_error(action.into());
    view! {
        <ul class="bullet-list measure">
            <li>{t.privacy.erased}</li>
            <li>{(t.privacy.kept)(preview.orders_kept)}</li>
            {(preview.products_archived > 0).then(|| view! { <li>{(t.privacy.archived)(preview.products_archived)}</li> })}
        </ul>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <FormError error />
            <TextField label=Signal::derive(move || i18n.t().field_current_password) name="password"
                input_type="password" autocomplete="current-password" required=true
                error=field_error(error, "password") />
            <div class="form-actions">
                <button type="submit" class="btn btn--danger" disabled=move || action.pending().get()>
                    {t.privacy.close_button}
                </button>
            </div>
        </ActionForm>
    }
    .into_any()
}

/// The last page of a closed account.
#[component]
pub fn ClosedPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().privacy;
    view! {
        <Title text=move || t().closed_title />
        <div class="container">
            <div class="form-card">
                <h1 class="form-card__title">{move || t().closed_title}</h1>
                <p class="form-card__lead">{move || t().closed_lead}</p>
                <p class="form-card__footer"><a href="/">{move || i18n.t().nav_shop}</a></p>
            </div>
        </div>
    }
}

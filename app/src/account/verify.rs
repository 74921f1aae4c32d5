use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{ResendVerification, VerifyEmail};
use crate::{
    components::{
        actions::succeeded,
        form::{FormError, SubmitButton, action_error},
        query::{query_flag, query_value},
    },
    i18n::use_i18n,
};

/// The page a verification link opens. Confirming takes a click (a POST), so mail
/// scanners that fetch links cannot use up the token.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let action = ServerAction::<VerifyEmail>::new();
    let error = action_error(action.into());
    let token = query_value("token");
    let done = query_flag("done");
    view! {
        <Title text=move || t().verify_title />
        <div class="container">
            <div class="form-card">
                <h1 class="form-card__title">{move || t().verify_title}</h1>
                <Show
                    when=move || !done.get()
                    fallback=move || view! {
                        <div class="alert alert--success" role="status">{move || t().verify_done}</div>
                        <p><a class="btn btn--primary" href="/login">{move || t().nav_login}</a></p>
                    }
                >
                    <p class="form-card__lead">{move || t().verify_lead}</p>
                    <ActionForm action=action attr:class="form">
                        <FormError error />
                        <input type="hidden" name="token" value=move || token.get().unwrap_or_default() />
                        <div class="form-actions">
                            <SubmitButton label=Signal::derive(move || t().verify_submit) pending=action.pending().into() />
                        </div>
                    </ActionForm>
                </Show>
            </div>
        </div>
    }
}

/// Shown to a logged-in user who has not verified yet, with a resend button.
#[component]
pub fn VerifyBanner() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let resend = ServerAction::<ResendVerification>::new();
    view! {
        <div class="alert alert--warning" role="status">
            <span>{move || t().verify_banner}</span>
            <Show
                when=move || succeeded(resend).get()
                fallback=move || view! {
                    <ActionForm action=resend>
                        <button type="submit" class="link-button">{move || t().verify_resend}</button>
                    </ActionForm>
                }
            >
                <strong>{move || t().verify_resent}</strong>
            </Show>
        </div>
    }
}

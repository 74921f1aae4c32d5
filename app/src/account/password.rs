use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{ChangePassword, ForgotPassword, ResetPassword};
use crate::{
    components::{
        form::{FormError, SubmitButton, TextField, action_error, field_error},
        query::{query_flag, query_value},
    },
    i18n::use_i18n,
};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let action = ServerAction::<ForgotPassword>::new();
    let error = action_error(action.into());
    let sent = query_flag("sent");
    view! {
        <Title text=move || t().forgot_title />
        <div class="container">
            <div class="form-card">
                <h1 class="form-card__title">{move || t().forgot_title}</h1>
                <Show
                    when=move || !sent.get()
                    fallback=move || view! { <div class="alert alert--success" role="status">{move || t().forgot_sent}</div> }
                >
                    <p class="form-card__lead">{move || t().forgot_lead}</p>
                    <ActionForm action=action attr:class="form" attr:novalidate=true>
                        <FormError error />
                        <TextField label=Signal::derive(move || t().field_email) name="email" input_type="email"
                            autocomplete="email" required=true error=field_error(error, "email") />
                        <div class="form-actions">
                            <SubmitButton label=Signal::derive(move || t().forgot_submit) pending=action.pending().into() />
                        </div>
                    </ActionForm>
                </Show>
                <p class="form-card__footer"><a href="/login">{move || t().nav_login}</a></p>
            </div>
        </div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action.into());
    let token = query_value("token");
    view! {
        <Title text=move || t().reset_title />
        <div class="container">
            <div class="form-card">
                <h1 class="form-card__title">{move || t().reset_title}</h1>
                <ActionForm action=action attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <input type="hidden" name="token" value=move || token.get().unwrap_or_default() />
                    <TextField label=Signal::derive(move || t().field_new_password) name="password" input_type="password"
                        autocomplete="new-password" required=true hint=Signal::derive(move || t().password_hint)
                        error=field_error(error, "password") />
                    <TextField label=Signal::derive(move || t().field_password_confirm) name="password_confirm"
                        input_type="password" autocomplete="new-password" required=true
                        error=field_error(error, "password_confirm") />
                    <div class="form-actions">
                        <SubmitButton label=Signal::derive(move || t().reset_submit) pending=action.pending().into() />
                    </div>
                </ActionForm>
                <p class="form-card__footer"><a href="/forgot-password">{move || t().reset_new_link}</a></p>
            </div>
        </div>
    }
}

/// Change password, inside the account area.
#[component]
pub fn SecurityPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action.into());
    let saved = query_flag("saved");
    view! {
        <Title text=move || t().account_security />
        <section class="card">
            <h2 class="section__title">{move || t().security_change_password}</h2>
            {move || saved.get().then(|| view! { <div class="alert alert--success" role="status">{t().security_saved}</div> })}
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error />
                <TextField label=Signal::derive(move || t().field_current_password) name="current_password"
                    input_type="password" autocomplete="current-password" required=true
                    error=field_error(error, "current_password") />
                <TextField label=Signal::derive(move || t().field_new_password) name="new_password" input_type="password"
                    autocomplete="new-password" required=true hint=Signal::derive(move || t().password_hint)
                    error=field_error(error, "new_password") />
                <TextField label=Signal::derive(move || t().field_password_confirm) name="new_password_confirm"
                    input_type="password" autocomplete="new-password" required=true
                    error=field_error(error, "new_password_confirm") />
                <div class="form-actions">
                    <SubmitButton label=Signal::derive(move || t().save) pending=action.pending().into() />
                </div>
            </ActionForm>
        </section>
    }
}

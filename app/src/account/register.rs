use leptos::prelude::*;
use leptos_meta::Title;
use types::Password;

use super::api::Register;
use crate::{
    components::form::{FormError, SubmitButton, TextField, action_error, field_error},
    i18n::use_i18n,
};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let action = ServerAction::<Register>::new();
    let error = action_error(action.into());
    view! {
        <Title text=move || t().register_title />
        <div class="container">
            <div class="form-card">
                <h1 class="form-card__title">{move || t().register_title}</h1>
                <p class="form-card__lead">{move || t().register_lead}</p>
                <ActionForm action=action attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <TextField label=Signal::derive(move || t().field_name) name="name" autocomplete="name"
                        required=true error=field_error(error, "name") />
                    <TextField label=Signal::derive(move || t().field_email) name="email" input_type="email"
                        autocomplete="email" required=true error=field_error(error, "email") />
                    <TextField label=Signal::derive(move || t().field_password) name="password" input_type="password"
                        autocomplete="new-password" required=true minlength=Password::MIN_CHARS
                        hint=Signal::derive(move || t().password_hint) error=field_error(error, "password") />
                    <TextField label=Signal::derive(move || t().field_password_confirm) name="password_confirm"
                        input_type="password" autocomplete="new-password" required=true
                        error=field_error(error, "password_confirm") />
                    <div class="form-actions">
                        <SubmitButton label=Signal::derive(move || t().register_submit) pending=action.pending().into() />
                    </div>
                </ActionForm>
                <p class="form-card__footer">
                    {move || t().register_have_account} " " <a href="/login">{move || t().nav_login}</a>
                </p>
            </div>
        </div>
    }
}

#[component]
pub fn CheckEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <Title text=move || t().check_email_title />
        <div class="container">
            <div class="form-card">
                <h1 class="form-card__title">{move || t().check_email_title}</h1>
                <p class="form-card__lead">{move || t().check_email_text}</p>
                <p class="form-card__footer"><a href="/login">{move || t().nav_login}</a></p>
            </div>
        </div>
    }
}

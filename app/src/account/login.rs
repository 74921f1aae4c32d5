use leptos::prelude::*;
use leptos_meta::Title;

use super::api::Login;
use crate::{
    components::{
        form::{FormError, SubmitButton, TextField, action_error, field_error},
        query::{query_flag, query_value},
    },
    i18n::use_i18n,
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let action = ServerAction::<Login>::new();
    let error = action_error(action.into());
    let next = query_value("next");
    let notice = move || {
        if query_flag("verified").get() {
            Some(t().login_notice_verified)
        } else if query_flag("reset").get() {
            Some(t().login_notice_reset)
        } else {
            None
        }
    };
    view! {
        <Title text=move || t().login_title />
        <div class="container">
            <div class="form-card">
                <h1 class="form-card__title">{move || t().login_title}</h1>
                {move || notice().map(|n| view! { <div class="alert alert--success" role="status">{n}</div> })}
                <ActionForm action=action attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <input type="hidden" name="next" value=move || next.get().unwrap_or_default() />
                    <TextField label=Signal::derive(move || t().field_email) name="email" input_type="email"
                        autocomplete="username" required=true error=field_error(error, "email") />
                    <TextField label=Signal::derive(move || t().field_password) name="password" input_type="password"
                        autocomplete="current-password" required=true />
                    <div class="form-actions">
                        <SubmitButton label=Signal::derive(move || t().login_submit) pending=action.pending().into() />
                        <a href="/forgot-password">{move || t().login_forgot}</a>
                    </div>
                </ActionForm>
                <p class="form-card__footer">
                    {move || t().login_no_account} " " <a href="/register">{move || t().nav_register}</a>
                </p>
            </div>
        </div>
    }
}

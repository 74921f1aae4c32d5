//! The mobile number text messages go to, on the preferences page: send a code to a
//! number, type it back, and the number is used; or forget it. Plain forms.

use leptos::prelude::*;
use types::profile::PhoneStatus;

#[cfg(feature = "ssr")]
use crate::ssr::{require_user, services};
use crate::{
    components::{
        actions::succeeded,
        form::{FormError, SubmitButton, TextField, action_error, field_error},
    },
    error::AppError,
    i18n::use_i18n,
};

/// Where the reader's number stands.
#[server(endpoint = "account/phone")]
pub async fn my_phone() -> Result<PhoneStatus, AppError> {
    let user = require_user()?;
    Ok(domain::users::phone::status(&services()?, user.id).await?)
}

/// Texts a code to `phone` for the reader to type back.
#[server(endpoint = "account/phone/start")]
pub async fn start_phone(phone: String) -> Result<(), AppError> {
    let user = require_user()?;
    let locale = crate::ssr::request_locale().unwrap_or(user.locale);
    Ok(domain::users::phone::start(&services()?, user.id, &phone, locale).await?)
}

/// Takes the code back; right, and texts go to the number.
#[server(endpoint = "account/phone/confirm")]
pub async fn confirm_phone(code: String) -> Result<(), AppError> {
    let user = require_user()?;
    Ok(domain::users::phone::confirm(&services()?, user.id, &code).await?)
}

/// Forgets the reader's number.
#[server(endpoint = "account/phone/remove")]
pub async fn remove_phone() -> Result<(), AppError> {
    let user = require_user()?;
    Ok(domain::users::phone::remove(&services()?, user.id).await?)
}

#[component]
pub fn PhoneCard() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().phone;
    let start = ServerAction::<StartPhone>::new();
    let confirm = ServerAction::<ConfirmPhone>::new();
    let remove = ServerAction::<RemovePhone>::new();
    let status = Resource::new(|| (), |_| my_phone());
    let (sent, confirmed, removed) = (succeeded(start), succeeded(confirm), succeeded(remove));
    let start_error = action_error(start.into());
    let confirm_error = action_error(confirm.into());
    view! {
        <section class="card stack" aria-labelledby="phone-title">
            <h2 id="phone-title" class="section__title">{move || t().title}</h2>
            {move || {
                let news = if confirmed.get() {
                    Some(t().confirmed)
                } else if sent.get() {
                    Some(t().sent)
                } else if removed.get() {
                    Some(t().removed)
                } else {
                    None
                };
                news.map(|n| view! { <div class="alert alert--success" role="status">{n}</div> })
            }}
            <Suspense>
                {move || Suspend::new(async move {
                    let Ok(phone) = status.await else { return ().into_any() };
                    if !phone.available {
                        return view! { <p class="muted">{t().unavailable}</p> }.into_any();
                    }
                    view! {
                        {match &phone.number {
                            Some(number) => view! {
                                <p>{(t().in_use)(number)}</p>
                                <ActionForm action=remove>
                                    <button type="submit" class="btn btn--ghost btn--small">{t().remove}</button>
                                </ActionForm>
                            }.into_any(),
                            None => view! { <p class="muted">{t().lead}</p> }.into_any(),
                        }}
                        {phone.pending.clone().map(|pending| view! {
                            <ActionForm action=confirm attr:class="form" attr:novalidate=true>
                                <FormError error=confirm_error />
                                <TextField label=Signal::derive(move || t().code) name="code" inputmode="numeric"
                                    autocomplete="one-time-code" required=true maxlength=6
                                    hint=Signal::derive(move || t().code_hint) error=field_error(confirm_error, "code") />
                                <p class="muted">{(t().code_sent_to)(&pending)}</p>
                                <SubmitButton label=Signal::derive(move || t().confirm) pending=confirm.pending().into() />
                            </ActionForm>
                        })}
                        <ActionForm action=start attr:class="form" attr:novalidate=true>
                            <FormError error=start_error />
                            <TextField label=Signal::derive(move || t().number) name="phone" input_type="tel"
                                autocomplete="tel" required=true maxlength=24 placeholder="+49 151 23456789"
                                value=phone.pending.clone().unwrap_or_default()
                                hint=Signal::derive(move || t().number_hint) error=field_error(start_error, "phone") />
                            <SubmitButton label=Signal::derive(move || t().send_code) pending=start.pending().into() />
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

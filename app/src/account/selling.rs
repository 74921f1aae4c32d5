//! "Sell on OpenAero": apply to become a creator, follow the application, fix and
//! resubmit it after a rejection.

use leptos::prelude::*;
use leptos_meta::Title;
use types::TextEnum;
use types::{
    catalog::{CreatorKind, CreatorStatus},
    creators::Application,
    files::FileAccess,
};

use super::api::{SubmitApplication, my_application};
use crate::{
    components::{
        address::AddressFields,
        application::ApplicationSummary,
        form::{FormError, SubmitButton, TextField, action_error, field_error},
        query::query_flag,
        time::short_time,
        upload::FileUpload,
    },
    i18n::use_i18n,
};

#[component]
pub fn SellingPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let action = ServerAction::<SubmitApplication>::new();
    let submitted = query_flag("submitted");
    let application = Resource::new(|| (), |_| my_application());
    view! {
        <Title text=move || t().portal.selling_title />
        <Suspense>
            {move || Suspend::new(async move {
                let application = application.await.ok().flatten();
                let status = application.as_ref().map_or(CreatorStatus::Unverified, |a| a.status);
                view! {
                    {move || submitted.get().then(|| view! {
                        <div class="alert alert--success" role="status">{t().portal.application_submitted}</div>
                    })}
                    {match (status, application) {
                        (CreatorStatus::Verified, Some(a)) => view! { <Verified application=a /> }.into_any(),
                        (CreatorStatus::Pending, Some(a)) => view! { <Pending application=a /> }.into_any(),
                        (_, a) => view! { <ApplicationForm action application=a /> }.into_any(),
                    }}
                }
            })}
        </Suspense>
    }
}

#[component]
fn Verified(application: Application) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <section class="card stack">
            <h2 class="card__title">{move || t().portal.verified_title}</h2>
            <p>{move || t().portal.verified_text}</p>
            <div class="row">
                <a class="btn btn--primary" href="/creator">{move || t().portal.open_portal}</a>
                <a class="btn btn--ghost" href=format!("/creators/{}", application.slug)>{move || t().portal.public_page}</a>
            </div>
        </section>
    }
}

#[component]
fn Pending(application: Application) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let when = application.submitted_at.as_ref().map(short_time).unwrap_or_default();
    view! {
        <section class="card stack">
            <h2 class="card__title">{move || t().portal.pending_title}</h2>
            <p>{move || (t().portal.pending_text)(&when)}</p>
            <ApplicationSummary application />
        </section>
    }
}

#[component]
fn ApplicationForm(action: ServerAction<SubmitApplication>, application: Option<Application>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let error = action_error(action.into());
    let a = application.clone();
    let value = move |f: fn(&Application) -> String| a.as_ref().map(f).unwrap_or_default();
    let kind = application.as_ref().map(|a| a.kind);
    let address = application.as_ref().map(|a| a.address.clone()).unwrap_or_default();
    let documents = application.as_ref().map(|a| a.documents.clone()).unwrap_or_default();
    let reason = application.as_ref().and_then(|a| a.rejection_reason.clone());
    let masked = application.as_ref().map(|a| a.tax_id_masked.clone()).filter(|m| !m.is_empty());
    view! {
        <section class="card stack">
            <h2 class="card__title">{move || t().portal.apply_title}</h2>
            {match reason {
                Some(reason) => view! {
                    <div class="alert alert--warning" role="status">
                        <strong>{move || t().portal.rejected_title}</strong>
                        <p class="pre-wrap">{reason}</p>
                    </div>
                }.into_any(),
                None => view! { <p>{move || t().portal.apply_intro}</p> }.into_any(),
            }}
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <FormError error />
                <TextField label=Signal::derive(move || t().portal.business_name) name="business_name"
                    value=value(|a| a.business_name.clone()) required=true maxlength=120 autocomplete="organization"
                    error=field_error(error, "business_name") />
                <div class="field" class:field--error=move || field_error(error, "kind").get().is_some()>
                    <label for="field-kind">{move || t().portal.business_kind}</label>
                    <select id="field-kind" name="kind" required=true>
                        {CreatorKind::ALL.iter().map(|k| view! {
                            <option value=k.as_str() selected=kind == Some(*k)>{move || (t().shop.creator_kind)(*k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField label=Signal::derive(move || t().portal.tax_id) name="tax_id" required=true maxlength=40
                    autocomplete="off"
                    hint=Signal::derive(move || if masked.is_some() { t().portal.tax_id_again } else { t().portal.tax_id_hint })
                    error=field_error(error, "tax_id") />
                <fieldset class="fieldset">
                    <legend>{move || t().portal.address}</legend>
                    <AddressFields error value=address />
                </fieldset>
                <TextField label=Signal::derive(move || t().portal.contact_email) name="contact_email" input_type="email"
                    value=value(|a| a.contact_email.clone()) required=true autocomplete="email"
                    error=field_error(error, "contact_email") />
                <TextField label=Signal::derive(move || t().portal.contact_phone) name="contact_phone" input_type="tel"
                    value=value(|a| a.contact_phone.clone()) autocomplete="tel" placeholder="+49 30 1234567"
                    error=field_error(error, "contact_phone") />
                <FileUpload label=Signal::derive(move || t().portal.documents) name="documents"
                    access=FileAccess::Private accept="image/jpeg,image/png,image/webp,application/pdf"
                    initial=documents hint=Signal::derive(move || t().portal.documents_hint)
                    error=field_error(error, "documents") />
                <div class="form-actions">
                    <SubmitButton label=Signal::derive(move || t().portal.submit_application) pending=action.pending().into() />
                </div>
            </ActionForm>
        </section>
    }
}

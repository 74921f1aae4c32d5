//! `/creator/products/{id}/certification`: the certificate a product holds, every
//! application with its results and outcome, and the form to apply.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::TextEnum;
use types::{
    catalog::CertificationLevel,
    certification::{CertificationApplication, CertificationApplicationStatus, ProductCertification},
    files::FileAccess,
};

use super::api::{ApplyForCertification, certification};
use crate::{
    components::{
        certification::{Certification, TestTable},
        form::{FormError, SubmitButton, TextArea, action_error, field_error},
        query::query_flag,
        upload::FileUpload,
    },
    i18n::use_i18n,
};

#[component]
pub fn CertificationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let apply = ServerAction::<ApplyForCertification>::new();
    let loaded = Resource::new(id, certification);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(c) => view! { <ProductCertificationView c id=id() apply /> }.into_any(),
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductCertificationView(
    c: ProductCertification,
    id: String,
    apply: ServerAction<ApplyForCertification>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().certify;
    let applied = query_flag("applied");
    let can_apply = c.can_apply();
    let editor = format!("/creator/products/{id}");
    let name = c.product_name.clone();
    view! {
        <Title text=move || format!("{} · {}", t().title, name) />
        <header class="stack">
            <p class="eyebrow"><a href=editor>{c.product_name.clone()}</a></p>
            <h1 class="console__title">{move || t().title}</h1>
            <p class="muted measure">{move || t().intro}</p>
        </header>
        {move || applied.get().then(|| view! { <div class="alert alert--success" role="status">{t().applied}</div> })}
        <Certification cert=c.current.clone() />
        {(!c.published).then(|| view! { <div class="alert alert--info" role="status">{move || t().not_published}</div> })}
        {can_apply.then(|| view! { <ApplyForm id=id.clone() apply /> })}
        <section class="card stack">
            <h2 class="card__title">{move || t().applications}</h2>
            {if c.applications.is_empty() {
                view! { <p class="muted">{move || t().no_applications}</p> }.into_any()
            } else {
                view! {
                    <ul class="stack plain-list">
                        {c.applications.into_iter().map(|a| view! { <li><ApplicationEntry a /></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ApplyForm(id: String, apply: ServerAction<ApplyForCertification>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().certify;
    let error = action_error(apply.into());
    let level_error = field_error(error, "level");
    view! {
        <section class="card stack">
            <h2 class="card__title">{move || t().apply_title}</h2>
            <ActionForm action=apply attr:class="form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="id" value=id />
                <fieldset class="fieldset" class:field--error=move || level_error.get().is_some()>
                    <legend>{move || t().requested_level}</legend>
                    <div class="level-choices">
                        {CertificationLevel::ALL.iter().map(|level| {
                            let level = *level;
                            view! {
                                <label class="choice choice--block">
                                    <input type="radio" name="level" value=level.as_str() required=true
                                        checked=level == CertificationLevel::Standard />
                                    <span>
                                        <strong>{move || (i18n.t().shop.level)(level)}</strong>
                                        <span class="muted">{move || (t().level_hint)(level)}</span>
                                    </span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    {move || level_error.get().map(|code| view! { <p class="field__error">{(i18n.t().error)(code)}</p> })}
                </fieldset>
                <TextArea label=Signal::derive(move || t().message) name="message" rows=4 error=field_error(error, "message") />
                <FileUpload label=Signal::derive(move || t().documents) name="documents" access=FileAccess::Private
                    accept="image/jpeg,image/png,image/webp,application/pdf"
                    hint=Signal::derive(move || t().documents_hint) error=field_error(error, "documents") />
                <div class="form-actions">
                    <SubmitButton label=Signal::derive(move || t().apply) pending=apply.pending().into() />
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn ApplicationEntry(a: CertificationApplication) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().certify;
    let status = a.status;
    let tone = match status {
        CertificationApplicationStatus::Open => "info",
        CertificationApplicationStatus::Granted => "ok",
        CertificationApplicationStatus::Refused => "danger",
    };
    let level = a.requested_level;
    let created = a.created_at;
    view! {
        <article class="application stack">
            <p class="row">
                <strong>{move || (t().applied_for)((i18n.t().shop.level)(level), &(i18n.t().shop.date)(&created))}</strong>
                <span class=format!("badge badge--{tone}")>{move || (t().status)(status)}</span>
            </p>
            {(status == CertificationApplicationStatus::Open).then(|| view! { <p class="muted">{move || t().open_note}</p> })}
            {a.feedback.map(|f| view! {
                <div class="alert alert--warning">
                    <strong>{move || t().refused_reason}</strong>
                    <p class="pre-wrap">{f}</p>
                </div>
            })}
            {(!a.results.is_empty()).then(|| view! {
                <h3>{move || t().results_so_far}</h3>
                <TestTable tests=a.results.iter().map(|r| r.result.clone()).collect() />
            })}
        </article>
    }
}

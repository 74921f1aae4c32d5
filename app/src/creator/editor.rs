use std::sync::LazyLock;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::{
    Locale,
    catalog::ProductStatus,
    files::FileAccess,
    products::{CategoryChoice, EditorProduct, ProductDraft, RevisionStatus},
    specs::SPECS,
};

use super::{
    api::{ArchiveProduct, SaveProduct, SubmitProduct, categories, product},
    dashboard::status_tone,
};
use crate::{
    components::query::query_flag,
    components::{
        form::{FormError, SubmitButton, TextArea, TextField, action_error, field_error},
        upload::FileUpload,
    },
    error::AppError,
    i18n::use_i18n,
};

/// `/creator/products/new` and `/creator/products/{id}`: every field of a product,
/// its media, its status and the reviewer's feedback; save, submit, archive.
#[component]
pub fn EditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").filter(|id| id != "new");
    let save = ServerAction::<SaveProduct>::new();
    let submit = ServerAction::<SubmitProduct>::new();
    let archive = ServerAction::<ArchiveProduct>::new();
    let loaded = Resource::new(id, |id| async move {
        match id {
            Some(id) => product(id).await.map(Some),
            None => Ok::<_, AppError>(None),
        }
    });
    let choices = Resource::new(|| (), |_| categories());
    let i18n = use_i18n();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let choices = choices.await.unwrap_or_default();
                match loaded.await {
                    Ok(p) => view! { <Editor p choices save submit archive /> }.into_any(),
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Editor(
    p: Option<EditorProduct>,
    choices: Vec<CategoryChoice>,
    save: ServerAction<SaveProduct>,
    submit: ServerAction<SubmitProduct>,
    archive: ServerAction<ArchiveProduct>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let saved = query_flag("saved");
    let submitted = query_flag("submitted");
    let error = action_error(save.into());
    let submit_error = action_error(submit.into());
    let archive_error = action_error(archive.into());
    let d =
        p.as_ref().map(|p| p.draft.clone()).unwrap_or_else(|| ProductDraft { stock: "0".into(), ..Default::default() });
    let editable = p.as_ref().is_none_or(EditorProduct::editable);
    let waiting = p.as_ref().is_some_and(|p| p.waiting().is_some());
    let id = p.as_ref().map(|p| p.id.to_string()).unwrap_or_default();
    let title = if d.name_en.is_empty() { t().portal.new_product.to_owned() } else { d.name_en.clone() };
    let can_submit = p.as_ref().is_some_and(|p| {
        editable
            && (matches!(p.status, ProductStatus::Draft | ProductStatus::Rejected)
                || matches!(p.revision, Some(RevisionStatus::Draft | RevisionStatus::Rejected)))
    });
    let field = move |name: &'static str| field_error(error, name);
    let label = move |f: fn(&crate::i18n::portal::PortalTexts) -> &'static str| Signal::derive(move || f(t().portal));
    let category = d.category.clone();
    let (save_id, submit_id, archive_id) = (id.clone(), id.clone(), id.clone());
    view! {
        <Title text=title.clone() />
        <header class="stack">
            <h1 class="console__title">{title}</h1>
            {p.as_ref().map(|p| {
                let status = p.status;
                let revision = p.revision;
                let live = (status == ProductStatus::Published).then(|| format!("/p/{}", p.slug));
                let certification = format!("/creator/products/{}/certification", p.id);
                view! {
                    <p class="row">
                        <span class=format!("badge badge--{}", status_tone(status))>{move || (t().portal.product_status)(status)}</span>
                        {revision.map(|r| view! { <span class="badge badge--info">{move || (t().portal.revision_status)(r)}</span> })}
                        {live.map(|href| view! { <a href=href>{move || t().portal.view_in_store}</a> })}
                        <a href=certification>{move || t().certify.title}</a>
                    </p>
                }
            })}
        </header>
        {move || saved.get().then(|| view! { <div class="alert alert--success" role="status">{t().portal.product_saved}</div> })}
        {move || (submitted.get() && waiting).then(|| view! {
            <div class="alert alert--success" role="status">{t().portal.product_submitted}</div>
        })}
        {p.as_ref().and_then(|p| p.waiting()).map(|()| view! {
            <div class="alert alert--info" role="status">{move || t().portal.waiting_for_review}</div>
        })}
        {p.as_ref().and_then(|p| p.feedback.clone()).map(|f| view! {
            <div class="alert alert--warning" role="status">
                <strong>{move || t().portal.reviewer_feedback}</strong>
                <p class="pre-wrap">{f}</p>
            </div>
        })}
        {p.as_ref().filter(|p| p.status == ProductStatus::Published).map(|_| view! {
            <p class="muted">{move || t().portal.published_changes_note}</p>
        })}
        <FormError error=submit_error />
        <FormError error=archive_error />
        <ActionForm action=save attr:class="form card" attr:novalidate=true>
            <fieldset class="form" disabled=!editable>
                <FormError error />
                <input type="hidden" name="id" value=save_id />
                <CategorySelect name="draft[category]" choices selected=category required=true label=label(|p| p.category)
                    empty=label(|p| p.choose) error=field("category") />
                <div class="field-row">
                    <TextField label=label(|p| p.name_en) name="draft[name_en]" value=d.name_en.clone() required=true maxlength=120 error=field("name_en") />
                    <TextField label=label(|p| p.name_zh) name="draft[name_zh]" value=d.name_zh.clone() maxlength=120 error=field("name_zh") />
                </div>
                <div class="field-row">
                    <TextArea label=label(|p| p.summary_en) name="draft[summary_en]" value=d.summary_en.clone() rows=2 error=field("summary_en") />
                    <TextArea label=label(|p| p.summary_zh) name="draft[summary_zh]" value=d.summary_zh.clone() rows=2 error=field("summary_zh") />
                </div>
                <div class="field-row">
                    <TextArea label=label(|p| p.description_en) name="draft[description_en]" value=d.description_en.clone() rows=8 error=field("description_en") />
                    <TextArea label=label(|p| p.description_zh) name="draft[description_zh]" value=d.description_zh.clone() rows=8 error=field("description_zh") />
                </div>
                <div class="field-row">
                    <TextField label=label(|p| p.price_usd) name="draft[price]" value=d.price.clone() required=true placeholder="1299.00" error=field("price") />
                    <TextField label=label(|p| p.stock) name="draft[stock]" value=d.stock.clone() error=field("stock") />
                </div>
                <fieldset class="fieldset">
                    <legend>{move || t().portal.specifications}</legend>
                    <div class="field-row">
                        {SPECS.iter().enumerate().map(|(n, spec)| {
                            let value = d.measures.get(&spec.spec).cloned().unwrap_or_default();
                            view! { <SpecField n value error=field(spec.key) /> }
                        }).collect_view()}
                        <TextField label=label(|p| p.ip_rating) name="draft[ip_rating]" value=d.ip_rating.clone() placeholder="IP54" error=field("ip_rating") />
                    </div>
                    <div class="field-row">
                        <TextArea label=label(|p| p.features) name="draft[features]" value=d.features.clone() rows=4 hint=label(|p| p.one_per_line) error=field("features") />
                        <TextArea label=label(|p| p.compatibility) name="draft[compatibility]" value=d.compatibility.clone() rows=4 hint=label(|p| p.one_per_line) error=field("compatibility") />
                        <TextArea label=label(|p| p.tags) name="draft[tags]" value=d.tags.clone() rows=4 hint=label(|p| p.one_per_line) error=field("tags") />
                    </div>
                </fieldset>
                <FileUpload label=label(|p| p.media) name="media" access=FileAccess::Public
                    accept="image/jpeg,image/png,image/webp,image/gif,video/mp4,video/webm,application/pdf"
                    initial=d.media.clone() hint=label(|p| p.media_hint) error=field("media") />
                <div class="form-actions">
                    <SubmitButton label=label(|p| p.save_draft) pending=save.pending().into() />
                </div>
            </fieldset>
        </ActionForm>
        {(!id.is_empty()).then(|| view! {
            <div class="row">
                {can_submit.then(|| view! {
                    <ActionForm action=submit>
                        <input type="hidden" name="id" value=submit_id />
                        <button type="submit" class="btn btn--primary">{move || t().portal.submit_for_review}</button>
                    </ActionForm>
                })}
                {editable.then(|| view! {
                    <ActionForm action=archive>
                        <input type="hidden" name="id" value=archive_id />
                        <button type="submit" class="btn btn--ghost">{move || t().portal.archive}</button>
                    </ActionForm>
                })}
            </div>
        })}
    }
}

/// The `n`th specification's input (`SPECS[n]`), named `draft[measures][{key}]`,
/// labelled with its unit.
#[component]
fn SpecField(n: usize, value: String, error: Signal<Option<types::ErrorCode>>) -> impl IntoView {
    struct Field {
        name: String,
        labels: [String; 2],
    }
    static FIELDS: LazyLock<Vec<Field>> = LazyLock::new(|| {
        SPECS
            .iter()
            .map(|s| Field {
                name: format!("draft[measures][{}]", s.key),
                labels: [s.field_label(Locale::En), s.field_label(Locale::Zh)],
            })
            .collect()
    });
    let i18n = use_i18n();
    let field = &FIELDS[n];
    let label = Signal::derive(move || field.labels[usize::from(i18n.locale() == Locale::Zh)].as_str());
    view! { <TextField label name=field.name.as_str() value inputmode="numeric" error /> }
}

/// A catalog category to choose, subcategories grouped under their parents.
#[component]
pub(super) fn CategorySelect(
    name: &'static str,
    choices: Vec<CategoryChoice>,
    selected: String,
    required: bool,
    label: Signal<&'static str>,
    /// The first option, for no choice.
    empty: Signal<&'static str>,
    error: Signal<Option<types::ErrorCode>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label for="field-category">{move || label.get()}</label>
            <select id="field-category" name=name required=required>
                <option value="">{move || empty.get()}</option>
                {group(choices).into_iter().map(|(parent, children)| view! {
                    <optgroup label=parent>
                        {children.into_iter().map(|c| {
                            let is_selected = c.slug == selected;
                            view! { <option value=c.slug selected=is_selected>{c.name}</option> }
                        }).collect_view()}
                    </optgroup>
                }).collect_view()}
            </select>
            {move || error.get().map(|code| view! { <p class="field__error">{(i18n.t().error)(code)}</p> })}
        </div>
    }
}

/// Subcategories under their parents, in the order given.
fn group(choices: Vec<CategoryChoice>) -> Vec<(String, Vec<CategoryChoice>)> {
    let mut groups: Vec<(String, Vec<CategoryChoice>)> = Vec::new();
    for c in choices {
        match groups.last_mut() {
            Some((parent, children)) if *parent == c.parent => children.push(c),
            _ => groups.push((c.parent.clone(), vec![c])),
        }
    }
    groups
}

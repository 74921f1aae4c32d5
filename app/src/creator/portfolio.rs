//! `/creator/portfolio`: the creator's showcase items, and the editor for one
//! (`/creator/portfolio/new`, `/creator/portfolio/{id}`): draft, submit, see the
//! reviewer's feedback, fix, resubmit, archive.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::{
    files::{FileAccess, FileKind, ThumbnailSize},
    portfolio::{PortfolioEntry, PortfolioStatus},
    products::CategoryChoice,
};

use super::{
    api::{ArchivePortfolioItem, SavePortfolioItem, SubmitPortfolioItem, categories, portfolio, portfolio_item},
    editor::CategorySelect,
};
use crate::{
    components::query::query_flag,
    components::time::{machine_time, short_time},
    components::{
        form::{FormError, SubmitButton, TextArea, TextField, action_error, field_error},
        upload::FileUpload,
    },
    error::AppError,
    i18n::use_i18n,
};

fn tone(status: PortfolioStatus) -> &'static str {
    match status {
        PortfolioStatus::Approved => "ok",
        PortfolioStatus::Submitted => "info",
        PortfolioStatus::Rejected => "warning",
        PortfolioStatus::Draft | PortfolioStatus::Archived => "neutral",
    }
}

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().portfolio;
    let archived = query_flag("archived");
    let items = Resource::new(|| (), |_| portfolio());
    view! {
        <Title text=move || t().title />
        <div class="row row--between">
            <h1 class="console__title">{move || t().title}</h1>
            <a class="btn btn--primary" href="/creator/portfolio/new">{move || t().new_item}</a>
        </div>
        <p class="muted measure">{move || t().intro}</p>
        {move || archived.get().then(|| view! { <div class="alert alert--success" role="status">{t().archived}</div> })}
        <Suspense>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(items) if items.is_empty() => view! { <p class="empty-state">{t().empty}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="portfolio-grid">
                            {items.into_iter().map(|item| view! { <li><PortfolioCard item /></li> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PortfolioCard(item: PortfolioEntry) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().portfolio;
    let status = item.status;
    let cover =
        item.draft.media.iter().find(|m| m.kind == FileKind::Image).and_then(|m| m.thumbnail_url(ThumbnailSize::Small));
    let href = format!("/creator/portfolio/{}", item.id);
    view! {
        <article class="portfolio-card card">
            {match cover {
                Some(src) => view! { <img class="portfolio-card__cover" src=src alt="" loading="lazy" /> }.into_any(),
                None => view! { <div class="portfolio-card__cover portfolio-card__cover--empty" aria-hidden="true"></div> }.into_any(),
            }}
            <div class="stack">
                <h2 class="portfolio-card__title"><a href=href>{item.draft.title.clone()}</a></h2>
                <p class="row">
                    <span class=format!("badge badge--{}", tone(status))>{move || (t().status)(status)}</span>
                    {item.public.then(|| view! { <span class="badge badge--ok">{move || t().on_public_page}</span> })}
                </p>
                <p class="muted"><time datetime=machine_time(&item.updated_at)>{short_time(&item.updated_at)}</time></p>
            </div>
        </article>
    }
}

#[component]
pub fn PortfolioEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").filter(|id| id != "new");
    let save = ServerAction::<SavePortfolioItem>::new();
    let submit = ServerAction::<SubmitPortfolioItem>::new();
    let archive = ServerAction::<ArchivePortfolioItem>::new();
    let loaded = Resource::new(id, |id| async move {
        match id {
            Some(id) => portfolio_item(id).await.map(Some),
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
                    Ok(item) => view! { <PortfolioEditor item choices save submit archive /> }.into_any(),
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PortfolioEditor(
    item: Option<PortfolioEntry>,
    choices: Vec<CategoryChoice>,
    save: ServerAction<SavePortfolioItem>,
    submit: ServerAction<SubmitPortfolioItem>,
    archive: ServerAction<ArchivePortfolioItem>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().portfolio;
    let saved = query_flag("saved");
    let submitted = query_flag("submitted");
    let error = action_error(save.into());
    let submit_error = action_error(submit.into());
    let archive_error = action_error(archive.into());
    let d = item.as_ref().map(|i| i.draft.clone()).unwrap_or_default();
    let editable = item.as_ref().is_none_or(PortfolioEntry::editable);
    let can_submit = item.as_ref().is_some_and(PortfolioEntry::can_submit);
    let waiting = item.as_ref().is_some_and(|i| i.status == PortfolioStatus::Submitted);
    let id = item.as_ref().map(|i| i.id.to_string()).unwrap_or_default();
    let title = if d.title.is_empty() { t().new_item.to_owned() } else { d.title.clone() };
    let field = move |name: &'static str| field_error(error, name);
    let label = move |f: fn(&crate::i18n::portfolio::PortfolioTexts) -> &'static str| Signal::derive(move || f(t()));
    let category = d.category.clone();
    let (save_id, submit_id, archive_id) = (id.clone(), id.clone(), id.clone());
    view! {
        <Title text=title.clone() />
        <header class="stack">
            <p class="eyebrow"><a href="/creator/portfolio">{move || t().title}</a></p>
            <h1 class="console__title">{title}</h1>
            {item.as_ref().map(|i| {
                let status = i.status;
                view! {
                    <p class="row">
                        <span class=format!("badge badge--{}", tone(status))>{move || (t().status)(status)}</span>
                        {i.public.then(|| view! { <span class="badge badge--ok">{move || t().on_public_page}</span> })}
                    </p>
                }
            })}
        </header>
        {move || saved.get().then(|| view! { <div class="alert alert--success" role="status">{t().saved}</div> })}
        {move || (submitted.get() && waiting).then(|| view! { <div class="alert alert--success" role="status">{t().submitted}</div> })}
        {waiting.then(|| view! { <div class="alert alert--info" role="status">{move || t().waiting}</div> })}
        {item.as_ref().and_then(|i| i.feedback.clone()).map(|f| view! {
            <div class="alert alert--warning" role="status">
                <strong>{move || i18n.t().portal.reviewer_feedback}</strong>
                <p class="pre-wrap">{f}</p>
            </div>
        })}
        {item.as_ref().filter(|i| i.public).map(|_| view! { <p class="muted">{move || t().public_note}</p> })}
        <FormError error=submit_error />
        <FormError error=archive_error />
        <ActionForm action=save attr:class="form card" attr:novalidate=true>
            <fieldset class="form" disabled=!editable>
                <FormError error />
                <input type="hidden" name="id" value=save_id />
                <TextField label=label(|p| p.item_title) name="title" value=d.title.clone() required=true maxlength=120 error=field("title") />
                <TextArea label=label(|p| p.description) name="description" value=d.description.clone() rows=6 error=field("description") />
                <CategorySelect name="category" choices selected=category required=false label=label(|p| p.category)
                    empty=label(|p| p.no_category) error=field("category") />
                <FileUpload label=label(|p| p.media) name="media" access=FileAccess::Public
                    accept="image/jpeg,image/png,image/webp,image/gif,video/mp4,video/webm,application/pdf"
                    initial=d.media.clone() hint=label(|p| p.media_hint) error=field("media") />
                <div class="form-actions">
                    <SubmitButton label=Signal::derive(move || i18n.t().portal.save_draft) pending=save.pending().into() />
                </div>
            </fieldset>
        </ActionForm>
        {(!id.is_empty()).then(|| view! {
            <div class="row">
                {can_submit.then(|| view! {
                    <ActionForm action=submit>
                        <input type="hidden" name="id" value=submit_id />
                        <button type="submit" class="btn btn--primary">{move || i18n.t().portal.submit_for_review}</button>
                    </ActionForm>
                })}
                {editable.then(|| view! {
                    <ActionForm action=archive>
                        <input type="hidden" name="id" value=archive_id />
                        <button type="submit" class="btn btn--ghost">{move || i18n.t().portal.archive}</button>
                    </ActionForm>
                })}
            </div>
        })}
    }
}

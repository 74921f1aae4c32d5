//! One template's editor: the variables its notice offers, the text in use to change,
//! a preview with example values, a test mail to oneself, and every earlier version to
//! bring back. Plain forms: each answer is the page again, saying what came of it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::notice_templates::{
    Intent, MAX_BODY, MAX_SUBJECT, Outcome, Rendered, TemplateDetail, TemplateKey, TemplateKind, TemplateVersion,
    has_subject,
};
use types::{TextEnum, profile::NotificationChannel};

use super::api::{EditTemplate, RestoreTemplate, edit_template, get_template};
use crate::{
    components::{
        actions::{posted_row, succeeded},
        form::{FormError, TextArea, TextField, action_error, field_error},
        time::short_time,
    },
    i18n::use_i18n,
};

#[component]
pub fn TemplateEditorPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let part = move |name: &str| params.read().get(name).unwrap_or_default();
    let edit = ServerAction::<EditTemplate>::new();
    let restore = ServerAction::<RestoreTemplate>::new();
    let detail = Resource::new(
        move || (part("kind"), part("channel"), part("locale")),
        |(kind, channel, locale)| get_template(kind, channel, locale),
    );
    // What the form just sent, for the answer to say what came of it.
    let intent = posted_row(edit, "intent").and_then(|i| Intent::parse(&i)).filter(|_| succeeded(edit).get_untracked());
    let draft = (intent == Some(Intent::Preview))
        .then(|| (posted_row(edit, "subject").unwrap_or_default(), posted_row(edit, "body").unwrap_or_default()));
    let restored = succeeded(restore).get_untracked();
    let asked = draft.clone();
    let preview = Resource::new(
        move || (part("kind"), part("channel"), part("locale"), asked.clone()),
        |(kind, channel, locale, draft)| async move {
            let (subject, body) = draft?;
            let intent = Intent::Preview.as_str().to_owned();
            match edit_template(kind, channel, locale, 0, subject, body, intent).await {
                Ok(Outcome::Previewed(rendered)) => Some(rendered),
                _ => None,
            }
        },
    );
    view! {
        <Transition>
            {move || {
                let draft = draft.clone();
                Suspend::new(async move {
                match detail.await {
                    Ok(detail) => {
                        let preview = preview.await;
                        view! { <Editor detail edit restore intent restored draft preview /> }.into_any()
                    }
                    Err(e) => view! {
                        <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div>
                    }.into_any(),
                }
            })}}
        </Transition>
    }
}

#[component]
fn Editor(
    detail: TemplateDetail,
    edit: ServerAction<EditTemplate>,
    restore: ServerAction<RestoreTemplate>,
    intent: Option<Intent>,
    restored: bool,
    draft: Option<(String, String)>,
    preview: Option<Rendered>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let tt = t.templates;
    let key = detail.key;
    let heading =
        format!("{} · {} · {}", super::kind_name(t, key.kind), (t.channel_name)(key.channel), key.locale.native_name());
    let current = detail.history.first().cloned();
    let version = current.as_ref().map_or(0, |c| c.version);
    let (subject, body) = draft.unwrap_or_else(|| current.map(|c| (c.text.subject, c.text.body)).unwrap_or_default());
    let error = action_error(edit.into());
    let news = match intent {
        Some(Intent::Save) => Some((tt.saved)(version)),
        Some(Intent::Test) => Some(tt.tested.to_owned()),
        _ if restored => Some((tt.restored)(version)),
        _ => None,
    };
    let with_subject = has_subject(key.channel);
    let hint = match key.channel {
        NotificationChannel::InApp => Some(tt.in_app_hint),
        NotificationChannel::Sms => Some(tt.sms_hint),
        NotificationChannel::Push => Some(tt.push_hint),
        NotificationChannel::Email => {
            matches!(key.kind, TemplateKind::Account(mail) if mail.carries_link()).then_some(tt.link_hint)
        }
    };
    let subject_label = if key.channel == NotificationChannel::Push { tt.push_title } else { tt.subject };
    view! {
        <Title text=heading.clone() />
        <p><a href="/admin/templates">{"← "}{tt.all}</a></p>
        <h1 class="console__title">{heading}</h1>
        {news.map(|n| view! { <div class="alert alert--success" role="status">{n}</div> })}
        <FormError error=action_error(restore.into()) />
        <div class="template-editor">
            <section class="card stack">
                <ActionForm action=edit attr:class="form" attr:novalidate=true>
                    <FormError error />
                    <Hidden key />
                    <input type="hidden" name="base" value=version />
                    {with_subject.then(|| view! {
                        <TextField label=Signal::derive(move || subject_label) name="subject" required=true
                            maxlength=MAX_SUBJECT value=subject.clone() error=field_error(error, "subject") />
                    })}
                    <TextArea label=Signal::derive(move || tt.body) name="body" rows=if key.channel == NotificationChannel::Email { 14 } else { 3 }
                        maxlength=MAX_BODY value=body.clone() error=field_error(error, "body")
                        hint=MaybeProp::from(hint) />
                    <div class="form-actions">
                        <button type="submit" name="intent" value=Intent::Save.as_str() class="btn btn--primary">{tt.save}</button>
                        <button type="submit" name="intent" value=Intent::Preview.as_str() class="btn btn--ghost">{tt.preview}</button>
                        {(key.channel == NotificationChannel::Email).then(|| view! {
                            <button type="submit" name="intent" value=Intent::Test.as_str() class="btn btn--ghost">{tt.test}</button>
                        })}
                    </div>
                </ActionForm>
                {preview.map(|p| view! {
                    <section class="template-preview" aria-labelledby="preview-title">
                        <h2 id="preview-title" class="section__title">{tt.preview_title}</h2>
                        {(!p.subject.is_empty()).then(|| view! { <p><strong>{p.subject}</strong></p> })}
                        <p class="pre-wrap">{p.body}</p>
                    </section>
                })}
            </section>
            <section class="card stack">
                <h2 id="variables-title" class="section__title">{tt.variables}</h2>
                <p class="muted">{tt.variables_lead}</p>
                <dl class="template-variables">
                    {detail.variables.into_iter().map(|v| view! {
                        <div class="template-variables__item">
                            <dt><code>{format!("{{{{{}}}}}", v.name)}</code></dt>
                            <dd>{v.meaning}</dd>
                            <dd class="muted pre-wrap">{tt.example} ": " {v.sample}</dd>
                        </div>
                    }).collect_view()}
                </dl>
            </section>
        </div>
        <section class="card stack" aria-labelledby="history-title">
            <h2 id="history-title" class="section__title">{tt.history}</h2>
            <ol class="template-history" reversed>
                {detail.history.into_iter().enumerate().map(|(i, v)| view! {
                    <Version key version=v in_use=i == 0 base=version restore />
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The template a form is about, as the server functions name it.
#[component]
fn Hidden(key: TemplateKey) -> impl IntoView {
    view! {
        <input type="hidden" name="kind" value=key.kind.as_str() />
        <input type="hidden" name="channel" value=key.channel.as_str() />
        <input type="hidden" name="locale" value=key.locale.tag() />
    }
}

#[component]
fn Version(
    key: TemplateKey,
    version: TemplateVersion,
    in_use: bool,
    base: i32,
    restore: ServerAction<RestoreTemplate>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tt = i18n.t().templates;
    let who = match (&version.author, version.restored_from) {
        (Some(author), Some(from)) => format!("{} · {}", (tt.edited_by)(author), (tt.restored_from)(from)),
        (Some(author), None) => (tt.edited_by)(author),
        (None, _) => tt.from_code.to_owned(),
    };
    view! {
        <li class="template-history__version">
            <p>
                <strong>{(tt.version)(version.version)}</strong>
                {in_use.then(|| view! { " " <span class="badge badge--ok">{tt.in_use}</span> })}
                <br />
                <span class="muted">{short_time(&version.created_at)} " · " {who}</span>
            </p>
            {(!version.text.subject.is_empty()).then(|| view! { <p><strong>{version.text.subject.clone()}</strong></p> })}
            <p class="pre-wrap template-history__text">{version.text.body.clone()}</p>
            {(!in_use).then(|| view! {
                <ActionForm action=restore>
                    <Hidden key />
                    <input type="hidden" name="base" value=base />
                    <input type="hidden" name="version" value=version.version />
                    <button type="submit" class="btn btn--small btn--ghost">
                        {tt.restore} <span class="sr-only">{format!(" {}", (tt.version)(version.version))}</span>
                    </button>
                </ActionForm>
            })}
        </li>
    }
}

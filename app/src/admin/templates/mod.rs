//! Notice templates: every notice's words per channel and language, each a link to
//! its editor (`editor`), with the version in use and who wrote it.

pub mod api;
pub mod editor;

use leptos::prelude::*;
use leptos_meta::Title;
use types::{
    Locale, TextEnum,
    notice_templates::{TemplateKind, TemplateSummary},
    profile::NotificationChannel,
};

use self::api::list_templates;
use crate::{
    components::list::list_or_empty,
    i18n::{Texts, use_i18n},
};

/// What a template words, in the reader's language.
pub fn kind_name(t: &Texts, kind: TemplateKind) -> &'static str {
    match kind {
        TemplateKind::Notice(kind) => (t.deliveries.kind_name)(kind),
        TemplateKind::Account(mail) => (t.templates.mail_name)(mail),
    }
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().templates;
    let list = Resource::new(|| (), |_| list_templates());
    view! {
        <Title text=move || t().title />
        <h1 class="console__title">{move || t().title}</h1>
        <p class="muted measure">{move || t().lead}</p>
        <Transition>
            {move || Suspend::new(async move {
                list_or_empty(i18n.t(), list.await, "", |rows| {
                    let t = i18n.t().templates;
                    let (notices, mails) = rows.into_iter().partition(|row| matches!(row.key.kind, TemplateKind::Notice(_)));
                    view! {
                        <Table rows=notices channels=NotificationChannel::ALL label=t.title caption=t.caption heading=t.notice />
                        // Not a landmark of its own: the table's region carries the name.
                        <div class="stack template-mails">
                            <h2 class="section__title">{t.account_title}</h2>
                            <p class="muted measure">{t.account_lead}</p>
                            <Table rows=mails channels=&[NotificationChannel::Email] label=t.account_title caption=t.account_caption heading=t.mail />
                        </div>
                    }
                    .into_any()
                })
            })}
        </Transition>
    }
}

/// One row per kind, one column per channel it goes by, a link per language in each.
#[component]
fn Table(
    rows: Vec<TemplateSummary>,
    channels: &'static [NotificationChannel],
    label: &'static str,
    caption: &'static str,
    /// What the first column names.
    heading: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=label>
            <table class="table template-table">
                <caption class="sr-only">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{heading}</th>
                        {channels.iter().map(|channel| view! { <th scope="col">{(t.channel_name)(*channel)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.chunks(channels.len() * Locale::ALL.len()).map(|kind| view! {
                        <tr>
                            <th scope="row">{kind_name(t, kind[0].key.kind)}</th>
                            {kind.chunks(Locale::ALL.len()).map(|channel| view! {
                                <td>
                                    <ul class="plain-list template-table__versions">
                                        {channel.iter().map(|cell| view! { <Cell cell=cell.clone() /> }).collect_view()}
                                    </ul>
                                </td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One template's link: its language and version, and who last edited it.
#[component]
fn Cell(cell: TemplateSummary) -> impl IntoView {
    let t = use_i18n().t();
    let shown = format!("{} · {}", cell.key.locale.native_name(), (t.templates.version)(cell.version));
    // The visible words first, so speech input finds the link by them.
    let label = format!("{shown}: {} · {}", kind_name(t, cell.key.kind), (t.channel_name)(cell.key.channel));
    view! {
        <li>
            <a href=cell.key.path() aria-label=label>{shown}</a>
            {cell.author.map(|a| view! { <br /><span class="muted">{(t.templates.edited_by)(&a)}</span> })}
        </li>
    }
}

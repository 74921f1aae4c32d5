//! Notice templates: every notice's words per channel and language, each a link to
//! its editor (`editor`), with the version in use and who wrote it.

pub mod api;
pub mod editor;

use leptos::prelude::*;
use leptos_meta::Title;
use types::{Locale, TextEnum, notice_templates::TemplateSummary, profile::NotificationChannel};

use self::api::list_templates;
use crate::{components::list::list_or_empty, i18n::use_i18n};

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
                list_or_empty(i18n.t(), list.await, "", |rows| view! { <Table rows /> }.into_any())
            })}
        </Transition>
    }
}

/// One row per notice, one column per channel, a link per language in each.
#[component]
fn Table(rows: Vec<TemplateSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t.templates.title>
            <table class="table template-table">
                <caption class="sr-only">{t.templates.caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.templates.notice}</th>
                        {NotificationChannel::ALL.iter().map(|channel| view! { <th scope="col">{(t.channel_name)(*channel)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.chunks(NotificationChannel::ALL.len() * Locale::ALL.len()).map(|kind| view! {
                        <tr>
                            <th scope="row">{(t.deliveries.kind_name)(kind[0].key.kind)}</th>
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
    let label =
        format!("{shown}: {} · {}", (t.deliveries.kind_name)(cell.key.kind), (t.channel_name)(cell.key.channel));
    view! {
        <li>
            <a href=cell.key.path() aria-label=label>{shown}</a>
            {cell.author.map(|a| view! { <br /><span class="muted">{(t.templates.edited_by)(&a)}</span> })}
        </li>
    }
}

//! Notice templates: every notice's words per channel and language, each a link to
//! its editor (`editor`), with the version in use and who wrote it.

pub mod api;
pub mod editor;

use leptos::prelude::*;
use leptos_meta::Title;
use types::{
    Locale,
    notice_templates::{TEMPLATE_CHANNELS, TemplateSummary},
};

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

/// One row per notice, one column per channel and language.
#[component]
fn Table(rows: Vec<TemplateSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t();
    let columns: Vec<_> =
        TEMPLATE_CHANNELS.iter().flat_map(|&channel| Locale::ALL.map(move |locale| (channel, locale))).collect();
    let per_kind = columns.len();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=t.templates.title>
            <table class="table template-table">
                <caption class="sr-only">{t.templates.caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.templates.notice}</th>
                        {columns.iter().map(|(channel, locale)| view! {
                            <th scope="col">{(t.channel_name)(*channel)} " · " {locale.native_name()}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows.chunks(per_kind).map(|kind| view! {
                        <tr>
                            <th scope="row">{(t.deliveries.kind_name)(kind[0].key.kind)}</th>
                            {kind.iter().map(|cell| {
                                // The visible words first, so speech input finds the link by them.
                                let label = format!(
                                    "{}: {} · {} · {}",
                                    (t.templates.version)(cell.version),
                                    (t.deliveries.kind_name)(cell.key.kind),
                                    (t.channel_name)(cell.key.channel),
                                    cell.key.locale.native_name()
                                );
                                view! {
                                    <td>
                                        <a href=cell.key.path() aria-label=label>{(t.templates.version)(cell.version)}</a>
                                        {cell.author.clone().map(|a| view! {
                                            <br /><span class="muted">{(t.templates.edited_by)(&a)}</span>
                                        })}
                                    </td>
                                }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

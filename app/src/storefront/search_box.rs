//! The header search box. Without JavaScript it is a GET form to /search; with it,
//! suggestions (products, categories, makers) appear as you type.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use types::search::{Suggestion, SuggestionKind};

use super::api::autocomplete;
use crate::i18n::use_i18n;

#[component]
pub fn SearchBox() -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    let query = use_query_map();
    let text = RwSignal::new(query.get_untracked().get("q").unwrap_or_default());
    let open = RwSignal::new(false);
    let suggestions = Resource::new(
        move || (text.get(), i18n.locale()),
        |(q, locale)| async move {
            if q.trim().chars().count() < 2 { Ok(Vec::new()) } else { autocomplete(q, locale).await }
        },
    );
    // The list is always in the page (empty and hidden until there is something to
    // offer), so the input's aria-controls never names a missing element.
    let items = move || suggestions.get().and_then(Result::ok).unwrap_or_default();
    let expanded = move || open.get() && !items().is_empty();
    view! {
        <form class="search-box" role="search" method="get" action="/search" aria-label=move || shop().search_landmark>
            <label for="site-search" class="visually-hidden">{move || shop().search_label}</label>
            <input
                id="site-search"
                type="search"
                name="q"
                role="combobox"
                autocomplete="off"
                maxlength="200"
                placeholder=move || shop().search_placeholder
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    open.set(true);
                }
                on:focusout=move |_| open.set(false)
                aria-controls="search-suggestions"
                aria-autocomplete="list"
                aria-expanded=move || expanded().to_string()
            />
            <button type="submit" class="search-box__button" aria-label=move || shop().search_submit>
                <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M13 13l4.5 4.5" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>
            </button>
            <ul id="search-suggestions" class="suggestions" aria-label=move || shop().suggestions hidden=move || !expanded()>
                <Transition>
                    {move || Suspend::new(async move {
                        let items: Vec<Suggestion> = suggestions.await.unwrap_or_default();
                        items.into_iter().map(|s| {
                            let kind = match s.kind {
                                SuggestionKind::Product => shop().kind_product,
                                SuggestionKind::Category => shop().kind_category,
                                SuggestionKind::Creator => shop().kind_creator,
                            };
                            view! {
                                <li>
                                    // mousedown fires before the input loses focus, so the link still works.
                                    <a href=s.href on:mousedown=|ev| ev.prevent_default()>
                                        <span class="suggestions__label">{s.label}</span>
                                        <span class="suggestions__kind">{kind}</span>
                                    </a>
                                </li>
                            }
                        }).collect_view()
                    })}
                </Transition>
            </ul>
        </form>
    }
}

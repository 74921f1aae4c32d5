//! The header search box. Without JavaScript it is a GET form to /search; with it,
//! suggestions (products, categories, makers) appear as you type.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use types::search::{Suggestion, SuggestionKind};

use super::api::autocomplete;
use crate::i18n::use_i18n;

/// The box, holding the query of the page it is on.
#[component]
pub fn SearchBox() -> impl IntoView {
    let query = use_query_map().get_untracked().get("q").unwrap_or_default();
    view! { <SearchBoxIsland query /> }
}

/// Fewer characters than this suggest nothing.
const MIN_CHARS: usize = 2;

#[island]
fn SearchBoxIsland(query: String) -> impl IntoView {
    let i18n = use_i18n();
    let shop = i18n.t().shop;
    let text = RwSignal::new(query);
    let open = RwSignal::new(false);
    let items = RwSignal::new(Vec::<Suggestion>::new());
    // Answers can come back out of order; only the one for the latest text counts.
    let asked = StoredValue::new(0u64);
    let suggest = move |q: String| {
        let ticket = asked.get_value() + 1;
        asked.set_value(ticket);
        if q.trim().chars().count() < MIN_CHARS {
            items.set(Vec::new());
            return;
        }
        leptos::task::spawn_local(async move {
            let found = autocomplete(q, i18n.locale()).await.unwrap_or_default();
            if asked.get_value() == ticket {
                items.set(found);
            }
        });
    };
    // The list is always in the page (empty and hidden until there is something to
    // offer), so the input's aria-controls never names a missing element.
    let expanded = move || open.get() && items.with(|i| !i.is_empty());
    view! {
        <form class="search-box" role="search" method="get" action="/search" aria-label=shop.search_landmark>
            <label for="site-search" class="visually-hidden">{shop.search_label}</label>
            <input
                id="site-search"
                type="search"
                name="q"
                role="combobox"
                autocomplete="off"
                maxlength="200"
                placeholder=shop.search_placeholder
                prop:value=move || text.get()
                on:input=move |ev| {
                    let q = event_target_value(&ev);
                    text.set(q.clone());
                    open.set(true);
                    suggest(q);
                }
                on:focusout=move |_| open.set(false)
                aria-controls="search-suggestions"
                aria-autocomplete="list"
                aria-expanded=move || expanded().to_string()
            />
            <button type="submit" class="search-box__button" aria-label=shop.search_submit>
                <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true"><circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" stroke-width="2"/><path d="M13 13l4.5 4.5" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>
            </button>
            <ul id="search-suggestions" class="suggestions" aria-label=shop.suggestions hidden=move || !expanded()>
                {move || items.get().into_iter().map(|s| {
                    let kind = match s.kind {
                        SuggestionKind::Product => shop.kind_product,
                        SuggestionKind::Category => shop.kind_category,
                        SuggestionKind::Creator => shop.kind_creator,
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
                }).collect_view()}
            </ul>
        </form>
    }
}

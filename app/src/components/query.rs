//! Reading the page's URL query, as pages do after a form post sent the browser back.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Whether the URL carries `?name=1`, as pages use after a successful form post.
pub fn query_flag(name: &'static str) -> Signal<bool> {
    let query = use_query_map();
    Signal::derive(move || query.read().get(name).is_some())
}

/// A query parameter's value.
pub fn query_value(name: &'static str) -> Signal<Option<String>> {
    let query = use_query_map();
    Signal::derive(move || query.read().get(name))
}

use leptos::prelude::*;

use crate::{error::AppError, i18n::Texts};

/// A loaded list as a page shows it: an empty state, the rows, or why it failed.
pub fn list_or_empty<T>(
    t: &'static Texts,
    loaded: Result<Vec<T>, AppError>,
    empty: &'static str,
    rows: impl FnOnce(Vec<T>) -> AnyView,
) -> AnyView {
    match loaded {
        Ok(items) if items.is_empty() => view! { <div class="empty-state">{empty}</div> }.into_any(),
        Ok(items) => rows(items),
        Err(e) => view! { <div class="alert alert--error" role="alert">{(t.error)(e.code)}</div> }.into_any(),
    }
}

/// Links to the newest page of a list and to the next, older one, when there are
/// other pages to go to.
#[component]
pub fn Pager(label: &'static str, newer: Option<String>, older: Option<String>) -> impl IntoView {
    let t = crate::i18n::use_i18n().t();
    (newer.is_some() || older.is_some()).then(|| {
        view! {
            <nav class="row pager" aria-label=label>
                {newer.map(|href| view! { <a href=href>{t.portal.newest}</a> })}
                {older.map(|href| view! { <a href=href rel="next">{t.portal.older}</a> })}
            </nav>
        }
    })
}

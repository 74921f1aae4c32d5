//! Server actions shared by several forms on one page (a form per payout, per
//! sub-order): refetch only when one succeeded, and show an error at the row that
//! caused it.

use leptos::prelude::*;

use crate::{
    error::AppError,
    i18n::{Texts, use_i18n},
};

/// The version of the action's last successful run. A list refetches on this rather
/// than on every run, so a form that failed keeps what was typed into it.
pub fn last_success<I, O>(action: Action<I, Result<O, AppError>>) -> Memo<usize>
where
    I: Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Memo::new(move |before: Option<&usize>| {
        let version = action.version().get();
        let ok = action.value().with(|v| matches!(v, Some(Ok(_))));
        if ok { version } else { before.copied().unwrap_or(0) }
    })
}

/// Which row the action last ran for, by `key` of its input. Known in the browser
/// only: without JavaScript the error comes back in the URL for the whole page, and
/// the page shows it above the rows.
pub fn last_row<I, O>(action: Action<I, O>, key: fn(&I) -> String) -> Signal<Option<String>>
where
    I: Clone + Send + Sync + 'static,
    O: Send + Sync + 'static,
{
    let row = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(k) = action.input().with(|input| input.as_ref().map(key)) {
            row.set(Some(k));
        }
    });
    row.into()
}

/// The action's error, if it last ran for `row`.
pub fn row_error(
    error: Signal<Option<AppError>>,
    last: Signal<Option<String>>,
    row: String,
) -> Signal<Option<AppError>> {
    Signal::derive(move || last.with(|l| l.as_deref() == Some(row.as_str())).then(|| error.get()).flatten())
}

/// The field errors of a shared action while they cannot be shown at their row (a
/// form sent without JavaScript), each named by `label`, under the page's banner.
#[component]
pub fn UnplacedFieldErrors(
    error: Signal<Option<AppError>>,
    placed: Signal<bool>,
    label: fn(&'static Texts, &str) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let fields = error.get().map(|e| e.fields).filter(|f| !f.is_empty() && !placed.get())?;
        let t = i18n.t();
        Some(view! {
            <ul class="alert alert--error field-summary" role="alert">
                {fields.into_iter().map(|f| view! { <li>{format!("{}: {}", label(t, &f.field), (t.error)(f.code))}</li> }).collect_view()}
            </ul>
        })
    }
}

/// Empties a form once its action succeeded, so the same request is not sent twice
/// by a second click. (Without JavaScript the page reloads empty anyway.)
pub fn reset_on_success<I, O>(action: Action<I, Result<O, AppError>>) -> NodeRef<leptos::html::Form>
where
    I: Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_))))
            && let Some(form) = form.get()
        {
            form.reset();
        }
    });
    form
}

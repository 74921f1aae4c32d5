//! What a page says about the forms sent from it. Outside islands every form is a
//! plain form: the browser posts it, the server answers by sending the browser back
//! to a page, and for that one page the middleware remembers what was sent and
//! whether it was accepted. Inside an island the action's own value says.

use leptos::prelude::*;
use server_fn::ServerFn;
use types::session::SubmittedForm;

use crate::{
    error::AppError,
    i18n::{Texts, use_i18n},
};

/// The form posted to `action` just before this page: known while the server renders.
fn posted<S: ServerFn>(_: ServerAction<S>) -> Option<SubmittedForm> {
    #[cfg(feature = "ssr")]
    return crate::ssr::submitted_to(S::url());
    #[cfg(not(feature = "ssr"))]
    None
}

/// Whether the last form sent to `action` was accepted.
pub fn succeeded<S>(action: ServerAction<S>) -> Signal<bool>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let posted = posted(action).is_some_and(|f| f.accepted);
    Signal::derive(move || posted || action.value().with(|v| matches!(v, Some(Ok(_)))))
}

/// Which row the form last sent to `action` came from: the value of its hidden field
/// `key` (a form per payout, per sub-order).
pub fn posted_row<S: ServerFn>(action: ServerAction<S>, key: &'static str) -> Option<String> {
    posted(action)?.field(key).map(str::to_owned)
}

/// The action's error, if its form was sent from `row`.
pub fn row_error(error: Signal<Option<AppError>>, posted: &Option<String>, row: &str) -> Signal<Option<AppError>> {
    let mine = posted.as_deref() == Some(row);
    Signal::derive(move || if mine { error.get() } else { None })
}

/// The field errors of a shared action when the row they belong to is unknown (the
/// session that remembers it was not kept), each named by `label`, under the banner.
#[component]
pub fn UnplacedFieldErrors(
    error: Signal<Option<AppError>>,
    placed: bool,
    label: fn(&'static Texts, &str) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let fields = error.get().map(|e| e.fields).filter(|f| !f.is_empty() && !placed)?;
        let t = i18n.t();
        Some(view! {
            <ul class="alert alert--error field-summary" role="alert">
                {fields.into_iter().map(|f| view! { <li>{format!("{}: {}", label(t, &f.field), (t.error)(f.code))}</li> }).collect_view()}
            </ul>
        })
    }
}

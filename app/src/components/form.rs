//! Form pieces that show server errors next to the right field, in the reader's
//! language, with and without JavaScript.

use leptos::prelude::*;
use types::ErrorCode;

use crate::{error::AppError, i18n::use_i18n};

/// The error of the last run of an action, if it failed.
pub fn action_error<I, O>(action: Action<I, Result<O, AppError>>) -> Signal<Option<AppError>>
where
    I: Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The error code for one field of a failed action.
pub fn field_error(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<ErrorCode>> {
    Signal::derive(move || error.get().and_then(|e| e.field(field)))
}

/// The banner above a form: the overall reason it failed.
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| {
            let t = i18n.t();
            let mut text = (t.error)(e.code).to_owned();
            if let Some(secs) = e.retry_after_secs {
                text = format!("{text} {}", (t.retry_after)(secs));
            }
            view! { <div class="alert alert--error form-error" role="alert">{text}</div> }
        })
    }
}

/// What was typed into field `name` of a form the server refused without JavaScript
/// (the page came back from a redirect), never for a password or a field repeated
/// per row (`id` set: the value would show in every row). With JavaScript the form
/// never leaves the page, so there is nothing to restore.
/// `field-{name}`, by the innermost name of a nested one (`draft[measures][weight_g]`
/// is `field-weight_g`), so ids stay plain and match the field errors' names.
pub fn field_id(name: &str) -> String {
    format!("field-{}", name.trim_end_matches(']').rsplit('[').next().unwrap_or(name))
}

fn kept_value(name: &'static str, repeated: bool, input_type: &str) -> Option<String> {
    if repeated || input_type == "password" { None } else { submitted(name) }
}

#[cfg(feature = "ssr")]
fn submitted(name: &str) -> Option<String> {
    crate::ssr::refused_value(name)
}

#[cfg(not(feature = "ssr"))]
fn submitted(_: &str) -> Option<String> {
    None
}

/// A labelled input with its error and hint, wired for screen readers.
#[component]
pub fn TextField(
    #[prop(into)] label: Signal<&'static str>,
    name: &'static str,
    /// The input's id when a form is repeated on a page (one per row); else `field-{name}`.
    #[prop(optional)]
    id: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional, into)] value: MaybeProp<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// The on-screen keyboard to offer, e.g. `numeric` for digits typed as text.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    #[prop(optional, into)] hint: MaybeProp<&'static str>,
    #[prop(optional, into)] error: MaybeProp<ErrorCode>,
    #[prop(optional)] required: bool,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] minlength: Option<usize>,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let kept = kept_value(name, id.is_some(), input_type);
    let value = move || kept.clone().or_else(|| value.get());
    let id = id.unwrap_or_else(|| field_id(name));
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let has_error = move || error.get().is_some();
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.get().is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field--error=has_error>
            <label for=id.clone()>{move || label.get()}</label>
            <input
                id=id.clone()
                name=name
                type=input_type
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                placeholder=placeholder
                minlength=minlength
                maxlength=maxlength
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by
            />
            {move || hint.get().map(|h| view! { <p class="field__hint" id=hint_id.clone()>{h}</p> })}
            {move || {
                error.get().map(|code| view! {
                    <p class="field__error" id=error_id.clone()>{(i18n.t().error)(code)}</p>
                })
            }}
        </div>
    }
}

/// A labelled multi-line input.
#[component]
pub fn TextArea(
    #[prop(into)] label: Signal<&'static str>,
    name: &'static str,
    /// As for [`TextField`]: set when the form is repeated on a page.
    #[prop(optional)]
    id: Option<String>,
    #[prop(optional, into)] value: MaybeProp<String>,
    #[prop(optional, into)] hint: MaybeProp<&'static str>,
    #[prop(optional, into)] error: MaybeProp<ErrorCode>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let kept = kept_value(name, id.is_some(), "textarea");
    let value = move || kept.clone().or_else(|| value.get());
    let id = id.unwrap_or_else(|| field_id(name));
    let error_id = format!("{id}-error");
    let has_error = move || error.get().is_some();
    view! {
        <div class="field" class:field--error=has_error>
            <label for=id.clone()>{move || label.get()}</label>
            <textarea
                id=id.clone()
                name=name
                rows=rows
                maxlength=maxlength
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=move || has_error().then(|| error_id.clone())
            >
                {value}
            </textarea>
            {move || hint.get().map(|h| view! { <p class="field__hint">{h}</p> })}
            {move || error.get().map(|code| view! { <p class="field__error">{(i18n.t().error)(code)}</p> })}
        </div>
    }
}

/// The submit button, busy while the action runs.
#[component]
pub fn SubmitButton(#[prop(into)] label: Signal<&'static str>, pending: Signal<bool>) -> impl IntoView {
    view! {
        <button type="submit" class="btn btn--primary" aria-busy=move || pending.get().then_some("true")>
            {move || label.get()}
        </button>
    }
}

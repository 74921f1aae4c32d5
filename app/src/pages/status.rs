//! The pages shown instead of content: not found, forbidden. They set the HTTP
//! status when rendered on the server.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_i18n;

#[cfg(feature = "ssr")]
pub fn set_status(code: u16) {
    if let (Some(options), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        options.set_status(status);
    }
}

#[component]
fn StatusPage(code: u16, title: Signal<&'static str>, text: Signal<&'static str>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_status(code);
    let i18n = use_i18n();
    view! {
        <Title text=move || title.get() />
        <section class="status-page container">
            <p class="status-page__code" aria-hidden="true">{code}</p>
            <h1 class="status-page__title">{move || title.get()}</h1>
            <p class="status-page__text">{move || text.get()}</p>
            <div class="status-page__actions row">
                <a class="btn btn--primary" href="/">{move || i18n.t().back_home}</a>
            </div>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <StatusPage
            code=404
            title=Signal::derive(move || i18n.t().not_found_title)
            text=Signal::derive(move || i18n.t().not_found_text)
        />
    }
}

/// Not found inside a page that already has its heading (an account tab): the same
/// words under a lower heading, with the way back to the list.
#[component]
pub fn NotFoundHere(back: &'static str, back_label: Signal<&'static str>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_status(404);
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.t().not_found_title />
        <section class="card stack" aria-labelledby="not-found-title">
            <h2 class="card__title" id="not-found-title">{move || i18n.t().not_found_title}</h2>
            <p>{move || i18n.t().not_found_text}</p>
            <p><a href=back>{move || back_label.get()}</a></p>
        </section>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <StatusPage
            code=403
            title=Signal::derive(move || i18n.t().forbidden_title)
            text=Signal::derive(move || i18n.t().forbidden_text)
        />
    }
}

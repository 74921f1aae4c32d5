//! The creator portal: its shell, navigation and access check; applying to sell
//! (open to every signed-in user) lives in `account::selling` over [`api`].

pub mod api;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Outlet};
use types::Permission;

use crate::{components::guard::Guard, i18n::use_i18n};

#[component]
pub fn CreatorShell() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Guard permission=Permission::CreatorPortal children=move |_| view! {
            <div class="container console">
                <nav class="console__nav" aria-label=move || i18n.t().nav_creator>
                    <p class="console__nav-title">{move || i18n.t().nav_creator}</p>
                    <A href="/creator" exact=true>{move || i18n.t().creator_dashboard}</A>
                </nav>
                <div class="console__content"><Outlet /></div>
            </div>
        } />
    }
}

#[component]
pub fn CreatorHome() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <Title text=move || t().creator_dashboard />
        <h1 class="console__title">{move || t().creator_dashboard}</h1>
        <div class="empty-state">{move || t().creator_empty}</div>
    }
}

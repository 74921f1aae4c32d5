//! The storefront's account pages: register, log in, verify, reset, profile.

pub mod addresses;
pub mod api;
pub mod login;
pub mod notifications;
pub mod password;
pub mod phone;
pub mod preferences;
pub mod privacy;
pub mod profile;
pub mod push;
pub mod register;
pub mod selling;
pub mod tokens;
pub mod unsubscribe;
pub mod verify;
pub mod webhooks;

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

use crate::{components::guard::Guard, i18n::use_i18n};

/// The logged-in area: profile, preferences, security, addresses, selling,
/// notifications, API tokens and webhooks tabs.
#[component]
pub fn AccountShell() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Guard children=move |user| view! {
            <div class="container stack">
                <header class="page-header">
                    <h1 class="page-title">{move || i18n.t().account_title}</h1>
                    <p class="page-lead">{user.email.clone()}</p>
                </header>
                {(!user.email_verified).then(|| view! { <verify::VerifyBanner /> })}
                <nav class="tabs" aria-label=move || i18n.t().account_title>
                    <A href="/account" exact=true>{move || i18n.t().account_profile}</A>
                    <A href="/account/preferences">{move || i18n.t().account_preferences}</A>
                    <A href="/account/security">{move || i18n.t().account_security}</A>
                    <A href="/account/addresses">{move || i18n.t().orders.addresses_tab}</A>
                    <A href="/account/selling">{move || i18n.t().portal.selling_tab}</A>
                    <A href="/account/notifications">{move || i18n.t().portal.notifications}</A>
                    <A href="/account/tokens">{move || i18n.t().tokens.tab}</A>
                    <A href="/account/webhooks">{move || i18n.t().webhooks.tab}</A>
                    <A href="/account/privacy">{move || i18n.t().privacy.tab}</A>
                </nav>
                <Outlet />
            </div>
        } />
    }
}

//! The header and footer around every page of every face: the one place besides
//! the routes that puts the faces' pieces together (search, cart, account).

use leptos::prelude::*;
use leptos_router::components::A;
use types::{Locale, Permission};

use crate::{
    account::api::{Logout, SetLocale},
    i18n::use_i18n,
    notifications::{LiveBell, LiveNotices, unread_notifications},
    session::use_session,
};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    // Being rolled out: one header row on phones (style/main.css, `--compact`).
    #[cfg(feature = "ssr")]
    let compact = crate::ssr::flag_on(domain::flags::COMPACT_PHONE_HEADER);
    #[cfg(not(feature = "ssr"))]
    let compact = false;
    view! {
        <header class="site-header" class:site-header--compact=compact>
            <div class="site-header__inner container">
                <a class="brand" href="/">
                    <Logo />
                    <span class="brand__name">"OpenAero"</span>
                </a>
                <crate::storefront::search_box::SearchBox />
                <crate::cart::CartLink />
                // On a phone the rest waits behind one button (a popover: it opens and
                // closes without JavaScript, and Escape closes it); wider, it is inline.
                <button type="button" class="menu-button" popovertarget="site-menu">
                    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none"
                        stroke="currentColor" stroke-width="2" stroke-linecap="round">
                        <path d="M4 6h16M4 12h16M4 18h16" />
                    </svg>
                    <span class="menu-button__label">{move || i18n.t().nav_menu}</span>
                </button>
                <div id="site-menu" class="site-menu" popover="auto">
                    <nav class="site-nav" aria-label=move || i18n.t().nav_main>
                        <A href="/search">{move || i18n.t().nav_shop}</A>
                        <UserLinks />
                    </nav>
                    <LanguageSwitch />
                    <UserMenu />
                </div>
            </div>
            // Outside the menu, which a phone hides behind its button.
            <SignedInLiveNotices />
        </header>
    }
}

/// A deployment where no real money moves (the payment sandbox) says so on every page,
/// above the header so it scrolls away with the page.
#[component]
pub fn TestModeBanner() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    let test_mode = crate::ssr::services().is_ok_and(|s| s.settings.test_mode);
    #[cfg(not(feature = "ssr"))]
    let test_mode = false;
    // A landmark of its own, so nothing on the page sits outside one.
    test_mode.then(|| {
        view! {
            <aside class="test-mode-banner" aria-label=move || i18n.t().test_mode_label>
                <p>{move || i18n.t().test_mode_banner}</p>
            </aside>
        }
    })
}

/// The drone mark: four rotors around a body.
#[component]
fn Logo() -> impl IntoView {
    view! {
        <svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.2">
            <circle cx="7" cy="7" r="4.5" />
            <circle cx="25" cy="7" r="4.5" />
            <circle cx="7" cy="25" r="4.5" />
            <circle cx="25" cy="25" r="4.5" />
            <path d="M10 10l4 4M22 10l-4 4M10 22l4-4M22 22l-4-4" />
            <rect x="12.5" y="12.5" width="7" height="7" rx="2" fill="currentColor" />
        </svg>
    }
}

/// What arrives while a signed-in reader has the page open. Anonymous pages (those the
/// page cache keeps) open no stream.
#[component]
fn SignedInLiveNotices() -> impl IntoView {
    let session = use_session();
    view! {
        <Transition>
            {move || Suspend::new(async move {
                session.user.await.ok().flatten().map(|_| view! { <LiveNotices /> })
            })}
        </Transition>
    }
}

/// Links to the consoles the user may open.
#[component]
fn UserLinks() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let user = session.user.await.ok().flatten();
                let creator = user.as_ref().is_some_and(|u| u.can(Permission::CreatorPortal));
                let admin = user.as_ref().is_some_and(|u| u.can(Permission::ReviewQueue));
                view! {
                    {creator.then(|| view! { <A href="/creator">{move || i18n.t().nav_creator}</A> })}
                    {admin.then(|| view! { <A href="/admin">{move || i18n.t().nav_admin}</A> })}
                }
            })}
        </Transition>
    }
}

/// Log in / register, or the user's name and a logout button.
#[component]
fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let logout = ServerAction::<Logout>::new();
    // Made here and awaited in the same Suspend as the session: a resource or a nested
    // Transition created inside an async block makes server and browser hand out
    // hydration ids in different orders now and then (seen as a random hydration panic
    // on pages whose own resources wait for the session too).
    let unread = Resource::new(
        || (),
        move |_| async move {
            match session.user.await {
                Ok(Some(_)) => unread_notifications().await.unwrap_or(0),
                _ => 0,
            }
        },
    );
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match session.user.await.ok().flatten() {
                    Some(user) => view! {
                        <div class="user-menu">
                            <LiveBell unread=unread.await />
                            <A href="/orders">{move || i18n.t().orders.nav_orders}</A>
                            <A href="/account" attr:class="user-menu__name">{user.name}</A>
                            <ActionForm action=logout>
                                <button type="submit" class="link-button">{move || i18n.t().nav_logout}</button>
                            </ActionForm>
                        </div>
                    }.into_any(),
                    None => view! {
                        <div class="user-menu">
                            <A href="/login">{move || i18n.t().nav_login}</A>
                            <a class="btn btn--primary btn--small" href="/register">{move || i18n.t().nav_register}</a>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Two one-button forms: the server keeps the choice and sends the page back in it.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let set_locale = ServerAction::<SetLocale>::new();
    view! {
        <div class="lang-switch" role="group" aria-label=move || i18n.t().language>
            {Locale::ALL.iter().copied().map(|locale| view! {
                <ActionForm action=set_locale>
                    <input type="hidden" name="locale" value=locale.tag() />
                    <button
                        type="submit"
                        class="link-button"
                        lang=locale.tag()
                        aria-pressed=move || (i18n.locale() == locale).to_string()
                    >
                        {locale.native_name()}
                    </button>
                </ActionForm>
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner container">
                <div>
                    <p class="brand__name">"OpenAero"</p>
                    <p>{move || i18n.t().footer_tagline}</p>
                </div>
                <div>
                    <p><a href="/account/selling">{move || i18n.t().footer_sell}</a></p>
                    <p><a href="/account">{move || i18n.t().footer_account}</a></p>
                </div>
                <p class="site-footer__legal">{move || i18n.t().footer_legal}</p>
            </div>
        </footer>
    }
}

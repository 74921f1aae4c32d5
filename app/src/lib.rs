//! The OpenAero web application: the storefront, the creator portal and the admin
//! console, rendered on the server; only `#[island]` components hydrate in the browser.
//!
//! Belongs here: pages, components, `#[server]` functions (parse, authorize, call one
//! domain function) and the texts of both languages. Does not: SQL or business rules
//! (`domain`), middleware and configuration (`server`). Everything an island imports
//! ships to every visitor, so the faces stay apart and server-only code sits behind
//! `#[cfg(feature = "ssr")]`.

#![recursion_limit = "256"]

pub mod account;
pub mod admin;
pub mod cart;
pub mod checkout;
pub mod components;
pub mod creator;
pub mod error;
pub mod i18n;
pub mod layout;
pub mod notifications;
pub mod orders;
pub mod pages;
pub mod session;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod storefront;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{ParentRoute, Route, Router, Routes},
};

use crate::{
    i18n::{I18n, use_i18n},
    layout::{Footer, Header, TestModeBanner},
};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // A plain function, so this runs in the response's root, before its scripts are written.
    #[cfg(feature = "ssr")]
    ssr::use_policy_nonce();
    let locale = i18n::request_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b1f3a" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // The build names the stylesheet and the bundle by their content hash.
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Public pages stream in order: complete HTML without JavaScript, sent as it renders.
/// Guarded areas render `Async`, complete before the first byte, so their guard can
/// still answer 302 or 403.
/// Text made safe to write into HTML.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    I18n::provide();
    session::provide_session();
    let i18n = use_i18n();

    view! {
        <Title formatter=move |page: String| {
            let title = if page.is_empty() { "OpenAero".to_owned() } else { format!("{page} · OpenAero") };
            // leptos_meta writes the server's <title> as it is given (a search for
            // "</title><script>…" would run); the browser sets document.title as text.
            if cfg!(feature = "ssr") { escape_text(&title) } else { title }
        } />
        <Router>
            <a class="skip-link" href="#main">{move || i18n.t().skip_to_content}</a>
            <TestModeBanner />
            <Header />
            // tabindex -1: the skip link moves focus here, so the next Tab is inside.
            <main id="main" class="site-main" tabindex="-1">
                <Routes fallback=pages::status::NotFound>
                    <Route path=StaticSegment("") view=storefront::home::HomePage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("search") view=storefront::search::SearchPageView ssr=SsrMode::InOrder />
                    <Route path=(StaticSegment("c"), ParamSegment("slug")) view=storefront::search::SearchPageView ssr=SsrMode::Async />
                    <Route path=(StaticSegment("p"), ParamSegment("slug")) view=storefront::product::ProductPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("creators"), ParamSegment("slug")) view=storefront::creator::CreatorPublicPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("cart") view=cart::CartPage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("checkout") view=checkout::CheckoutPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("orders") view=orders::OrdersPage ssr=SsrMode::Async />
                    <Route path=(StaticSegment("orders"), ParamSegment("number")) view=orders::OrderPage ssr=SsrMode::Async />
                    <Route path=StaticSegment("register") view=account::register::RegisterPage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("check-email") view=account::register::CheckEmailPage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("account-closed") view=account::privacy::ClosedPage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("login") view=account::login::LoginPage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("verify-email") view=account::verify::VerifyEmailPage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("unsubscribe") view=account::unsubscribe::UnsubscribePage ssr=SsrMode::Async />
                    <Route path=StaticSegment("forgot-password") view=account::password::ForgotPasswordPage ssr=SsrMode::InOrder />
                    <Route path=StaticSegment("reset-password") view=account::password::ResetPasswordPage ssr=SsrMode::InOrder />
                    <ParentRoute path=StaticSegment("account") view=account::AccountShell ssr=SsrMode::Async>
                        <Route path=StaticSegment("") view=account::profile::ProfilePage />
                        <Route path=StaticSegment("preferences") view=account::preferences::PreferencesPage />
                        <Route path=StaticSegment("security") view=account::password::SecurityPage />
                        <Route path=StaticSegment("addresses") view=account::addresses::AddressesPage />
                        <Route path=StaticSegment("selling") view=account::selling::SellingPage />
                        <Route path=StaticSegment("notifications") view=account::notifications::NotificationsPage />
                        <Route path=(StaticSegment("notifications"), StaticSegment("sent")) view=account::notifications::SentPage />
                        <Route path=StaticSegment("tokens") view=account::tokens::TokensPage />
                        <Route path=StaticSegment("webhooks") view=account::webhooks::WebhooksPage />
                        <Route path=StaticSegment("privacy") view=account::privacy::PrivacyPage />
                        <Route path=(StaticSegment("webhooks"), ParamSegment("id")) view=account::webhooks::WebhookPage />
                    </ParentRoute>
                    <ParentRoute path=StaticSegment("creator") view=creator::CreatorShell ssr=SsrMode::Async>
                        <Route path=StaticSegment("") view=creator::dashboard::DashboardPage />
                        <Route path=(StaticSegment("products"), ParamSegment("id")) view=creator::editor::EditorPage />
                        <Route path=(StaticSegment("products"), ParamSegment("id"), StaticSegment("certification")) view=creator::certification::CertificationPage />
                        <Route path=StaticSegment("portfolio") view=creator::portfolio::PortfolioPage />
                        <Route path=(StaticSegment("portfolio"), ParamSegment("id")) view=creator::portfolio::PortfolioEditorPage />
                        <Route path=StaticSegment("orders") view=creator::orders::CreatorOrdersPage />
                        <Route path=(StaticSegment("orders"), ParamSegment("number")) view=creator::orders::CreatorOrderPage />
                        <Route path=StaticSegment("money") view=creator::money::MoneyPage />
                        <Route path=StaticSegment("analytics") view=creator::analytics::MakerAnalyticsPage />
                    </ParentRoute>
                    <ParentRoute path=StaticSegment("admin") view=admin::AdminShell ssr=SsrMode::Async>
                        <Route path=StaticSegment("") view=admin::review::queue::ReviewQueuePage />
                        <Route path=(StaticSegment("review"), ParamSegment("id")) view=admin::review::item::ReviewItemPage />
                        <Route path=StaticSegment("users") view=admin::users::UsersPage />
                        <Route path=StaticSegment("announcements") view=admin::announcements::AnnouncementsPage />
                        <Route path=StaticSegment("templates") view=admin::templates::TemplatesPage />
                        <Route path=(StaticSegment("templates"), ParamSegment("kind"), ParamSegment("channel"), ParamSegment("locale")) view=admin::templates::editor::TemplateEditorPage />
                        <Route path=StaticSegment("audit") view=admin::audit::AuditPage />
                        <Route path=StaticSegment("events") view=admin::events::EventsPage />
                        <Route path=StaticSegment("deliveries") view=admin::deliveries::DeliveriesPage />
                        <Route path=StaticSegment("flags") view=admin::flags::FlagsPage />
                        <Route path=StaticSegment("mailbox") view=admin::mailbox::MailboxPage />
                        <Route path=StaticSegment("orders") view=admin::orders::AdminOrdersPage />
                        <Route path=(StaticSegment("orders"), ParamSegment("number")) view=admin::order::AdminOrderPage />
                        <Route path=StaticSegment("payouts") view=admin::payouts::AdminPayoutsPage />
                        <Route path=StaticSegment("ledger") view=admin::ledger::LedgerPage />
                        <Route path=StaticSegment("analytics") view=admin::analytics::AnalyticsPage />
                        <Route path=(StaticSegment("analytics"), StaticSegment("alerts")) view=admin::alerts::AlertsPage />
                        <Route path=(StaticSegment("analytics"), ParamSegment("section")) view=admin::analytics::AnalyticsPage />
                    </ParentRoute>
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

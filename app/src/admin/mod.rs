//! The admin console: the review queue, users and roles, announcements and the notice
//! templates, the audit log,
//! event deliveries, notice deliveries, (in development) the mailbox, orders, payouts,
//! the ledger, feature flags and the analytics.

pub mod alerts;
pub mod analytics;
pub mod announcements;
pub mod api;
pub mod audit;
pub mod deliveries;
pub mod events;
pub mod flags;
pub mod ledger;
pub mod mailbox;
pub mod order;
pub mod orders;
pub mod payouts;
pub mod review;
pub mod sales_api;
pub mod templates;
pub mod users;

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use types::Permission;

use crate::{components::guard::Guard, i18n::use_i18n};

#[component]
pub fn AdminShell() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    view! {
        <Guard permission=Permission::ReviewQueue children=move |user| {
            let users = user.can(Permission::ManageUsers);
            let audit = user.can(Permission::ReadAuditLog);
            let events = user.can(Permission::ManageEvents);
            let orders = user.can(Permission::ManageOrders);
            let finance = user.can(Permission::ManageFinance);
            let flags = user.can(Permission::ManageFlags);
            let analytics = user.can(Permission::ViewAnalytics);
            view! {
                <div class="container console">
                    <nav class="console__nav" aria-label=move || t().nav_admin>
                        <p class="console__nav-title">{move || t().nav_admin}</p>
                        <A href="/admin" exact=true>{move || t().portal.review_queue}</A>
                        {users.then(|| view! { <A href="/admin/users">{move || t().admin_users}</A> })}
                        {users.then(|| view! { <A href="/admin/announcements">{move || t().announcements.title}</A> })}
                        {users.then(|| view! { <A href="/admin/templates">{move || t().templates.title}</A> })}
                        {audit.then(|| view! { <A href="/admin/audit">{move || t().admin_audit}</A> })}
                        {events.then(|| view! { <A href="/admin/events">{move || t().admin_events}</A> })}
                        {events.then(|| view! { <A href="/admin/deliveries">{move || t().deliveries.title}</A> })}
                        {events.then(|| view! { <A href="/admin/mailbox">{move || t().admin_mailbox}</A> })}
                        {orders.then(|| view! { <A href="/admin/orders">{move || t().fulfil.orders_title}</A> })}
                        {finance.then(|| view! { <A href="/admin/payouts">{move || t().finance.payouts_title}</A> })}
                        {finance.then(|| view! { <A href="/admin/ledger">{move || t().finance.ledger_title}</A> })}
                        {flags.then(|| view! { <A href="/admin/flags">{move || t().flags.title}</A> })}
                        {analytics.then(|| view! { <A href="/admin/analytics">{move || t().analytics.title}</A> })}
                    </nav>
                    <div class="console__content"><Outlet /></div>
                </div>
            }
        } />
    }
}

pub use crate::components::time::short_time;

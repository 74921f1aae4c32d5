//! The creator portal: the dashboard, the product editor, certification, the
//! portfolio, orders and money, for verified creators.
//! Applying to sell (open to every signed-in user) lives in `account::selling` over
//! [`api`].

pub mod analytics;
pub mod api;
pub mod certification;
pub mod dashboard;
pub mod editor;
pub mod money;
pub mod orders;
pub mod portfolio;
pub mod revenue_chart;
pub mod sales_api;

use leptos::prelude::*;
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
                    <A href="/creator/products/new">{move || i18n.t().portal.new_product}</A>
                    <A href="/creator/portfolio">{move || i18n.t().portfolio.title}</A>
                    <A href="/creator/orders">{move || i18n.t().fulfil.orders_title}</A>
                    <A href="/creator/money">{move || i18n.t().finance.money_title}</A>
                    <A href="/creator/analytics">{move || i18n.t().analytics.maker_title}</A>
                </nav>
                <div class="console__content"><Outlet /></div>
            </div>
        } />
    }
}

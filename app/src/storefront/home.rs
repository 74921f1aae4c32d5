//! The storefront home: what the marketplace is, its categories, and featured, new
//! and recently certified products.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use types::catalog::{HomeCatalog, ProductCard};

use super::{api::get_home, card::ProductGrid};
use crate::i18n::use_i18n;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let catalog = Resource::new(move || i18n.locale(), get_home);
    view! {
        <Title text="" />
        <Meta name="description" content=move || t().home_lead />
        <Meta property="og:title" content="OpenAero" />
        <Meta property="og:description" content=move || t().home_lead />
        <div class="container">
            <section class="hero hero--compact">
                <p class="hero__eyebrow">{move || t().home_eyebrow}</p>
                <h1 class="hero__title">{move || t().home_title}</h1>
                <p class="hero__lead">{move || t().home_lead}</p>
                <div class="hero__actions row">
                    <a class="btn btn--primary" href="/search">{move || t().shop.all_products}</a>
                    <a class="btn btn--ghost" href="/search?cert=standard&cert=premium">{move || t().home_feature_certified}</a>
                </div>
            </section>
            <Suspense fallback=|| view! { <div class="page-loading" aria-busy="true"></div> }>
                {move || Suspend::new(async move {
                    match catalog.await {
                        Ok(home) => view! { <Sections home /> }.into_any(),
                        Err(e) => view! { <div class="alert alert--error" role="alert">{move || (t().error)(e.code)}</div> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Sections(home: HomeCatalog) -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    view! {
        <section class="section">
            <h2 class="section__title">{move || shop().shop_by_category}</h2>
            <ul class="category-tiles">
                {home.categories.into_iter().map(|c| view! {
                    <li class="category-tile">
                        <a class="category-tile__link" href=format!("/c/{}", c.slug)>
                            <span class="category-tile__name">{c.name}</span>
                            <span class="category-tile__count">{move || (shop().product_count)(c.product_count)}</span>
                        </a>
                        <p class="category-tile__text">{c.description}</p>
                        <ul class="category-tile__subs">
                            {c.children.into_iter().map(|s| view! { <li><a href=format!("/c/{}", s.slug)>{s.name}</a></li> }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <Shelf title=Signal::derive(move || shop().featured) href="/search?in_stock=1" cards=home.featured />
        <Shelf title=Signal::derive(move || shop().recently_certified) href="/search?cert=standard&cert=premium" cards=home.certified />
        <Shelf title=Signal::derive(move || shop().new_arrivals) href="/search?sort=newest" cards=home.newest />
    }
}

#[component]
fn Shelf(title: Signal<&'static str>, href: &'static str, cards: Vec<ProductCard>) -> impl IntoView {
    let i18n = use_i18n();
    (!cards.is_empty()).then(|| {
        view! {
            <section class="section">
                <div class="section__head">
                    <h2 class="section__title">{move || title.get()}</h2>
                    <a href=href>{move || i18n.t().shop.view_all}" →"</a>
                </div>
                <ProductGrid cards />
            </section>
        }
    })
}

//! Product cards and the small pieces every storefront page shares.

use leptos::prelude::*;
use types::catalog::{Marked, ProductCard};

use crate::{
    cart::CardCartButton,
    components::{certification::CertBadge, rating::RatingBrief},
    i18n::use_i18n,
};

/// Text with the words that matched a search in `<mark>`.
#[component]
pub fn MarkedText(parts: Vec<Marked>) -> impl IntoView {
    parts
        .into_iter()
        .map(|part| if part.hit { view! { <mark>{part.text}</mark> }.into_any() } else { part.text.into_any() })
        .collect_view()
}

/// One product in a grid. `search_id` ties a click to the search that showed it.
#[component]
pub fn ProductCardView(card: ProductCard, #[prop(default = None)] search_id: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    let href = match &search_id {
        Some(id) => format!("/p/{}?from_search={id}", card.slug),
        None => format!("/p/{}", card.slug),
    };
    let price = card.price.clone();
    let in_stock = card.in_stock;
    let add = in_stock.then(|| view! { <CardCartButton slug=card.slug.clone() /> });
    view! {
        <article class="product-card">
            <a class="product-card__link" href=href>
                <div class="product-card__media">
                    <img src=card.image_url alt=card.image_alt loading="lazy" width="400" height="300" />
                    {card.certification.map(|level| view! { <CertBadge level /> })}
                </div>
                <div class="product-card__body">
                    <p class="product-card__category">{card.category}</p>
                    <h3 class="product-card__name"><MarkedText parts=card.name /></h3>
                    <p class="product-card__summary"><MarkedText parts=card.summary /></p>
                    <p class="product-card__specs">
                        {card.specs.iter().map(|(s, v)| view! { <span>{s.unit.format(v, i18n.locale())}</span> }).collect_view()}
                    </p>
                    {card.rating.map(|summary| view! { <p class="product-card__rating"><RatingBrief summary compact=true /></p> })}
                </div>
            </a>
            <div class="product-card__footer">
                <span class="product-card__price">{move || price.format(i18n.locale())}</span>
                <span class=if in_stock { "stock stock--in" } else { "stock stock--out" }>
                    {move || if in_stock { shop().in_stock } else { shop().out_of_stock }}
                </span>
            </div>
            <p class="product-card__maker">
                {move || (shop().by_maker)(&card.creator_name)}
                {card.creator_verified.then(|| view! {
                    <span class="verified-dot" title=move || shop().verified_maker aria-label=move || shop().verified_maker>"✔"</span>
                })}
            </p>
            {add}
        </article>
    }
}

#[component]
pub fn ProductGrid(cards: Vec<ProductCard>, #[prop(default = None)] search_id: Option<String>) -> impl IntoView {
    view! {
        <div class="product-grid">
            {cards.into_iter().map(|card| {
                let search_id = search_id.clone();
                view! { <ProductCardView card search_id /> }
            }).collect_view()}
        </div>
    }
}

//! A maker's public page: who they are and what they sell.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::{api::get_creator, card::ProductGrid, product::CreatorBox};
use crate::i18n::use_i18n;

#[component]
pub fn CreatorPublicPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let page = Resource::new(
        move || (params.get().get("slug").unwrap_or_default(), i18n.locale()),
        |(slug, locale)| get_creator(slug, locale),
    );
    view! {
        <Suspense fallback=|| view! { <div class="container page-loading" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let name = page.creator.display_name.clone();
                        let bio = page.creator.bio.clone();
                        view! {
                            <Title text=name />
                            <Meta name="description" content=bio />
                            <div class="container section">
                                <CreatorBox creator=page.creator.clone() />
                                <h2 class="section__title">{move || i18n.t().shop.maker_products}</h2>
                                {if page.products.is_empty() {
                                    view! { <p class="empty-state">{move || i18n.t().shop.no_products}</p> }.into_any()
                                } else {
                                    view! { <ProductGrid cards=page.products.clone() /> }.into_any()
                                }}
                            </div>
                        }.into_any()
                    }
                    Err(e) => super::not_loaded(e),
                }
            })}
        </Suspense>
    }
}

//! A maker's public page: who they are, what they sell and what customers say.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use types::{
    files::{FileKind, ThumbnailSize},
    portfolio::ShowcaseItem,
};

use super::{api::get_creator, card::ProductGrid, product::CreatorBox};
use crate::{components::rating::ReviewsSection, i18n::use_i18n};

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
                                <CreatorBox creator=page.creator.clone() own_page=true />
                                // The maker's showcase first: a long product list would bury it.
                                {(!page.portfolio.is_empty()).then(|| view! { <Showcase items=page.portfolio.clone() /> })}
                                <h2 class="section__title">{move || i18n.t().shop.maker_products}</h2>
                                {if page.products.is_empty() {
                                    view! { <p class="empty-state">{move || i18n.t().shop.no_products}</p> }.into_any()
                                } else {
                                    view! { <ProductGrid cards=page.products.clone() /> }.into_any()
                                }}
                                <ReviewsSection reviews=page.reviews.clone() class="section"
                                    title=Signal::derive(move || i18n.t().ratings.maker_reviews_title)
                                    empty=Signal::derive(move || i18n.t().ratings.no_maker_reviews) />
                            </div>
                        }.into_any()
                    }
                    Err(e) => super::not_loaded(e),
                }
            })}
        </Suspense>
    }
}

/// The maker's approved portfolio items: the cover large, the other pictures small,
/// videos and documents as links.
#[component]
fn Showcase(items: Vec<ShowcaseItem>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="section showcase" aria-labelledby="portfolio-title">
            <h2 class="section__title" id="portfolio-title">{move || i18n.t().portfolio.public_title}</h2>
            <ul class="showcase__list">
                {items.into_iter().map(|item| {
                    let mut pictures = item.media.iter().filter(|m| m.kind == FileKind::Image);
                    let cover = pictures.next().and_then(|m| m.thumbnail_url(ThumbnailSize::Large));
                    let more: Vec<_> = pictures.filter_map(|m| m.thumbnail_url(ThumbnailSize::Small).map(|src| (m.url(), src))).collect();
                    let others: Vec<_> = item.media.iter().filter(|m| m.kind != FileKind::Image).map(|m| (m.url(), m.name.clone())).collect();
                    view! {
                        <li class="card showcase__item">
                            {cover.map(|src| view! { <img class="showcase__cover" src=src alt=item.title.clone() loading="lazy" /> })}
                            <div class="stack showcase__body">
                                <h3 class="showcase__title">{item.title.clone()}</h3>
                                {item.category.clone().map(|c| view! { <p class="eyebrow">{c}</p> })}
                                {(!item.description.is_empty()).then(|| view! { <p class="pre-wrap">{item.description.clone()}</p> })}
                                {(!more.is_empty()).then(|| view! {
                                    <ul class="media-strip">
                                        {more.into_iter().map(|(href, src)| view! {
                                            <li><a href=href><img src=src alt="" loading="lazy" /></a></li>
                                        }).collect_view()}
                                    </ul>
                                })}
                                {(!others.is_empty()).then(|| view! {
                                    <ul class="doc-list">
                                        {others.into_iter().map(|(href, name)| view! { <li><a href=href>{name}</a></li> }).collect_view()}
                                    </ul>
                                })}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

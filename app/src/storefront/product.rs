//! The product page: gallery, price and stock, specifications, certification with its
//! test results, the maker, customers' reviews, and related products. Described for
//! search engines with Open Graph tags and schema.org Product data.

use leptos::prelude::*;

use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use types::{
    catalog::{CreatorCard, ProductDetail},
    specs::Spec,
};

use super::{api::get_product, card::ProductGrid};
use crate::{
    components::{
        certification::{CertBadge, Certification},
        rating::{RatingBrief, ReviewsSection},
    },
    i18n::use_i18n,
};

#[component]
pub fn ProductPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let product = Resource::new(
        move || (params.get().get("slug").unwrap_or_default(), i18n.locale(), query.get().get("from_search")),
        |(slug, locale, from_search)| get_product(slug, locale, from_search),
    );
    view! {
        <Suspense fallback=|| view! { <div class="container page-loading" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match product.await {
                    Ok(p) => view! { <Product p /> }.into_any(),
                    Err(e) => super::not_loaded(e),
                }
            })}
        </Suspense>
    }
}

/// schema.org Product as JSON-LD; `</` is escaped so no text can close the script.
fn structured_data(p: &ProductDetail, base_image: &str) -> String {
    let mut data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": p.name,
        "description": p.summary,
        "sku": p.slug,
        "image": base_image,
        "category": p.category.name,
        "brand": { "@type": "Brand", "name": p.creator.display_name },
        "offers": {
            "@type": "Offer",
            "price": format!("{}.{:02}", p.price.minor / 100, p.price.minor % 100),
            "priceCurrency": p.price.currency,
            "availability": if p.available > 0 { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" },
        },
    });
    if let Some(weight) = p.specs.measures.get(Spec::WeightG) {
        data["weight"] = serde_json::json!({ "@type": "QuantitativeValue", "value": weight, "unitCode": "GRM" });
    }
    if let Some(rating) = p.reviews.summary {
        data["aggregateRating"] = serde_json::json!({ "@type": "AggregateRating", "ratingValue": rating.average(), "reviewCount": rating.count });
    }
    data.to_string().replace("</", "<\\/")
}

#[component]
fn Product(p: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    let first_image =
        p.media.iter().find(|m| m.kind == types::catalog::MediaKind::Image).map(|m| m.url.clone()).unwrap_or_default();
    let json_ld = structured_data(&p, &first_image);
    let price = p.price.clone();
    let available = p.available;
    let title = p.name.clone();
    let description = p.summary.clone();
    let canonical = format!("/p/{}", p.slug);
    let stock_class = if available > 0 { "stock stock--in" } else { "stock stock--out" };
    let maker_name = p.creator.display_name.clone();
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:type" content="product" />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description />
        <Meta property="og:image" content=first_image />
        <Meta property="product:price:amount" content=format!("{}.{:02}", price.minor / 100, price.minor % 100) />
        <Meta property="product:price:currency" content=price.currency.clone() />
        <Link rel="canonical" href=canonical />
        <script type="application/ld+json" inner_html=json_ld></script>
        <div class="container product-page">
            <nav class="breadcrumb" aria-label=move || shop().breadcrumb>
                <a href="/">{move || shop().home}</a>
                {p.parent_category.clone().map(|c| view! {
                    <span aria-hidden="true">"/"</span>
                    <a href=format!("/c/{}", c.slug)>{c.name}</a>
                })}
                <span aria-hidden="true">"/"</span>
                <a href=format!("/c/{}", p.category.slug)>{p.category.name.clone()}</a>
            </nav>
            <div class="product-page__top">
                <Gallery media=p.media.clone() />
                <section class="product-page__buy">
                    {p.certification.as_ref().filter(|c| c.valid).map(|c| view! { <CertBadge level=c.level /> })}
                    <h1 class="product-page__name">{p.name.clone()}</h1>
                    <p class="product-page__maker">
                        <a href=format!("/creators/{}", p.creator.slug)>{move || (shop().by_maker)(&maker_name)}</a>
                        {p.creator.verified.then(|| view! { <span class="verified-dot" title=move || shop().verified_maker>"✔"</span> })}
                    </p>
                    {p.reviews.summary.map(|summary| view! {
                        <p class="product-page__rating"><a href="#reviews"><RatingBrief summary /></a></p>
                    })}
                    <p class="product-page__summary">{p.summary.clone()}</p>
                    <p class="product-page__price">{move || price.format(i18n.locale())}</p>
                    <p class=stock_class>
                        {move || match available {
                            0 => shop().out_of_stock.to_owned(),
                            1..=5 => (shop().only_left)(available),
                            _ => shop().in_stock.to_owned(),
                        }}
                    </p>
                    <crate::cart::AddToCartForm slug=p.slug.clone() available />
                    <KeySpecs p=p.clone() />
                </section>
            </div>
            <div class="product-page__details">
                <section class="card product-section">
                    <h2>{move || shop().description}</h2>
                    <p class="prose">{p.description.clone()}</p>
                    {(!p.tags.is_empty()).then(|| view! {
                        <ul class="chip-list">
                            {p.tags.iter().map(|t| view! {
                                <li><a class="chip" href=format!("/search?q={}", types::search::encode_component(t))>{format!("#{t}")}</a></li>
                            }).collect_view()}
                        </ul>
                    })}
                </section>
                <SpecTable p=p.clone() />
                <Certification cert=p.certification.clone() />
                <Documents p=p.clone() />
                <CreatorBox creator=p.creator.clone() />
                <ReviewsSection reviews=p.reviews.clone() class="product-section product-page__reviews"
                    title=Signal::derive(move || i18n.t().ratings.reviews_title)
                    empty=Signal::derive(move || i18n.t().ratings.no_product_reviews) />
            </div>
            {(!p.related.is_empty()).then(|| view! {
                <section class="section">
                    <h2 class="section__title">{move || shop().related}</h2>
                    <ProductGrid cards=p.related.clone() />
                </section>
            })}
        </div>
    }
    .into_any()
}

/// A large picture and thumbnails. Without JavaScript the thumbnails are anchors to
/// each picture; with it (an island) they swap the large picture in place.
#[island]
fn Gallery(media: Vec<types::catalog::MediaItem>) -> impl IntoView {
    let i18n = use_i18n();
    let images: Vec<_> = media.into_iter().filter(|m| m.kind == types::catalog::MediaKind::Image).collect();
    let selected = RwSignal::new(0usize);
    let main = images.clone();
    view! {
        <section class="gallery" aria-label=move || i18n.t().shop.gallery>
            <div class="gallery__main">
                {move || main.get(selected.get()).map(|m| view! {
                    <img src=m.url.clone() alt=m.alt.clone() width=m.width.unwrap_or(800) height=m.height.unwrap_or(600) />
                })}
            </div>
            {(images.len() > 1).then(|| view! {
                <ul class="gallery__thumbs">
                    {images.iter().enumerate().map(|(i, m)| {
                        let label = move || (i18n.t().shop.show_image)(i + 1);
                        view! {
                            <li>
                                <a
                                    href=m.url.clone()
                                    class="gallery__thumb"
                                    class:gallery__thumb--active=move || selected.get() == i
                                    aria-label=label
                                    on:click=move |ev| {
                                        ev.prevent_default();
                                        selected.set(i);
                                    }
                                >
                                    <img src=m.url.clone() alt="" loading="lazy" width="120" height="90" />
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn KeySpecs(p: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale();
    view! {
        <dl class="key-specs">
            {p.specs.measures.iter().filter(|(s, _)| s.headline).map(|(s, v)| view! {
                <div><dt>{s.label(locale)}</dt><dd>{s.unit.format(v, locale)}</dd></div>
            }).collect_view()}
        </dl>
    }
}

#[component]
fn SpecTable(p: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    let s = p.specs;
    let measures = s.measures.rows(i18n.locale());
    let row = |label: &'static str, value: Option<String>| {
        value.map(|v| view! { <tr><th scope="row">{label}</th><td>{v}</td></tr> })
    };
    let t = shop();
    view! {
        <section class="card product-section">
            <h2>{t.specifications}</h2>
            <table class="spec-table">
                <tbody>
                    {measures.into_iter().map(|(label, value)| view! { <tr><th scope="row">{label}</th><td>{value}</td></tr> }).collect_view()}
                    {row(t.spec_weather, Some(s.ip_rating.unwrap_or_else(|| t.not_rated.to_owned())))}
                    {row(t.spec_compatibility, (!s.compatibility.is_empty()).then(|| s.compatibility.join(", ")))}
                    {row(t.spec_features, (!s.features.is_empty()).then(|| s.features.join(", ")))}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn Documents(p: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let docs: Vec<_> = p.media.into_iter().filter(|m| m.kind == types::catalog::MediaKind::Document).collect();
    (!docs.is_empty()).then(|| {
        view! {
            <section class="card product-section">
                <h2>{move || i18n.t().shop.documents}</h2>
                <ul class="doc-list">
                    {docs.into_iter().map(|d| view! { <li><a href=d.url>{d.alt}</a></li> }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The maker's card: beside a product, or heading the maker's own page (`own_page`:
/// the name is the page's `h1`, with no link to where the reader already is).
#[component]
pub fn CreatorBox(creator: CreatorCard, #[prop(optional)] own_page: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().shop;
    let since = creator.member_since;
    let badge = creator.verified.then(|| view! { <span class="badge badge--ok">{move || t().verified_maker}</span> });
    let href = format!("/creators/{}", creator.slug);
    let name = if own_page {
        view! { <h1 class="creator-box__name">{creator.display_name.clone()} {badge}</h1> }.into_any()
    } else {
        view! {
            <h2 class="creator-box__name">
                <a href=href.clone()>{creator.display_name.clone()}</a>
                {badge}
            </h2>
        }
        .into_any()
    };
    view! {
        <section class="card product-section creator-box">
            <div class="creator-box__avatar" aria-hidden="true">{creator.display_name.chars().next().unwrap_or('?').to_string()}</div>
            <div>
                {name}
                <p class="muted">
                    {move || (t().creator_kind)(creator.kind)}
                    {(!creator.location.is_empty()).then(|| format!(" · {}", creator.location))}
                    " · " {move || (t().product_count)(creator.product_count)}
                    " · " {move || (t().member_since)(&(t().date)(&since))}
                </p>
                {creator.rating.map(|summary| view! { <p class="creator-box__rating"><RatingBrief summary /></p> })}
                <p>{creator.bio.clone()}</p>
                {(!own_page).then(|| view! { <a class="btn btn--ghost btn--small" href=href>{move || t().visit_shop}</a> })}
            </div>
        </section>
    }
}

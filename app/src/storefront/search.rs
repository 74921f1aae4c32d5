//! The listing: search results or a category, with facets, sort and pages. Every
//! control is a link or a GET form, so the whole page works without JavaScript and
//! every view is a URL that can be shared; with JavaScript the router navigates in place.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::{
    components::Form,
    hooks::{use_location, use_params_map, use_query_map},
};
use types::TextEnum;
use types::{
    Locale,
    catalog::CertificationLevel,
    search::{FacetValue, PRICE_BANDS, SearchPage, SearchParams, Sort},
    specs::Spec,
};

use super::{api::search_catalog, card::ProductGrid};
use crate::{i18n::use_i18n, pages::status::NotFound};

#[component]
pub fn SearchPageView() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let path_params = use_params_map();
    let results = Resource::new(
        move || (location.search.get(), path_params.get().get("slug"), i18n.locale()),
        |(search, category, locale)| async move {
            search_catalog(search.trim_start_matches('?').to_owned(), category, locale).await
        },
    );
    // /search streams in order: its head is sent before the results, so its title
    // comes from the URL alone. A category page renders whole and titles itself.
    let query = use_query_map();
    let search_title = move || {
        let q = query.with(|q| q.get("q")).unwrap_or_default();
        let q = q.trim();
        if q.is_empty() { i18n.t().shop.all_products.to_owned() } else { (i18n.t().shop.results_for)(q) }
    };
    let on_search_path = path_params.get_untracked().get("slug").is_none();
    view! {
        {on_search_path.then(|| view! { <Title text=search_title /> })}
        <Transition fallback=|| view! { <div class="container page-loading" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match results.await {
                    // A category page for a category that does not exist is a 404. (Known
                    // before the wait: a visitor who leaves meanwhile disposes the params,
                    // and reading them after it panicked.)
                    Ok(page) if !on_search_path && page.category.is_none() => {
                        view! { <NotFound /> }.into_any()
                    }
                    Ok(page) => view! { <Results page /> }.into_any(),
                    Err(e) => super::not_loaded(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn Results(page: SearchPage) -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    let params = page.params.clone();
    let heading = {
        let q = params.q.clone();
        let category = page.category.as_ref().map(|c| c.name.clone());
        move || match (&category, q.is_empty()) {
            (_, false) => (shop().results_for)(&q),
            (Some(name), true) => name.clone(),
            (None, true) => shop().all_products.to_owned(),
        }
    };
    let title = heading.clone();
    let page_title = heading.clone();
    let total = page.total;
    let errors = page.errors.clone();
    let has_filters = params.has_filters() || !params.q.is_empty();
    let clear_href = match &page.category {
        Some(c) => format!("/c/{}", c.slug),
        None => "/search".to_owned(),
    };
    view! {
        {page.category.is_some().then(|| view! { <Title text=page_title /> })}
        <Meta name="description" content=move || format!("{} · {}", title(), (shop().results_count)(total)) />
        <Meta name="robots" content=if params.q.is_empty() { "index,follow" } else { "noindex,follow" } />
        <div class="container shop">
            <Breadcrumb page=page.clone() />
            <header class="shop__header">
                <div>
                    <h1 class="shop__title">{heading}</h1>
                    <p class="shop__count" role="status">{move || (shop().results_count)(total)}</p>
                </div>
                <SortForm params=params.clone() />
            </header>
            {(!errors.is_empty()).then(|| view! {
                <div class="alert alert--warning" role="alert">
                    <p>{move || shop().ignored_filters}</p>
                    <ul>
                        {errors.iter().map(|e| {
                            let (field, code) = (e.field.clone(), e.code);
                            view! { <li>{move || field_label(shop(), &field, i18n.locale())}": "{move || (i18n.t().error)(code)}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <Spelling page=page.clone() />
            <div class="shop__body">
                <details class="filters">
                    <summary class="filters__toggle btn btn--ghost">{move || shop().filters}</summary>
                    <Facets page=page.clone() />
                    {has_filters.then(|| view! {
                        <a class="filters__clear" href=clear_href.clone()>{move || shop().clear_filters}</a>
                    })}
                </details>
                <section class="shop__results" aria-labelledby="results-heading">
                    <h2 id="results-heading" class="visually-hidden">{move || (shop().results_count)(total)}</h2>
                    {if page.products.is_empty() {
                        view! { <NoResults clear_href=clear_href.clone() /> }.into_any()
                    } else {
                        view! {
                            <ProductGrid cards=page.products.clone() search_id=page.search_id.clone() />
                            <Pagination params=params.clone() page_count=page.page_count />
                        }.into_any()
                    }}
                </section>
            </div>
        </div>
    }
    .into_any()
}

/// The filter a URL key belongs to, as the reader knows it.
fn field_label(shop: &'static crate::i18n::shop::ShopTexts, field: &str, locale: Locale) -> &'static str {
    if let Some((info, _)) = Spec::filters().find(|(_, f)| f.param == field) {
        return info.label(locale);
    }
    match field {
        "q" => shop.search_label,
        "category" => shop.facet_category,
        "price_min" | "price_max" => shop.facet_price,
        "cert" => shop.facet_certification,
        "weather" => shop.facet_weather,
        "creator" => shop.facet_creator,
        "rating" => shop.facet_rating,
        "sort" => shop.sort_label,
        _ => shop.pagination,
    }
}

#[component]
fn Breadcrumb(page: SearchPage) -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    page.category.map(|category| {
        view! {
            <nav class="breadcrumb" aria-label=move || shop().breadcrumb>
                <a href="/">{move || shop().home}</a>
                <span aria-hidden="true">"/"</span>
                <a href="/search">{move || shop().all_products}</a>
                {page.parent_category.map(|p| view! {
                    <span aria-hidden="true">"/"</span>
                    <a href=format!("/c/{}", p.slug)>{p.name}</a>
                })}
                <span aria-hidden="true">"/"</span>
                <span aria-current="page">{category.name}</span>
            </nav>
        }
    })
}

#[component]
fn Spelling(page: SearchPage) -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    let typed = page.params.q.clone();
    page.did_you_mean.map(|suggestion| {
        let href = page.params.with(|p| p.q = suggestion.clone()).href();
        if page.corrected {
            view! { <p class="spelling" role="status">{move || (shop().corrected)(&typed, &suggestion)}</p> }.into_any()
        } else {
            view! {
                <p class="spelling">
                    {move || shop().did_you_mean}" "
                    <a href=href><strong>{suggestion.clone()}</strong></a>"?"
                </p>
            }
            .into_any()
        }
    })
}

#[component]
fn NoResults(clear_href: String) -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    view! {
        <div class="empty-state empty-state--large">
            <h2>{move || shop().no_results_title}</h2>
            <p>{move || shop().no_results_text}</p>
            <p><a class="btn btn--ghost" href=clear_href>{move || shop().clear_filters}</a></p>
            <p>{move || shop().no_results_browse}</p>
            <ul class="chip-list">
                {[("camera-drones", "📷"), ("fpv", "🏁"), ("enterprise", "🗺"), ("agriculture", "🌾"), ("heavy-lift", "📦"), ("parts", "🔧")]
                    .into_iter()
                    .map(|(slug, icon)| view! { <li><a class="chip" href=format!("/c/{slug}")><span aria-hidden="true">{icon}</span>" "{slug}</a></li> })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// The sort menu as a GET form that keeps every other filter. Choosing an order does
/// not leave the page by itself (no inline script may run, and a change of page on a
/// mere selection surprises keyboard and screen reader users): "Apply" does.
#[component]
fn SortForm(params: SearchParams) -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    let action = params.path();
    let hidden = hidden_inputs(&params, &["sort", "page"]);
    let current = params.sort;
    view! {
        <Form method="GET" action=action attr:class="sort-form">
            {hidden}
            <label for="sort">{move || shop().sort_label}</label>
            <select id="sort" name="sort">
                {Sort::ALL.iter().copied().map(|sort| view! {
                    <option value=sort.as_str() selected=sort == current>{move || (shop().sort_name)(sort)}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="btn btn--small">{move || shop().apply}</button>
        </Form>
    }
}

/// Hidden fields that carry the current search through a form, except `skip` keys
/// (and the category, which the form's action path carries).
fn hidden_inputs(params: &SearchParams, skip: &[&str]) -> impl IntoView + use<> {
    params
        .to_pairs()
        .into_iter()
        .filter(|(key, _)| !skip.contains(key) && *key != "category")
        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
        .collect_view()
}

#[component]
fn Facets(page: SearchPage) -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    let p = page.params.clone();
    let f = page.facets.clone();

    let category_options: Vec<Opt> = f
        .categories
        .iter()
        .map(|v| {
            let slug = v.value.clone();
            Opt::new(v, p.with(|n| n.category = if v.selected { None } else { Some(slug) }), v.label.clone())
        })
        .collect();
    let cert_options: Vec<Opt> = f
        .certification
        .iter()
        .filter_map(|v| {
            let level = CertificationLevel::parse(&v.value)?;
            let href = p.with(|n| toggle(&mut n.certification, level));
            Some(Opt::new(v, href, (shop().level)(level).to_owned()))
        })
        .collect();
    let weather_options: Vec<Opt> = f
        .weather
        .iter()
        .map(|v| Opt::new(v, p.with(|n| toggle(&mut n.weather, v.value.clone())), v.label.clone()))
        .collect();
    let creator_options: Vec<Opt> = f
        .creators
        .iter()
        .map(|v| Opt::new(v, p.with(|n| toggle(&mut n.creators, v.value.clone())), v.label.clone()))
        .collect();
    let price_options: Vec<Opt> = f
        .price
        .iter()
        .zip(PRICE_BANDS)
        .map(|(v, (from, to))| {
            let max = to.map(|t| t - 1);
            let href = p.with(|n| {
                (n.price_min, n.price_max) =
                    if v.selected { (None, None) } else { ((*from > 0).then_some(*from), max) };
            });
            Opt::new(v, href, format!("${}", v.label))
        })
        .collect();
    let thresholds = |values: &[FacetValue], set: fn(&mut SearchParams, Option<u32>), label: fn(u32) -> String| {
        values
            .iter()
            .filter_map(|v| {
                let n: u32 = v.value.parse().ok()?;
                let href = p.with(|params| set(params, if v.selected { None } else { Some(n) }));
                Some(Opt::new(v, href, label(n)))
            })
            .collect::<Vec<Opt>>()
    };
    let locale = i18n.locale();
    let spec_groups: Vec<(&'static str, Vec<Opt>)> = f
        .specs
        .iter()
        .map(|facet| {
            let info = facet.spec.info();
            let scale = info.filter.map_or(1, |f| f.scale);
            let options = facet
                .values
                .iter()
                .filter_map(|v| {
                    let n: u32 = v.value.parse().ok()?;
                    let href = p.with(|params| {
                        if v.selected {
                            params.spec_min.remove(&facet.spec);
                        } else {
                            params.spec_min.insert(facet.spec, n);
                        }
                    });
                    let label = info.unit.at_least(n as i32 * scale, locale);
                    Some(Opt::new(v, href, label))
                })
                .collect();
            (info.label(locale), options)
        })
        .collect();
    let rating_options = thresholds(&f.rating, |p, v| p.rating_min = v, shop().at_least_stars);
    let in_stock_href = p.with(|n| n.in_stock = !n.in_stock).href();
    let in_stock = p.in_stock;
    let price_action = p.path();
    let hidden = hidden_inputs(&p, &["price_min", "price_max", "page"]);

    view! {
        <div class="facets">
            <a class="facet-toggle" href=in_stock_href aria-current=in_stock.then_some("true")>
                <span class="facet-check" aria-hidden="true"></span>
                {move || shop().facet_in_stock}
                <span class="facet-count">{f.in_stock}</span>
            </a>
            <FacetGroup title=shop().facet_category options=category_options />
            <FacetGroup title=shop().facet_certification options=cert_options />
            <FacetGroup title=shop().facet_rating options=rating_options />
            <fieldset class="facet">
                <legend class="facet__title">{move || shop().facet_price}</legend>
                <ul class="facet__options">
                    {price_options.into_iter().map(|o| view! { <FacetOption opt=o /> }).collect_view()}
                </ul>
                <Form method="GET" action=price_action attr:class="price-form">
                    {hidden}
                    <label>
                        <span class="visually-hidden">{move || shop().price_min}</span>
                        <input type="number" name="price_min" min="0" inputmode="numeric" placeholder=move || shop().price_min
                            value=p.price_min.map(|v| v.to_string()).unwrap_or_default() />
                    </label>
                    <span aria-hidden="true">"–"</span>
                    <label>
                        <span class="visually-hidden">{move || shop().price_max}</span>
                        <input type="number" name="price_max" min="0" inputmode="numeric" placeholder=move || shop().price_max
                            value=p.price_max.map(|v| v.to_string()).unwrap_or_default() />
                    </label>
                    <button type="submit" class="btn btn--small">{move || shop().apply}</button>
                </Form>
            </fieldset>
            {spec_groups.into_iter().map(|(title, options)| view! { <FacetGroup title options /> }).collect_view()}
            <FacetGroup title=shop().facet_weather options=weather_options />
            <FacetGroup title=shop().facet_creator options=creator_options />
        </div>
    }
    .into_any()
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, value: T) {
    match list.iter().position(|v| *v == value) {
        Some(i) => {
            list.remove(i);
        }
        None => list.push(value),
    }
}

/// A facet option rendered as a link that applies or removes it.
struct Opt {
    href: String,
    label: String,
    count: u64,
    selected: bool,
}

impl Opt {
    fn new(value: &FacetValue, params: SearchParams, label: String) -> Opt {
        Opt { href: params.href(), label, count: value.count, selected: value.selected }
    }
}

#[component]
fn FacetGroup(title: &'static str, options: Vec<Opt>) -> impl IntoView {
    (!options.is_empty()).then(|| {
        view! {
            <fieldset class="facet">
                <legend class="facet__title">{title}</legend>
                <ul class="facet__options">
                    {options.into_iter().map(|opt| view! { <FacetOption opt /> }).collect_view()}
                </ul>
            </fieldset>
        }
    })
}

#[component]
fn FacetOption(opt: Opt) -> impl IntoView {
    let empty = opt.count == 0 && !opt.selected;
    view! {
        <li>
            <a
                class="facet-option"
                class:facet-option--empty=empty
                href=opt.href
                aria-current=opt.selected.then_some("true")
                rel="nofollow"
            >
                <span class="facet-check" aria-hidden="true"></span>
                <span class="facet-option__label">{opt.label}</span>
                <span class="facet-count">{opt.count}</span>
            </a>
        </li>
    }
}

#[component]
fn Pagination(params: SearchParams, page_count: u32) -> impl IntoView {
    let i18n = use_i18n();
    let shop = move || i18n.t().shop;
    let current = params.page;
    let href = move |n: u32| {
        let mut next = params.clone();
        next.page = n;
        next.href()
    };
    let window: Vec<u32> = {
        let mut pages: Vec<u32> = [1, current.saturating_sub(1), current, current + 1, page_count]
            .into_iter()
            .filter(|n| *n >= 1 && *n <= page_count)
            .collect();
        pages.sort_unstable();
        pages.dedup();
        pages
    };
    (page_count > 1).then(|| {
        let prev = (current > 1).then(|| href(current - 1));
        let next = (current < page_count).then(|| href(current + 1));
        let mut last = 0;
        view! {
            <nav class="pagination" aria-label=move || shop().pagination>
                {prev.map(|h| view! { <a class="pagination__step" href=h rel="prev">"‹ "{move || shop().page_prev}</a> })}
                <ul>
                    {window.into_iter().map(|n| {
                        let gap = n > last + 1;
                        last = n;
                        view! {
                            {gap.then(|| view! { <li class="pagination__gap" aria-hidden="true">"…"</li> })}
                            <li>
                                {if n == current {
                                    view! { <span class="pagination__page" aria-current="page">{n}</span> }.into_any()
                                } else {
                                    view! { <a class="pagination__page" href=href(n)>{n}</a> }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {next.map(|h| view! { <a class="pagination__step" href=h rel="next">{move || shop().page_next}" ›"</a> })}
                <p class="visually-hidden">{move || (shop().page_of)(current, page_count)}</p>
            </nav>
        }
    })
}

//! `/creator/analytics`: what a maker sees of their own products over a period (the
//! last 30 days unless the URL says otherwise): each product's views, adds to a cart
//! and units bought with the share at each step, where the views came from, and which
//! searches led to them. Another maker's figures are never shown: the server function
//! finds the maker by the signed-in account, never by a parameter.

use leptos::prelude::*;
use leptos_meta::Title;
use types::analytics::{MakerFigures, ProductFunnel, share_bps};

use crate::{
    components::{period::PeriodForm, query::query_value},
    error::AppError,
    i18n::use_i18n,
};

/// The signed-in maker's figures for the period the form sent.
#[server(endpoint = "creator/analytics")]
pub async fn read_maker_figures(
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<MakerFigures, AppError> {
    use crate::ssr::{require_permission, services};
    use domain::analytics::report::Period;
    let user = require_permission(types::Permission::CreatorPortal)?;
    let period = Period::parse(&from, &to, chrono::Utc::now().date_naive())?;
    Ok(services()?.reports.maker(user.id, period).await?)
}

#[component]
pub fn MakerAnalyticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().analytics;
    let [from, to] = ["from", "to"].map(query_value);
    let figures = Resource::new(
        move || (from.get().unwrap_or_default(), to.get().unwrap_or_default()),
        |(from, to)| read_maker_figures(from, to),
    );
    view! {
        <Title text=move || t().maker_title />
        <h1 class="console__title">{move || t().maker_title}</h1>
        <p class="muted measure">{move || t().maker_lead}</p>
        <Transition>
            {move || Suspend::new(async move {
                match figures.await {
                    Ok(f) => view! {
                        <PeriodForm action="/creator/analytics" from=f.from.clone() to=f.to.clone() error=None />
                        <Figures f />
                    }
                    .into_any(),
                    Err(e) if !e.fields.is_empty() => view! {
                        <PeriodForm
                            action="/creator/analytics"
                            from=from.get().unwrap_or_default()
                            to=to.get().unwrap_or_default()
                            error=Some(e)
                        />
                    }
                    .into_any(),
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Figures(f: MakerFigures) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t().analytics;
    let products = if f.products.is_empty() {
        view! { <p class="muted">{t.no_products}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="table table--stack">
                    <thead>
                        <tr>
                            <th scope="col">{t.product}</th>
                            <th scope="col" class="num">{t.views}</th>
                            <th scope="col" class="num">{t.adds}</th>
                            <th scope="col" class="num">{t.view_to_cart}</th>
                            <th scope="col" class="num">{t.purchases}</th>
                            <th scope="col" class="num">{t.cart_to_purchase}</th>
                            <th scope="col" class="num">{t.revenue}</th>
                        </tr>
                    </thead>
                    <tbody>{f.products.into_iter().map(|p| view! { <FunnelRow p /> }).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let unseen = (f.unseen > 0).then(|| view! { <p class="muted">{(t.unseen)(f.unseen)}</p> });
    let sources = f
        .sources
        .into_iter()
        .map(|(source, views)| (source.unwrap_or_else(|| t.direct.to_owned()), views))
        .collect::<Vec<_>>();
    view! {
        <section class="card stack" aria-labelledby="maker-products">
            <h2 class="card__title" id="maker-products">{t.products_title}</h2>
            {products}
            {unseen}
        </section>
        <div class="two-columns">
            <Ranked id="maker-sources" title=t.sources_title key=t.source count=t.views empty=t.no_sources rows=sources />
            <Ranked id="maker-searches" title=t.searches_title key=t.search count=t.opened empty=t.no_searches rows=f.searches />
        </div>
    }
}

#[component]
fn FunnelRow(p: ProductFunnel) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t().analytics;
    let percent = t.percent_bps;
    view! {
        <tr>
            <th scope="row" data-label=t.product><a href=format!("/p/{}", p.slug)>{p.name}</a></th>
            <td class="num" data-label=t.views>{p.views}</td>
            <td class="num" data-label=t.adds>{p.adds}</td>
            <td class="num" data-label=t.view_to_cart>{percent(share_bps(p.adds, p.views))}</td>
            <td class="num" data-label=t.purchases>{p.purchases}</td>
            <td class="num" data-label=t.cart_to_purchase>{percent(share_bps(p.purchases, p.adds))}</td>
            <td class="num nowrap" data-label=t.revenue>{p.revenue.format(i18n.locale())}</td>
        </tr>
    }
}

/// A short list of names with a count each, most first.
#[component]
fn Ranked(
    id: &'static str,
    title: &'static str,
    key: &'static str,
    count: &'static str,
    empty: &'static str,
    rows: Vec<(String, i64)>,
) -> impl IntoView {
    let body = if rows.is_empty() {
        view! { <p class="muted">{empty}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
            <table class="table table--ranked">
                <thead>
                    <tr>
                        <th scope="col">{key}</th>
                        <th scope="col" class="num">{count}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(name, n)| view! {
                        <tr>
                            <td>{name}</td>
                            <td class="num">{n}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card stack" aria-labelledby=id>
            <h2 class="card__title" id=id>{title}</h2>
            {body}
        </section>
    }
}

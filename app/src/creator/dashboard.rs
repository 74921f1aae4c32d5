use leptos::prelude::*;
use leptos_meta::Title;
use types::TextEnum;
use types::{
    catalog::ProductStatus,
    products::{Dashboard, PortalProduct},
};

use super::api::dashboard;
use crate::{components::time::short_time, i18n::use_i18n, notifications::notifications};

/// Recent review feedback first (what needs doing), then products by status, what is
/// running low, and every product.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let data = Resource::new(|| (), |_| dashboard());
    let notices = Resource::new(|| (), |_| notifications(false, None, None));
    view! {
        <Title text=move || t().creator_dashboard />
        <div class="row row--between">
            <h1 class="console__title">{move || t().creator_dashboard}</h1>
            <a class="btn btn--primary" href="/creator/products/new">{move || t().portal.new_product}</a>
        </div>
        <section class="card stack">
            <h2 class="card__title">{move || t().portal.recent_feedback}</h2>
            <Suspense>
                {move || Suspend::new(async move {
                    let items = notices.await.map(|n| n.items).unwrap_or_default();
                    if items.is_empty() {
                        view! { <p class="muted">{t().portal.no_notifications}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="notice-list">
                                {items.into_iter().take(5).map(|n| {
                                    let text = n.text.clone();
                                    let feedback = n.params.get("feedback").cloned().filter(|f| !f.is_empty());
                                    view! {
                                        <li class="notice" class:notice--unread=!n.read>
                                            <a href=n.link.clone()>{text}</a>
                                            {feedback.map(|f| view! { <p class="notice__feedback pre-wrap">{f}</p> })}
                                            <time class="notice__time">{short_time(&n.created_at)}</time>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Suspense>
        </section>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <DashboardView d /> }.into_any(),
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let storage = d.storage;
    let storage_text = move || {
        (t().portal.storage_used)(
            &types::files::human_size(storage.used_bytes),
            &types::files::human_size(storage.quota_bytes),
        )
    };
    view! {
        <p class="muted">{storage_text}</p>
        <ul class="stat-list">
            // `UnderReview` is not used by the editor: one "in review" figure, not two.
            {ProductStatus::ALL.iter().filter(|s| **s != ProductStatus::UnderReview).map(|s| {
                let n = d.counts.iter().find(|(status, _)| status == s).map_or(0, |(_, n)| *n);
                view! {
                    <li class="stat">
                        <span class="stat__value">{n}</span>
                        <span class="stat__label">{move || (t().portal.product_status)(*s)}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
        {(!d.low_stock.is_empty()).then(move || view! {
            <div class="alert alert--warning" role="status">
                <strong>{move || t().portal.low_stock}</strong>
                <ul class="plain-list">
                    {d.low_stock.into_iter().map(|p| view! {
                        <li><a href=format!("/creator/products/{}", p.id)>{p.name}</a>
                            " · " {move || (t().portal.available)(p.available)}</li>
                    }).collect_view()}
                </ul>
            </div>
        })}
        {if d.products.is_empty() {
            view! { <div class="empty-state">{move || t().creator_empty}</div> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="table table--stack">
                        <thead>
                            <tr>
                                <th scope="col">{move || t().portal.product}</th>
                                <th scope="col">{move || t().portal.status}</th>
                                <th scope="col">{move || t().portal.price}</th>
                                <th scope="col">{move || t().portal.stock}</th>
                                <th scope="col">{move || t().portal.updated}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {d.products.into_iter().map(|p| view! { <ProductRow p /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
fn ProductRow(p: PortalProduct) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let status = p.status;
    let revision = p.revision;
    let price = p.price.clone();
    view! {
        <tr>
            <td data-label=move || t().portal.product>
                <a href=format!("/creator/products/{}", p.id)>{p.name.clone()}</a>
            </td>
            <td data-label=move || t().portal.status>
                <span class=format!("badge badge--{}", status_tone(status))>{move || (t().portal.product_status)(status)}</span>
                {revision.map(|r| view! { " " <span class="badge badge--info">{move || (t().portal.revision_status)(r)}</span> })}
            </td>
            <td data-label=move || t().portal.price>{move || price.format(i18n.locale())}</td>
            <td data-label=move || t().portal.stock>{p.available}</td>
            <td class="nowrap" data-label=move || t().portal.updated>{short_time(&p.updated_at)}</td>
        </tr>
    }
}

pub fn status_tone(status: ProductStatus) -> &'static str {
    match status {
        ProductStatus::Published => "ok",
        ProductStatus::Submitted | ProductStatus::UnderReview => "info",
        ProductStatus::Rejected => "danger",
        ProductStatus::Draft | ProductStatus::Archived => "muted",
    }
}

//! A product's certification as shoppers, makers and reviewers see it alike: the
//! badge, the certificate and its test results.

use leptos::prelude::*;
use types::TextEnum;
use types::catalog::{CertificationLevel, CertificationView, TestResult};

use crate::{components::time::machine_time, i18n::use_i18n};

/// The level a product is certified at, as a badge.
#[component]
pub fn CertBadge(level: CertificationLevel) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("cert-badge cert-badge--{}", level.as_str())>
            <svg viewBox="0 0 16 16" aria-hidden="true" width="14" height="14">
                <path d="M8 1l2 1.6 2.5-.2.6 2.4 2 1.5-1 2.3.4 2.5-2.4.8-1.3 2.2L8 13.5 5.2 14l-1.3-2.2-2.4-.8.4-2.5-1-2.3 2-1.5.6-2.4 2.5.2z" fill="currentColor"/>
                <path d="M5.3 8.2l1.8 1.8 3.6-3.8" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>
            </svg>
            {move || (i18n.t().shop.certified)(level)}
        </span>
    }
}

/// The certificate as it stands today: valid with its dates, or plainly expired.
#[component]
pub fn Certification(cert: Option<CertificationView>) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t().shop;
    let Some(c) = cert else {
        return view! {
            <section class="card product-section cert-panel cert-panel--none" id="certification">
                <h2>{t.certification}</h2>
                <p class="cert-panel__status">{t.not_certified}</p>
                <p class="muted">{t.not_certified_text}</p>
            </section>
        }
        .into_any();
    };
    let status_class = if c.valid { "cert-panel" } else { "cert-panel cert-panel--expired" };
    view! {
        <section class=format!("card product-section {status_class}") id="certification">
            <h2>{t.certification}</h2>
            {if c.valid {
                view! { <CertBadge level=c.level /> }.into_any()
            } else {
                view! {
                    <p class="cert-panel__status cert-panel__status--expired">
                        <span class="badge badge--danger">{t.expired}</span>
                        " " {format!("{} · {}", (t.level)(c.level), c.body)}
                    </p>
                    <p class="alert alert--warning">{(t.expired_note)(&(t.date)(&c.expires_at))}</p>
                }.into_any()
            }}
            <dl class="cert-panel__facts">
                <div><dt>{t.certified_by}</dt><dd>{c.body.clone()}</dd></div>
                <div><dt>{t.granted}</dt><dd><time datetime=machine_time(&c.granted_at)>{(t.date)(&c.granted_at)}</time></dd></div>
                <div>
                    <dt>{if c.valid { t.expires } else { t.expired }}</dt>
                    <dd><time datetime=machine_time(&c.expires_at)>{(t.date)(&c.expires_at)}</time></dd>
                </div>
            </dl>
            {(!c.tests.is_empty()).then(|| view! {
                <h3>{t.test_results}</h3>
                <TestTable tests=c.tests.clone() />
            })}
        </section>
    }
    .into_any()
}

/// A certificate's (or an application's) test results; `row_action`, when given,
/// adds a cell to each row (by its index) for what a reviewer may do with it.
#[component]
pub fn TestTable(
    tests: Vec<TestResult>,
    #[prop(optional)] row_action: Option<Callback<usize, AnyView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t().shop;
    view! {
        <div class="table-scroll">
            <table class="table table--stack test-table">
                <thead>
                    <tr>
                        <th scope="col">{t.test_name}</th>
                        <th scope="col">{t.test_metric}</th>
                        <th scope="col">{t.test_value}</th>
                        <th scope="col">{t.test_outcome}</th>
                        <th scope="col">{t.test_date}</th>
                        {row_action.is_some().then(|| view! { <th scope="col"><span class="sr-only">{i18n.t().portal.remove}</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {tests.into_iter().enumerate().map(|(i, r)| view! {
                        <tr>
                            <td data-label=t.test_name>{r.test_name}</td>
                            <td data-label=t.test_metric>{r.metric}</td>
                            <td data-label=t.test_value>{format!("{} {}", r.value, r.unit)}</td>
                            <td data-label=t.test_outcome>
                                <span class=if r.passed { "badge badge--ok" } else { "badge badge--danger" }>
                                    {if r.passed { t.passed } else { t.failed }}
                                </span>
                            </td>
                            <td data-label=t.test_date>{(t.date)(&r.tested_at)}</td>
                            {row_action.map(|action| view! { <td>{action.run(i)}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

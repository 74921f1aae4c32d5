//! `/admin/ledger`: the books reconciled on every visit: whether they balance, each
//! check with what it found, and the total of every account.

use leptos::prelude::*;
use leptos_meta::Title;
use types::catalog::Money;

use super::sales_api::{LedgerAccount, LedgerCheck, LedgerReport, reconcile};
use crate::i18n::use_i18n;

#[component]
pub fn LedgerPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    let report = Resource::new(|| (), |_| reconcile());
    view! {
        <Title text=move || t().ledger_title />
        <h1 class="console__title">{move || t().ledger_title}</h1>
        <p class="muted measure">{move || t().ledger_lead}</p>
        <Suspense>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) => view! { <Report r /> }.into_any(),
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(r: LedgerReport) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    let (transactions, entries) = (r.transactions, r.entries);
    let balanced = r.balanced;
    let tone = if balanced { "success" } else { "error" };
    view! {
        <div class=format!("alert alert--{tone} books-verdict") role=if balanced { "status" } else { "alert" }>
            <strong>{move || if balanced { t().balanced } else { t().unbalanced }}</strong>
            <span>{move || (t().counts)(transactions, entries)}</span>
        </div>
        <section class="card stack">
            <h2 class="card__title">{move || t().checks_title}</h2>
            <div class="table-wrap">
                <table class="table table--stack">
                    <thead>
                        <tr>
                            <th scope="col">{move || t().check}</th>
                            <th scope="col">{move || t().result}</th>
                            <th scope="col">{move || t().detail}</th>
                        </tr>
                    </thead>
                    <tbody>{r.checks.into_iter().map(|check| view! { <CheckRow check /> }).collect_view()}</tbody>
                </table>
            </div>
        </section>
        <section class="card stack">
            <h2 class="card__title">{move || t().accounts_title}</h2>
            <p class="muted">{move || t().accounts_note}</p>
            <div class="table-wrap">
                <table class="table table--stack">
                    <thead>
                        <tr>
                            <th scope="col">{move || t().account}</th>
                            <th scope="col">{move || t().currency}</th>
                            <th scope="col" class="num">{move || t().balance}</th>
                        </tr>
                    </thead>
                    <tbody>{r.accounts.into_iter().map(|account| view! { <AccountRow account /> }).collect_view()}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn CheckRow(check: LedgerCheck) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    let ok = check.ok;
    let name = check.name;
    view! {
        <tr>
            <td data-label=move || t().check>{move || (t().check_name)(&name)}</td>
            <td data-label=move || t().result>
                <span class=if ok { "badge badge--ok" } else { "badge badge--danger" }>
                    {move || if ok { t().ok } else { t().failed }}
                </span>
            </td>
            <td class="mono" data-label=move || t().detail>{check.detail}</td>
        </tr>
    }
}

#[component]
fn AccountRow(account: LedgerAccount) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    let code = account.account;
    let balance = Money::new(account.balance, account.currency.clone());
    let name = {
        let code = code.clone();
        move || (t().account_name)(&code)
    };
    view! {
        <tr>
            <td data-label=move || t().account>{name} <br /> <code class="muted">{code}</code></td>
            <td data-label=move || t().currency>{account.currency}</td>
            <td class="num nowrap" data-label=move || t().balance>{move || balance.format(i18n.locale())}</td>
        </tr>
    }
}

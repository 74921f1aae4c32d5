//! `/creator/money`: what the creator is owed (pending, available, in payout), the
//! payout request form, revenue per month as a chart and a table, and payouts.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;
use types::{
    catalog::Money,
    money::{Balances, RevenuePeriod},
};

use super::{
    revenue_chart::RevenueChart,
    sales_api::{RequestPayout, creator_balances, creator_payouts, creator_revenue},
};
use crate::{
    components::{
        actions::succeeded,
        commerce::PayoutTable,
        form::{FormError, SubmitButton, TextField, action_error, field_error},
        list::list_or_empty,
    },
    i18n::{finance::FinanceTexts, use_i18n},
};

#[component]
pub fn MoneyPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    let request = ServerAction::<RequestPayout>::new();
    let owed = Resource::new(|| (), |_| creator_balances());
    let history = Resource::new(|| (), |_| creator_payouts());
    let months = Resource::new(|| (), |_| creator_revenue());
    let failed = move |e: crate::error::AppError| {
        view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any()
    };
    view! {
        <Title text=move || t().money_title />
        <h1 class="console__title">{move || t().money_title}</h1>
        <p class="muted measure">{move || t().money_lead}</p>
        <Transition>
            {move || Suspend::new(async move {
                match owed.await {
                    Ok(b) => view! { <BalanceCards b=b.clone() /> <PayoutRequest b request /> }.into_any(),
                    Err(e) => failed(e),
                }
            })}
        </Transition>
        <section class="card stack">
            <h2 class="card__title">{move || t().revenue_title}</h2>
            <Suspense>
                {move || Suspend::new(async move {
                    match months.await {
                        Ok(periods) if periods.iter().all(|p| p.gross.minor == 0 && p.refunds.minor == 0) => {
                            view! { <p class="muted">{t().no_revenue}</p> }.into_any()
                        }
                        Ok(periods) => view! { <RevenueChart periods=periods.clone() /> <RevenueTable periods /> }.into_any(),
                        Err(e) => failed(e),
                    }
                })}
            </Suspense>
        </section>
        <section class="card stack">
            <h2 class="card__title">{move || t().payouts_title}</h2>
            <Transition>
                {move || Suspend::new(async move {
                    list_or_empty(i18n.t(), history.await, t().payouts_empty, |payouts| {
                        view! { <PayoutTable payouts /> }.into_any()
                    })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn BalanceCards(b: Balances) -> impl IntoView {
    view! {
        <ul class="balance-cards">
            <BalanceCard amount=b.pending label=|t| t.pending note=|t| t.pending_note />
            <BalanceCard amount=b.available label=|t| t.available note=|t| t.available_note />
            <BalanceCard amount=b.in_payout label=|t| t.in_payout note=|t| t.in_payout_note />
        </ul>
    }
}

#[component]
fn BalanceCard(
    amount: Money,
    label: fn(&FinanceTexts) -> &'static str,
    note: fn(&FinanceTexts) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="card balance">
            <span class="balance__label">{move || label(i18n.t().finance)}</span>
            <strong class="balance__value">{move || amount.format(i18n.locale())}</strong>
            <p class="balance__note">{move || note(i18n.t().finance)}</p>
        </li>
    }
}

/// The request form, closed (and saying why) while less than the minimum is available.
#[component]
fn PayoutRequest(b: Balances, request: ServerAction<RequestPayout>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    let open = b.available.minor >= b.minimum_payout.minor;
    let error = action_error(request.into());
    let amount_error = field_error(error, "amount");
    let (min, available) = (b.minimum_payout, b.available);
    let limits = move || {
        let locale = i18n.locale();
        if open {
            (t().amount_hint)(&min.format(locale), &available.format(locale))
        } else {
            (t().below_minimum)(&min.format(locale))
        }
    };
    view! {
        <section class="card stack">
            <h2 class="card__title">{move || t().request_title}</h2>
            <p id="payout-limits" class=if open { "muted" } else { "alert alert--info" }>{limits}</p>
            {move || succeeded(request).get().then(|| view! {
                <div class="alert alert--success" role="status">{t().requested}</div>
            })}
            <ActionForm action=request attr:class="form payout-form"
                attr:novalidate=true>
                <fieldset class="form" disabled=!open>
                    <FormError error />
                    <TextField label=Signal::derive(move || t().amount) name="amount" inputmode="decimal"
                        autocomplete="off" required=true maxlength=16 error=amount_error />
                    <div class="form-actions">
                        <SubmitButton label=Signal::derive(move || t().request_submit) pending=request.pending().into() />
                    </div>
                </fieldset>
            </ActionForm>
        </section>
    }
}

/// The chart's figures, month by month in the chart's order.
#[component]
fn RevenueTable(periods: Vec<RevenuePeriod>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    let cell = move |m: Money| view! { <td class="num nowrap">{move || m.format(i18n.locale())}</td> };
    // On a phone the table scrolls sideways: the keyboard must reach the scroller.
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=move || t().revenue_title>
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{move || t().month}</th>
                        <th scope="col" class="num">{move || t().gross}</th>
                        <th scope="col" class="num">{move || t().commission}</th>
                        <th scope="col" class="num">{move || t().refunds}</th>
                        <th scope="col" class="num">{move || t().net}</th>
                    </tr>
                </thead>
                <tbody>
                    {periods.into_iter().map(|p| {
                        let period = p.period;
                        view! {
                            <tr>
                                <th scope="row" class="nowrap">{move || (t().period)(&period)}</th>
                                {cell(p.gross)}
                                {cell(p.commission)}
                                {cell(p.refunds)}
                                {cell(p.net)}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The last `months` months up to `today`'s, oldest first, each as `periods` has it
/// or as zeros: the ledger only knows months with sales or refunds.
pub fn every_month(periods: Vec<RevenuePeriod>, today: NaiveDate, months: u32, currency: &str) -> Vec<RevenuePeriod> {
    let now = today.year() * 12 + today.month0() as i32;
    (0..months as i32)
        .rev()
        .map(|back| {
            let index = now - back;
            let period = format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1);
            periods.iter().find(|p| p.period == period).cloned().unwrap_or_else(|| {
                let zero = Money::new(0, currency);
                RevenuePeriod {
                    period,
                    gross: zero.clone(),
                    commission: zero.clone(),
                    refunds: zero.clone(),
                    net: zero,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(period: &str, net: i64) -> RevenuePeriod {
        let m = |minor| Money::new(minor, "USD");
        RevenuePeriod { period: period.to_owned(), gross: m(net), commission: m(0), refunds: m(0), net: m(net) }
    }

    #[test]
    fn every_month_fills_the_months_without_sales_with_zeros_across_a_new_year() {
        let today = NaiveDate::from_ymd_opt(2026, 2, 14).unwrap_or_default();
        let months = every_month(vec![period("2025-12", 500)], today, 4, "USD");
        let names: Vec<&str> = months.iter().map(|p| p.period.as_str()).collect();
        assert_eq!(names, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(months[1].net.minor, 500);
        assert_eq!(months[0].net, Money::new(0, "USD"));
    }
}

//! `/admin/orders/{number}`: one order as an admin sees it (the customer, where it
//! ships, the card, each creator's sub-order with its commission and history) and a
//! refund form under every sub-order that has money left to give back.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::{
    catalog::Money,
    orders::{OrderView, SubOrderView},
};

use super::{
    sales_api::{RefundSubOrder, admin_order},
    short_time,
};
use crate::{
    components::{
        actions::{UnplacedFieldErrors, posted_row, row_error, succeeded},
        address::AddressLines,
        commerce::{AmountRow, LineList, StatusBadge, TestOrderBadge, Timeline, Tracking},
        form::{FormError, TextField, action_error, field_error},
    },
    error::AppError,
    i18n::use_i18n,
};

#[component]
pub fn AdminOrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let refund = ServerAction::<RefundSubOrder>::new();
    let order = Resource::new(move || params.read().get("number").unwrap_or_default(), admin_order);
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(o) => view! { <Order o refund /> }.into_any(),
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Order(o: OrderView, refund: ServerAction<RefundSubOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    let number = o.number.clone();
    let title = move || (t().order_title)(&number);
    let placed = short_time(&o.placed_at);
    let total = o.total.clone();
    let error = action_error(refund.into());
    let last = posted_row(refund, "sub_order");
    let payment = o.payment.clone();
    // With one refund form on the page, an error returned without JavaScript is its own.
    let single = o.sub_orders.iter().filter(|s| left_to_refund(s).is_some()).count() == 1;
    view! {
        <Title text=title.clone() />
        <header class="stack">
            <p class="eyebrow"><a href="/admin/orders">{move || i18n.t().fulfil.search_orders}</a></p>
            <div class="order-head">
                <div>
                    <h1 class="console__title">{title}</h1>
                    <p class="muted">{move || (t().placed_on)(&placed)} " " <TestOrderBadge is_test=o.is_test /></p>
                </div>
                <p class="order-head__total">{move || total.format(i18n.locale())}</p>
            </div>
        </header>
        <FormError error />
        <UnplacedFieldErrors error placed=single || last.is_some() label=field_label />
        {move || succeeded(refund).get().then(|| view! {
            <div class="alert alert--success" role="status">{i18n.t().fulfil.refund_done}</div>
        })}
        <section class="card">
            <dl class="kv">
                <dt>{move || i18n.t().fulfil.customer}</dt>
                <dd>{o.customer_name.clone()} <br /> <a href=format!("mailto:{}", o.customer_email)>{o.customer_email.clone()}</a></dd>
                <dt>{move || t().step_ship_to}</dt>
                <dd><AddressLines address=o.ship_to /></dd>
                {payment.map(|p| {
                    let status = p.status;
                    view! {
                        <dt>{move || t().payment}</dt>
                        <dd>{p.card} " · " <span class="muted">{move || (i18n.t().fulfil.payment_status)(&status)}</span></dd>
                    }
                })}
            </dl>
        </section>
        {o.sub_orders.into_iter().map(|sub| {
            let error = if single { error } else { row_error(error, &last, &sub.number) };
            view! { <SubOrder sub refund error /> }
        }).collect_view()}
    }
}

#[component]
fn SubOrder(sub: SubOrderView, refund: ServerAction<RefundSubOrder>, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    let number = sub.number.clone();
    let left = left_to_refund(&sub);
    let refunded = (sub.refunded.minor != 0).then(|| sub.refunded.clone());
    view! {
        <section class="card sub-order stack">
            <header class="sub-order__head">
                <h2 class="cart-group__maker">
                    <a href=format!("/creators/{}", sub.creator_slug)>{sub.creator_name.clone()}</a>
                </h2>
                <span class="muted mono">{move || (t().sub_order_number)(&number)}</span>
                <StatusBadge status=sub.status />
            </header>
            <Tracking carrier=sub.carrier tracking_number=sub.tracking_number />
            <LineList lines=sub.lines />
            <AmountRow label=Signal::derive(move || i18n.t().cart.subtotal) amount=sub.subtotal />
            {sub.commission.map(|amount| view! { <AmountRow label=Signal::derive(move || i18n.t().fulfil.commission) amount /> })}
            {refunded.map(|amount| view! { <AmountRow label=Signal::derive(move || t().refunded) amount /> })}
            <h3 class="sub-order__history">{move || t().history}</h3>
            <Timeline entries=sub.timeline />
            {match left {
                Some(_) if sub.own_case => {
                    Some(view! { <p class="muted">{move || i18n.t().portal.own_case_short}</p> }.into_any())
                }
                Some(left) => Some(view! { <RefundForm number=sub.number left refund error /> }.into_any()),
                None => None,
            }}
        </section>
    }
}

fn field_label(t: &'static crate::i18n::Texts, field: &str) -> &'static str {
    if field == "amount" { t.fulfil.refund_amount } else { t.fulfil.refund_reason }
}

/// What may still be given back, if the sub-order is refundable at all.
fn left_to_refund(sub: &SubOrderView) -> Option<Money> {
    let left = sub.subtotal.minor - sub.refunded.minor;
    (sub.status.refundable() && left > 0).then(|| Money::new(left, sub.subtotal.currency.clone()))
}

/// Gives back part or all of what is left; the reason goes on the customer's timeline.
#[component]
fn RefundForm(
    number: String,
    left: Money,
    refund: ServerAction<RefundSubOrder>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().fulfil;
    let label = {
        let number = number.clone();
        move || (t().refund_label)(&number)
    };
    view! {
        <ActionForm action=refund attr:class="form sub-order__refund">
            <h3 class="sub-order__history">{move || t().refund_title}</h3>
            <p class="muted">{move || (t().refund_amount_hint)(&left.format(i18n.locale()))}</p>
            <input type="hidden" name="sub_order" value=number.clone() />
            <div class="field-row">
                <TextField label=Signal::derive(move || t().refund_amount) name="amount" id=format!("amount-{number}")
                    inputmode="decimal" autocomplete="off" maxlength=16 error=field_error(error, "amount") />
                <TextField label=Signal::derive(move || t().refund_reason) name="reason" id=format!("reason-{number}")
                    required=true maxlength=500 error=field_error(error, "reason") />
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn--danger" aria-label=label.clone() title=label
                    aria-busy=move || refund.pending().get().then_some("true")>
                    {move || t().refund_submit}
                </button>
            </div>
        </ActionForm>
    }
}

//! Pieces of orders and payouts that customers, the creator portal and the admin
//! console show alike: a list of orders, a sub-order's status, lines, amounts,
//! tracking and history, and a list of payouts.

use leptos::prelude::*;
use types::{
    ErrorCode,
    catalog::Money,
    money::{PayoutStatus, PayoutView},
    orders::{OrderLine, OrderSummary, SubOrderStatus, TimelineEntry},
};

use crate::{
    components::time::{machine_time, short_time},
    i18n::use_i18n,
};

/// Order groups, one a row, each linked to `{base}/{number}`: the customer's own at
/// `/orders`, any at `/admin/orders` (which adds whose they are).
#[component]
pub fn OrderTable(rows: Vec<OrderSummary>, base: &'static str, #[prop(optional)] with_customer: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    let customer = move || i18n.t().fulfil.customer;
    view! {
        <div class="table-wrap">
            <table class="table table--stack">
                <thead>
                    <tr>
                        <th scope="col">{move || t().order}</th>
                        <th scope="col">{move || t().placed}</th>
                        {with_customer.then(|| view! { <th scope="col">{customer}</th> })}
                        <th scope="col">{move || t().items}</th>
                        <th scope="col" class="num">{move || t().total}</th>
                        <th scope="col">{move || t().status}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|o| {
                        let total = o.total.clone();
                        view! {
                            <tr>
                                <td data-label=move || t().order>
                                    <a class="mono" href=format!("{base}/{}", o.number)>{o.number.clone()}</a>
                                    " "<TestOrderBadge is_test=o.is_test />
                                </td>
                                <td class="nowrap" data-label=move || t().placed>{short_time(&o.placed_at)}</td>
                                {with_customer.then(|| view! { <td data-label=customer>{o.customer_email.clone()}</td> })}
                                <td data-label=move || t().items>{o.items}</td>
                                <td class="num nowrap" data-label=move || t().total>{move || total.format(i18n.locale())}</td>
                                <td data-label=move || t().status>
                                    <span class="badge-row">
                                        {o.statuses.into_iter().map(|status| view! { <StatusBadge status /> }).collect_view()}
                                    </span>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Marks an order paid through the payment sandbox: no real money moved, so nothing
/// should ship and nothing will be paid out.
#[component]
pub fn TestOrderBadge(is_test: bool) -> impl IntoView {
    let i18n = use_i18n();
    is_test.then(|| view! { <span class="badge badge--test">{move || i18n.t().orders.test_order}</span> })
}

/// The products of a sub-order, each with quantity, price and line total.
#[component]
pub fn LineList(
    lines: Vec<OrderLine>,
    /// What goes under a line: its rating, to show or to give.
    #[prop(default = None)]
    under: Option<Callback<OrderLine, AnyView>>,
) -> impl IntoView {
    view! {
        <ul class="item-lines">
            {lines.into_iter().map(|line| {
                let total = line.total();
                let below = under.map(|under| under.run(line.clone()));
                view! {
                    <ItemLine name=line.name href=format!("/p/{}", line.slug) quantity=line.quantity
                        unit=line.unit_price total>
                        {below}
                    </ItemLine>
                }
            }).collect_view()}
        </ul>
    }
}

/// The carrier and tracking number, once shipped.
#[component]
pub fn Tracking(carrier: Option<String>, tracking_number: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    (carrier.is_some() || tracking_number.is_some()).then(|| {
        view! {
            <dl class="kv sub-order__tracking">
                {carrier.map(|c| view! { <dt>{move || t().carrier}</dt><dd>{c}</dd> })}
                {tracking_number.map(|n| view! { <dt>{move || t().tracking_number}</dt><dd class="mono">{n}</dd> })}
            </dl>
        }
    })
}

/// Every status a sub-order went through, oldest first, with its note.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline">
            {entries.into_iter().map(|entry| {
                let status = entry.status;
                // A cancellation's note is the reason's code: shown in the reader's language.
                let code = (status == SubOrderStatus::Cancelled)
                    .then(|| serde_json::from_value::<ErrorCode>(serde_json::Value::String(entry.note.clone())).ok())
                    .flatten();
                let note = entry.note;
                let has_note = !note.is_empty();
                let text = move || code.map_or_else(|| note.clone(), |c| (i18n.t().error)(c).to_owned());
                view! {
                    <li class="timeline__entry">
                        <strong>{move || (i18n.t().orders.status_name)(status)}</strong>
                        <time datetime=machine_time(&entry.at)>{short_time(&entry.at)}</time>
                        {has_note.then(|| view! { <p>{text}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// A payout's status as a coloured label.
#[component]
pub fn PayoutBadge(status: PayoutStatus) -> impl IntoView {
    let i18n = use_i18n();
    let tone = match status {
        PayoutStatus::Requested => "warn",
        PayoutStatus::Approved => "info",
        PayoutStatus::Rejected => "danger",
        PayoutStatus::Paid => "ok",
    };
    view! { <span class=format!("badge badge--{tone}")>{move || (i18n.t().finance.payout_status)(status)}</span> }
}

/// Payouts with their dates and what came of them: the reason a rejected one gives,
/// the bank's reference of a paid one. `with_creator` adds whose they are.
#[component]
pub fn PayoutTable(payouts: Vec<PayoutView>, #[prop(optional)] with_creator: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| at.as_ref().map_or_else(|| "—".to_owned(), short_time);
    view! {
        <div class="table-wrap">
            <table class="table table--stack">
                <thead>
                    <tr>
                        {with_creator.then(|| view! { <th scope="col">{move || t().creator}</th> })}
                        <th scope="col">{move || t().amount}</th>
                        <th scope="col">{move || i18n.t().orders.status}</th>
                        <th scope="col">{move || t().requested_at}</th>
                        <th scope="col">{move || t().decided_at}</th>
                        <th scope="col">{move || t().paid_at}</th>
                        <th scope="col">{move || t().note}</th>
                    </tr>
                </thead>
                <tbody>
                    {payouts.into_iter().map(|p| {
                        let amount = p.amount.clone();
                        // The reason of a rejected payout, the bank's reference of a paid one.
                        let note = match (p.status, p.reason, p.reference) {
                            (PayoutStatus::Rejected, Some(r), _) => Some((true, r)),
                            (PayoutStatus::Paid, _, Some(r)) => Some((false, r)),
                            _ => None,
                        };
                        view! {
                            <tr>
                                {with_creator.then(|| view! { <td data-label=move || t().creator>{p.creator_name.clone()}</td> })}
                                <td class="num nowrap" data-label=move || t().amount>{move || amount.format(i18n.locale())}</td>
                                <td data-label=move || i18n.t().orders.status><PayoutBadge status=p.status /></td>
                                <td class="nowrap" data-label=move || t().requested_at>{short_time(&p.requested_at)}</td>
                                <td class="nowrap" data-label=move || t().decided_at>{when(p.decided_at)}</td>
                                <td class="nowrap" data-label=move || t().paid_at>{when(p.paid_at)}</td>
                                <td data-label=move || t().note>
                                    {note.map(|(rejected, text)| view! {
                                        <span class="pre-wrap">{move || {
                                            let label = if rejected { t().rejected_because } else { t().paid_reference };
                                            label(&text)
                                        }}</span>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A sub-order's status as a coloured label.
#[component]
pub fn StatusBadge(status: SubOrderStatus) -> impl IntoView {
    let i18n = use_i18n();
    let tone = match status {
        SubOrderStatus::PendingPayment => "warn",
        SubOrderStatus::Paid | SubOrderStatus::Shipped => "info",
        SubOrderStatus::Delivered => "ok",
        SubOrderStatus::Cancelled => "danger",
        SubOrderStatus::Refunded | SubOrderStatus::PartiallyRefunded => "muted",
    };
    view! { <span class=format!("badge badge--{tone}")>{move || (i18n.t().orders.status_name)(status)}</span> }
}

/// One line of an order or of its review: the product, quantity × price, and what
/// the line costs. `children` (a notice) go under it.
#[component]
pub fn ItemLine(
    name: String,
    #[prop(optional)] href: Option<String>,
    quantity: i32,
    unit: Money,
    total: Money,
    /// Not bought as it stands (sold out, withdrawn).
    #[prop(optional)]
    out: bool,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = match href {
        Some(href) => view! { <a class="item-line__name" href=href>{name}</a> }.into_any(),
        None => view! { <span class="item-line__name">{name}</span> }.into_any(),
    };
    view! {
        <li class="item-line" class:item-line--out=out>
            {name}
            <span class="muted nowrap">{move || (i18n.t().orders.line_quantity)(quantity, &unit.format(i18n.locale()))}</span>
            <strong class="item-line__total">{move || total.format(i18n.locale())}</strong>
            {children.map(|c| c())}
        </li>
    }
}

/// A labelled amount on its own line: a subtotal, a refund.
#[component]
pub fn AmountRow(label: Signal<&'static str>, amount: Money) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="cart-group__subtotal">
            <span>{move || label.get()}</span>
            <strong>{move || amount.format(i18n.locale())}</strong>
        </p>
    }
}

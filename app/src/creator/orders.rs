//! `/creator/orders`: the creator's part of each order; `/creator/orders/{number}`:
//! one of them, with where to ship it, what it earns, the forms to mark it shipped
//! and delivered, and the customer's published reviews.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::{
    catalog::Money,
    orders::{CreatorOrderSummary, OrderLine, SubOrderStatus, SubOrderView},
    ratings::{OwnRating, RatingStatus},
};

use super::sales_api::{CreatorOrderDetail, DeliverOrder, ShipOrder, creator_order, creator_orders};
use crate::{
    components::{
        actions::succeeded,
        address::AddressLines,
        commerce::{AmountRow, LineList, StatusBadge, TestOrderBadge, Timeline, Tracking},
        form::{FormError, SubmitButton, TextField, action_error, field_error},
        list::list_or_empty,
        rating::GivenStars,
        time::short_time,
    },
    i18n::use_i18n,
};

#[component]
pub fn CreatorOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let list = Resource::new(|| (), |_| creator_orders());
    view! {
        <Title text=move || t().fulfil.orders_title />
        <h1 class="console__title">{move || t().fulfil.orders_title}</h1>
        <p class="muted measure">{move || t().fulfil.orders_lead}</p>
        <Transition>
            {move || Suspend::new(async move {
                let o = t().orders;
                list_or_empty(t(), list.await, t().fulfil.orders_empty, |rows| view! {
                    <div class="table-wrap">
                        <table class="table table--stack">
                            <thead>
                                <tr>
                                    <th scope="col">{o.order}</th>
                                    <th scope="col">{o.placed}</th>
                                    <th scope="col">{o.step_ship_to}</th>
                                    <th scope="col">{o.items}</th>
                                    <th scope="col">{t().cart.subtotal}</th>
                                    <th scope="col">{o.status}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|order| view! { <OrderRow order /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any())
            })}
        </Transition>
    }
}

#[component]
fn OrderRow(order: CreatorOrderSummary) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    let subtotal = order.subtotal.clone();
    view! {
        <tr>
            <td data-label=move || t().order>
                <a class="mono" href=format!("/creator/orders/{}", order.number)>{order.number.clone()}</a>
                " "<TestOrderBadge is_test=order.is_test />
            </td>
            <td class="nowrap" data-label=move || t().placed>{short_time(&order.placed_at)}</td>
            <td data-label=move || t().step_ship_to>{order.ship_to_name.clone()}</td>
            <td data-label=move || t().items>{order.items}</td>
            <td class="num nowrap" data-label=move || i18n.t().cart.subtotal>{move || subtotal.format(i18n.locale())}</td>
            <td data-label=move || t().status><StatusBadge status=order.status /></td>
        </tr>
    }
}

#[component]
pub fn CreatorOrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let ship = ServerAction::<ShipOrder>::new();
    let deliver = ServerAction::<DeliverOrder>::new();
    let order = Resource::new(move || params.read().get("number").unwrap_or_default(), creator_order);
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(o) => view! { <OrderDetail o ship deliver /> }.into_any(),
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OrderDetail(
    o: CreatorOrderDetail,
    ship: ServerAction<ShipOrder>,
    deliver: ServerAction<DeliverOrder>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().fulfil;
    let sub = o.order.sub_order;
    let number = sub.number.clone();
    let title = move || (i18n.t().orders.order_title)(&number);
    let (group, placed) = (o.order.group_number, short_time(&o.order.placed_at));
    let commission = sub.commission.clone().map(|c| Money::new(-c.minor, c.currency));
    let refunds = (o.refunds_net.minor != 0).then(|| Money::new(-o.refunds_net.minor, o.refunds_net.currency));
    let timeline = sub.timeline.clone();
    let line_review = Callback::new(move |line: OrderLine| {
        view! { <PublishedReview rating=line.rating title=Signal::derive(move || i18n.t().ratings.customer_review) /> }
            .into_any()
    });
    view! {
        <Title text=title.clone() />
        <header class="stack">
            <p class="eyebrow"><a href="/creator/orders">{move || t().orders_title}</a></p>
            <h1 class="console__title">{title}</h1>
            <p class="row">
                <StatusBadge status=sub.status />
                <TestOrderBadge is_test=o.order.is_test />
                <span class="muted">{move || (t().part_of)(&group, &placed)}</span>
            </p>
        </header>
        {move || succeeded(ship).get().then(|| view! {
            <div class="alert alert--success" role="status">{t().shipped_done}</div>
        })}
        {move || succeeded(deliver).get().then(|| view! {
            <div class="alert alert--success" role="status">{t().delivered_done}</div>
        })}
        <div class="order-columns">
            <section class="card stack">
                <h2 class="card__title">{move || i18n.t().orders.step_ship_to}</h2>
                <AddressLines address=o.order.ship_to />
            </section>
            <Fulfilment sub=sub.clone() ship deliver />
        </div>
        <section class="card stack">
            <h2 class="card__title">{move || t().items_title}</h2>
            <LineList lines=sub.lines under=Some(line_review) />
            <PublishedReview rating=sub.maker_rating title=Signal::derive(move || i18n.t().ratings.customer_shop_review) />
        </section>
        <section class="card stack earnings">
            <h2 class="card__title">{move || t().earnings_title}</h2>
            <AmountRow label=Signal::derive(move || i18n.t().cart.subtotal) amount=sub.subtotal />
            {commission.map(|amount| view! { <AmountRow label=Signal::derive(move || t().commission) amount /> })}
            {refunds.map(|amount| view! { <AmountRow label=Signal::derive(move || t().refunds_net) amount /> })}
            <div class="earnings__total">
                <AmountRow label=Signal::derive(move || t().you_receive) amount=o.you_receive />
            </div>
        </section>
        <section class="card stack">
            <h2 class="card__title">{move || i18n.t().orders.history}</h2>
            <Timeline entries=timeline />
        </section>
    }
}

/// What the creator can do next: ship a paid sub-order, mark a shipped one delivered.
/// A partly refunded one may be either, so its history decides.
#[component]
fn Fulfilment(sub: SubOrderView, ship: ServerAction<ShipOrder>, deliver: ServerAction<DeliverOrder>) -> impl IntoView {
    use SubOrderStatus::*;
    let i18n = use_i18n();
    let t = move || i18n.t().fulfil;
    let went = |s: SubOrderStatus| sub.timeline.iter().any(|e| e.status == s);
    let (was_shipped, was_delivered) = (went(Shipped), went(Delivered));
    let tracking = view! { <Tracking carrier=sub.carrier.clone() tracking_number=sub.tracking_number.clone() /> };
    let next = match sub.status {
        Paid => view! { <ShipForm number=sub.number ship /> }.into_any(),
        PartiallyRefunded if !was_shipped => view! { <ShipForm number=sub.number ship /> }.into_any(),
        Shipped => view! { {tracking} <DeliverForm number=sub.number deliver /> }.into_any(),
        PartiallyRefunded if !was_delivered => {
            view! { {tracking} <DeliverForm number=sub.number deliver /> }.into_any()
        }
        Delivered | PartiallyRefunded => {
            view! { {tracking} <p class="muted">{move || t().delivered_note}</p> }.into_any()
        }
        PendingPayment => view! { <p class="muted">{move || t().awaiting_payment}</p> }.into_any(),
        Cancelled | Refunded => view! { <p class="muted">{move || t().closed_note}</p> }.into_any(),
    };
    view! {
        <section class="card stack">
            <h2 class="card__title">{move || t().shipping_title}</h2>
            {next}
        </section>
    }
}

#[component]
fn ShipForm(number: String, ship: ServerAction<ShipOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let error = action_error(ship.into());
    view! {
        <p class="muted">{move || t().fulfil.ship_lead}</p>
        <ActionForm action=ship attr:class="form" attr:novalidate=true>
            <FormError error />
            <input type="hidden" name="number" value=number />
            <TextField label=Signal::derive(move || t().orders.carrier) name="carrier" required=true maxlength=60
                hint=Signal::derive(move || t().fulfil.carrier_hint) error=field_error(error, "carrier") />
            <TextField label=Signal::derive(move || t().orders.tracking_number) name="tracking_number" required=true
                maxlength=60 autocomplete="off" error=field_error(error, "tracking_number") />
            <div class="form-actions">
                <SubmitButton label=Signal::derive(move || t().fulfil.mark_shipped) pending=ship.pending().into() />
            </div>
        </ActionForm>
    }
}

#[component]
fn DeliverForm(number: String, deliver: ServerAction<DeliverOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().fulfil;
    let error = action_error(deliver.into());
    view! {
        <p class="muted">{move || t().shipped_note}</p>
        <FormError error />
        <ActionForm action=deliver>
            <input type="hidden" name="number" value=number />
            <SubmitButton label=Signal::derive(move || t().mark_delivered) pending=deliver.pending().into() />
        </ActionForm>
    }
}

/// A customer's review once it is published; until then it stays between them and
/// the reviewers.
#[component]
fn PublishedReview(rating: Option<OwnRating>, title: Signal<&'static str>) -> impl IntoView {
    rating.filter(|r| r.status == RatingStatus::Approved).map(|r| {
        view! {
            <div class="own-rating">
                <h3 class="own-rating__title">{move || title.get()}</h3>
                <p class="own-rating__head"><GivenStars stars=r.stars /></p>
                <p class="pre-wrap">{r.body}</p>
            </div>
        }
    })
}

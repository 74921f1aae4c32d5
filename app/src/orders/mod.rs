//! A customer's orders: the list at `/orders`, and one order at `/orders/{number}`
//! with each maker's part, its status and its history. An order whose payment the
//! card network confirms later is read again every two seconds until it settles.

pub mod api;
mod rating;

use std::time::Duration;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::{
    catalog::Money,
    orders::{OrderLine, OrderView, SubOrderStatus, SubOrderView},
};

use self::{
    api::{CancelSubOrder, order_detail, orders},
    rating::{LineRating, MakerRating, RatingActions},
};
use crate::{
    components::time::short_time,
    components::{
        address::AddressLines,
        commerce::{LineList, OrderTable, Timeline, Tracking},
        form::{FormError, action_error},
        guard::Guard,
        list::list_or_empty,
    },
    error::AppError,
    i18n::use_i18n,
};

/// How often an order awaiting its payment is read again.
const POLL: Duration = Duration::from_secs(2);

#[component]
pub fn OrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.t().orders.orders_title />
        <Guard children=|_| view! { <OrderList /> } />
    }
}

#[component]
fn OrderList() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let list = Resource::new(|| (), |_| orders());
    view! {
        <div class="container section">
            <h1 class="section__title">{move || t().orders.orders_title}</h1>
            <Transition>
                {move || Suspend::new(async move {
                    let o = t().orders;
                    list_or_empty(t(), list.await, o.orders_empty, |rows| {
                        view! { <OrderTable rows base="/orders" /> }.into_any()
                    })
                })}
            </Transition>
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

#[component]
pub fn OrderPage() -> impl IntoView {
    view! { <Guard children=|_| view! { <OrderDetail /> } /> }
}

#[component]
fn OrderDetail() -> impl IntoView {
    let params = use_params_map();
    let tick = RwSignal::new(0u32);
    let cancel = ServerAction::<CancelSubOrder>::new();
    let ratings = RatingActions::new();
    let order = Resource::new(
        move || {
            (params.read().get("number").unwrap_or_default(), tick.get(), cancel.version().get(), ratings.accepted())
        },
        |(number, ..)| order_detail(number),
    );
    poll_while_awaiting(order, tick);
    view! {
        <FormError error=action_error(cancel.into()) />
        <Transition>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(o) => view! { <Order o cancel ratings /> }.into_any(),
                    Err(e) => crate::storefront::not_loaded(e),
                }
            })}
        </Transition>
    }
}

fn awaiting_payment(o: &OrderView) -> bool {
    o.sub_orders.iter().any(|s| s.status == SubOrderStatus::PendingPayment)
}

/// In the browser: reads the order again after a while as long as a payment awaits
/// the card network. Leaving the page cancels the pending read. Once it settles the
/// header's cart is read again (a paid checkout empties the cart).
fn poll_while_awaiting(order: Resource<Result<OrderView, AppError>>, tick: RwSignal<u32>) {
    let cart = crate::cart::changes();
    Effect::new(move |was_awaiting: Option<bool>| {
        // Nothing to decide while a read is under way.
        let Some(awaiting) = order.with(|o| o.as_ref().map(|o| o.as_ref().is_ok_and(awaiting_payment))) else {
            return was_awaiting.unwrap_or(false);
        };
        if awaiting && let Ok(handle) = set_timeout_with_handle(move || tick.update(|n| *n += 1), POLL) {
            on_cleanup(move || handle.clear());
        }
        if was_awaiting == Some(true) && !awaiting {
            cart.bump();
        }
        awaiting
    });
}

#[component]
fn Order(o: OrderView, cancel: ServerAction<CancelSubOrder>, ratings: RatingActions) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    let number = o.number.clone();
    let placed = short_time(&o.placed_at);
    let total = o.total.clone();
    let card = o.payment.as_ref().map(|p| p.card.clone());
    view! {
        <Title text={
            let number = number.clone();
            move || (t().order_title)(&number)
        } />
        <div class="container section order-page stack">
            <p><a href="/orders">{move || t().all_orders}</a></p>
            <header class="order-head">
                <div>
                    <h1 class="section__title">{
                        let number = number.clone();
                        move || (t().order_title)(&number)
                    }</h1>
                    <p class="muted">{move || (t().placed_on)(&placed)}</p>
                </div>
                <p class="order-head__total">{move || total.format(i18n.locale())}</p>
            </header>
            <OrderBanner o=o.clone() />
            <dl class="kv">
                <dt>{move || t().step_ship_to}</dt>
                <dd><AddressLines address=o.ship_to /></dd>
                {card.map(|card| view! {
                    <dt>{move || t().payment}</dt>
                    <dd>{card}</dd>
                })}
            </dl>
            {o.sub_orders.into_iter().map(|sub| view! { <SubOrderCard sub cancel ratings /> }).collect_view()}
        </div>
    }
}

/// Placed, waiting for the card network, or cancelled.
#[component]
fn OrderBanner(o: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    if awaiting_payment(&o) {
        // Without JavaScript nothing polls: the link reads the order again.
        view! {
            <div class="alert alert--info" role="status">
                <p>{move || t().awaiting_payment}</p>
                <a href=format!("/orders/{}", o.number)>{move || t().reload}</a>
            </div>
        }
        .into_any()
    } else if o.sub_orders.iter().all(|s| s.status == SubOrderStatus::Cancelled) {
        view! { <div class="alert alert--error" role="status">{move || t().order_cancelled}</div> }.into_any()
    } else {
        view! { <div class="alert alert--success" role="status">{move || t().thank_you}</div> }.into_any()
    }
}

/// One maker's part: what they ship, where it stands, and how it got there; once
/// delivered, the customer's ratings of each product and of the maker.
#[component]
fn SubOrderCard(sub: SubOrderView, cancel: ServerAction<CancelSubOrder>, ratings: RatingActions) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    let maker = sub.creator_name.clone();
    let number = sub.number.clone();
    let refunded = (sub.refunded.minor != 0).then(|| sub.refunded.clone());
    let cancellable = sub.status.cancellable().then(|| sub.number.clone());
    let rate_line = sub.can_rate.then(|| {
        let number = sub.number.clone();
        Callback::new(move |line: OrderLine| {
            view! { <LineRating number=number.clone() line actions=ratings /> }.into_any()
        })
    });
    let rate_maker = sub.can_rate.then(|| {
        view! { <MakerRating number=sub.number.clone() maker=sub.creator_name.clone() rating=sub.maker_rating actions=ratings /> }
            .into_any()
    });
    view! {
        <section class="card sub-order stack">
            <header class="sub-order__head">
                <h2 class="cart-group__maker">
                    <a href=format!("/creators/{}", sub.creator_slug)>{move || (t().shipped_by)(&maker)}</a>
                </h2>
                <span class="muted mono">{move || (t().sub_order_number)(&number)}</span>
                <StatusBadge status=sub.status />
            </header>
            <Tracking carrier=sub.carrier tracking_number=sub.tracking_number />
            <LineList lines=sub.lines under=rate_line />
            <AmountRow label=Signal::derive(move || i18n.t().cart.subtotal) amount=sub.subtotal />
            {refunded.map(|amount| view! { <AmountRow label=Signal::derive(move || t().refunded) amount /> })}
            {rate_maker}
            {cancellable.map(|number| view! {
                <ActionForm action=cancel attr:class="sub-order__cancel">
                    <input type="hidden" name="number" value=number />
                    <p class="muted">{move || t().cancel_note}</p>
                    <button type="submit" class="btn btn--ghost" disabled=move || cancel.pending().get()>
                        {move || t().cancel_part}
                    </button>
                </ActionForm>
            })}
            <h3 class="sub-order__history">{move || t().history}</h3>
            <Timeline entries=sub.timeline />
        </section>
    }
    // Erased so the page's type stays within the compiler's depth limit.
    .into_any()
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

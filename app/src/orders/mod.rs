//! A customer's orders: the list at `/orders`, and one order at `/orders/{number}`
//! with each maker's part, its status and its history. An order whose payment the
//! card network confirms later is asked about every two seconds, and its page
//! reloaded once it settled.

pub mod api;
mod rating;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::orders::{OrderLine, OrderView, SubOrderStatus, SubOrderView};

use self::{
    api::{CancelSubOrder, order_detail, orders},
    rating::{LineRating, MakerRating, RatingActions},
};
use crate::{
    components::{
        address::AddressLines,
        commerce::{AmountRow, LineList, OrderTable, StatusBadge, TestOrderBadge, Timeline, Tracking},
        form::{FormError, action_error},
        guard::Guard,
        list::list_or_empty,
        query::query_flag,
        time::short_time,
    },
    i18n::use_i18n,
};

/// How often the page of an order awaiting its payment asks about it.
#[cfg(feature = "hydrate")]
const POLL: std::time::Duration = std::time::Duration::from_secs(2);

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

#[component]
pub fn OrderPage() -> impl IntoView {
    view! { <Guard children=|_| view! { <OrderDetail /> } /> }
}

#[component]
fn OrderDetail() -> impl IntoView {
    let params = use_params_map();
    let cancel = ServerAction::<CancelSubOrder>::new();
    let ratings = RatingActions::new();
    let order = Resource::new(move || params.read().get("number").unwrap_or_default(), order_detail);
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

pub(crate) fn awaiting_payment(o: &OrderView) -> bool {
    o.sub_orders.iter().any(|s| s.status == SubOrderStatus::PendingPayment)
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
                    <p class="muted">{move || (t().placed_on)(&placed)} " " <TestOrderBadge is_test=o.is_test /></p>
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

/// While the card network has not answered: with JavaScript the page asks and reloads
/// itself once the payment settled; without, the link reads the order again.
#[island]
fn AwaitingPayment(number: String) -> impl IntoView {
    let t = use_i18n().t().orders;
    let href = format!("/orders/{number}");
    #[cfg(feature = "hydrate")]
    reload_when_settled(number);
    view! {
        <div class="alert alert--info" role="status">
            <p>{t.awaiting_payment}</p>
            <a href=href>{t.reload}</a>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn reload_when_settled(number: String) {
    set_timeout(
        move || {
            leptos::task::spawn_local(async move {
                match api::order_awaits_payment(number.clone()).await {
                    Ok(false) => {
                        let _ = window().location().reload();
                    }
                    _ => reload_when_settled(number),
                }
            })
        },
        POLL,
    );
}

/// Placed, waiting for the card network, or cancelled.
#[component]
fn OrderBanner(o: OrderView) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    if awaiting_payment(&o) {
        view! { <AwaitingPayment number=o.number.clone() /> }.into_any()
    } else if o.sub_orders.iter().all(|s| s.status == SubOrderStatus::Cancelled) {
        view! { <div class="alert alert--error" role="status">{move || t().order_cancelled}</div> }.into_any()
    } else {
        // Just placed (checkout sends the browser here with `?placed=1`): the
        // confirmation takes the focus, so a screen reader reads it first.
        let placed = query_flag("placed").get_untracked();
        view! {
            <div class="alert alert--success" role="status" tabindex=placed.then_some("-1") autofocus=placed>
                {move || t().thank_you}
            </div>
        }
        .into_any()
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

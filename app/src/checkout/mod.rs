//! The `/checkout` page: where the order ships, what each maker will send and what
//! it costs, then the card. One plain form that works without JavaScript; with it,
//! a refused order keeps what was typed and the review is read again.

pub mod api;

use leptos::prelude::*;
use leptos_meta::Title;
use types::{
    cart::{CartGroup, CartLine, CartView, LineNotice},
    checkout::{SavedAddress, TEST_CARDS},
};

use self::api::{PlaceOrder, checkout};
use crate::{
    cart::NoticeView,
    components::{
        address::{AddressLines, ShipToFields},
        commerce::{AmountRow, ItemLine},
        form::{FormError, TextField, action_error, field_error},
        guard::Guard,
    },
    error::AppError,
    i18n::use_i18n,
};

/// The fields of a typed address: an error on one means the new address was chosen.
const ADDRESS_FIELDS: [&str; 8] = ["full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone"];

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.t().orders.checkout_title />
        <Guard children=|_| view! { <Checkout /> } />
    }
}

#[component]
fn Checkout() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    let place = ServerAction::<PlaceOrder>::new();
    let page = Resource::new(|| (), |_| checkout());
    view! {
        <div class="container section checkout-page">
            <h1 class="section__title">{move || t().checkout_title}</h1>
            <Transition>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) if p.cart.is_empty() => view! {
                            <div class="empty-state">
                                <p>{t().checkout_empty}</p>
                                <a class="btn btn--primary" href="/search">{i18n.t().cart.browse}</a>
                            </div>
                        }.into_any(),
                        Ok(page) => view! { <CheckoutForm page place /> }.into_any(),
                        Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn CheckoutForm(page: types::checkout::CheckoutPage, place: ServerAction<PlaceOrder>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    let error = action_error(place.into());
    let pending = place.pending();
    let total = page.cart.total();
    view! {
        <ActionForm action=place attr:class="checkout" attr:novalidate=true>
            <input type="hidden" name="key" value=page.key />
            <input type="hidden" name="total" value=total.minor.to_string() />
            <Step number=1 id="step-ship-to" title=Signal::derive(move || t().step_ship_to)>
                <ShipToStep addresses=page.addresses error />
            </Step>
            <Step number=2 id="step-review" title=Signal::derive(move || t().step_review)>
                <ReviewStep cart=page.cart />
            </Step>
            <Step number=3 id="step-payment" title=Signal::derive(move || t().step_payment)>
                <PaymentStep error />
            </Step>
            <div class="checkout-place">
                <FormError error />
                <p class="cart-summary__total">
                    <span>{move || i18n.t().cart.total}</span>
                    <strong>{move || total.format(i18n.locale())}</strong>
                </p>
                <p class="muted">{move || t().place_note}</p>
                <button type="submit" class="btn btn--primary checkout-place__button" disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")>
                    {move || t().place_order}
                </button>
            </div>
        </ActionForm>
    }
}

/// A numbered section of the form.
#[component]
fn Step(number: u8, id: &'static str, title: Signal<&'static str>, children: Children) -> impl IntoView {
    view! {
        <section class="card checkout-step" aria-labelledby=id>
            <h2 class="checkout-step__title" id=id>
                <span class="checkout-step__number" aria-hidden="true">{number}</span>
                {move || title.get()}
            </h2>
            {children()}
        </section>
    }
}

/// The saved addresses to choose from (the newest first and chosen), or a new one.
#[component]
fn ShipToStep(addresses: Vec<SavedAddress>, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    if addresses.is_empty() {
        return view! {
            <input type="hidden" name="address" value="new" />
            <ShipToFields error />
            <SaveAddressBox />
        }
        .into_any();
    }
    // A refused new address comes back chosen, with its errors showing.
    let typed = error.get_untracked().is_some_and(|e| ADDRESS_FIELDS.iter().any(|f| e.field(f).is_some()));
    let address_error = field_error(error, "address");
    view! {
        <div class="address-choices" role="radiogroup" aria-labelledby="step-ship-to">
            {addresses.into_iter().enumerate().map(|(i, a)| view! {
                <label class="choice choice--block">
                    <input type="radio" name="address" value=a.id.to_string() checked=i == 0 && !typed />
                    <AddressLines address=a.address />
                </label>
            }).collect_view()}
            <label class="choice choice--block">
                <input type="radio" name="address" value="new" checked=typed />
                <span>{move || t().new_address}</span>
            </label>
        </div>
        {move || address_error.get().map(|code| view! { <p class="field__error">{(i18n.t().error)(code)}</p> })}
        <div class="checkout-new-address stack">
            <ShipToFields error />
            <SaveAddressBox />
        </div>
    }
    .into_any()
}

#[component]
fn SaveAddressBox() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="checkbox-row">
            <input type="checkbox" name="save_address" value="1" checked=true />
            <span>{move || i18n.t().orders.save_address}</span>
        </label>
    }
}

/// What each maker will ship, as the sub-orders checkout makes.
#[component]
fn ReviewStep(cart: CartView) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    // Lines checkout cannot buy as they stand are fixed in the cart.
    let fix = cart.lines().any(|l| l.notice.as_ref().is_some_and(|n| !matches!(n, LineNotice::PriceChanged { .. })));
    view! {
        <p class="muted">{move || t().review_note}</p>
        {fix.then(|| view! {
            <p class="alert alert--warning"><a href="/cart">{move || t().fix_cart}</a></p>
        })}
        <div class="stack">
            {cart.groups.into_iter().map(|group| view! { <ReviewGroup group /> }).collect_view()}
        </div>
    }
}

#[component]
fn ReviewGroup(group: CartGroup) -> impl IntoView {
    let i18n = use_i18n();
    let subtotal = group.subtotal();
    let maker = group.creator_name.clone();
    view! {
        <section class="checkout-group">
            <h3 class="cart-group__maker">{move || (i18n.t().orders.shipped_by)(&maker)}</h3>
            <ul class="item-lines">
                {group.lines.into_iter().map(|line| view! { <ReviewLine line /> }).collect_view()}
            </ul>
            <AmountRow label=Signal::derive(move || i18n.t().cart.subtotal) amount=subtotal />
        </section>
    }
}

#[component]
fn ReviewLine(line: CartLine) -> impl IntoView {
    let (total, out) = (line.total(), !line.buyable());
    let notice = line.notice.map(|notice| view! { <NoticeView notice /> });
    view! {
        <ItemLine name=line.name quantity=line.quantity unit=line.unit_price total out>
            {notice}
        </ItemLine>
    }
}

#[component]
fn PaymentStep(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    view! {
        <TextField label=Signal::derive(move || t().card_number) name="card_number" autocomplete="cc-number"
            inputmode="numeric" required=true maxlength=23 error=field_error(error, "card_number") />
        <div class="field-row">
            <TextField label=Signal::derive(move || t().card_expiry) name="card_expiry" autocomplete="cc-exp"
                inputmode="numeric" required=true maxlength=7 placeholder="MM/YY"
                error=field_error(error, "card_expiry") />
            <TextField label=Signal::derive(move || t().card_cvc) name="card_cvc" autocomplete="cc-csc"
                inputmode="numeric" required=true maxlength=4 error=field_error(error, "card_cvc") />
        </div>
        <TestCards />
    }
}

/// The sandbox's documented cards and what each does.
#[component]
fn TestCards() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    view! {
        <details class="test-cards">
            <summary>{move || t().test_cards}</summary>
            <p class="muted">{move || t().test_cards_lead}</p>
            <dl class="test-cards__list">
                {TEST_CARDS.iter().map(|card| {
                    let behaviour = card.behaviour;
                    view! {
                        <dt class="mono">{card.number}</dt>
                        <dd>{move || (t().test_card)(behaviour)}</dd>
                    }
                }).collect_view()}
            </dl>
        </details>
    }
}

//! The cart: the header's link with its count, the add-to-cart forms, and the `/cart`
//! page. Every form is a plain form that works without JavaScript; with it, the
//! add-to-cart forms (islands) stay on the page and the header's count follows.

pub mod api;

use leptos::prelude::*;
use leptos_meta::Title;
use types::cart::{CartGroup, CartLine, LineNotice};

use self::api::{AddToCart, RemoveFromCart, UpdateCart, cart, cart_count};
use crate::{
    components::{
        actions::posted_row,
        form::{FormError, action_error},
    },
    i18n::use_i18n,
};

/// The window event that tells the header's cart link to read its count again. The
/// link and the forms are separate islands, so they meet in the page, not in Rust.
const CART_CHANGED: &str = "openaero:cart-changed";

/// Tells the header's cart link when `action` succeeded.
fn announce<S>(action: ServerAction<S>)
where
    S: server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
    S::Error: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        let succeeded = matches!(action.value().get(), Some(Ok(_)));
        #[cfg(feature = "hydrate")]
        if succeeded && let Ok(event) = web_sys::Event::new(CART_CHANGED) {
            let _ = window().dispatch_event(&event);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = succeeded;
    });
}

/// The header's cart link with the number of items.
#[component]
pub fn CartLink() -> impl IntoView {
    let count = Resource::new(|| (), |_| cart_count());
    view! {
        <Suspense>
            {move || Suspend::new(async move { view! { <LiveCartLink count=count.await.unwrap_or(0) /> } })}
        </Suspense>
    }
}

#[island]
fn LiveCartLink(count: u32) -> impl IntoView {
    let i18n = use_i18n();
    let count = RwSignal::new(count);
    let handle = window_event_listener_untyped(CART_CHANGED, move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(n) = cart_count().await {
                count.set(n);
            }
        });
    });
    on_cleanup(move || handle.remove());
    let label = move || (i18n.t().cart.link)(count.get());
    view! {
        <a class="bell cart-link" href="/cart" aria-label=label title=label>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none"
                stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                <circle cx="9" cy="20" r="1.5" />
                <circle cx="18" cy="20" r="1.5" />
                <path d="M2 3h3l2.7 12.2a2 2 0 0 0 2 1.6h7.6a2 2 0 0 0 2-1.5L21 8H6.2" />
            </svg>
            {move || {
                let n = count.get();
                (n > 0).then(|| view! { <span class="bell__count">{n.min(99)}</span> })
            }}
        </a>
    }
}

/// Quantity and "Add to cart" for a product page (nothing when none are left).
#[island]
pub fn AddToCartForm(slug: String, available: i32) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.t().cart;
    let add = ServerAction::<AddToCart>::new();
    announce(add);
    let error = action_error(add.into());
    (available > 0).then(|| {
        view! {
            <ActionForm action=add attr:class="add-to-cart">
                <input type="hidden" name="product" value=slug />
                <label class="add-to-cart__quantity">
                    <span>{t.quantity}</span>
                    <input type="number" name="quantity" value="1" min="1" max=available.min(types::cart::MAX_QUANTITY) inputmode="numeric" />
                </label>
                <SubmitOnce pending=add.pending() class="btn btn--primary">{t.add}</SubmitOnce>
            </ActionForm>
            <p class="add-to-cart__status" role="status">
                {move || match add.value().get() {
                    Some(Ok(n)) => (t.added)(n),
                    _ => String::new(),
                }}
            </p>
            <FormError error />
        }
    })
}

/// A card's one-click add (one of the product); without JavaScript the browser comes
/// back to the listing with the header's count updated.
#[island]
pub fn CardCartButton(slug: String) -> impl IntoView {
    let t = use_i18n().t().cart;
    let add = ServerAction::<AddToCart>::new();
    announce(add);
    let done = move || matches!(add.value().get(), Some(Ok(_)));
    view! {
        <ActionForm action=add attr:class="product-card__add">
            <input type="hidden" name="product" value=slug />
            <SubmitOnce pending=add.pending() class="btn btn--ghost btn--small">
                {move || if done() { t.in_cart } else { t.add }}
            </SubmitOnce>
        </ActionForm>
    }
}

/// A submit button that ignores clicks while its form is on its way. It says so with
/// `aria-disabled` rather than `disabled`: a disabled button loses the focus, and the
/// keyboard user would be thrown back to the top of the page.
#[component]
fn SubmitOnce(pending: Memo<bool>, class: &'static str, children: Children) -> impl IntoView {
    view! {
        <button
            type="submit"
            class=class
            aria-disabled=move || pending.get().then_some("true")
            on:click=move |ev| {
                if pending.get_untracked() {
                    ev.prevent_default();
                }
            }
        >
            {children()}
        </button>
    }
}

#[component]
pub fn CartPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().cart;
    let update = ServerAction::<UpdateCart>::new();
    let remove = ServerAction::<RemoveFromCart>::new();
    let update_error = action_error(update.into());
    let remove_error = action_error(remove.into());
    let view_cart = Resource::new(|| (), |_| cart());
    // The page comes back after each of its forms: the focus goes back where the
    // keyboard was (the line's quantity after an update, the heading after a removal).
    let removed = posted_row(remove, "product").is_some();
    view! {
        <Title text=move || t().title />
        <div class="container section cart-page">
            <h1 class="section__title" tabindex=removed.then_some("-1") autofocus=removed>{move || t().title}</h1>
            <FormError error=update_error />
            <FormError error=remove_error />
            <Transition>
                {move || Suspend::new(async move {
                    match view_cart.await {
                        Ok(c) if c.is_empty() => view! {
                            <div class="empty-state">
                                <p>{t().empty}</p>
                                <a class="btn btn--primary" href="/search">{t().browse}</a>
                            </div>
                        }.into_any(),
                        Ok(c) => {
                            let total = c.total();
                            let buyable = c.lines().any(|l| l.buyable());
                            view! {
                                <div class="cart-layout">
                                    <div class="stack">
                                        {c.groups.into_iter().map(|group| view! { <GroupView group update remove /> }).collect_view()}
                                    </div>
                                    <aside class="card cart-summary">
                                        <p class="cart-summary__total">
                                            <span>{move || t().total}</span>
                                            <strong>{move || total.format(i18n.locale())}</strong>
                                        </p>
                                        <p class="muted">{move || t().split_note}</p>
                                        {buyable.then(|| view! {
                                            <a class="btn btn--primary" href="/checkout">{move || i18n.t().orders.go_to_checkout}</a>
                                        })}
                                    </aside>
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn GroupView(
    group: CartGroup,
    update: ServerAction<UpdateCart>,
    remove: ServerAction<RemoveFromCart>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().cart;
    let subtotal = group.subtotal();
    let maker = group.creator_name.clone();
    view! {
        <section class="card cart-group">
            <h2 class="cart-group__maker">
                <a href=format!("/creators/{}", group.creator_slug)>{move || (t().sold_by)(&maker)}</a>
            </h2>
            <ul class="cart-lines">
                {group.lines.into_iter().map(|line| view! { <li><LineView line update remove /></li> }).collect_view()}
            </ul>
            <p class="cart-group__subtotal">
                <span>{move || t().subtotal}</span>
                <strong>{move || subtotal.format(i18n.locale())}</strong>
            </p>
        </section>
    }
}

/// Why a line needs the customer's attention (the cart and checkout show it alike).
#[component]
pub fn NoticeView(notice: LineNotice) -> impl IntoView {
    let i18n = use_i18n();
    let tone = match notice {
        LineNotice::PriceChanged { .. } => "info",
        LineNotice::OnlyLeft { .. } => "warning",
        LineNotice::SoldOut | LineNotice::Unavailable => "danger",
    };
    let text = move || {
        let t = i18n.t().cart;
        match &notice {
            LineNotice::PriceChanged { was } => (t.price_changed)(&was.format(i18n.locale())),
            LineNotice::OnlyLeft { available } => (t.only_left)(*available),
            LineNotice::SoldOut => t.sold_out.to_owned(),
            LineNotice::Unavailable => t.unavailable.to_owned(),
        }
    };
    view! { <p class=format!("cart-line__notice cart-line__notice--{tone}")>{text}</p> }
}

#[component]
fn LineView(line: CartLine, update: ServerAction<UpdateCart>, remove: ServerAction<RemoveFromCart>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().cart;
    let id = line.product.to_string();
    let (unit, total) = (line.unit_price.clone(), line.total());
    let notice = line.notice.clone().map(|notice| view! { <NoticeView notice /> });
    let buyable = line.buyable();
    let quantity_id = format!("quantity-{id}");
    let updated = posted_row(update, "product").as_deref() == Some(id.as_str());
    let update_id = id.clone();
    view! {
        <article class="cart-line" class:cart-line--out=!buyable>
            <img class="cart-line__image" src=line.image_url.clone() alt="" width="96" height="72" loading="lazy" />
            <div class="cart-line__body">
                <a class="cart-line__name" href=format!("/p/{}", line.slug)>{line.name.clone()}</a>
                <p class="muted">{move || (t().each)(&unit.format(i18n.locale()))}</p>
                {notice}
                <div class="cart-line__actions">
                    {buyable.then(|| view! {
                        <ActionForm action=update attr:class="cart-line__quantity">
                            <input type="hidden" name="product" value=update_id />
                            <label for=quantity_id.clone()>{move || t().quantity}</label>
                            <input id=quantity_id.clone() type="number" name="quantity" value=line.quantity.to_string()
                                min="0" max=types::cart::MAX_QUANTITY inputmode="numeric" autofocus=updated />
                            <button type="submit" class="btn btn--ghost btn--small">{move || t().update}</button>
                        </ActionForm>
                    })}
                    <ActionForm action=remove>
                        <input type="hidden" name="product" value=id />
                        <button type="submit" class="link-button">{move || t().remove}</button>
                    </ActionForm>
                </div>
            </div>
            <strong class="cart-line__total">{move || total.format(i18n.locale())}</strong>
        </article>
    }
}

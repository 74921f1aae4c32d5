//! The address book: addresses saved here or at checkout, offered at the next one.

use leptos::prelude::*;
use leptos_meta::Title;
use types::checkout::SavedAddress;

use super::api::{DeleteAddress, SaveAddress, my_addresses};
use crate::{
    components::{
        actions::succeeded,
        address::{AddressLines, ShipToFields},
        form::{FormError, SubmitButton, action_error, field_error},
        list::list_or_empty,
    },
    i18n::use_i18n,
};

#[component]
pub fn AddressesPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let save = ServerAction::<SaveAddress>::new();
    let delete = ServerAction::<DeleteAddress>::new();
    let delete_error = action_error(delete.into());
    let list = Resource::new(|| (), |_| my_addresses());
    view! {
        <Title text=move || t().orders.addresses_title />
        <section class="card stack">
            <h2 class="card__title">{move || t().orders.addresses_title}</h2>
            <FormError error=delete_error />
            <Transition>
                {move || Suspend::new(async move {
                    list_or_empty(t(), list.await, t().orders.addresses_empty, |items| view! {
                        <ul class="address-book">
                            {items.into_iter().map(|a| view! { <AddressItem a delete /> }).collect_view()}
                        </ul>
                    }.into_any())
                })}
            </Transition>
        </section>
        <AddAddress save />
    }
}

#[component]
fn AddressItem(a: SavedAddress, delete: ServerAction<DeleteAddress>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    let name = a.address.full_name.clone();
    view! {
        <li class="address-book__item">
            <AddressLines address=a.address />
            <ActionForm action=delete>
                <input type="hidden" name="id" value=a.id.to_string() />
                <button type="submit" class="btn btn--ghost btn--small" aria-label=move || (t().delete_address)(&name)>
                    {move || t().delete}
                </button>
            </ActionForm>
        </li>
    }
}

#[component]
fn AddAddress(save: ServerAction<SaveAddress>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let error = action_error(save.into());
    let book_error = field_error(error, "address");
    let saved = succeeded(save);
    view! {
        <section class="card stack">
            <h2 class="card__title">{move || t().orders.add_address}</h2>
            {move || saved.get().then(|| view! {
                <div class="alert alert--success" role="status">{move || t().orders.address_saved}</div>
            })}
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <FormError error />
                {move || book_error.get().map(|code| view! { <p class="field__error">{(t().error)(code)}</p> })}
                <ShipToFields error />
                <div class="form-actions">
                    <SubmitButton label=Signal::derive(move || t().save) pending=save.pending().into() />
                </div>
            </ActionForm>
        </section>
    }
}

//! Postal addresses: the fields of a form (the creator application, checkout, the
//! address book) and an address as lines on a page.

use leptos::prelude::*;
use types::{creators::Address, orders::ShipTo};

use crate::{
    components::form::{TextField, field_error},
    error::AppError,
    i18n::use_i18n,
};

/// Countries offered in the forms (ISO 3166-1 alpha-2), as the platform ships to them.
pub const COUNTRIES: &[&str] = &[
    "AU", "AT", "BE", "CA", "CH", "CN", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "HK", "IE", "IN", "IT", "JP", "KR",
    "NL", "NO", "NZ", "PL", "PT", "SE", "SG", "TW", "US",
];

/// Street, city, region, postal code and country, each with its error.
#[component]
pub fn AddressFields(error: Signal<Option<AppError>>, #[prop(optional)] value: Address) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let country = value.country.clone();
    let country_error = field_error(error, "country");
    view! {
        <TextField label=Signal::derive(move || t().portal.address_line1) name="line1"
            value=value.line1 required=true autocomplete="address-line1"
            error=field_error(error, "line1") />
        <TextField label=Signal::derive(move || t().portal.address_line2) name="line2"
            value=value.line2 autocomplete="address-line2"
            error=field_error(error, "line2") />
        <div class="field-row">
            <TextField label=Signal::derive(move || t().portal.city) name="city"
                value=value.city required=true autocomplete="address-level2"
                error=field_error(error, "city") />
            <TextField label=Signal::derive(move || t().portal.region) name="region"
                value=value.region autocomplete="address-level1"
                error=field_error(error, "region") />
            <TextField label=Signal::derive(move || t().portal.postal_code) name="postal_code"
                value=value.postal_code autocomplete="postal-code"
                error=field_error(error, "postal_code") />
        </div>
        <div class="field" class:field--error=move || country_error.get().is_some()>
            <label for="field-country">{move || t().portal.country}</label>
            <select id="field-country" name="country" required=true autocomplete="country">
                <option value="">{move || t().portal.choose}</option>
                {COUNTRIES.iter().map(|c| view! {
                    <option value=*c selected=country == *c>{move || (t().portal.country_name)(c)}</option>
                }).collect_view()}
            </select>
            {move || country_error.get().map(|code| view! { <p class="field__error">{(t().error)(code)}</p> })}
        </div>
    }
}

/// Who receives a parcel, where, and a phone for the carrier.
#[component]
pub fn ShipToFields(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().orders;
    view! {
        <TextField label=Signal::derive(move || t().full_name) name="full_name" required=true maxlength=120
            autocomplete="name" error=field_error(error, "full_name") />
        <AddressFields error />
        <TextField label=Signal::derive(move || t().phone) name="phone" input_type="tel" autocomplete="tel"
            placeholder="+49 30 1234567" error=field_error(error, "phone") />
    }
}

/// An address as it is written on a parcel, the country by name.
#[component]
pub fn AddressLines(address: ShipTo) -> impl IntoView {
    let i18n = use_i18n();
    let mut lines = address.lines();
    let country = address.country.clone();
    // `lines()` ends with the country code; a known one is shown by name.
    let known = COUNTRIES.contains(&country.as_str());
    if known && lines.last() == Some(&country) {
        lines.pop();
    }
    view! {
        <address class="address-lines">
            {lines.into_iter().map(|line| view! { <span>{line}</span> }).collect_view()}
            {known.then(|| view! { <span>{move || (i18n.t().portal.country_name)(&country)}</span> })}
            {(!address.phone.is_empty()).then(|| view! { <span>{address.phone.clone()}</span> })}
        </address>
    }
}

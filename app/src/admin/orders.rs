//! `/admin/orders`: find orders by number, customer, creator, status and date. The
//! filters live in the URL, so a search can be bookmarked and works without
//! JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use types::TextEnum;
use types::orders::{OrderSummary, SubOrderStatus};

use super::sales_api::search_orders;
use crate::{
    components::query::query_value,
    components::{
        commerce::OrderTable,
        form::{TextField, field_error},
        list::list_or_empty,
    },
    error::AppError,
    i18n::use_i18n,
};

/// The most results a search returns (`domain::commerce::orders::read::search`).
const SEARCH_LIMIT: usize = 200;

/// The search's filters as the URL holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Filters {
    number: String,
    email: String,
    creator: String,
    status: String,
    from: String,
    to: String,
}

#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let fields = ["number", "email", "creator", "status", "from", "to"].map(query_value);
    let filters = move || {
        let [number, email, creator, status, from, to] = fields.map(|f| f.get().unwrap_or_default());
        Filters { number, email, creator, status, from, to }
    };
    let results = Resource::new(filters, |f| search_orders(f.number, f.email, f.creator, f.status, f.from, f.to));
    view! {
        <Title text=move || t().fulfil.orders_title />
        <h1 class="console__title">{move || t().fulfil.orders_title}</h1>
        <p class="muted measure">{move || t().fulfil.search_lead}</p>
        <Transition>
            {move || Suspend::new(async move {
                let found = results.await;
                let error = Signal::stored(found.as_ref().err().cloned());
                view! {
                    <SearchForm f=filters() error />
                    {match found {
                        Err(e) if !e.fields.is_empty() => ().into_any(),
                        found => list_or_empty(t(), found, t().fulfil.no_match, |rows| view! { <Results rows /> }.into_any()),
                    }}
                }
            })}
        </Transition>
    }
}

/// The filters, kept as typed; a date that does not parse is marked at its field.
#[component]
fn SearchForm(f: Filters, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().fulfil;
    let label = move |f: fn(&crate::i18n::fulfil::FulfilTexts) -> &'static str| Signal::derive(move || f(t()));
    let status = f.status.clone();
    view! {
        <form class="card form order-search" method="get" action="/admin/orders" role="search" aria-label=move || t().search_orders>
            <div class="field-row">
                <TextField label=label(|t| t.order_number) name="number" value=f.number autocomplete="off" />
                <TextField label=label(|t| t.customer_email) name="email" value=f.email autocomplete="off" />
                <TextField label=label(|t| t.creator) name="creator" value=f.creator autocomplete="off" />
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="field-status">{move || i18n.t().orders.status}</label>
                    <select id="field-status" name="status">
                        <option value="">{move || t().any_status}</option>
                        {SubOrderStatus::ALL.iter().map(|s| view! {
                            <option value=s.as_str() selected=status == s.as_str()>
                                {move || (i18n.t().orders.status_name)(*s)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <TextField label=label(|t| t.placed_from) name="from" input_type="date" value=f.from
                    error=field_error(error, "from") />
                <TextField label=label(|t| t.placed_until) name="to" input_type="date" value=f.to
                    error=field_error(error, "to") />
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn--primary">{move || i18n.t().search}</button>
                <a class="btn btn--ghost" href="/admin/orders">{move || t().clear}</a>
            </div>
        </form>
    }
}

#[component]
fn Results(rows: Vec<OrderSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let capped = rows.len() >= SEARCH_LIMIT;
    view! {
        {capped.then(|| view! { <p class="muted">{move || i18n.t().fulfil.capped}</p> })}
        <OrderTable rows base="/admin/orders" with_customer=true />
    }
}

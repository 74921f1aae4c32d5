//! `/admin/payouts`: payouts waiting for a decision first, each with its own small
//! forms (approve; reject with a reason; mark an approved one paid with the bank's
//! reference), then the decided ones.

use leptos::prelude::*;
use leptos_meta::Title;
use types::money::{PayoutStatus, PayoutView};

use super::{
    sales_api::{ApprovePayout, MarkPayoutPaid, RejectPayout, all_payouts},
    short_time,
};
use crate::{
    components::{
        actions::{UnplacedFieldErrors, posted_row, row_error, succeeded},
        commerce::{PayoutBadge, PayoutTable},
        form::{FormError, TextField, action_error, field_error},
    },
    i18n::use_i18n,
};

/// The three decisions, shared by every row; each row shows only its own errors.
#[derive(Clone)]
struct Decisions {
    approve: ServerAction<ApprovePayout>,
    reject: ServerAction<RejectPayout>,
    paid: ServerAction<MarkPayoutPaid>,
    /// The payout whose reject or mark-paid form was sent just before this page.
    reject_row: Option<String>,
    paid_row: Option<String>,
}

#[component]
pub fn AdminPayoutsPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    let approve = ServerAction::<ApprovePayout>::new();
    let reject = ServerAction::<RejectPayout>::new();
    let paid = ServerAction::<MarkPayoutPaid>::new();
    let decisions =
        Decisions { approve, reject, paid, reject_row: posted_row(reject, "id"), paid_row: posted_row(paid, "id") };
    let list = Resource::new(|| (), |_| all_payouts());
    let decided = [succeeded(approve), succeeded(reject), succeeded(paid)];
    let decided = move || decided.iter().any(|d| d.get());
    let (reject_placed, paid_placed) = (decisions.reject_row.is_some(), decisions.paid_row.is_some());
    let decisions = StoredValue::new(decisions);
    view! {
        <Title text=move || t().payouts_title />
        <h1 class="console__title">{move || t().payouts_title}</h1>
        <p class="muted measure">{move || t().payouts_lead}</p>
        <FormError error=action_error(approve.into()) />
        <FormError error=action_error(reject.into()) />
        <FormError error=action_error(paid.into()) />
        <UnplacedFieldErrors error=action_error(reject.into()) placed=reject_placed
            label=|t, _| t.finance.reason />
        <UnplacedFieldErrors error=action_error(paid.into()) placed=paid_placed
            label=|t, _| t.finance.reference />
        {move || decided().then(|| view! { <div class="alert alert--success" role="status">{t().decided}</div> })}
        <Transition>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(all) => {
                        let (open, closed): (Vec<PayoutView>, Vec<PayoutView>) = all
                            .into_iter()
                            .partition(|p| matches!(p.status, PayoutStatus::Requested | PayoutStatus::Approved));
                        view! { <OpenPayouts open decisions=decisions.get_value() /> <ClosedPayouts closed /> }.into_any()
                    }
                    Err(e) => view! { <div class="alert alert--error" role="alert">{(i18n.t().error)(e.code)}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OpenPayouts(open: Vec<PayoutView>, decisions: Decisions) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    view! {
        <section class="card stack">
            <h2 class="card__title">{move || t().open_title}</h2>
            {if open.is_empty() {
                view! { <p class="empty-state">{move || t().open_empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table table--stack payouts">
                            <thead>
                                <tr>
                                    <th scope="col">{move || t().creator}</th>
                                    <th scope="col" class="num">{move || t().amount}</th>
                                    <th scope="col">{move || i18n.t().orders.status}</th>
                                    <th scope="col">{move || t().requested_at}</th>
                                    <th scope="col">{move || t().actions}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {open.into_iter().map(|p| view! { <OpenRow p decisions=decisions.clone() /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn OpenRow(p: PayoutView, decisions: Decisions) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    let id = p.id.to_string();
    let amount = p.amount.clone();
    let forms = match p.status {
        _ if p.own_case => view! { <span class="muted">{move || i18n.t().portal.own_case_short}</span> }.into_any(),
        PayoutStatus::Requested => {
            let (creator, amount) = (p.creator_name.clone(), p.amount.clone());
            let approve_label = move || (t().approve_label)(&amount.format(i18n.locale()), &creator);
            let error = row_error(action_error(decisions.reject.into()), &decisions.reject_row, &id);
            let (approve_id, field_id) = (id.clone(), format!("reason-{id}"));
            view! {
                <ActionForm action=decisions.approve>
                    <input type="hidden" name="id" value=approve_id />
                    <button type="submit" class="btn btn--small btn--primary" aria-label=approve_label.clone()
                        title=approve_label>{move || t().approve}</button>
                </ActionForm>
                <ActionForm action=decisions.reject attr:class="row-form">
                    <input type="hidden" name="id" value=id />
                    <TextField label=Signal::derive(move || t().reason) name="reason" id=field_id
                        required=true maxlength=500 error=field_error(error, "reason") />
                    <button type="submit" class="btn btn--small btn--ghost">{move || t().reject}</button>
                </ActionForm>
            }
            .into_any()
        }
        _ => {
            let error = row_error(action_error(decisions.paid.into()), &decisions.paid_row, &id);
            let field_id = format!("reference-{id}");
            view! {
                <ActionForm action=decisions.paid attr:class="row-form">
                    <input type="hidden" name="id" value=id />
                    <TextField label=Signal::derive(move || t().reference) name="reference" id=field_id
                        required=true maxlength=100 autocomplete="off" error=field_error(error, "reference") />
                    <button type="submit" class="btn btn--small btn--primary">{move || t().mark_paid}</button>
                </ActionForm>
            }
            .into_any()
        }
    };
    view! {
        <tr>
            <td data-label=move || t().creator>{p.creator_name.clone()}</td>
            <td class="num nowrap" data-label=move || t().amount>{move || amount.format(i18n.locale())}</td>
            <td data-label=move || i18n.t().orders.status><PayoutBadge status=p.status /></td>
            <td class="nowrap" data-label=move || t().requested_at>{short_time(&p.requested_at)}</td>
            <td data-label=move || t().actions><div class="row-forms">{forms}</div></td>
        </tr>
    }
}

#[component]
fn ClosedPayouts(closed: Vec<PayoutView>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().finance;
    view! {
        <section class="card stack">
            <h2 class="card__title">{move || t().history_title}</h2>
            {if closed.is_empty() {
                view! { <p class="empty-state">{move || t().history_empty}</p> }.into_any()
            } else {
                view! { <PayoutTable payouts=closed with_creator=true /> }.into_any()
            }}
        </section>
    }
}

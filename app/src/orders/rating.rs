//! Rating what was delivered: under each line of a delivered sub-order the customer's
//! rating of it or the form to give one, and the same for the maker. Plain forms:
//! the server sends the browser back to the order, which shows what came of it.

use leptos::prelude::*;
use types::{
    orders::OrderLine,
    ratings::{MAX_REVIEW_CHARS, OwnRating, RatingStatus},
};

use super::api::{RateMaker, RateProduct};
use crate::{
    components::{
        actions::posted_row,
        form::{FormError, SubmitButton, TextArea, action_error, field_error},
        rating::{GivenStars, StarPicker},
    },
    error::AppError,
    i18n::use_i18n,
};

/// Which form a rating comes from: the sub-order's number, and the product (none for
/// the maker).
type FormKey = (String, Option<String>);

/// The rating actions of an order page, shared by all its forms, and which form was
/// posted just before this page, so that only that one shows what came of it.
#[derive(Clone, Copy)]
pub struct RatingActions {
    product: ServerAction<RateProduct>,
    maker: ServerAction<RateMaker>,
    /// `None` when the page does not know (the session that remembers it was not
    /// kept): then every form of that kind shows the outcome.
    sent: StoredValue<Option<FormKey>>,
}

impl RatingActions {
    pub fn new() -> Self {
        let product = ServerAction::<RateProduct>::new();
        let maker = ServerAction::<RateMaker>::new();
        let sent = match (posted_row(product, "number"), posted_row(maker, "number")) {
            (Some(number), _) => Some((number, posted_row(product, "product"))),
            (None, Some(number)) => Some((number, None)),
            (None, None) => None,
        };
        RatingActions { product, maker, sent: StoredValue::new(sent) }
    }

    fn is_from(self, key: &FormKey) -> bool {
        self.sent.with_value(|sent| sent.as_ref().is_none_or(|sent| sent == key))
    }

    /// The outcome of the last post, for the form `key` only.
    fn error<I, O>(self, key: &FormKey, action: Action<I, Result<O, AppError>>) -> Signal<Option<AppError>>
    where
        I: Send + Sync + 'static,
        O: Clone + Send + Sync + 'static,
    {
        let (mine, error) = (self.is_from(key), action_error(action));
        Signal::derive(move || if mine { error.get() } else { None })
    }

    fn pending(self, key: &FormKey, pending: Memo<bool>) -> Signal<bool> {
        let mine = self.is_from(key);
        Signal::derive(move || pending.get() && mine)
    }
}

impl Default for RatingActions {
    fn default() -> Self {
        Self::new()
    }
}

/// Under a delivered line: the customer's rating of it, or the form to give one
/// (both when a reviewer asked for changes: the form then holds the rating to edit).
#[component]
pub fn LineRating(number: String, line: OrderLine, actions: RatingActions) -> impl IntoView {
    let key = (number.clone(), Some(line.product.to_string()));
    let (name, value) = (line.name.clone(), line.rating.clone());
    let form = line.rating.as_ref().is_none_or(|r| r.status.editable()).then(|| {
        let id = format!("rate-{number}-{}", line.product);
        let error = actions.error(&key, actions.product.into());
        view! {
            <ActionForm action=actions.product attr:class="rate" attr:novalidate=true>
                <input type="hidden" name="number" value=number />
                <input type="hidden" name="product" value=line.product.to_string() />
                <RateFields name id value error
                    pending=actions.pending(&key, actions.product.pending()) />
            </ActionForm>
        }
    });
    view! {
        <div class="line-rating">
            {line.rating.map(|rating| view! { <Rated name=line.name rating /> })}
            {form}
        </div>
    }
}

/// Once per delivered sub-order: the customer's rating of the maker, or the form.
#[component]
pub fn MakerRating(number: String, maker: String, rating: Option<OwnRating>, actions: RatingActions) -> impl IntoView {
    let key = (number.clone(), None);
    let (name, value) = (maker.clone(), rating.clone());
    let form = rating.as_ref().is_none_or(|r| r.status.editable()).then(|| {
        let id = format!("rate-{number}-maker");
        let error = actions.error(&key, actions.maker.into());
        view! {
            <ActionForm action=actions.maker attr:class="rate" attr:novalidate=true>
                <input type="hidden" name="number" value=number />
                <RateFields name id value error
                    pending=actions.pending(&key, actions.maker.pending()) />
            </ActionForm>
        }
    });
    view! {
        <div class="maker-rating">
            {rating.map(|rating| view! { <Rated name=maker rating /> })}
            {form}
        </div>
    }
}

/// The fields of a rating under the legend "Rate {name}". `id` tells the forms of
/// one page apart; `value` fills them with a rating a reviewer sent back.
#[component]
fn RateFields(
    name: String,
    id: String,
    value: Option<OwnRating>,
    error: Signal<Option<AppError>>,
    pending: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().ratings;
    let (stars, body) = value.map_or((None, String::new()), |r| (Some(r.stars), r.body));
    view! {
        <fieldset class="rate__fields stack">
            <legend>{move || (t().rate)(&name)}</legend>
            <FormError error />
            <StarPicker id=format!("{id}-stars") value=stars error=field_error(error, "stars") />
            <TextArea label=Signal::derive(move || t().your_review) name="body" id=format!("{id}-body") value=body
                hint=Signal::derive(move || t().review_hint) error=field_error(error, "body") maxlength=MAX_REVIEW_CHARS />
            <div class="form-actions">
                <SubmitButton label=Signal::derive(move || t().post_review) pending />
            </div>
        </fieldset>
    }
}

/// A rating as its author sees it: the stars, where it stands in moderation with
/// the reviewer's note, and the text (left out when the form below holds it).
#[component]
fn Rated(name: String, rating: OwnRating) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().ratings;
    let status = rating.status;
    let tone = match status {
        RatingStatus::Pending => "warn",
        RatingStatus::Approved => "ok",
        RatingStatus::Rejected => "danger",
        RatingStatus::ChangesRequested => "info",
    };
    view! {
        <div class=format!("own-rating own-rating--{tone}")>
            <h3 class="own-rating__title">{move || (t().your_rating_of)(&name)}</h3>
            <p class="own-rating__head">
                <GivenStars stars=rating.stars />
                <span class=format!("badge badge--{tone}")>{move || (t().status_name)(status)}</span>
            </p>
            {(!status.editable()).then(|| view! { <p class="pre-wrap">{rating.body}</p> })}
            {(!rating.feedback.is_empty()).then(|| view! {
                <div class="own-rating__feedback">
                    <p><strong>{move || t().reviewer_note}</strong></p>
                    <p class="pre-wrap">{rating.feedback}</p>
                </div>
            })}
            <p class="muted own-rating__note">{move || (t().status_note)(status)}</p>
        </div>
    }
}

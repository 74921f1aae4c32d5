//! Customers' stars and reviews: five stars for an average or for one rating, the
//! reviews of a product or a maker with how many gave each number of stars, and the
//! star picker of a rating form, which is a radio group so it works without
//! JavaScript and from the keyboard.

use leptos::prelude::*;

use crate::components::time::machine_time;
use types::{
    ErrorCode,
    ratings::{PublicReview, RatingSummary, Reviews, Stars},
};

use crate::i18n::use_i18n;

/// A five-pointed star on a 24 × 24 grid, and its left half (the star is symmetric
/// about x = 12) for an average that ends in a half.
const STAR: &str = "M12 2.5l2.9 6.1 6.6.8-4.9 4.6 1.3 6.6L12 17.3l-5.9 3.3 1.3-6.6L2.5 9.4l6.6-.8z";
const HALF_STAR: &str = "M12 2.5L9.1 8.6l-6.6.8 4.9 4.6-1.3 6.6L12 17.3z";

/// One star, empty, half or fully filled (`halves` is 0, 1 or 2).
#[component]
fn StarIcon(halves: u8) -> impl IntoView {
    let full = halves >= 2;
    view! {
        <svg class="star-icon" class:star-icon--full=full viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            {(halves == 1).then(|| view! { <path class="star-icon__half" d=HALF_STAR /> })}
            <path class="star-icon__shape" d=STAR />
        </svg>
    }
}

/// Five stars filled to the nearest half star, read out as "4.3 out of 5 stars".
#[component]
pub fn StarsShown(
    /// How many half stars are filled, 0 to 10.
    halves: u8,
    /// The number a screen reader says, such as `4.3`.
    value: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="stars" role="img" aria-label=move || (i18n.t().ratings.out_of_five)(&value)>
            {(0..5u8).map(|i| view! { <StarIcon halves=halves.saturating_sub(i * 2).min(2) /> }).collect_view()}
        </span>
    }
}

/// One customer's stars.
#[component]
pub fn GivenStars(stars: Stars) -> impl IntoView {
    view! { <StarsShown halves=stars.get() * 2 value=stars.get().to_string() /> }
}

/// An average on one line. Full: the five stars, "4.3" and "12 reviews"; `compact`
/// (a product card): one star, "4.3 (12)", with the whole said to screen readers.
#[component]
pub fn RatingBrief(summary: RatingSummary, #[prop(optional)] compact: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().ratings;
    let (average, count) = (summary.average(), summary.count);
    if compact {
        let spoken = average.clone();
        return view! {
            <span class="rating-brief rating-brief--compact">
                <span aria-hidden="true">
                    <StarIcon halves=2 />
                    <span class="rating-brief__value">{average}</span>
                    " (" {count} ")"
                </span>
                <span class="visually-hidden">{move || format!("{}, {}", (t().out_of_five)(&spoken), (t().review_count)(count))}</span>
            </span>
        }
        .into_any();
    }
    view! {
        <span class="rating-brief">
            <StarsShown halves=summary.half_stars() value=average.clone() />
            <span class="rating-brief__value" aria-hidden="true">{average}</span>
            <span aria-hidden="true">"·"</span>
            <span>{move || (t().review_count)(count)}</span>
        </span>
    }
    .into_any()
}

/// A product's or a maker's reviews under `title`: the average, the number of
/// reviews per star and the newest reviews; with none yet, `empty` says where
/// reviews come from. The section is `#reviews`, for links to it.
#[component]
pub fn ReviewsSection(
    reviews: Reviews,
    #[prop(into)] title: Signal<&'static str>,
    #[prop(into)] empty: Signal<&'static str>,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().ratings;
    let body = match reviews.summary {
        None => view! { <p class="muted">{move || empty.get()}</p> }.into_any(),
        Some(summary) => view! {
            <div class="reviews__top">
                <div class="reviews__summary">
                    <p class="reviews__average" aria-hidden="true">{summary.average()}</p>
                    <StarsShown halves=summary.half_stars() value=summary.average() />
                    <p class="muted">{move || (t().review_count)(summary.count)}</p>
                </div>
                <Histogram histogram=reviews.histogram />
            </div>
            <ReviewList reviews=reviews.recent />
        }
        .into_any(),
    };
    view! {
        <section class=format!("card reviews {class}") id="reviews" aria-labelledby="reviews-title">
            <h2 id="reviews-title">{move || title.get()}</h2>
            {body}
        </section>
    }
}

/// How many reviews gave each number of stars, five first, as bars.
#[component]
fn Histogram(histogram: [u32; 5]) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().ratings;
    let total = histogram.iter().sum::<u32>().max(1);
    view! {
        <ul class="histogram" aria-label=move || t().per_star>
            {(1..=5u8).rev().zip(histogram.into_iter().rev()).map(|(stars, n)| view! {
                <li class="histogram__row">
                    <span class="histogram__label">{move || (t().star_count)(stars)}</span>
                    <span class="histogram__bar" aria-hidden="true">
                        // A width class in steps of 5 %, not a style attribute: the
                        // page's policy allows no inline styles.
                        <span class=format!("histogram__fill histogram__fill--{}", (n * 20 + total / 2) / total * 5)></span>
                    </span>
                    <span class="histogram__count">{n}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Approved reviews, newest first: stars, who wrote it and when, and the text.
#[component]
fn ReviewList(reviews: Vec<PublicReview>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="review-list">
            {reviews.into_iter().map(|r| {
                let at = r.at;
                view! {
                    <li class="review">
                        <p class="review__head">
                            <GivenStars stars=r.stars />
                            <span class="review__author">{r.author}</span>
                            <time class="muted" datetime=machine_time(&at)>{move || (i18n.t().shop.date)(&at)}</time>
                        </p>
                        <p class="pre-wrap">{r.body}</p>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// One to five stars to choose from, as radio buttons named `stars` drawn as stars
/// (each labelled "4 stars" and so on); `id` tells the pickers of one page apart.
#[component]
pub fn StarPicker(
    id: String,
    #[prop(default = None)] value: Option<Stars>,
    #[prop(into)] error: Signal<Option<ErrorCode>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let error_id = format!("{id}-error");
    let has_error = move || error.get().is_some();
    let described_by = {
        let error_id = error_id.clone();
        move || has_error().then(|| error_id.clone())
    };
    view! {
        <fieldset class="star-picker" class:field--error=has_error aria-describedby=described_by>
            <legend>{move || t().ratings.your_stars}</legend>
            <div class="star-picker__stars">
                {(1..=5u8).map(|n| view! {
                    <label class="star-picker__star">
                        <input type="radio" name="stars" value=n.to_string() required=true
                            checked=value.is_some_and(|v| v.get() == n) />
                        // Drawn empty: the stylesheet fills it and those before it when chosen.
                        <StarIcon halves=0 />
                        <span class="visually-hidden">{move || (t().ratings.star_count)(n)}</span>
                    </label>
                }).collect_view()}
            </div>
            {move || error.get().map(|code| view! { <p class="field__error" id=error_id.clone()>{(t().error)(code)}</p> })}
        </fieldset>
    }
}

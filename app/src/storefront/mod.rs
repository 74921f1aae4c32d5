//! The storefront: home, listings and search, product pages, makers' pages.

pub mod api;
pub mod card;
pub mod creator;
pub mod home;
pub mod product;
pub mod search;
pub mod search_box;

use leptos::prelude::*;

use crate::{error::AppError, i18n::use_i18n, pages::status::NotFound};

/// What a storefront page shows when its data did not load: the 404 page (with its
/// status) for something that is not there, otherwise the reason.
pub fn not_loaded(error: AppError) -> AnyView {
    if error.code == types::ErrorCode::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    let i18n = use_i18n();
    view! {
        <div class="container section">
            <div class="alert alert--error" role="alert">{move || (i18n.t().error)(error.code)}</div>
        </div>
    }
    .into_any()
}

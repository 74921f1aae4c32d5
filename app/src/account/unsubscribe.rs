//! The page a mail's unsubscribe link opens, for anyone holding the link (no login):
//! it says what would stop and asks first, since mail scanners open links. The form
//! posts to the same address as a mail client's one-click `POST` (`server::unsubscribe`).

use leptos::prelude::*;
use leptos_meta::Title;
use types::profile::{UNSUBSCRIBE_PATH, UnsubscribeChoice};

#[cfg(feature = "ssr")]
use crate::ssr::services;
use crate::{
    components::query::{query_flag, query_value},
    error::AppError,
    i18n::use_i18n,
};

/// What the link in `token` would stop; an altered or unknown link is not found.
#[server(endpoint = "account/unsubscribe")]
pub async fn describe_unsubscribe(token: String) -> Result<UnsubscribeChoice, AppError> {
    Ok(domain::users::unsubscribe::describe(&services()?, &token).await?)
}

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let token = query_value("token");
    let done = query_flag("done");
    let choice = Resource::new(move || token.get().unwrap_or_default(), describe_unsubscribe);
    view! {
        <Title text=move || t().unsubscribe_title />
        <div class="container">
            <div class="form-card">
                <h1 class="form-card__title">{move || t().unsubscribe_title}</h1>
                <Suspense>
                    {move || Suspend::new(async move {
                        let Ok(choice) = choice.await else {
                            #[cfg(feature = "ssr")]
                            crate::pages::status::set_status(404);
                            return view! {
                                <div class="alert alert--error" role="alert">{t().unsubscribe_invalid}</div>
                                <p><a class="btn btn--primary" href="/login">{t().nav_login}</a></p>
                            }.into_any();
                        };
                        let topic = (t().kind_name)(choice.topic);
                        if done.get() || !choice.on {
                            view! {
                                <div class="alert alert--success" role="status">
                                    {(t().unsubscribe_done)(topic, &choice.email)}
                                </div>
                                <p><a href="/account/preferences">{t().unsubscribe_manage}</a></p>
                            }.into_any()
                        } else {
                            let action = format!("{UNSUBSCRIBE_PATH}?token={}", token.get().unwrap_or_default());
                            view! {
                                <p class="form-card__lead">{(t().unsubscribe_ask)(topic, &choice.email)}</p>
                                <form class="form" method="post" action=action>
                                    <input type="hidden" name="List-Unsubscribe" value="One-Click" />
                                    <div class="form-actions">
                                        <button type="submit" class="btn btn--primary">{t().unsubscribe_submit}</button>
                                    </div>
                                </form>
                                <p><a href="/account/preferences">{t().unsubscribe_manage}</a></p>
                            }.into_any()
                        }
                    })}
                </Suspense>
            </div>
        </div>
    }
}

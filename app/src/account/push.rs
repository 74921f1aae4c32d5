//! The browsers and phones that show a person's notices (Web Push), on the preferences
//! page. Subscribing needs the browser's push API, so a small script of its own
//! (`public/push.js`, not the WASM bundle) asks for permission, subscribes with the
//! site's key and posts the subscription in the plain form below; removing a device
//! is a plain form too, and the script also unsubscribes the browser it runs in.

use leptos::prelude::*;
use types::{ids::PushSubscriptionId, profile::PushStatus};

#[cfg(feature = "ssr")]
use crate::ssr::{require_user, services};
use crate::{
    components::{
        actions::succeeded,
        form::{FormError, action_error},
        time::{machine_time, short_time},
    },
    error::AppError,
    i18n::use_i18n,
};

/// Whether push is offered, and the reader's subscribed browsers.
#[server(endpoint = "account/push")]
pub async fn my_push() -> Result<PushStatus, AppError> {
    let user = require_user()?;
    Ok(domain::notifications::push::subscriptions::status(&services()?, user.id).await?)
}

/// Keeps the browser that posts this (its `PushSubscription`) as one of the reader's.
#[server(endpoint = "account/push/subscribe")]
pub async fn subscribe_push(endpoint: String, p256dh: String, auth: String) -> Result<(), AppError> {
    use domain::notifications::push::subscriptions::{self, NewSubscription};
    let user = require_user()?;
    let device = domain::users::devices::browser_name(&crate::ssr::request_header("user-agent").unwrap_or_default());
    let new = NewSubscription { endpoint, p256dh, auth };
    Ok(subscriptions::subscribe(&services()?, user.id, &new, &device).await?)
}

/// Pushes a test notice to one of the reader's browsers.
#[server(endpoint = "account/push/test")]
pub async fn test_push(id: PushSubscriptionId) -> Result<(), AppError> {
    let user = require_user()?;
    let locale = crate::ssr::request_locale().unwrap_or(user.locale);
    Ok(domain::notifications::push::subscriptions::send_test(&services()?, user.id, id, locale).await?)
}

/// Stops notices to one of the reader's browsers.
#[server(endpoint = "account/push/remove")]
pub async fn remove_push(id: PushSubscriptionId) -> Result<(), AppError> {
    let user = require_user()?;
    Ok(domain::notifications::push::subscriptions::remove(&services()?, user.id, id).await?)
}

#[component]
pub fn PushCard() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().push;
    let subscribe = ServerAction::<SubscribePush>::new();
    let remove = ServerAction::<RemovePush>::new();
    let test = ServerAction::<TestPush>::new();
    let status = Resource::new(|| (), |_| my_push());
    let (added, removed, tested) = (succeeded(subscribe), succeeded(remove), succeeded(test));
    let subscribe_error = action_error(subscribe.into());
    let remove_error = action_error(remove.into());
    let test_error = action_error(test.into());
    view! {
        <section class="card stack" aria-labelledby="push-title">
            <h2 id="push-title" class="section__title">{move || t().title}</h2>
            {move || {
                let news = if added.get() {
                    Some(t().added)
                } else if removed.get() {
                    Some(t().removed)
                } else if tested.get() {
                    Some(t().tested)
                } else {
                    None
                };
                news.map(|n| view! { <div class="alert alert--success" role="status">{n}</div> })
            }}
            <FormError error=subscribe_error />
            <FormError error=remove_error />
            <FormError error=test_error />
            <Suspense>
                {move || Suspend::new(async move {
                    let Ok(push) = status.await else { return ().into_any() };
                    let Some(key) = push.public_key else {
                        return view! { <p class="muted">{t().unavailable}</p> }.into_any();
                    };
                    let texts = t();
                    view! {
                        <p class="muted">{texts.lead}</p>
                        <div class="push" data-push-key=key data-text-unsupported=texts.unsupported
                            data-text-blocked=texts.blocked data-text-on=texts.on data-text-failed=texts.failed>
                            // The script replaces this with where this browser stands.
                            <p class="push__state" data-push-state role="status">{texts.needs_script}</p>
                            <ActionForm action=subscribe attr:data-push-form=true attr:hidden=true>
                                <input type="hidden" name="endpoint" />
                                <input type="hidden" name="p256dh" />
                                <input type="hidden" name="auth" />
                                <button type="submit" class="btn btn--primary">{texts.turn_on}</button>
                            </ActionForm>
                        </div>
                        {(!push.devices.is_empty()).then(|| view! {
                            <h3 class="push__devices-title">{texts.devices}</h3>
                            <ul class="plain-list push__devices">
                                {push.devices.into_iter().map(|d| {
                                    let test_label = format!("{} — {}", texts.test, d.device);
                                    let remove_label = format!("{} — {}", texts.remove, d.device);
                                    view! {
                                    <li class="push__device" data-endpoint=d.endpoint.clone()>
                                        <div>
                                            <strong>{d.device.clone()}</strong>
                                            " "<span class="badge" data-this-device hidden>{texts.this_device}</span>
                                            <br />
                                            <span class="muted">
                                                {texts.added_on}" "
                                                <time datetime=machine_time(&d.created_at)>{short_time(&d.created_at)}</time>
                                                {d.last_sent_at.map(|at| view! {
                                                    " · "{texts.last_sent}" "<time datetime=machine_time(&at)>{short_time(&at)}</time>
                                                })}
                                            </span>
                                        </div>
                                        <div class="push__actions">
                                            <ActionForm action=test>
                                                <input type="hidden" name="id" value=d.id.to_string() />
                                                <button type="submit" class="btn btn--ghost btn--small"
                                                    aria-label=test_label>{texts.test}</button>
                                            </ActionForm>
                                            <ActionForm action=remove attr:data-push-remove=true>
                                                <input type="hidden" name="id" value=d.id.to_string() />
                                                <button type="submit" class="btn btn--ghost btn--small"
                                                    aria-label=remove_label>{texts.remove}</button>
                                            </ActionForm>
                                        </div>
                                    </li>
                                }}).collect_view()}
                            </ul>
                        })}
                        <script type="module" src="/push.js"></script>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

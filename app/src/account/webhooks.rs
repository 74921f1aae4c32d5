//! Outgoing webhooks: the list of the user's endpoints with the form that registers
//! one (its signing secret shown once, on the page the form sends the browser to),
//! and one endpoint with its delivery log, where it is switched on or off, removed,
//! and a delivery sent again.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;
use types::{
    ErrorCode, TextEnum,
    webhooks::{CreatedEndpoint, DeliveryStatus, DeliveryView, EndpointView, WebhookEvent},
};

use super::api::{
    CreateWebhook, DeleteWebhook, DisableWebhook, EnableWebhook, EndpointLog, SendWebhookAgain, my_webhook,
    my_webhooks, take_new_webhook,
};
use crate::{
    components::{
        actions::succeeded,
        form::{FormError, SubmitButton, TextField, action_error, field_error},
        list::list_or_empty,
        time::machine_time,
    },
    i18n::{Texts, use_i18n, webhooks::WebhooksTexts},
    pages::status::NotFoundHere,
};

/// Where the API's reference (and the payloads of the events) lives.
const API_REFERENCE: &str = "/api/v1/docs";
/// The header every delivery carries, as a receiver sees it.
const SIGNATURE_FORMAT: &str = "OpenAero-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">";
/// Why the delivery loop switched an endpoint off (`webhooks::delivery`).
const FAILING: &str = "failing";

/// A day, as the tokens page shows one.
fn day(at: DateTime<Utc>) -> impl IntoView {
    let i18n = use_i18n();
    view! { <time datetime=machine_time(&at)>{move || (i18n.t().shop.date)(&at)}</time> }
}

/// A moment in the delivery log: the day as elsewhere, and the time (UTC), since
/// several deliveries a day are told apart by it.
fn moment(texts: &Texts, at: &DateTime<Utc>) -> String {
    format!("{} {}", (texts.shop.date)(at), at.format("%H:%M"))
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().webhooks;
    let create = ServerAction::<CreateWebhook>::new();
    // The remove form is on the endpoint's page; it sends the browser here.
    let removed = succeeded(ServerAction::<DeleteWebhook>::new());
    let list = Resource::new(|| (), |_| my_webhooks());
    let fresh = Resource::new(|| (), |_| take_new_webhook());
    view! {
        <Title text=move || t().title />
        <section class="card stack" aria-labelledby="webhooks-title">
            <h2 class="card__title" id="webhooks-title">{move || t().title}</h2>
            <p>
                {move || t().lead}" "
                <a class="text-link" href=API_REFERENCE rel="external">{move || t().reference}</a>
            </p>
            <Suspense>
                {move || Suspend::new(async move {
                    fresh.await.ok().flatten().map(|created| view! { <NewEndpointNotice created /> })
                })}
            </Suspense>
            {move || removed.get().then(|| view! {
                <div class="alert alert--success" role="status">{move || t().removed}</div>
            })}
            <Transition>
                {move || Suspend::new(async move {
                    list_or_empty(i18n.t(), list.await, t().empty, |endpoints| {
                        view! { <EndpointTable endpoints /> }.into_any()
                    })
                })}
            </Transition>
        </section>
        <CreateEndpointForm create />
    }
}

/// The signing secret of the endpoint just registered, with how to check a signature.
#[component]
fn NewEndpointNotice(created: CreatedEndpoint) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().webhooks;
    let CreatedEndpoint { endpoint, secret } = created;
    let url = endpoint.url;
    view! {
        <div class="alert alert--success" role="status">
            <div class="stack">
                <p><strong>{move || (t().created)(&url)}</strong></p>
                <div class="field">
                    <label for="new-webhook-secret">{move || t().secret_label}</label>
                    <input id="new-webhook-secret" class="mono" type="text" readonly=true value=secret
                        autocomplete="off" spellcheck="false" aria-describedby="new-webhook-note" />
                    <p class="field__hint" id="new-webhook-note">{move || t().copy_now}</p>
                </div>
                <p>{move || t().verify}</p>
                <pre><code>{SIGNATURE_FORMAT}</code></pre>
                <p>{move || t().verify_how}</p>
            </div>
        </div>
    }
}

/// Events as the badges both pages show.
fn event_badges(events: &[WebhookEvent]) -> AnyView {
    let names: Vec<&'static str> = events.iter().map(|e| e.as_str()).collect();
    view! {
        <span class="badge-row">
            {names.into_iter().map(|name| view! { <code>{name}</code> }).collect_view()}
        </span>
    }
    .into_any()
}

/// On, off, or off because it kept failing; and since when it fails, if it does.
#[component]
fn EndpointStatus(
    enabled: bool,
    disabled_reason: Option<String>,
    failing_since: Option<DateTime<Utc>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().webhooks;
    let badge = match (enabled, disabled_reason.as_deref()) {
        (true, _) => view! { <span class="badge badge--ok">{move || t().on}</span> }.into_any(),
        (false, Some(FAILING)) => {
            view! { <span class="badge badge--danger">{move || t().off_failing}</span> }.into_any()
        }
        (false, _) => view! { <span class="badge badge--muted">{move || t().off}</span> }.into_any(),
    };
    let failing = failing_since.map(|at| {
        view! {
            " "
            <time class="muted" datetime=machine_time(&at)>
                {move || (t().failing_since)(&(i18n.t().shop.date)(&at))}
            </time>
        }
    });
    view! { {badge}{failing} }
}

#[component]
fn EndpointTable(endpoints: Vec<EndpointView>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().webhooks;
    view! {
        <div class="table-wrap">
            <table class="table table--stack">
                <thead>
                    <tr>
                        <th scope="col">{move || t().url}</th>
                        <th scope="col">{move || t().events}</th>
                        <th scope="col">{move || t().status}</th>
                        <th scope="col">{move || t().created_at}</th>
                        <th scope="col"><span class="sr-only">{move || t().actions}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {endpoints.into_iter().map(|endpoint| view! { <EndpointRow endpoint /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn EndpointRow(endpoint: EndpointView) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().webhooks;
    let EndpointView { id, url, description, events, enabled, disabled_reason, failing_since, created_at } = endpoint;
    let label_url = url.clone();
    view! {
        <tr>
            <td data-label=move || t().url>
                <code class="pre-wrap">{url}</code>
                {(!description.is_empty()).then(|| view! { <br /><span class="muted">{description}</span> })}
            </td>
            <td data-label=move || t().events>{event_badges(&events)}</td>
            <td data-label=move || t().status><EndpointStatus enabled disabled_reason failing_since /></td>
            <td class="nowrap" data-label=move || t().created_at>{day(created_at)}</td>
            <td>
                <a href=format!("/account/webhooks/{id}") aria-label=move || (t().deliveries_label)(&label_url)>
                    {move || t().deliveries}
                </a>
            </td>
        </tr>
    }
}

/// What was sent in field `name` of the create form the server refused just before
/// this page (without JavaScript): the choices stay as they were.
fn refused(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    return crate::ssr::submitted_to(CreateWebhook::url())
        .filter(|form| !form.accepted)
        .and_then(|form| form.field(name).map(str::to_owned));
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (name, CreateWebhook::url());
        None
    }
}

#[component]
fn CreateEndpointForm(create: ServerAction<CreateWebhook>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().webhooks;
    let error = action_error(create.into());
    let url_error = field_error(error, "url");
    let description_error = field_error(error, "description");
    let events_error = field_error(error, "events");
    view! {
        <section class="card stack" aria-labelledby="webhooks-create-title">
            <h2 class="card__title" id="webhooks-create-title">{move || t().create_title}</h2>
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <FormError error />
                <TextField label=Signal::derive(move || t().url) name="url" input_type="url" maxlength=2000
                    required=true autocomplete="off" hint=Signal::derive(move || t().url_hint) error=url_error />
                <TextField label=Signal::derive(move || t().description) name="description" maxlength=200
                    autocomplete="off" hint=Signal::derive(move || t().description_hint) error=description_error />
                <fieldset class="fieldset" class:field--error=move || events_error.get().is_some()
                    aria-describedby=move || if events_error.get().is_some() {
                        "field-events-hint field-events-error"
                    } else {
                        "field-events-hint"
                    }>
                    <legend>{move || t().events}</legend>
                    <p class="field__hint" id="field-events-hint">{move || t().events_hint}</p>
                    <div class="level-choices">
                        {WebhookEvent::ALL.iter().copied().enumerate().map(|(index, event)| {
                            let field = format!("events[{index}]");
                            let checked = refused(&field).is_some();
                            view! {
                                <label class="choice choice--block">
                                    <input type="checkbox" name=field value=event.as_str() checked=checked />
                                    <span>
                                        <code>{event.as_str()}</code>
                                        " "
                                        <span class="muted">{move || (i18n.t().webhooks.event_description)(event)}</span>
                                    </span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    {move || events_error.get().map(|code| view! {
                        <p class="field__error" id="field-events-error">{(i18n.t().error)(code)}</p>
                    })}
                </fieldset>
                <div class="form-actions">
                    <SubmitButton label=Signal::derive(move || t().create) pending=create.pending().into() />
                </div>
            </ActionForm>
        </section>
    }
}

/// The forms of one endpoint's page, each a plain form that comes back here (remove
/// goes to the list).
#[derive(Clone, Copy)]
struct EndpointActions {
    enable: ServerAction<EnableWebhook>,
    disable: ServerAction<DisableWebhook>,
    delete: ServerAction<DeleteWebhook>,
    again: ServerAction<SendWebhookAgain>,
}

/// `/account/webhooks/{id}`: one endpoint and its delivery log; someone else's is
/// not found.
#[component]
pub fn WebhookPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let actions = EndpointActions {
        enable: ServerAction::new(),
        disable: ServerAction::new(),
        delete: ServerAction::new(),
        again: ServerAction::new(),
    };
    let loaded = Resource::new(move || params.read().get("id").unwrap_or_default(), my_webhook);
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(log) => view! { <EndpointDetail log actions /> }.into_any(),
                    Err(e) if e.code == ErrorCode::NotFound => {
                        let back_label = Signal::derive(move || i18n.t().webhooks.all_endpoints);
                        view! { <NotFoundHere back="/account/webhooks" back_label /> }.into_any()
                    }
                    Err(e) => crate::storefront::not_loaded(e),
                }
            })}
        </Transition>
    }
}

#[component]
fn EndpointDetail(log: EndpointLog, actions: EndpointActions) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().webhooks;
    let EndpointLog { endpoint, deliveries } = log;
    let EndpointView { id, url, description, events, enabled, disabled_reason, failing_since, created_at } = endpoint;
    let (switched_on, switched_off, sent_again) =
        (succeeded(actions.enable), succeeded(actions.disable), succeeded(actions.again));
    let id = id.to_string();
    let (switch_id, remove_id) = (id.clone(), id.clone());
    let switch = if enabled {
        view! {
            <ActionForm action=actions.disable>
                <input type="hidden" name="id" value=switch_id />
                <button type="submit" class="btn btn--ghost">{move || t().switch_off}</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action=actions.enable>
                <input type="hidden" name="id" value=switch_id />
                <button type="submit" class="btn btn--primary">{move || t().switch_on}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <Title text=move || t().endpoint_title />
        <p><a href="/account/webhooks">{move || t().all_endpoints}</a></p>
        <section class="card stack" aria-labelledby="webhook-title">
            <h2 class="card__title" id="webhook-title">{move || t().endpoint_title}</h2>
            {move || switched_on.get().then(|| view! {
                <div class="alert alert--success" role="status">{move || t().switched_on}</div>
            })}
            {move || switched_off.get().then(|| view! {
                <div class="alert alert--success" role="status">{move || t().switched_off}</div>
            })}
            <FormError error=action_error(actions.enable.into()) />
            <FormError error=action_error(actions.disable.into()) />
            <FormError error=action_error(actions.delete.into()) />
            <dl class="kv">
                <dt>{move || t().url}</dt>
                <dd><code>{url}</code></dd>
                {(!description.is_empty()).then(|| view! {
                    <dt>{move || t().description}</dt>
                    <dd>{description}</dd>
                })}
                <dt>{move || t().events}</dt>
                <dd>{event_badges(&events)}</dd>
                <dt>{move || t().status}</dt>
                <dd><EndpointStatus enabled disabled_reason failing_since /></dd>
                <dt>{move || t().created_at}</dt>
                <dd>{day(created_at)}</dd>
            </dl>
            <div class="row">
                {switch}
                <ActionForm action=actions.delete>
                    <input type="hidden" name="id" value=remove_id />
                    <button type="submit" class="btn btn--danger" aria-describedby="webhook-remove-hint">
                        {move || t().remove}
                    </button>
                </ActionForm>
            </div>
            <p class="field__hint" id="webhook-remove-hint">{move || t().remove_hint}</p>
        </section>
        <section class="card stack" aria-labelledby="webhook-log-title">
            <h2 class="card__title" id="webhook-log-title">{move || t().log_title}</h2>
            <p class="muted">{move || t().log_lead}</p>
            {move || sent_again.get().then(|| view! {
                <div class="alert alert--success" role="status">{move || t().sent_again}</div>
            })}
            <FormError error=action_error(actions.again.into()) />
            {if deliveries.is_empty() {
                view! { <div class="empty-state">{move || t().log_empty}</div> }.into_any()
            } else {
                view! { <DeliveryTable endpoint=id deliveries again=actions.again /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn DeliveryTable(
    endpoint: String,
    deliveries: Vec<DeliveryView>,
    again: ServerAction<SendWebhookAgain>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().webhooks;
    view! {
        <div class="table-wrap">
            <table class="table table--stack">
                <thead>
                    <tr>
                        <th scope="col">{move || t().event}</th>
                        <th scope="col">{move || t().status}</th>
                        <th scope="col" class="num">{move || t().attempts}</th>
                        <th scope="col">{move || t().response}</th>
                        <th scope="col">{move || t().created_at}</th>
                        <th scope="col">{move || t().next}</th>
                        <th scope="col"><span class="sr-only">{move || t().actions}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {deliveries.into_iter().map(|delivery| {
                        view! { <DeliveryRow endpoint=endpoint.clone() delivery again /> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn DeliveryStatusBadge(status: DeliveryStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = match status {
        DeliveryStatus::Pending => "badge badge--info",
        DeliveryStatus::Succeeded => "badge badge--ok",
        DeliveryStatus::Failed => "badge badge--danger",
    };
    view! { <span class=class>{move || (i18n.t().webhooks.delivery_status)(status)}</span> }
}

#[component]
fn DeliveryRow(endpoint: String, delivery: DeliveryView, again: ServerAction<SendWebhookAgain>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().webhooks;
    let DeliveryView { id, event, status, attempts, response_status, error, created_at, next_attempt_at, delivered_at } =
        delivery;
    let at = move |at: DateTime<Utc>, words: fn(&WebhooksTexts, &str) -> String| {
        view! { <time datetime=machine_time(&at)>{move || words(t(), &moment(i18n.t(), &at))}</time> }
    };
    let response = match (response_status, error) {
        (Some(code), _) => view! { <code>{code}</code> }.into_any(),
        (None, Some(error)) => view! { <span class="muted">{error}</span> }.into_any(),
        (None, None) => view! { <span class="muted">"—"</span> }.into_any(),
    };
    let next = match (delivered_at, next_attempt_at) {
        (Some(done), _) => at(done, |t, at| (t.delivered_at)(at)).into_any(),
        (None, Some(next)) => at(next, |t, at| (t.next_attempt)(at)).into_any(),
        (None, None) => view! { <span class="muted">"—"</span> }.into_any(),
    };
    let resend = (status != DeliveryStatus::Pending).then(|| {
        let label = move || (t().send_again_label)(event.as_str(), &moment(i18n.t(), &created_at));
        view! {
            <ActionForm action=again>
                <input type="hidden" name="endpoint" value=endpoint />
                <input type="hidden" name="delivery" value=id.to_string() />
                <button type="submit" class="btn btn--ghost btn--small" aria-label=label>{move || t().send_again}</button>
            </ActionForm>
        }
    });
    view! {
        <tr>
            <td data-label=move || t().event><code>{event.as_str()}</code></td>
            <td data-label=move || t().status><DeliveryStatusBadge status /></td>
            <td class="num" data-label=move || t().attempts>{attempts}</td>
            <td data-label=move || t().response>{response}</td>
            <td class="nowrap" data-label=move || t().created_at>
                <time datetime=machine_time(&created_at)>{move || moment(i18n.t(), &created_at)}</time>
            </td>
            <td class="nowrap" data-label=move || t().next>{next}</td>
            <td>{resend}</td>
        </tr>
    }
}

//! Personal access tokens for the public API: the list, the form that makes one, and
//! the new token's secret, shown once on the page the form sends the browser to.

use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;
use types::{
    TextEnum,
    api::{ApiTokenView, Lifetime, Scope},
};

use super::api::{CreateToken, NewToken, RevokeToken, my_tokens, take_new_token};
use crate::{
    components::{
        actions::succeeded,
        form::{FormError, SubmitButton, TextField, action_error, field_error},
        list::list_or_empty,
        time::machine_time,
    },
    i18n::use_i18n,
    session::use_session,
};

/// Where the API's reference lives.
const API_REFERENCE: &str = "/api/v1/docs";

#[component]
pub fn TokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t();
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let revoke_error = action_error(revoke.into());
    let revoked = succeeded(revoke);
    let list = Resource::new(|| (), |_| my_tokens());
    let fresh = Resource::new(|| (), |_| take_new_token());
    view! {
        <Title text=move || t().tokens.title />
        <section class="card stack" aria-labelledby="tokens-title">
            <h2 class="card__title" id="tokens-title">{move || t().tokens.title}</h2>
            <p>
                {move || t().tokens.lead}" "
                <a class="text-link" href=API_REFERENCE rel="external">{move || t().tokens.reference}</a>
            </p>
            <Suspense>
                {move || Suspend::new(async move {
                    fresh.await.ok().flatten().map(|new| view! { <NewTokenNotice new /> })
                })}
            </Suspense>
            {move || revoked.get().then(|| view! {
                <div class="alert alert--success" role="status">{move || t().tokens.revoked}</div>
            })}
            <FormError error=revoke_error />
            <Transition>
                {move || Suspend::new(async move {
                    list_or_empty(t(), list.await, t().tokens.empty, |tokens| view! { <TokenTable tokens revoke /> }.into_any())
                })}
            </Transition>
        </section>
        <CreateTokenForm create />
    }
}

/// The secret of the token just made, with a request to try it.
#[component]
fn NewTokenNotice(new: NewToken) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().tokens;
    let NewToken { token, origin } = new;
    let example = format!("curl -H \"Authorization: Bearer {}\" {origin}/api/v1/maker/products", token.secret);
    let name = token.name;
    view! {
        <div class="alert alert--success" role="status">
            <div class="stack">
                <p><strong>{move || (t().created)(&name)}</strong></p>
                <div class="field">
                    <label for="new-token-secret">{move || t().secret_label}</label>
                    <input id="new-token-secret" class="mono" type="text" readonly=true value=token.secret
                        autocomplete="off" spellcheck="false" aria-describedby="new-token-note" />
                    <p class="field__hint" id="new-token-note">{move || t().copy_now}</p>
                </div>
                <p>{move || t().example}</p>
                <pre><code>{example}</code></pre>
            </div>
        </div>
    }
}

#[component]
fn TokenTable(tokens: Vec<ApiTokenView>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().tokens;
    view! {
        <div class="table-wrap">
            <table class="table table--stack">
                <thead>
                    <tr>
                        <th scope="col">{move || t().name}</th>
                        <th scope="col">{move || t().token}</th>
                        <th scope="col">{move || t().scopes}</th>
                        <th scope="col">{move || t().created_at}</th>
                        <th scope="col">{move || t().expires}</th>
                        <th scope="col">{move || t().last_used}</th>
                        <th scope="col"><span class="sr-only">{move || t().actions}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {tokens.into_iter().map(|token| view! { <TokenRow token revoke /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn TokenRow(token: ApiTokenView, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().tokens;
    let date = move |at: chrono::DateTime<chrono::Utc>| {
        view! { <time datetime=machine_time(&at)>{move || (i18n.t().shop.date)(&at)}</time> }
    };
    let expires = match (token.expired, token.expires_at) {
        (true, _) => view! { <span class="badge badge--danger">{move || t().expired}</span> }.into_any(),
        (false, Some(at)) => date(at).into_any(),
        (false, None) => view! { <span>{move || t().never_expires}</span> }.into_any(),
    };
    let last_used = match token.last_used_at {
        Some(at) => date(at).into_any(),
        None => view! { <span class="muted">{move || t().never_used}</span> }.into_any(),
    };
    let name = token.name.clone();
    view! {
        <tr>
            <td data-label=move || t().name>{token.name.clone()}</td>
            <td data-label=move || t().token><code>{format!("{}…", token.prefix)}</code></td>
            <td data-label=move || t().scopes>
                <span class="badge-row">
                    {token.scopes.iter().map(|s| view! { <code>{s.as_str()}</code> }).collect_view()}
                </span>
            </td>
            <td class="nowrap" data-label=move || t().created_at>{date(token.created_at)}</td>
            <td class="nowrap" data-label=move || t().expires>{expires}</td>
            <td class="nowrap" data-label=move || t().last_used>{last_used}</td>
            <td>
                <ActionForm action=revoke>
                    <input type="hidden" name="id" value=token.id.to_string() />
                    <button type="submit" class="btn btn--ghost btn--small" aria-label=move || (t().revoke_label)(&name)>
                        {move || t().revoke}
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}

/// What was sent in field `name` of the create form the server refused just before
/// this page (without JavaScript): the choices stay as they were.
fn refused(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    return crate::ssr::submitted_to(CreateToken::url())
        .filter(|form| !form.accepted)
        .and_then(|form| form.field(name).map(str::to_owned));
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (name, CreateToken::url());
        None
    }
}

#[component]
fn CreateTokenForm(create: ServerAction<CreateToken>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.t().tokens;
    let error = action_error(create.into());
    let name_error = field_error(error, "name");
    let scopes_error = field_error(error, "scopes");
    let lifetime_error = field_error(error, "lifetime");
    let session = use_session();
    // A refused form keeps its choices; a new one starts with none ticked and 90 days.
    let was_refused = refused("name").is_some();
    let lifetime = refused("lifetime").and_then(|l| Lifetime::parse(&l)).unwrap_or_default();
    view! {
        <section class="card stack" aria-labelledby="tokens-create-title">
            <h2 class="card__title" id="tokens-create-title">{move || t().create_title}</h2>
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <FormError error />
                <TextField label=Signal::derive(move || t().name) name="name" maxlength=80 required=true
                    autocomplete="off" hint=Signal::derive(move || t().name_hint) error=name_error />
                <fieldset class="fieldset" class:field--error=move || scopes_error.get().is_some()
                    aria-describedby=move || if scopes_error.get().is_some() {
                        "field-scopes-hint field-scopes-error"
                    } else {
                        "field-scopes-hint"
                    }>
                    <legend>{move || t().scopes}</legend>
                    <p class="field__hint" id="field-scopes-hint">{move || t().scopes_hint}</p>
                    <Suspense>
                        {move || Suspend::new(async move {
                            let permissions = session.user.await.ok().flatten().map(|u| u.permissions).unwrap_or_default();
                            let offered: Vec<Scope> = Scope::offered(&permissions).collect();
                            view! {
                                <div class="level-choices">
                                    {offered.into_iter().map(|scope| {
                                        let index = Scope::ALL.iter().position(|s| *s == scope).unwrap_or_default();
                                        let field = format!("scopes[{index}]");
                                        let checked = was_refused && refused(&field).is_some();
                                        view! {
                                            <label class="choice choice--block">
                                                <input type="checkbox" name=field value=scope.as_str() checked=checked />
                                                <span>
                                                    <code>{scope.as_str()}</code>
                                                    <span class="muted">{move || (i18n.t().tokens.scope_description)(scope)}</span>
                                                </span>
                                            </label>
                                        }
                                    }).collect_view()}
                                </div>
                            }
                        })}
                    </Suspense>
                    {move || scopes_error.get().map(|code| view! {
                        <p class="field__error" id="field-scopes-error">{(i18n.t().error)(code)}</p>
                    })}
                </fieldset>
                <div class="field" class:field--error=move || lifetime_error.get().is_some()>
                    <label for="field-lifetime">{move || t().expires}</label>
                    <select id="field-lifetime" name="lifetime"
                        aria-invalid=move || lifetime_error.get().is_some().then_some("true")
                        aria-describedby=move || lifetime_error.get().is_some().then_some("field-lifetime-error")>
                        {Lifetime::ALL.iter().copied().map(|l| view! {
                            <option value=l.as_str() selected=l == lifetime>{move || (i18n.t().tokens.lifetime_name)(l)}</option>
                        }).collect_view()}
                    </select>
                    {move || lifetime_error.get().map(|code| view! {
                        <p class="field__error" id="field-lifetime-error">{(i18n.t().error)(code)}</p>
                    })}
                </div>
                <div class="form-actions">
                    <SubmitButton label=Signal::derive(move || t().create) pending=create.pending().into() />
                </div>
            </ActionForm>
        </section>
    }
}

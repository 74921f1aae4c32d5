//! Account server functions. Each parses, authorizes, calls one domain function and
//! maps the result; the rules live in `domain::users` (the address book in
//! `domain::commerce::addresses`, the application to sell in
//! `domain::creators::application`, webhook endpoints in `domain::webhooks::endpoints`).

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use types::{ErrorCode, FieldError};
use types::{
    Locale,
    api::{ApiTokenView, CreatedApiToken},
    creators::Application,
    notifications::DeliveryPage,
    profile::{ClosingPreview, Preferences, Profile},
    webhooks::{CreatedEndpoint, DeliveryView, EndpointView},
};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{
    SESSION_AUTH_EPOCH, SESSION_CART_ID, SESSION_NEW_TOKEN, SESSION_NEW_WEBHOOK, SESSION_USER_ID, refuse, request_meta,
    require_user, safe_next, services, tower_session,
};

#[cfg(feature = "ssr")]
fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "session store failed");
    AppError::new(ErrorCode::Internal)
}

#[cfg(feature = "ssr")]
fn passwords_match(password: &str, confirm: &str, field: &str) -> Result<(), AppError> {
    if password == confirm {
        Ok(())
    } else {
        let error = AppError::fields(vec![FieldError::new(field, ErrorCode::PasswordMismatch)]);
        error.set_response_status();
        Err(error)
    }
}

/// Creates an account and sends the verification mail. Answers the same whether or not
/// the email already had an account.
#[server(endpoint = "account/register")]
pub async fn register(name: String, email: String, password: String, password_confirm: String) -> Result<(), AppError> {
    passwords_match(&password, &password_confirm, "password_confirm")?;
    let locale = crate::ssr::request_locale().unwrap_or_default();
    let form = domain::users::register::RegisterForm { name, email, password, locale };
    domain::users::register::register(&services()?, form, &request_meta()).await?;
    leptos_axum::redirect("/check-email");
    Ok(())
}

/// Logs in, rotating the session id, and goes to `next` (a path on this site).
#[server(endpoint = "account/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let (services, meta) = (services()?, request_meta());
    let logged_in = domain::users::auth::login(&services, &email, &password, &meta).await?;
    remember_device(&services, logged_in.user_id, &meta).await?;
    let session = tower_session()?;
    session.cycle_id().await.map_err(internal)?;
    session.insert(SESSION_USER_ID, logged_in.user_id).await.map_err(internal)?;
    session.insert(SESSION_AUTH_EPOCH, logged_in.auth_epoch).await.map_err(internal)?;
    // What the visitor put in the cart before logging in joins the account's cart.
    if let Some(cart) = session.remove::<types::ids::CartId>(SESSION_CART_ID).await.map_err(internal)? {
        let mut conn = services.pool.acquire().await.map_err(domain::Error::from)?;
        domain::commerce::cart::merge(&mut conn, cart, logged_in.user_id).await?;
    }
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// Records the browser a sign-in came from (the person is told of a new one) and
/// gives it its cookie for a little over a year, as long as browsers keep one.
#[cfg(feature = "ssr")]
async fn remember_device(
    services: &domain::Services,
    user: types::UserId,
    meta: &domain::RequestMeta,
) -> Result<(), AppError> {
    use crate::ssr::{request_cookie, request_header, set_cookie};
    use domain::users::devices;
    let known = request_cookie(devices::COOKIE);
    let user_agent = request_header("user-agent").unwrap_or_default();
    let device = devices::signed_in(services, user, known.as_deref(), &user_agent, meta).await?;
    let secure = if services.settings.base_url.starts_with("https://") { "; Secure" } else { "" };
    set_cookie(&format!("{}={device}; Path=/; Max-Age=34560000; HttpOnly; SameSite=Lax{secure}", devices::COOKIE));
    Ok(())
}

/// Ends the session: its row is deleted and the browser gets a new, empty one.
#[server(endpoint = "account/logout")]
pub async fn logout() -> Result<(), AppError> {
    tower_session()?.flush().await.map_err(internal)?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "account/verify-email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    domain::users::auth::verify_email(&services()?, &token, &request_meta()).await?;
    leptos_axum::redirect("/verify-email?done=1");
    Ok(())
}

#[server(endpoint = "account/resend-verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    let user = require_user()?;
    domain::users::auth::resend_verification(&services()?, user.id, &request_meta()).await?;
    Ok(())
}

#[server(endpoint = "account/forgot-password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    domain::users::auth::request_password_reset(&services()?, &email, &request_meta()).await?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

#[server(endpoint = "account/reset-password")]
pub async fn reset_password(token: String, password: String, password_confirm: String) -> Result<(), AppError> {
    passwords_match(&password, &password_confirm, "password_confirm")?;
    domain::users::auth::reset_password(&services()?, &token, &password, &request_meta()).await?;
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}

/// Changes the password; other sessions are signed out, this one stays.
#[server(endpoint = "account/change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    let user = require_user()?;
    passwords_match(&new_password, &new_password_confirm, "new_password_confirm")?;
    let epoch =
        domain::users::auth::change_password(&services()?, user.id, &current_password, &new_password, &request_meta())
            .await?;
    let session = tower_session()?;
    session.cycle_id().await.map_err(internal)?;
    session.insert(SESSION_AUTH_EPOCH, epoch).await.map_err(internal)?;
    leptos_axum::redirect("/account/security?saved=1");
    Ok(())
}

#[server(endpoint = "account/profile")]
pub async fn get_profile() -> Result<Profile, AppError> {
    let user = require_user()?;
    let mut conn = services()?.pool.acquire().await.map_err(domain::Error::from)?;
    Ok(domain::users::profile::get_profile(&mut conn, user.id).await?)
}

/// Saves the caller's own profile. Social links come one per line.
#[server(endpoint = "account/profile/update")]
pub async fn update_profile(
    name: String,
    bio: String,
    location: String,
    website: String,
    social_links: String,
) -> Result<(), AppError> {
    let user = require_user()?;
    let profile =
        Profile { name, bio, location, website, social_links: social_links.lines().map(str::to_owned).collect() };
    domain::users::profile::update_profile(&services()?, user.id, profile, &request_meta()).await?;
    leptos_axum::redirect("/account?saved=1");
    Ok(())
}

#[server(endpoint = "account/preferences")]
pub async fn get_preferences() -> Result<Preferences, AppError> {
    let user = require_user()?;
    let mut conn = services()?.pool.acquire().await.map_err(domain::Error::from)?;
    Ok(domain::users::profile::get_preferences(&mut conn, user.id).await?)
}

/// Saves language and notification choices. `enabled` holds `kind:channel` pairs;
/// unknown pairs are refused rather than ignored.
#[server(endpoint = "account/preferences/update")]
pub async fn update_preferences(locale: String, #[server(default)] enabled: Vec<String>) -> Result<(), AppError> {
    let user = require_user()?;
    let locale = Locale::from_tag(&locale).ok_or_else(|| refuse(ErrorCode::BadRequest))?;
    let enabled = Preferences::parse_pairs(&enabled).ok_or_else(|| refuse(ErrorCode::BadRequest))?;
    domain::users::profile::update_preferences(&services()?, user.id, Preferences { locale, enabled }).await?;
    set_locale_cookie(locale);
    leptos_axum::redirect("/account/preferences?saved=1");
    Ok(())
}

/// Switches the UI language: remembered in a cookie, and in the profile when logged in.
#[server(endpoint = "locale")]
pub async fn set_locale(locale: String) -> Result<Locale, AppError> {
    let locale = Locale::from_tag(&locale).ok_or_else(|| refuse(ErrorCode::BadRequest))?;
    if let Some(user) = crate::ssr::session_user() {
        let mut conn = services()?.pool.acquire().await.map_err(domain::Error::from)?;
        domain::users::profile::set_locale(&mut conn, user.id, locale).await?;
    }
    set_locale_cookie(locale);
    Ok(locale)
}

#[cfg(feature = "ssr")]
fn set_locale_cookie(locale: Locale) {
    crate::ssr::set_cookie(&format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", locale.tag()));
}

/// The caller's saved shipping addresses, newest first.
#[server(endpoint = "account/addresses")]
pub async fn my_addresses() -> Result<Vec<types::checkout::SavedAddress>, AppError> {
    let user = require_user()?;
    Ok(domain::commerce::addresses::list(&services()?.pool, user.id).await?)
}

/// Saves an address to the caller's book (the same address twice is kept once).
#[server(endpoint = "account/addresses/save")]
pub async fn save_address(#[server(flatten)] address: types::orders::ShipTo) -> Result<(), AppError> {
    let user = require_user()?;
    domain::commerce::addresses::save(&services()?.pool, user.id, &address).await?;
    Ok(())
}

/// Deletes one of the caller's addresses; orders keep their own copy.
#[server(endpoint = "account/addresses/delete")]
pub async fn delete_address(id: String) -> Result<(), AppError> {
    let user = require_user()?;
    let id = id.trim().parse().map_err(|_| refuse(ErrorCode::NotFound))?;
    Ok(domain::commerce::addresses::delete(&services()?.pool, user.id, id).await?)
}

/// The signed-in user's application, if they have made one.
#[server(endpoint = "creator/application")]
pub async fn my_application() -> Result<Option<Application>, AppError> {
    let user = require_user()?;
    Ok(domain::creators::application::mine(&services()?, user.id).await?)
}

/// Submits or resubmits the application. `documents` holds the uploaded files' ids,
/// separated by commas. Every field may be missing: each is then reported on itself.
#[server(endpoint = "creator/apply")]
pub async fn submit_application(
    #[server(flatten)] form: types::creators::ApplicationForm,
    #[server(default)] documents: String,
) -> Result<(), AppError> {
    let user = require_user()?;
    let form =
        types::creators::ApplicationForm { documents: documents.split(',').map(str::to_owned).collect(), ..form };
    domain::creators::application::submit(&services()?, user.id, &form, &request_meta()).await?;
    leptos_axum::redirect("/account/selling?submitted=1");
    Ok(())
}

/// The caller's API tokens that are not revoked, newest first (expired ones included).
#[server(endpoint = "account/tokens")]
pub async fn my_tokens() -> Result<Vec<ApiTokenView>, AppError> {
    let user = require_user()?;
    Ok(domain::users::api_tokens::list(&services()?.pool, user.id).await?)
}

/// A token just made, as the page shows it once: its secret, and where the API is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewToken {
    pub token: CreatedApiToken,
    /// The site's public address (no trailing slash), for the example request.
    pub origin: String,
}

/// Makes a token. `scopes` holds scope names (`catalog:read` …), `lifetime` one of
/// `7`, `30`, `90`, `365`, `never`. The secret goes to the session for the page the
/// browser is sent to, which takes it out when it shows it: it is shown once.
#[server(endpoint = "account/tokens/create")]
pub async fn create_token(
    name: String,
    #[server(default)] scopes: Vec<String>,
    #[server(default)] lifetime: String,
) -> Result<(), AppError> {
    let user = require_user()?;
    let (scopes, lifetime) = domain::users::api_tokens::read_choices(&scopes, &lifetime)?;
    let created =
        domain::users::api_tokens::create(&services()?.pool, &user, &name, &scopes, lifetime, &request_meta()).await?;
    // Kept with its user: whoever logs in next on this browser does not see it.
    tower_session()?.insert(SESSION_NEW_TOKEN, (user.id, created)).await.map_err(internal)?;
    leptos_axum::redirect("/account/tokens?created=1");
    Ok(())
}

/// The token made just before, taken out of the session: the first page to ask
/// shows its secret, and no later one can.
#[server(endpoint = "account/tokens/new")]
pub async fn take_new_token() -> Result<Option<NewToken>, AppError> {
    let user = require_user()?;
    let Some((owner, token)) = crate::ssr::take_once::<(types::UserId, CreatedApiToken)>(SESSION_NEW_TOKEN).await?
    else {
        return Ok(None);
    };
    if owner != user.id {
        return Ok(None);
    }
    // Only the page that shows it, never a cache, keeps the secret.
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    }
    Ok(Some(NewToken { token, origin: services()?.settings.base_url.clone() }))
}

/// Revokes one of the caller's tokens; programs using it are refused from then on.
#[server(endpoint = "account/tokens/revoke")]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    let user = require_user()?;
    let id = id.trim().parse().map_err(|_| refuse(ErrorCode::NotFound))?;
    Ok(domain::users::api_tokens::revoke(&services()?.pool, user.id, id, &request_meta()).await?)
}

/// An endpoint id as a form or the address sends it; anything else is not found.
#[cfg(feature = "ssr")]
fn endpoint_id(raw: &str) -> Result<types::ids::WebhookEndpointId, AppError> {
    raw.trim().parse().map_err(|_| refuse(ErrorCode::NotFound))
}

/// The caller's webhook endpoints, newest first.
#[server(endpoint = "account/webhooks")]
pub async fn my_webhooks() -> Result<Vec<EndpointView>, AppError> {
    let user = require_user()?;
    Ok(domain::webhooks::endpoints::list(&services()?.pool, user.id).await?)
}

/// Registers an endpoint. `events` holds event names (`order.paid` …); the form sends
/// them as `events[N]`, N the event's place in `WebhookEvent::ALL`. The signing secret
/// goes to the session for the page the browser is sent to, which takes it out when
/// it shows it: it is shown once.
#[server(endpoint = "account/webhooks/create")]
pub async fn create_webhook(
    #[server(default)] url: String,
    #[server(default)] description: String,
    #[server(default)] events: Vec<String>,
) -> Result<(), AppError> {
    let user = require_user()?;
    let events = domain::webhooks::endpoints::read_events(&events)?;
    let created =
        domain::webhooks::endpoints::create(&services()?, &user, &url, &description, &events, &request_meta()).await?;
    // Kept with its user: whoever logs in next on this browser does not see it.
    tower_session()?.insert(SESSION_NEW_WEBHOOK, (user.id, created)).await.map_err(internal)?;
    leptos_axum::redirect("/account/webhooks?created=1");
    Ok(())
}

/// The endpoint registered just before, taken out of the session: the first page to
/// ask shows its signing secret, and no later one can.
#[server(endpoint = "account/webhooks/new")]
pub async fn take_new_webhook() -> Result<Option<CreatedEndpoint>, AppError> {
    let user = require_user()?;
    let Some((owner, created)) = crate::ssr::take_once::<(types::UserId, CreatedEndpoint)>(SESSION_NEW_WEBHOOK).await?
    else {
        return Ok(None);
    };
    if owner != user.id {
        return Ok(None);
    }
    // Only the page that shows it, never a cache, keeps the secret.
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    }
    Ok(Some(created))
}

/// One of the caller's endpoints with its newest deliveries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EndpointLog {
    pub endpoint: EndpointView,
    /// Newest first, at most 50.
    pub deliveries: Vec<DeliveryView>,
}

/// One of the caller's endpoints and its delivery log; anyone else's is not found.
#[server(endpoint = "account/webhooks/endpoint")]
pub async fn my_webhook(id: String) -> Result<EndpointLog, AppError> {
    let user = require_user()?;
    let id = endpoint_id(&id)?;
    let (endpoint, deliveries) = domain::webhooks::endpoints::get(&services()?.pool, user.id, id).await?;
    Ok(EndpointLog { endpoint, deliveries })
}

/// Switches one of the caller's endpoints on (again); its failing days start over.
#[server(endpoint = "account/webhooks/enable")]
pub async fn enable_webhook(id: String) -> Result<(), AppError> {
    let user = require_user()?;
    let id = endpoint_id(&id)?;
    Ok(domain::webhooks::endpoints::set_enabled(&services()?.pool, user.id, id, true).await?)
}

/// Switches one of the caller's endpoints off: nothing is sent to it until it is
/// switched on again.
#[server(endpoint = "account/webhooks/disable")]
pub async fn disable_webhook(id: String) -> Result<(), AppError> {
    let user = require_user()?;
    let id = endpoint_id(&id)?;
    Ok(domain::webhooks::endpoints::set_enabled(&services()?.pool, user.id, id, false).await?)
}

/// Removes one of the caller's endpoints with its delivery log, and goes back to the list.
#[server(endpoint = "account/webhooks/delete")]
pub async fn delete_webhook(id: String) -> Result<(), AppError> {
    let user = require_user()?;
    let id = endpoint_id(&id)?;
    domain::webhooks::endpoints::delete(&services()?.pool, user.id, id, &request_meta()).await?;
    leptos_axum::redirect("/account/webhooks?removed=1");
    Ok(())
}

/// Sends a delivery of one of the caller's endpoints again, now.
#[server(endpoint = "account/webhooks/send-again")]
pub async fn send_webhook_again(endpoint: String, delivery: String) -> Result<(), AppError> {
    let user = require_user()?;
    let endpoint = endpoint_id(&endpoint)?;
    let delivery = delivery.trim().parse().map_err(|_| refuse(ErrorCode::NotFound))?;
    Ok(domain::webhooks::endpoints::send_again(&services()?.pool, user.id, endpoint, delivery).await?)
}

/// What was sent to the reader, on every channel, newest first; `before` is the
/// cursor of an older page.
#[server(endpoint = "account/deliveries")]
pub async fn my_deliveries(before: Option<String>) -> Result<DeliveryPage, AppError> {
    let user = require_user()?;
    let filter = types::notifications::DeliveryFilter {
        before: before.as_deref().and_then(|b| b.parse().ok()),
        ..Default::default()
    };
    Ok(domain::notifications::deliveries::search(&services()?, &filter, Some(user.id)).await?)
}

/// What closing the reader's account would do, and what has to happen first.
#[server(endpoint = "account/closing")]
pub async fn account_closing() -> Result<ClosingPreview, AppError> {
    let user = require_user()?;
    Ok(domain::privacy::close::preview(&services()?, user.id).await?)
}

/// Closes the reader's account for good (their password confirms it) and ends the session.
#[server(endpoint = "account/close")]
pub async fn close_account(password: String) -> Result<(), AppError> {
    let user = require_user()?;
    domain::privacy::close::close(&services()?, user.id, &password, &request_meta()).await?;
    tower_session()?.flush().await.map_err(internal)?;
    leptos_axum::redirect(types::profile::CLOSED_PATH);
    Ok(())
}

//! A user's webhook endpoints: register one (the signing secret is shown once), list
//! them with their recent deliveries, switch one on again, remove one, send a
//! delivery again. Another user's endpoint is "not found".

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use types::{
    ErrorCode, FieldError, SessionUser, TextEnum, UserId,
    ids::{WebhookDeliveryId, WebhookEndpointId},
    webhooks::{CreatedEndpoint, DeliveryStatus, DeliveryView, EndpointView, WebhookEvent},
};

use crate::{Error, RequestMeta, Result, Services, audit, crypto::Sealed, services::Environment};

/// Endpoints one user may have.
pub const MAX_ENDPOINTS: i64 = 20;
/// Deliveries an endpoint's log shows.
pub const LOG_LENGTH: i64 = 50;

/// Checks a receiver's address: `https`, or `http` outside production (a receiver on
/// the developer's machine); in production no address on this machine or its network.
pub fn check_url(raw: &str, environment: Environment) -> Result<String, ErrorCode> {
    let url = url::Url::parse(raw.trim()).map_err(|_| ErrorCode::UrlInvalid)?;
    let production = environment == Environment::Production;
    match url.scheme() {
        "https" => {}
        "http" if !production => {}
        _ => return Err(ErrorCode::UrlInvalid),
    }
    let host = url.host().ok_or(ErrorCode::UrlInvalid)?;
    if production {
        let internal = match host {
            url::Host::Domain(name) => {
                name == "localhost" || name.ends_with(".localhost") || name.ends_with(".internal")
            }
            url::Host::Ipv4(ip) => ip.is_private() || ip.is_loopback() || ip.is_link_local() || ip.is_unspecified(),
            url::Host::Ipv6(ip) => ip.is_loopback() || ip.is_unspecified() || (ip.segments()[0] & 0xfe00) == 0xfc00,
        };
        if internal {
            return Err(ErrorCode::UrlInvalid);
        }
    }
    if !url.username().is_empty() || url.password().is_some() || raw.len() > 2000 {
        return Err(ErrorCode::UrlInvalid);
    }
    Ok(url.to_string())
}

/// Event names as a form or a request sends them; one that is not an event is refused.
pub fn read_events(names: &[String]) -> Result<Vec<WebhookEvent>> {
    names
        .iter()
        .map(|e| WebhookEvent::parse(e.trim()))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| Error::field("events", ErrorCode::InvalidInput))
}

/// The events `user` may subscribe to: all of them (each delivery is still only about
/// what the user may see; see `fanout`).
fn check_events(events: &[WebhookEvent]) -> Result<Vec<String>, ErrorCode> {
    if events.is_empty() {
        return Err(ErrorCode::Required);
    }
    let mut names: Vec<String> = events.iter().map(|e| e.as_str().to_owned()).collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// An `EndpointView` from a row with the endpoint's columns.
macro_rules! endpoint_view {
    ($r:expr) => {{
        let r = $r;
        EndpointView {
            id: WebhookEndpointId(r.id),
            url: r.url,
            description: r.description,
            events: r.events.iter().filter_map(|e| WebhookEvent::parse(e)).collect(),
            enabled: r.enabled,
            disabled_reason: r.disabled_reason,
            failing_since: r.failing_since,
            created_at: r.created_at,
        }
    }};
}

/// Registers an endpoint and returns it with its signing secret, the only time the
/// secret is shown.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn create(
    services: &Services,
    user: &SessionUser,
    url: &str,
    description: &str,
    events: &[WebhookEvent],
    meta: &RequestMeta,
) -> Result<CreatedEndpoint> {
    let mut errors = Vec::new();
    let url = check_url(url, services.settings.environment)
        .inspect_err(|code| errors.push(FieldError::new("url", *code)))
        .unwrap_or_default();
    let description = crate::fields::text("description", description, false, 200, &mut errors);
    let names =
        check_events(events).inspect_err(|code| errors.push(FieldError::new("events", *code))).unwrap_or_default();
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = format!("whsec_{}", URL_SAFE_NO_PAD.encode(bytes));
    let id = WebhookEndpointId::new();
    let sealed = services.data_keys.seal(&secret, id.0.as_bytes())?;
    let mut tx = services.pool.begin().await?;
    // Serialises one user's registrations, so two at once cannot both pass the limit.
    sqlx::query!("select id from users where id = $1 for update", user.id.0).fetch_one(&mut *tx).await?;
    let held = sqlx::query_scalar!(r#"select count(*) as "n!" from webhook_endpoints where owner_id = $1"#, user.id.0)
        .fetch_one(&mut *tx)
        .await?;
    if held >= MAX_ENDPOINTS {
        return Err(Error::field("url", ErrorCode::TooManyEndpoints));
    }
    let row = sqlx::query!(
        r#"insert into webhook_endpoints (id, owner_id, url, description, events, secret_key_id, secret_sealed)
           values ($1, $2, $3, $4, $5, $6, $7)
           returning id, url, description, events, enabled, disabled_reason,
                     failing_since as "failing_since: DateTime<Utc>", created_at as "created_at: DateTime<Utc>""#,
        id.0,
        user.id.0,
        url,
        description,
        &names,
        sealed.key_id,
        sealed.bytes,
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        meta.user_id.or(Some(user.id)),
        "webhook.created",
        "webhook_endpoint",
        &id.to_string(),
        json!({ "url": url, "events": names }),
    )
    .await?;
    tx.commit().await?;
    Ok(CreatedEndpoint { endpoint: endpoint_view!(row), secret })
}

/// The user's endpoints, newest first.
pub async fn list(pool: &PgPool, user: UserId) -> Result<Vec<EndpointView>> {
    let rows = sqlx::query!(
        r#"select id, url, description, events, enabled, disabled_reason,
                  failing_since as "failing_since: DateTime<Utc>", created_at as "created_at: DateTime<Utc>"
           from webhook_endpoints where owner_id = $1 order by created_at desc, id"#,
        user.0
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| endpoint_view!(r)).collect())
}

/// One of the user's endpoints with its newest deliveries.
pub async fn get(pool: &PgPool, user: UserId, id: WebhookEndpointId) -> Result<(EndpointView, Vec<DeliveryView>)> {
    let endpoint = list(pool, user).await?.into_iter().find(|e| e.id == id).ok_or(Error::NotFound)?;
    let rows = sqlx::query!(
        r#"select id, event, status, attempts, response_status, error,
                  created_at as "created_at: DateTime<Utc>", next_attempt_at as "next_attempt_at: DateTime<Utc>",
                  delivered_at as "delivered_at: DateTime<Utc>"
           from webhook_deliveries where endpoint_id = $1 order by created_at desc, id limit $2"#,
        id.0,
        LOG_LENGTH
    )
    .fetch_all(pool)
    .await?;
    let deliveries = rows
        .into_iter()
        .filter_map(|r| {
            Some(DeliveryView {
                id: WebhookDeliveryId(r.id),
                event: WebhookEvent::parse(&r.event)?,
                status: DeliveryStatus::parse(&r.status)?,
                attempts: r.attempts,
                response_status: r.response_status,
                error: r.error,
                created_at: r.created_at,
                next_attempt_at: r.next_attempt_at,
                delivered_at: r.delivered_at,
            })
        })
        .collect();
    Ok((endpoint, deliveries))
}

async fn own(conn: &mut PgConnection, user: UserId, id: WebhookEndpointId) -> Result<()> {
    sqlx::query_scalar!("select id from webhook_endpoints where id = $1 and owner_id = $2 for update", id.0, user.0)
        .fetch_optional(conn)
        .await?
        .map(drop)
        .ok_or(Error::NotFound)
}

/// Switches an endpoint on (again, after it was switched off) or off.
pub async fn set_enabled(pool: &PgPool, user: UserId, id: WebhookEndpointId, enabled: bool) -> Result<()> {
    let mut tx = pool.begin().await?;
    own(&mut tx, user, id).await?;
    sqlx::query!(
        "update webhook_endpoints set enabled = $2, disabled_reason = null, failing_since = null where id = $1",
        id.0,
        enabled
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an endpoint and its delivery log.
pub async fn delete(pool: &PgPool, user: UserId, id: WebhookEndpointId, meta: &RequestMeta) -> Result<()> {
    let mut tx = pool.begin().await?;
    own(&mut tx, user, id).await?;
    sqlx::query!("delete from webhook_endpoints where id = $1", id.0).execute(&mut *tx).await?;
    audit::record(
        &mut tx,
        meta.user_id.or(Some(user)),
        "webhook.deleted",
        "webhook_endpoint",
        &id.to_string(),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a delivery of one of the user's endpoints again, now (its earlier attempts
/// stay counted in `attempts`).
pub async fn send_again(
    pool: &PgPool,
    user: UserId,
    endpoint: WebhookEndpointId,
    delivery: WebhookDeliveryId,
) -> Result<()> {
    let done = sqlx::query!(
        "update webhook_deliveries d set status = 'pending', next_attempt_at = now()
         from webhook_endpoints e
         where d.id = $1 and d.endpoint_id = $3 and e.id = d.endpoint_id and e.owner_id = $2",
        delivery.0,
        user.0,
        endpoint.0
    )
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// The secret an endpoint's deliveries are signed with.
pub(super) fn secret(services: &Services, id: uuid::Uuid, key_id: String, bytes: Vec<u8>) -> anyhow::Result<String> {
    services.data_keys.open(&Sealed { key_id, bytes }, id.as_bytes())
}

/// Re-seals every signing secret under the data key ring's current key (with
/// `creators::tax_id::rotate`, what `openaero rotate-data-keys` does), so older keys
/// may be removed.
pub async fn rotate(services: &Services) -> Result<u64> {
    let keys = &services.data_keys;
    let mut tx = services.pool.begin().await?;
    let rows = sqlx::query!(
        "select id, secret_key_id, secret_sealed from webhook_endpoints where secret_key_id <> $1 for update",
        keys.current_id()
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in &rows {
        let plain = secret(services, row.id, row.secret_key_id.clone(), row.secret_sealed.clone())?;
        let sealed = keys.seal(&plain, row.id.as_bytes())?;
        sqlx::query!(
            "update webhook_endpoints set secret_key_id = $2, secret_sealed = $3 where id = $1",
            row.id,
            sealed.key_id,
            sealed.bytes
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receiver_is_https_and_in_production_never_on_our_own_network() {
        let prod = Environment::Production;
        assert!(check_url("https://hooks.example.com/openaero", prod).is_ok());
        assert_eq!(check_url("http://hooks.example.com/", prod), Err(ErrorCode::UrlInvalid));
        assert!(check_url("http://127.0.0.1:9000/hook", Environment::Development).is_ok());
        for internal in [
            "https://127.0.0.1/",
            "https://10.0.0.7/",
            "https://localhost/",
            "https://[::1]/",
            "https://169.254.169.254/",
        ] {
            assert_eq!(check_url(internal, prod), Err(ErrorCode::UrlInvalid), "{internal}");
        }
        assert_eq!(check_url("https://user:pw@hooks.example.com/", prod), Err(ErrorCode::UrlInvalid));
        assert_eq!(check_url("not a url", prod), Err(ErrorCode::UrlInvalid));
    }
}

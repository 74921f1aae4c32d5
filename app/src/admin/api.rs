//! Admin console server functions, each behind its own permission.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use types::{ErrorCode, Permission};
use types::{Role, UserId};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{request_meta, require_permission, services};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub is_active: bool,
    pub email_verified: bool,
    pub created_at: DateTime<Utc>,
}

#[server(endpoint = "admin/users")]
pub async fn search_users(query: String) -> Result<Vec<UserRow>, AppError> {
    require_permission(Permission::ManageUsers)?;
    let found = domain::users::roles::search_users(&services()?, &query, 100).await?;
    Ok(found
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            email: u.email,
            name: u.name,
            roles: u.roles,
            is_active: u.is_active,
            email_verified: u.email_verified,
            created_at: u.created_at,
        })
        .collect())
}

/// Grants or revokes one role. `grant` is "true" or "false" (it comes from a form).
#[server(endpoint = "admin/users/role")]
pub async fn set_user_role(user_id: UserId, role: String, grant: bool) -> Result<(), AppError> {
    let admin = require_permission(Permission::ManageUsers)?;
    let Some(role) = Role::parse(&role) else {
        let e = AppError::new(ErrorCode::UnknownRole);
        e.set_response_status();
        return Err(e);
    };
    domain::users::roles::set_role(&services()?, admin.id, user_id, role, grant, &request_meta()).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub actor_email: Option<String>,
    pub action: String,
    pub target: String,
    pub details: String,
    pub created_at: DateTime<Utc>,
}

#[server(endpoint = "admin/audit")]
pub async fn list_audit(before: Option<i64>) -> Result<Vec<AuditRow>, AppError> {
    require_permission(Permission::ReadAuditLog)?;
    let mut conn = services()?.pool.acquire().await.map_err(domain::Error::from)?;
    let entries = domain::audit::list(&mut conn, before, 50).await?;
    Ok(entries
        .into_iter()
        .map(|e| AuditRow {
            id: e.id,
            actor_email: e.actor_email,
            action: e.action,
            target: format!("{}:{}", e.target_type, e.target_id),
            details: e.details.to_string(),
            created_at: e.created_at,
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadEventRow {
    pub event_id: String,
    pub handler: String,
    pub event_type: String,
    pub aggregate_id: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[server(endpoint = "admin/events/dead")]
pub async fn list_dead_events() -> Result<Vec<DeadEventRow>, AppError> {
    require_permission(Permission::ManageEvents)?;
    let dead = domain::events::dispatcher::list_dead(&services()?, 100).await?;
    Ok(dead
        .into_iter()
        .map(|d| DeadEventRow {
            event_id: d.event_id.to_string(),
            handler: d.handler,
            event_type: d.event_type,
            aggregate_id: d.aggregate_id,
            attempts: d.attempts,
            last_error: d.last_error,
            updated_at: d.updated_at,
        })
        .collect())
}

#[server(endpoint = "admin/events/retry")]
pub async fn retry_event(event_id: String, handler: String) -> Result<(), AppError> {
    let admin = require_permission(Permission::ManageEvents)?;
    let Ok(event_id) = event_id.parse() else {
        let e = AppError::new(ErrorCode::NotFound);
        e.set_response_status();
        return Err(e);
    };
    domain::events::dispatcher::retry_dead(&services()?, admin.id, event_id, &handler).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailRow {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// The development mailbox: every mail the app sent. Admins only, and only in
/// development; in production it does not exist (404).
#[server(endpoint = "admin/mailbox")]
pub async fn dev_mailbox() -> Result<Vec<MailRow>, AppError> {
    require_permission(Permission::ManageEvents)?;
    let services = services()?;
    if services.settings.environment != domain::Environment::Development {
        let e = AppError::new(ErrorCode::NotFound);
        e.set_response_status();
        return Err(e);
    }
    let mails = domain::notifications::mail::recent(&services.pool, 100).await.map_err(domain::Error::from)?;
    Ok(mails
        .into_iter()
        .map(|m| MailRow {
            id: m.id.to_string(),
            to: m.to_address,
            subject: m.subject,
            body: m.body_text,
            status: m.status,
            created_at: m.created_at,
        })
        .collect())
}

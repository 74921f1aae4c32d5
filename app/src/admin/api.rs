//! Admin console server functions, each behind its own permission.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use types::TextEnum;
#[cfg(feature = "ssr")]
use types::{ErrorCode, Permission, Role};
use types::{
    UserId,
    admin::{AuditEntry, DeadDelivery, SentMail, SentText, UserSummary},
    announcements::AnnouncementView,
    flags::FlagView,
    notifications::{DeliveryFilter, DeliveryPage},
};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{refuse, request_meta, require_permission, services};

#[server(endpoint = "admin/users")]
pub async fn search_users(query: String) -> Result<Vec<UserSummary>, AppError> {
    require_permission(Permission::ManageUsers)?;
    Ok(domain::users::roles::search_users(&services()?, &query, 100).await?)
}

/// Grants or revokes one role. `grant` is "true" or "false" (it comes from a form).
#[server(endpoint = "admin/users/role")]
pub async fn set_user_role(user_id: UserId, role: String, grant: bool) -> Result<(), AppError> {
    let admin = require_permission(Permission::ManageUsers)?;
    let role = Role::parse(&role).ok_or_else(|| refuse(ErrorCode::UnknownRole))?;
    domain::users::roles::set_role(&services()?, admin.id, user_id, role, grant, &request_meta()).await?;
    Ok(())
}

#[server(endpoint = "admin/audit")]
pub async fn list_audit(before: Option<i64>) -> Result<Vec<AuditEntry>, AppError> {
    require_permission(Permission::ReadAuditLog)?;
    let mut conn = services()?.pool.acquire().await.map_err(domain::Error::from)?;
    Ok(domain::audit::list(&mut conn, before, AUDIT_PAGE).await?)
}

/// Entries per page of the audit log.
pub const AUDIT_PAGE: i64 = 50;

#[server(endpoint = "admin/events/dead")]
pub async fn list_dead_events() -> Result<Vec<DeadDelivery>, AppError> {
    require_permission(Permission::ManageEvents)?;
    Ok(domain::events::dispatcher::list_dead(&services()?, 100).await?)
}

#[server(endpoint = "admin/events/retry")]
pub async fn retry_event(event_id: String, handler: String) -> Result<(), AppError> {
    let admin = require_permission(Permission::ManageEvents)?;
    let event_id = event_id.parse().map_err(|_| refuse(ErrorCode::NotFound))?;
    domain::events::dispatcher::retry_dead(&services()?, admin.id, event_id, &handler).await?;
    Ok(())
}

/// Notice deliveries, newest first, found by person, kind, channel and status.
#[server(endpoint = "admin/deliveries")]
pub async fn admin_deliveries(#[server(default)] filter: DeliveryFilter) -> Result<DeliveryPage, AppError> {
    require_permission(Permission::ManageEvents)?;
    Ok(domain::notifications::deliveries::search(&services()?, &filter, None).await?)
}

/// Sends a finished delivery again.
#[server(endpoint = "admin/deliveries/resend")]
pub async fn resend_delivery(id: String) -> Result<(), AppError> {
    let admin = require_permission(Permission::ManageEvents)?;
    let id = id.parse().map_err(|_| refuse(ErrorCode::NotFound))?;
    domain::notifications::deliveries::resend(&services()?, admin.id, id).await?;
    Ok(())
}

/// Announcements, newest first.
#[server(endpoint = "admin/announcements")]
pub async fn list_announcements() -> Result<Vec<AnnouncementView>, AppError> {
    require_permission(Permission::ManageUsers)?;
    Ok(domain::announcements::list(&services()?).await?)
}

/// Starts sending an announcement to everyone holding `audience` (a role).
#[server(endpoint = "admin/announcements/send")]
pub async fn send_announcement(
    audience: String,
    title_en: String,
    body_en: String,
    title_zh: String,
    body_zh: String,
    per_minute: String,
) -> Result<(), AppError> {
    let admin = require_permission(Permission::ManageUsers)?;
    let audience = Role::parse(&audience).ok_or_else(|| refuse(ErrorCode::UnknownRole))?;
    let per_minute = per_minute
        .trim()
        .parse()
        .map_err(|_| AppError::from(domain::Error::field("per_minute", ErrorCode::NotANumber)))?;
    let draft = types::announcements::AnnouncementDraft { audience, title_en, body_en, title_zh, body_zh, per_minute };
    domain::announcements::send(&services()?, admin.id, &draft).await?;
    leptos_axum::redirect("/admin/announcements?sent=1");
    Ok(())
}

/// Stops an announcement that is still going.
#[server(endpoint = "admin/announcements/cancel")]
pub async fn cancel_announcement(id: String) -> Result<(), AppError> {
    let admin = require_permission(Permission::ManageUsers)?;
    let id = id.parse().map_err(|_| refuse(ErrorCode::NotFound))?;
    domain::announcements::cancel(&services()?, admin.id, id).await?;
    Ok(())
}

/// The development mailbox: every mail the app sent. Admins only, and only in
/// development; in production it does not exist (404).
#[server(endpoint = "admin/mailbox")]
pub async fn dev_mailbox() -> Result<Vec<SentMail>, AppError> {
    require_permission(Permission::ManageEvents)?;
    let services = services()?;
    if services.settings.environment != domain::Environment::Development {
        return Err(refuse(ErrorCode::NotFound));
    }
    Ok(domain::notifications::mail::recent(&services.pool, 100).await.map_err(domain::Error::from)?)
}

/// The texts the SMS sandbox carried, newest first: development only, like the mailbox.
#[server(endpoint = "admin/mailbox/texts")]
pub async fn dev_texts() -> Result<Vec<SentText>, AppError> {
    require_permission(Permission::ManageEvents)?;
    let services = services()?;
    if services.settings.environment != domain::Environment::Development {
        return Err(refuse(ErrorCode::NotFound));
    }
    Ok(domain::notifications::sms::sandbox::recent(&services.pool, 50).await.map_err(domain::Error::from)?)
}

#[server(endpoint = "admin/flags")]
pub async fn list_flags() -> Result<Vec<FlagView>, AppError> {
    require_permission(Permission::ManageFlags)?;
    Ok(domain::flags::admin::list(&services()?).await?)
}

/// Creates or changes a flag.
#[server(endpoint = "admin/flags/save")]
pub async fn save_flag(
    key: String,
    #[server(default)] description: String,
    #[server(default)] enabled: Option<String>,
    #[server(flatten)] roles: types::flags::RoleBoxes,
    #[server(default)] percent: Option<String>,
) -> Result<(), AppError> {
    let admin = require_permission(Permission::ManageFlags)?;
    let form = domain::flags::admin::FlagForm {
        key,
        description,
        enabled: enabled.is_some(),
        roles: roles.ticked(),
        percent: percent.unwrap_or_else(|| "100".to_owned()),
    };
    domain::flags::admin::save(&services()?, admin.id, form, &request_meta()).await?;
    Ok(())
}

#[server(endpoint = "admin/flags/retire")]
pub async fn retire_flag(key: String) -> Result<(), AppError> {
    let admin = require_permission(Permission::ManageFlags)?;
    domain::flags::admin::retire(&services()?, admin.id, &key, &request_meta()).await?;
    Ok(())
}

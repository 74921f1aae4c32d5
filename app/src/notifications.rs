//! Every signed-in user's in-app notifications, whatever face they work in: the
//! header's bell, the account's list and the creator dashboard read them. The rules
//! live in `domain::notifications::in_app`.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use types::ErrorCode;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{refuse, require_user, services};

/// The newest in-app notifications and the unread count.
#[server(endpoint = "account/notifications")]
pub async fn notifications() -> Result<types::notifications::NotificationList, AppError> {
    let user = require_user()?;
    Ok(domain::notifications::in_app::list(&services()?, user.id, 50).await?)
}

/// How many notifications are unread, for the bell in the header.
#[server(endpoint = "account/notifications/unread")]
pub async fn unread_notifications() -> Result<u32, AppError> {
    let user = require_user()?;
    Ok(domain::notifications::in_app::unread(&services()?, user.id).await?)
}

/// Marks one notification read, or all of them when `id` is absent.
#[server(endpoint = "account/notifications/read")]
pub async fn mark_notifications_read(id: Option<String>) -> Result<(), AppError> {
    let user = require_user()?;
    let id = match id.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => Some(raw.parse().map_err(|_| refuse(ErrorCode::NotFound))?),
        None => None,
    };
    Ok(domain::notifications::in_app::mark_read(&services()?, user.id, id).await?)
}

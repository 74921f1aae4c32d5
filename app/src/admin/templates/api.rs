//! The server functions of the template pages, behind `users.manage` (those who write
//! to people: announcements and the notices' words).

use leptos::prelude::*;
use types::notice_templates::{Outcome, TemplateDetail, TemplateSummary};
#[cfg(feature = "ssr")]
use types::{
    ErrorCode, Permission, TextEnum,
    notice_templates::{Intent, TemplateKey, TemplateText},
};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::{refuse, request_locale, require_permission, services};

/// The template the page's path names; any other path is not found.
#[cfg(feature = "ssr")]
fn key(kind: &str, channel: &str, locale: &str) -> Result<TemplateKey, AppError> {
    TemplateKey::parse(kind, channel, locale).ok_or_else(|| refuse(ErrorCode::NotFound))
}

/// Every template and its version in use.
#[server(endpoint = "admin/templates")]
pub async fn list_templates() -> Result<Vec<TemplateSummary>, AppError> {
    require_permission(Permission::ManageUsers)?;
    Ok(domain::notifications::notice_templates::list(&services()?).await?)
}

/// One template: its variables (explained in the reader's language) and versions.
#[server(endpoint = "admin/templates/detail")]
pub async fn get_template(kind: String, channel: String, locale: String) -> Result<TemplateDetail, AppError> {
    let admin = require_permission(Permission::ManageUsers)?;
    let key = key(&kind, &channel, &locale)?;
    let reader = request_locale().unwrap_or(admin.locale);
    Ok(domain::notifications::notice_templates::detail(&services()?, key, reader, &admin.name).await?)
}

/// Previews, saves or mails a test of a template's text, as `intent` says. `base` is
/// the version the editor started from.
#[server(endpoint = "admin/templates/edit")]
pub async fn edit_template(
    kind: String,
    channel: String,
    locale: String,
    base: i32,
    #[server(default)] subject: String,
    body: String,
    intent: String,
) -> Result<Outcome, AppError> {
    use domain::notifications::notice_templates as templates;
    let admin = require_permission(Permission::ManageUsers)?;
    let key = key(&kind, &channel, &locale)?;
    let intent = Intent::parse(&intent).ok_or_else(|| refuse(ErrorCode::InvalidInput))?;
    let text = TemplateText { subject, body };
    let services = services()?;
    Ok(match intent {
        Intent::Preview => Outcome::Previewed(templates::preview(&services, key, &text, &admin.name)?),
        Intent::Save => Outcome::Saved(templates::save(&services, admin.id, key, base, &text).await?),
        Intent::Test => {
            templates::send_test(&services, admin.id, key, &text).await?;
            Outcome::Tested
        }
    })
}

/// Brings back an earlier version of a template as its newest.
#[server(endpoint = "admin/templates/restore")]
pub async fn restore_template(
    kind: String,
    channel: String,
    locale: String,
    base: i32,
    version: i32,
) -> Result<i32, AppError> {
    let admin = require_permission(Permission::ManageUsers)?;
    let key = key(&kind, &channel, &locale)?;
    Ok(domain::notifications::notice_templates::restore(&services()?, admin.id, key, base, version).await?)
}

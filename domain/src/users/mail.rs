//! The handler that turns account events into mail. Tokens are minted here, at send
//! time, so a raw token never sits in the event log.

use anyhow::Context;
use chrono::Duration;
use types::TextEnum;
use types::UserId;

use std::collections::BTreeMap;

use types::notifications::NotificationKind;

use crate::notifications::templates;
use crate::{
    Services,
    events::Handler,
    events::{EventType, StoredEvent},
    users::{
        self,
        notices::{self, Notice},
        tokens::TokenPurpose,
    },
};

/// Where a person changes their password.
const SECURITY_PATH: &str = "/account/security";

/// Verification, welcome, password-reset and security mails; a changed password and
/// a sign-in from a new browser are also notices in the app.
pub struct AccountMail;

#[async_trait::async_trait]
impl Handler for AccountMail {
    fn name(&self) -> &'static str {
        "account_mail"
    }

    fn events(&self) -> &'static [EventType] {
        &[
            EventType::UserRegistered,
            EventType::UserVerified,
            EventType::UserRegistrationDuplicate,
            EventType::UserPasswordResetRequested,
            EventType::UserVerificationRequested,
            EventType::UserPasswordChanged,
            EventType::UserRolesChanged,
            EventType::UserSignedInNewDevice,
        ]
    }

    async fn handle(&self, services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
        handle(services, event).await
    }
}

async fn handle(services: &Services, event: &StoredEvent) -> anyhow::Result<()> {
    let event_type =
        EventType::parse(&event.event_type).with_context(|| format!("unknown event {}", event.event_type))?;
    let user_id: UserId = event.aggregate_id.parse().context("aggregate id is not a user id")?;
    let mut conn = services.pool.acquire().await?;
    let Some(user) = users::find_by_id(&mut conn, user_id).await? else {
        // The account was deleted since; nobody to write to.
        return Ok(());
    };
    let base = &services.settings.base_url;
    let mail = match event_type {
        EventType::UserRegistered | EventType::UserVerificationRequested => {
            if user.email_verified_at.is_some() {
                return Ok(());
            }
            let token =
                users::tokens::issue(&mut conn, user.id, TokenPurpose::VerifyEmail, Duration::hours(48)).await?;
            let link = format!("{base}/verify-email?token={token}");
            templates::verify_email(user.locale, &user.email, &user.name, &link)
        }
        EventType::UserVerified => templates::welcome(user.locale, &user.email, &user.name, base),
        EventType::UserRegistrationDuplicate => {
            templates::duplicate_registration(user.locale, &user.email, &user.name, base)
        }
        EventType::UserPasswordResetRequested => {
            let token =
                users::tokens::issue(&mut conn, user.id, TokenPurpose::ResetPassword, Duration::hours(1)).await?;
            let link = format!("{base}/reset-password?token={token}");
            templates::reset_password(user.locale, &user.email, &user.name, &link)
        }
        EventType::UserPasswordChanged => {
            drop(conn);
            let notice = Notice {
                user: user.id,
                kind: NotificationKind::PasswordChanged,
                params: BTreeMap::new(),
                link: SECURITY_PATH.to_owned(),
            };
            return Ok(notices::send(services, &format!("{}:password_changed", event.id), notice).await?);
        }
        EventType::UserRolesChanged => {
            let role =
                event.data["role"].as_str().and_then(types::Role::parse).context("a role change names its role")?;
            let granted = event.data["granted"].as_bool().unwrap_or(false);
            templates::roles_changed(user.locale, &user.email, &user.name, role, granted, base)
        }
        EventType::UserSignedInNewDevice => {
            drop(conn);
            let browser = event.data["browser"].as_str().unwrap_or_default().to_owned();
            let notice = Notice {
                user: user.id,
                kind: NotificationKind::NewSignIn,
                params: BTreeMap::from([("browser".to_owned(), browser.clone())]),
                link: SECURITY_PATH.to_owned(),
            };
            return Ok(notices::send(services, &format!("{}:new_sign_in", event.id), notice).await?);
        }
        _ => return Ok(()),
    };
    drop(conn);
    services.mailer.send(&services.pool, &format!("{}:account_mail", event.id), mail).await
}

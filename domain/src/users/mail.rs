//! The handler that turns account events into mail and notices. Tokens are minted
//! here, at send time, so a raw token never sits in the event log.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::Duration;
use types::{TextEnum, UserId, notice_templates::AccountMail as Mail, notifications::NotificationKind};

use crate::{
    Services,
    events::Handler,
    events::{EventType, StoredEvent},
    notifications::notice_templates::{self, Reader},
    users::{
        self,
        notices::{self, Notice},
        tokens::TokenPurpose,
    },
};

/// Where a person changes their password.
const SECURITY_PATH: &str = "/account/security";
/// Where a person sees their account, and its roles.
const ACCOUNT_PATH: &str = "/account";

/// The account mails (verification, welcome, password reset), and the security notices:
/// a changed password, a sign-in from a new browser, a role given or taken away.
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
    let (mail, link) = match event_type {
        EventType::UserRegistered | EventType::UserVerificationRequested => {
            if user.email_verified_at.is_some() {
                return Ok(());
            }
            let token =
                users::tokens::issue(&mut conn, user.id, TokenPurpose::VerifyEmail, Duration::hours(48)).await?;
            (Mail::VerifyEmail, Some(format!("{base}/verify-email?token={token}")))
        }
        EventType::UserVerified => (Mail::Welcome, None),
        EventType::UserRegistrationDuplicate => (Mail::DuplicateRegistration, None),
        EventType::UserPasswordResetRequested => {
            let token =
                users::tokens::issue(&mut conn, user.id, TokenPurpose::ResetPassword, Duration::hours(1)).await?;
            (Mail::ResetPassword, Some(format!("{base}/reset-password?token={token}")))
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
            drop(conn);
            let role =
                event.data["role"].as_str().and_then(types::Role::parse).context("a role change names its role")?;
            let granted = event.data["granted"].as_bool().unwrap_or(false);
            let notice = Notice {
                user: user.id,
                kind: if granted { NotificationKind::RoleGranted } else { NotificationKind::RoleRemoved },
                params: BTreeMap::from([("role".to_owned(), role.as_str().to_owned())]),
                link: ACCOUNT_PATH.to_owned(),
            };
            return Ok(notices::send(services, &format!("{}:role_changed", event.id), notice).await?);
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
    let to = Reader { name: &user.name, locale: user.locale };
    let mail = notice_templates::account_mail(&mut conn, base, mail, to, &user.email, link.as_deref()).await?;
    drop(conn);
    services.mailer.send(&services.pool, &format!("{}:account_mail", event.id), mail).await
}

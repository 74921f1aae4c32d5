use serde_json::json;
use sqlx::PgConnection;
use types::TextEnum;
use types::{Email, ErrorCode, FieldError, Locale, Password, PersonName, Role, UserId};

use crate::{
    Error, RequestMeta, Result, Services,
    events::{self, EventMetadata, EventType},
    throttle::{self, Policy},
    users::{password_hash, user_event},
};

/// What the registration form sends.
#[derive(Debug, Clone)]
pub struct RegisterForm {
    pub name: String,
    pub email: String,
    pub password: String,
    pub locale: Locale,
}

/// What happened, for tests and logs only: the visitor is told the same thing either
/// way ("check your mail") so that registration never reveals who has an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    New(UserId),
    AlreadyKnown,
}

/// Checks every field, reporting all problems at once.
fn parse(form: &RegisterForm) -> Result<(PersonName, Email, Password)> {
    let mut errors = Vec::new();
    let name = PersonName::parse(&form.name).map_err(|c| errors.push(FieldError::new("name", c)));
    let email = Email::parse(&form.email).map_err(|c| errors.push(FieldError::new("email", c)));
    let password =
        Password::parse(&form.password, email.as_ref().ok()).map_err(|c| errors.push(FieldError::new("password", c)));
    match (name, email, password) {
        (Ok(n), Ok(e), Ok(p)) => Ok((n, e, p)),
        _ => Err(Error::Validation(errors)),
    }
}

/// Sign-ups from one address: a household or an office may share one.
const REGISTER_FROM_ADDRESS: Policy = Policy { free: 10, ..throttle::MAIL_FORM };

#[tracing::instrument(skip_all)]
pub async fn register(services: &Services, form: RegisterForm, meta: &RequestMeta) -> Result<Registered> {
    let (name, email, password) = parse(&form)?;
    // Before the password is hashed: each sign-up costs a slow hash, and may send mail.
    let mut conn = services.pool.acquire().await?;
    throttle::claim(&mut conn, &format!("register-from:{}", throttle::address(meta)), REGISTER_FROM_ADDRESS).await?;
    throttle::claim(&mut conn, &format!("register-as:{}", email.as_str()), throttle::MAIL_FORM).await?;
    drop(conn);
    let hash = password_hash::hash(password.expose().to_owned()).await?;
    let metadata = EventMetadata::from_request(meta);
    let mut tx = services.pool.begin().await?;

    let id = UserId::new();
    let inserted = sqlx::query_scalar!(
        "insert into users (id, email, name, password_hash, locale)
         values ($1, $2, $3, $4, $5)
         on conflict on constraint users_email_key do nothing
         returning id",
        id.0,
        email.as_str(),
        name.as_str(),
        hash,
        form.locale.tag(),
    )
    .fetch_optional(&mut *tx)
    .await?;

    let Some(_) = inserted else {
        let existing = super::find_id_by_email(&mut tx, &email).await?.ok_or(Error::Conflict(ErrorCode::Conflict))?;
        // The owner hears of it at most once an hour, however often someone tries.
        if super::mails_in_the_last_hour(&mut tx, EventType::UserRegistrationDuplicate, existing).await? == 0 {
            events::publish(
                &mut tx,
                user_event(EventType::UserRegistrationDuplicate, existing, json!({ "user_id": existing })),
                &metadata,
            )
            .await?;
        }
        tx.commit().await?;
        return Ok(Registered::AlreadyKnown);
    };

    set_up_account(&mut tx, id, &email, &name, form.locale, &[Role::Customer], false, &metadata).await?;
    tx.commit().await?;
    tracing::info!(user.id = %id, "user registered");
    Ok(Registered::New(id))
}

/// Creates an account that is verified already, for the first-admin command and the
/// demo data. Returns the existing account's id when the email is taken.
#[tracing::instrument(skip_all)]
pub async fn create_verified(
    services: &Services,
    name: &str,
    email: &str,
    password: &str,
    roles: &[Role],
) -> Result<(UserId, bool)> {
    let (name, email, password) = parse(&RegisterForm {
        name: name.to_owned(),
        email: email.to_owned(),
        password: password.to_owned(),
        locale: Locale::En,
    })?;
    let mut tx = services.pool.begin().await?;
    if let Some(existing) = super::find_id_by_email(&mut tx, &email).await? {
        return Ok((existing, false));
    }
    let hash = password_hash::hash(password.expose().to_owned()).await?;
    let id = UserId::new();
    sqlx::query!(
        "insert into users (id, email, name, password_hash, email_verified_at)
         values ($1, $2, $3, $4, now())",
        id.0,
        email.as_str(),
        name.as_str(),
        hash,
    )
    .execute(&mut *tx)
    .await?;
    set_up_account(&mut tx, id, &email, &name, Locale::En, roles, true, &EventMetadata::default()).await?;
    tx.commit().await?;
    Ok((id, true))
}

/// What every new account gets besides its row: roles, default preferences, and the
/// `user.registered` event, in the caller's transaction.
#[expect(clippy::too_many_arguments, reason = "one call site each in register and create_verified")]
async fn set_up_account(
    conn: &mut PgConnection,
    id: UserId,
    email: &Email,
    name: &PersonName,
    locale: Locale,
    roles: &[Role],
    verified: bool,
    metadata: &EventMetadata,
) -> Result<()> {
    let role_names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    sqlx::query!("insert into user_roles (user_id, role) select $1, unnest($2::text[])", id.0, &role_names as &[&str])
        .execute(&mut *conn)
        .await?;
    super::profile::store_default_preferences(conn, &[id]).await?;
    let data = json!({
        "user_id": id,
        "email": email.as_str(),
        "name": name.as_str(),
        "locale": locale.tag(),
        "verified": verified,
    });
    events::publish(conn, user_event(EventType::UserRegistered, id, data), metadata).await?;
    Ok(())
}

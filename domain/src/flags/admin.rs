//! What admins do with flags: list them, create or change one, retire one. Every
//! change is audited and published as `flag.changed` in the same transaction, which
//! is how every instance's copy learns of it.

use serde_json::json;
use sqlx::PgConnection;
use types::{ErrorCode, FieldError, Role, TextEnum, UserId, flags::FlagView};

use crate::{
    Error, RequestMeta, Result, Services, audit,
    events::{self, EventMetadata, EventType, NewEvent},
};

/// A flag as the console's form sends it.
#[derive(Debug, Clone, Default)]
pub struct FlagForm {
    pub key: String,
    pub description: String,
    pub enabled: bool,
    pub roles: Vec<Role>,
    pub percent: String,
}

/// The form, checked: every problem at once, by field.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Valid {
    key: String,
    description: String,
    enabled: bool,
    roles: Vec<Role>,
    percent: i16,
}

fn is_key(key: &str) -> bool {
    let segment = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    key.len() <= 64 && key.split('.').count() >= 2 && key.split('.').all(segment)
}

impl FlagForm {
    fn validate(&self) -> std::result::Result<Valid, Vec<FieldError>> {
        let mut errors = Vec::new();
        let key = self.key.trim().to_owned();
        if key.is_empty() {
            errors.push(FieldError::new("key", ErrorCode::Required));
        } else if !is_key(&key) {
            errors.push(FieldError::new("key", ErrorCode::InvalidInput));
        }
        let description = self.description.trim().to_owned();
        if description.chars().count() > 500 {
            errors.push(FieldError::new("description", ErrorCode::TooLong));
        }
        let percent = match self.percent.trim().trim_end_matches('%').trim().parse::<i16>() {
            Ok(p) if (0..=100).contains(&p) => p,
            _ => {
                errors.push(FieldError::new("percent", ErrorCode::InvalidInput));
                0
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut roles = self.roles.clone();
        roles.sort();
        roles.dedup();
        Ok(Valid { key, description, enabled: self.enabled, roles, percent })
    }
}

/// Every flag, live ones first.
pub async fn list(services: &Services) -> Result<Vec<FlagView>> {
    let rows = sqlx::query!(
        r#"select key, description, enabled, roles, percent, retired_at is not null as "retired!",
                  updated_at as "updated_at: chrono::DateTime<chrono::Utc>"
           from feature_flags order by retired_at is not null, key"#
    )
    .fetch_all(&services.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| FlagView {
            key: r.key,
            description: r.description,
            enabled: r.enabled,
            roles: r.roles.iter().filter_map(|role| Role::parse(role)).collect(),
            percent: r.percent.clamp(0, 100) as u8,
            retired: r.retired,
            updated_at: r.updated_at,
        })
        .collect())
}

/// Creates the flag, or changes it. A retired flag stays retired.
#[tracing::instrument(skip_all, fields(key = %form.key))]
pub async fn save(services: &Services, actor: UserId, form: FlagForm, meta: &RequestMeta) -> Result<()> {
    let flag = form.validate().map_err(Error::Validation)?;
    let roles: Vec<String> = flag.roles.iter().map(|r| r.as_str().to_owned()).collect();
    let mut tx = services.pool.begin().await?;
    let before = sqlx::query!(
        r#"select enabled, roles, percent, description, retired_at is not null as "retired!"
           from feature_flags where key = $1 for update"#,
        flag.key
    )
    .fetch_optional(&mut *tx)
    .await?;
    if before.as_ref().is_some_and(|b| b.retired) {
        return Err(Error::Conflict(ErrorCode::Conflict));
    }
    let version = sqlx::query_scalar!(
        "insert into feature_flags (key, description, enabled, roles, percent) values ($1, $2, $3, $4, $5)
         on conflict (key) do update set description = $2, enabled = $3, roles = $4, percent = $5,
                                         version = feature_flags.version + 1, updated_at = now()
         returning version",
        flag.key,
        flag.description,
        flag.enabled,
        &roles,
        flag.percent
    )
    .fetch_one(&mut *tx)
    .await?;
    let after =
        json!({ "enabled": flag.enabled, "roles": roles, "percent": flag.percent, "description": flag.description });
    let (action, details) = match before {
        None => ("flag.created", json!({ "after": after })),
        Some(b) => {
            let before =
                json!({ "enabled": b.enabled, "roles": b.roles, "percent": b.percent, "description": b.description });
            ("flag.changed", json!({ "before": before, "after": after }))
        }
    };
    record(&mut tx, actor, action, &flag.key, version, details, meta).await?;
    tx.commit().await?;
    applied_here(services).await
}

/// Retires the flag: off for everyone from now on, kept for the record.
#[tracing::instrument(skip_all, fields(key = %key))]
pub async fn retire(services: &Services, actor: UserId, key: &str, meta: &RequestMeta) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let version = sqlx::query_scalar!(
        "update feature_flags set retired_at = now(), enabled = false, version = version + 1, updated_at = now()
         where key = $1 and retired_at is null returning version",
        key
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    record(&mut tx, actor, "flag.retired", key, version, json!({}), meta).await?;
    tx.commit().await?;
    applied_here(services).await
}

/// The instance that took a change applies it at once (the admin's next page shows
/// it); the others follow the event within a poll.
async fn applied_here(services: &Services) -> Result<()> {
    services.flags.load(&services.pool).await?;
    services.catalog.version.bump();
    Ok(())
}

/// The audit entry and the event every instance's copy follows.
async fn record(
    conn: &mut PgConnection,
    actor: UserId,
    action: &str,
    key: &str,
    version: i32,
    details: serde_json::Value,
    meta: &RequestMeta,
) -> Result<()> {
    audit::record(conn, Some(actor), action, "flag", key, details.clone()).await?;
    let event = NewEvent {
        event_type: EventType::FeatureFlagChanged,
        aggregate_type: "flag",
        aggregate_id: key.to_owned(),
        aggregate_version: version.into(),
        data: json!({ "action": action, "details": details }),
    };
    events::publish(conn, event, &EventMetadata::from_request(meta)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_form_is_checked_field_by_field() {
        let form = FlagForm {
            key: "Checkout Step".into(),
            description: "x".repeat(501),
            enabled: true,
            roles: vec![Role::Admin],
            percent: "120".into(),
        };
        let errors = form.validate().expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["key", "description", "percent"]);

        let form = FlagForm {
            key: " checkout.gift_note ".into(),
            roles: vec![Role::Admin, Role::Creator, Role::Admin],
            percent: "25 %".into(),
            ..FlagForm::default()
        };
        let valid = form.validate().expect("valid");
        assert_eq!(
            (valid.key.as_str(), valid.roles, valid.percent),
            ("checkout.gift_note", vec![Role::Creator, Role::Admin], 25)
        );
        for bad in ["checkout", "checkout.", ".x", "checkout.Gift", "9lives.x", "a.b-c"] {
            assert!(!is_key(bad), "{bad}");
        }
    }
}

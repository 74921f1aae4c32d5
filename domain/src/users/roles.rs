//! Granting and revoking roles, and finding users, for the admin console.

use chrono::{DateTime, Utc};
use serde_json::json;
use types::TextEnum;
use types::{ErrorCode, Permission, Role, UserId, admin::UserSummary};

use crate::{
    Error, RequestMeta, Result, Services, audit,
    events::{self, EventMetadata, EventType},
    four_eyes,
};

/// Users whose email or name contains `query` (case-insensitive), newest first.
#[tracing::instrument(skip_all)]
/// Every active account that holds `permission` through one of its roles.
pub async fn holders(conn: &mut sqlx::PgConnection, permission: Permission) -> Result<Vec<UserId>> {
    Ok(sqlx::query_scalar!(
        "select distinct u.id from users u
         join user_roles ur on ur.user_id = u.id
         join role_permissions rp on rp.role = ur.role
         where rp.permission = $1 and u.is_active
         order by u.id",
        permission.as_str()
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(UserId)
    .collect())
}

pub async fn search_users(services: &Services, query: &str, limit: i64) -> Result<Vec<UserSummary>> {
    let pattern = format!("%{}%", escape_like(query.trim()));
    let rows = sqlx::query!(
        r#"select u.id, u.email, u.name, u.is_active, u.email_verified_at is not null as "verified!",
                  u.created_at as "created_at: DateTime<Utc>", u.last_login_at as "last_login_at: DateTime<Utc>",
                  coalesce(array_agg(r.role order by r.role) filter (where r.role is not null), '{}') as "roles!"
           from users u left join user_roles r on r.user_id = u.id
           where u.email ilike $1 or u.name ilike $1
           group by u.id
           order by u.created_at desc
           limit $2"#,
        pattern,
        limit
    )
    .fetch_all(&services.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| UserSummary {
            id: UserId(r.id),
            email: r.email,
            name: r.name,
            roles: r.roles.iter().filter_map(|n| Role::parse(n)).collect(),
            is_active: r.is_active,
            email_verified: r.verified,
            created_at: r.created_at,
            last_login_at: r.last_login_at,
        })
        .collect())
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Grants (`grant = true`) or revokes a role, recording who did it. Idempotent: granting
/// a held role or revoking an absent one changes nothing and records nothing.
#[tracing::instrument(skip_all, fields(actor = %actor, target = %target))]
pub async fn set_role(
    services: &Services,
    actor: UserId,
    target: UserId,
    role: Role,
    grant: bool,
    meta: &RequestMeta,
) -> Result<bool> {
    if actor == target {
        let action = if grant { "role.grant" } else { "role.revoke" };
        let own = four_eyes::refuse(&services.pool, actor, action, "user", target, ErrorCode::OwnRoles);
        return Err(own.await);
    }
    let mut tx = services.pool.begin().await?;
    if !grant && role == Role::Admin {
        // Locks every admin's row, so two removals cannot each see the other admin left.
        let admins: Vec<uuid::Uuid> =
            sqlx::query_scalar!("select user_id from user_roles where role = 'admin' for update")
                .fetch_all(&mut *tx)
                .await?;
        if admins == [target.0] {
            return Err(Error::Conflict(ErrorCode::LastAdmin));
        }
    }
    // Lock the target so concurrent changes to one user's roles serialise.
    sqlx::query_scalar!("select id from users where id = $1 for update", target.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
    let changed = if grant {
        sqlx::query!(
            "insert into user_roles (user_id, role, granted_by) values ($1, $2, $3)
             on conflict do nothing",
            target.0,
            role.as_str(),
            actor.0
        )
        .execute(&mut *tx)
        .await?
        .rows_affected()
    } else {
        sqlx::query!("delete from user_roles where user_id = $1 and role = $2", target.0, role.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected()
    } > 0;
    if changed {
        let action = if grant { "role.grant" } else { "role.revoke" };
        audit::record(&mut tx, Some(actor), action, "user", &target.to_string(), json!({ "role": role.as_str() }))
            .await?;
        events::publish(
            &mut tx,
            super::user_event(
                EventType::UserRolesChanged,
                target,
                json!({ "user_id": target, "role": role.as_str(), "granted": grant }),
            ),
            &EventMetadata::from_request(meta),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Makes `email` an admin, for the first-admin command. The account must exist.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn bootstrap_admin(services: &Services, user: UserId) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    sqlx::query!("insert into user_roles (user_id, role) values ($1, 'admin') on conflict do nothing", user.0)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, None, "role.grant", "user", &user.to_string(), json!({ "role": "admin", "via": "cli" }))
        .await?;
    tx.commit().await?;
    Ok(())
}

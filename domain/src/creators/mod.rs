//! Creators: the selling side of an account. Owns the application and verification
//! columns of `creators`, `creator_documents` and the portfolio; the storefront's read side of
//! creators stays in `catalog`.

pub mod application;
pub mod portfolio;
pub mod tax_id;
pub mod verification;

use sqlx::PgConnection;
use types::{UserId, ids::CreatorId};

use crate::{Error, Result};

/// The verified creator of `user`; only they may list products and portfolio items.
pub async fn creator_of(conn: &mut PgConnection, user: UserId) -> Result<CreatorId> {
    sqlx::query_scalar!("select id from creators where user_id = $1 and status = 'verified'", user.0)
        .fetch_optional(conn)
        .await?
        .map(CreatorId)
        .ok_or(Error::Forbidden)
}

//! The logged-in user, as a resource every page can read, and the server function
//! behind it. Logging in or out sends the browser to another page, which reads it anew.

use leptos::prelude::*;
use types::SessionUser;

use crate::error::AppError;

/// Who is logged in, or `None`.
#[server(endpoint = "session/user")]
pub async fn get_session_user() -> Result<Option<SessionUser>, AppError> {
    Ok(crate::ssr::session_user())
}

#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<SessionUser>, AppError>>,
}

pub fn provide_session() {
    provide_context(Session { user: Resource::new(|| (), |_| get_session_user()) });
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

//! The logged-in user, as a resource every page can read, and the server function
//! behind it. Actions that log in or out bump a version so the resource refetches.

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
    version: RwSignal<u32>,
}

impl Session {
    /// Reload the user after an action changed who is logged in.
    pub fn changed(&self) {
        self.version.update(|v| *v += 1);
    }
}

pub fn provide_session() {
    let version = RwSignal::new(0u32);
    let user = Resource::new(move || version.get(), |_| get_session_user());
    provide_context(Session { user, version });
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Makes a server action that reloads the session user when it succeeds.
pub fn session_action<S>() -> ServerAction<S>
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let action = ServerAction::<S>::new();
    let session = use_session();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            session.changed();
        }
    });
    action
}

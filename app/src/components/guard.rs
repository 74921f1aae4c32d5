//! Page guards. They decide what to render; the server functions behind the page
//! check again on every call, whatever the UI shows.

use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_location};
use types::{Permission, SessionUser};

use crate::{pages::status::Forbidden, session::use_session};

/// Renders `children` with the logged-in user; sends anonymous visitors to log in and
/// back here afterwards; shows 403 to users without `permission` (if one is given).
#[component]
pub fn Guard<F, V>(#[prop(optional)] permission: Option<Permission>, children: F) -> impl IntoView
where
    F: Fn(SessionUser) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let session = use_session();
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) if permission.is_none_or(|p| user.can(p)) => {
                        children.with_value(|c| c(user)).into_any()
                    }
                    Ok(Some(_)) => view! { <Forbidden /> }.into_any(),
                    _ => {
                        let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                        let next = urlencoding(&here);
                        view! { <Redirect path=format!("/login?next={next}") /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Percent-encodes a path for use as a query value.
fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

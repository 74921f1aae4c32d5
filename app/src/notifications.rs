//! Every signed-in user's in-app notifications, whatever face they work in: the
//! header's bell and live notices, the notification centre and the creator dashboard
//! read them. The rules live in `domain::notifications::in_app`.

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use types::ErrorCode;

use crate::error::AppError;
use crate::i18n::use_i18n;
#[cfg(feature = "ssr")]
use crate::ssr::{refuse, require_user, services};

/// One page of the reader's notifications, newest first: all of them, or only unread
/// ones (`unread`), or those about one `topic`; `before` is the cursor of an older page.
#[server(endpoint = "account/notifications")]
pub async fn notifications(
    #[server(default)] unread: bool,
    topic: Option<String>,
    before: Option<String>,
) -> Result<types::notifications::NotificationList, AppError> {
    use domain::notifications::in_app::{self, Filter};
    use types::TextEnum;
    let user = require_user()?;
    let filter = Filter {
        unread_only: unread,
        // An unknown topic or cursor is a stale or edited link: show the first page of all.
        topic: topic.as_deref().and_then(TextEnum::parse),
        before: before.as_deref().and_then(|b| b.parse().ok()),
    };
    let locale = crate::ssr::request_locale().unwrap_or_default();
    Ok(in_app::page(&services()?, user.id, locale, &filter, in_app::PAGE).await?)
}

/// How many notifications are unread, for the bell in the header.
#[server(endpoint = "account/notifications/unread")]
pub async fn unread_notifications() -> Result<u32, AppError> {
    let user = require_user()?;
    Ok(domain::notifications::in_app::unread(&services()?, user.id).await?)
}

/// Marks one notification read, or all of them when `id` is absent.
#[server(endpoint = "account/notifications/read")]
pub async fn mark_notifications_read(id: Option<String>) -> Result<(), AppError> {
    let user = require_user()?;
    let id = match id.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => Some(raw.parse().map_err(|_| refuse(ErrorCode::NotFound))?),
        None => None,
    };
    Ok(domain::notifications::in_app::mark_read(&services()?, user.id, id).await?)
}

/// Deletes one of the reader's notifications; another person's is not found.
#[server(endpoint = "account/notifications/delete")]
pub async fn delete_notification(id: String) -> Result<(), AppError> {
    let user = require_user()?;
    let id = id.parse().map_err(|_| refuse(ErrorCode::NotFound))?;
    Ok(domain::notifications::in_app::delete(&services()?, user.id, id).await?)
}

/// Where the server streams a reader's notification changes (`server::notification_stream`).
pub const LIVE_PATH: &str = "/notifications/live";
/// The window event that gives the bell its new unread count (`detail`). The stream and
/// the bell are separate islands, so they meet in the page, not in Rust.
const UNREAD_CHANGED: &str = "openaero:unread-changed";

/// The header's bell: a link to the notifications with the unread count, which follows
/// the live stream.
#[island]
pub fn LiveBell(unread: u32) -> impl IntoView {
    let i18n = use_i18n();
    let unread = RwSignal::new(unread);
    let handle = window_event_listener_untyped(UNREAD_CHANGED, move |event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(n) = event.dyn_ref::<web_sys::CustomEvent>().and_then(|e| e.detail().as_f64()) {
                unread.set(n as u32);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = event;
    });
    on_cleanup(move || handle.remove());
    let label = move || (i18n.t().portal.notifications_unread)(unread.get());
    view! {
        <a class="bell" href="/account/notifications" aria-label=label title=label>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none"
                stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
                <path d="M13.7 21a2 2 0 0 1-3.4 0" />
            </svg>
            {move || {
                let n = unread.get();
                (n > 0).then(|| view! { <span class="bell__count">{n.min(99)}</span> })
            }}
        </a>
    }
}

/// Follows the reader's notifications while the page is open: tells the bell the unread
/// count, and shows (and announces) a notice that arrives meanwhile until it is
/// dismissed. Only on pages of signed-in readers.
#[island]
pub fn LiveNotices() -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(None::<types::notifications::LiveNotice>);
    #[cfg(feature = "hydrate")]
    follow(shown);
    view! {
        <div class="live-notice" role="status" aria-label=move || i18n.t().portal.new_notification>
            {move || shown.get().map(|notice| view! {
                <div class="live-notice__card">
                    <a href=notice.link>{notice.text}</a>
                    <button type="button" class="link-button" on:click=move |_| shown.set(None)>
                        {move || i18n.t().portal.dismiss}
                    </button>
                </div>
            })}
        </div>
    }
}

/// Opens the event stream for the page's lifetime (navigation is the browser's, so the
/// page's end closes it) and hands each state on.
#[cfg(feature = "hydrate")]
fn follow(shown: RwSignal<Option<types::notifications::LiveNotice>>) {
    use types::notifications::LiveState;
    use wasm_bindgen::{JsCast, JsValue, closure::Closure};

    let Ok(source) = web_sys::EventSource::new(LIVE_PATH) else { return };
    // The newest notice when the page opened is not news; one after it is.
    let mut known = None;
    let mut connected = false;
    let on_state = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let Some(state) = event.data().as_string().and_then(|d| serde_json::from_str::<LiveState>(&d).ok()) else {
            return;
        };
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&JsValue::from(state.unread));
        if let Ok(changed) = web_sys::CustomEvent::new_with_event_init_dict(UNREAD_CHANGED, &init) {
            let _ = window().dispatch_event(&changed);
        }
        let newest_id = state.newest.as_ref().map(|n| n.id);
        match state.newest {
            Some(notice) if connected && newest_id != known && !notice.read => shown.set(Some(notice)),
            // Read elsewhere (another tab, the centre): no longer news here.
            Some(notice) if notice.read && shown.with_untracked(|s| s.as_ref().is_some_and(|s| s.id == notice.id)) => {
                shown.set(None)
            }
            _ => {}
        }
        known = newest_id;
        connected = true;
    });
    let _ = source.add_event_listener_with_callback("notifications", on_state.as_ref().unchecked_ref());
    on_state.forget();
}

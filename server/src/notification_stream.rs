//! `GET /notifications/live`: the signed-in reader's unread count and newest notice as
//! Server-Sent Events (`event: notifications`, JSON `LiveState`), sent at once and again
//! whenever they change, whichever instance wrote the change
//! (`domain::notifications::live`). The header's islands show them.
//!
//! A stream ends after [`LIFETIME`] and as soon as the instance begins to drain, so a
//! rolling restart is not held up; the browser's `EventSource` reconnects through the
//! load balancer, and the session is read again each time.

use std::{convert::Infallible, time::Duration};

use app::ssr::{AppState, CurrentUser, RequestLocale};
use axum::{
    Extension, Router,
    extract::State,
    http::{HeaderName, HeaderValue, StatusCode},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::get,
};
use domain::{
    Services,
    notifications::{in_app, live::Change},
};
use futures::StreamExt;
use tokio::sync::broadcast::{Receiver, error::RecvError};
use types::{
    Locale, UserId,
    notifications::{LiveNotice, LiveState},
};

use crate::health::Draining;

/// How long one stream lasts before the browser reconnects.
const LIFETIME: Duration = Duration::from_secs(300);
/// How soon the browser reconnects after a stream ends or breaks.
const RETRY: Duration = Duration::from_secs(2);
/// A comment this often keeps proxies from closing a quiet stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub fn routes(draining: Draining) -> Router<AppState> {
    Router::new().route(app::notifications::LIVE_PATH, get(stream)).layer(Extension(draining))
}

async fn stream(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(locale): Extension<RequestLocale>,
    Extension(draining): Extension<Draining>,
) -> Response {
    let Some(user) = user.0 else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    // Subscribed before the first read, so no change falls between the two.
    let follower = Follower {
        changes: state.services.live.subscribe(),
        services: state.services,
        user: user.id,
        locale: locale.0,
        last: None,
    };
    let events = futures::stream::unfold(follower, Follower::next).take_until(async move {
        tokio::select! {
            () = draining.begun() => {}
            () = tokio::time::sleep(LIFETIME) => {}
        }
    });
    let mut response = Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response();
    // Proxies that buffer responses (nginx) would hold the events back.
    response.headers_mut().insert(HeaderName::from_static("x-accel-buffering"), HeaderValue::from_static("no"));
    response
}

struct Follower {
    services: Services,
    changes: Receiver<Change>,
    user: UserId,
    locale: Locale,
    /// What the page was last told; `None` before the first event.
    last: Option<LiveState>,
}

impl Follower {
    /// The next event: the state at once, then each time it changes.
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Follower)> {
        loop {
            if self.last.is_some() {
                self.wait_for_change().await?;
            }
            let state = match self.read().await {
                Ok(state) => state,
                Err(e) => {
                    // The browser reconnects and tries again.
                    tracing::warn!(error = ?e, "reading notifications for a live page failed");
                    return None;
                }
            };
            if self.last.as_ref() == Some(&state) {
                continue;
            }
            let first = self.last.is_none();
            let mut event = Event::default().event("notifications").json_data(&state).ok()?;
            if first {
                event = event.retry(RETRY);
            }
            self.last = Some(state);
            return Some((Ok(event), self));
        }
    }

    /// Waits for a change that concerns the reader, then takes the others already
    /// waiting, since one read answers them all. `None` when the instance stops.
    async fn wait_for_change(&mut self) -> Option<()> {
        loop {
            match self.changes.recv().await {
                Ok(change) if !change.concerns(self.user) => continue,
                // Fell behind: something may concern the reader.
                Ok(_) | Err(RecvError::Lagged(_)) => break,
                Err(RecvError::Closed) => return None,
            }
        }
        while self.changes.try_recv().is_ok() {}
        Some(())
    }

    async fn read(&self) -> domain::Result<LiveState> {
        let list = in_app::list(&self.services, self.user, self.locale, 1).await?;
        Ok(LiveState {
            unread: list.unread,
            newest: list.items.into_iter().next().map(|n| LiveNotice {
                id: n.id,
                text: n.text,
                link: n.link,
                read: n.read,
            }),
        })
    }
}

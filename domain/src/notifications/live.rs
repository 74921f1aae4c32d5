//! Telling open pages that a person's notifications changed, on every instance: each
//! statement that writes `notifications` (`in_app`) also notifies [`CHANNEL`] with the
//! person's id, which PostgreSQL delivers once its transaction commits, and each
//! instance's [`follow`] passes that on to the streams open on it ([`Live::subscribe`]).

use std::time::Duration;

use sqlx::{
    PgPool,
    postgres::{PgListener, PgPoolOptions},
};
use tokio::sync::{broadcast, watch};
use types::UserId;

/// The `LISTEN` channel; the payload is the user's id.
pub const CHANNEL: &str = "notifications";
/// Changes waiting for a slow stream before it is told it missed some.
const BACKLOG: usize = 1024;

/// Whose notifications changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    User(UserId),
    /// The listener lost its connection: anything may have changed meanwhile.
    Anyone,
}

impl Change {
    pub fn concerns(self, user: UserId) -> bool {
        match self {
            Change::User(u) => u == user,
            Change::Anyone => true,
        }
    }
}

/// This instance's fan-out of [`Change`]s to its open streams.
#[derive(Clone)]
pub struct Live(broadcast::Sender<Change>);

impl Default for Live {
    fn default() -> Self {
        Live(broadcast::channel(BACKLOG).0)
    }
}

impl Live {
    /// A receiver of every change from now on; a stream that falls behind by more than
    /// the backlog gets `Lagged` and should read its state again.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.0.subscribe()
    }

    fn tell(&self, change: Change) {
        // No stream open on this instance is not an error.
        let _ = self.0.send(change);
    }
}

/// Listens for changes until `stop` flips, reconnecting when the connection drops.
pub async fn follow(pool: PgPool, live: Live, mut stop: watch::Receiver<bool>) {
    // A connection of its own: a listener holds its connection for good, and requests
    // should not wait for the one it would take from theirs.
    let own = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_lazy_with((*pool.connect_options()).clone());
    loop {
        let listener = async {
            let mut l = PgListener::connect_with(&own).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        };
        let mut listener = tokio::select! {
            l = listener => match l {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "notifications LISTEN failed; retrying");
                    if wait_or_stop(&mut stop, Duration::from_secs(2)).await {
                        return;
                    }
                    continue;
                }
            },
            _ = stop.changed() => return,
        };
        // Whatever happened while not listening is read again by every stream.
        live.tell(Change::Anyone);
        loop {
            tokio::select! {
                received = listener.try_recv() => match received {
                    Ok(Some(n)) => {
                        if let Ok(user) = n.payload().parse() {
                            live.tell(Change::User(user));
                        }
                    }
                    // The connection dropped; the next receive reconnects.
                    Ok(None) => live.tell(Change::Anyone),
                    Err(e) => {
                        tracing::warn!(error = %e, "notifications listener failed; reconnecting");
                        break;
                    }
                },
                _ = stop.changed() => return,
            }
        }
        if wait_or_stop(&mut stop, Duration::from_secs(1)).await {
            return;
        }
    }
}

/// Sleeps for `pause`; true when `stop` flipped meanwhile.
async fn wait_or_stop(stop: &mut watch::Receiver<bool>, pause: Duration) -> bool {
    tokio::select! {
        () = tokio::time::sleep(pause) => *stop.borrow(),
        _ = stop.changed() => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_concerns_its_user_and_a_lost_connection_everyone() {
        let (a, b) = (UserId::new(), UserId::new());
        assert!(Change::User(a).concerns(a));
        assert!(!Change::User(a).concerns(b));
        assert!(Change::Anyone.concerns(b));
    }
}

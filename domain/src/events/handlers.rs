//! Who hears which event. A handler belongs to the module whose business it is
//! (account mail to `users`, order mail to `commerce`); `crate::registry` lists them.
//! At start-up [`Handlers::subscribe`] writes who hears what to `event_subscriptions`,
//! so [`super::publish`] fans an event out in SQL and knows no handler.

use std::sync::Arc;
use types::TextEnum;

use sqlx::PgPool;

use super::{EventType, StoredEvent};
use crate::{Result, Services};

#[async_trait::async_trait]
pub trait Handler: Send + Sync + 'static {
    /// The name deliveries are stored under; never rename one with deliveries pending.
    fn name(&self) -> &'static str;

    /// The events this handler must receive.
    fn events(&self) -> &'static [EventType];

    /// Runs once per delivery, at least once per event: it must tolerate repeats.
    async fn handle(&self, services: &Services, event: &StoredEvent) -> anyhow::Result<()>;
}

/// This build's handlers.
#[derive(Clone, Default)]
pub struct Handlers(Arc<Vec<Arc<dyn Handler>>>);

impl Handlers {
    pub fn with(self, handler: impl Handler) -> Self {
        let mut all: Vec<Arc<dyn Handler>> = self.0.iter().cloned().collect();
        all.push(Arc::new(handler));
        Handlers(Arc::new(all))
    }

    pub fn get(&self, name: &str) -> Option<&dyn Handler> {
        self.0.iter().find(|h| h.name() == name).map(|h| h.as_ref())
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|h| h.name())
    }

    /// The handlers of this build that hear `event_type`.
    pub fn subscribers(&self, event_type: EventType) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().filter(move |h| h.events().contains(&event_type)).map(|h| h.name())
    }

    /// Makes `event_subscriptions` say what these handlers hear, replacing what an
    /// earlier build said of them (a handler no build names any more keeps its rows,
    /// and its deliveries go to the dead letters where an admin sees them).
    pub async fn subscribe(&self, pool: &PgPool) -> Result<()> {
        let (mut handlers, mut event_types) = (Vec::new(), Vec::new());
        for handler in self.0.iter() {
            for event_type in handler.events() {
                handlers.push(handler.name());
                event_types.push(event_type.as_str());
            }
        }
        let names: Vec<&str> = self.names().collect();
        // Two statements: a row deleted and inserted by one statement would conflict
        // with itself and be lost.
        let mut tx = pool.begin().await?;
        sqlx::query!("delete from event_subscriptions where handler = any($1::text[])", &names as &[&str])
            .execute(&mut *tx)
            .await?;
        sqlx::query!(
            "insert into event_subscriptions (handler, event_type)
             select * from unnest($1::text[], $2::text[])
             on conflict do nothing",
            &handlers as &[&str],
            &event_types as &[&str],
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

//! What a decision does to the thing decided. The queue knows no subject module:
//! each module that sends things for review (creators, catalog, ratings) implements
//! [`Subject`] for its kind, and `crate::registry` lists them once at start-up.

use std::sync::Arc;
use types::TextEnum;

use sqlx::PgConnection;
use types::{
    SessionUser,
    certification::{CertificationReview, GrantInput},
    creators::Application,
    files::FileInfo,
    ids::CreatorId,
    review::{Decision, ReviewKind},
};
use uuid::Uuid;

use crate::{Error, Result, events::EventMetadata};

/// A decision about to be carried out, as the subject's module sees it.
pub struct Decided<'a> {
    pub reviewer: &'a SessionUser,
    pub subject: Uuid,
    pub creator: CreatorId,
    /// The item's title, as the queue showed it.
    pub title: &'a str,
    pub decision: Decision,
    pub feedback: &'a str,
    /// The certificate a reviewer grants with an approval (other kinds ignore it).
    pub grant: &'a GrantInput,
    pub metadata: &'a EventMetadata,
}

/// What a reviewer sees beside the submitted fields.
#[derive(Debug, Default)]
pub struct Evidence {
    pub application: Option<Application>,
    pub media: Vec<FileInfo>,
    pub certification: Option<CertificationReview>,
}

/// One kind of thing reviewers decide.
#[async_trait::async_trait]
pub trait Subject: Send + Sync + 'static {
    fn kind(&self) -> ReviewKind;

    /// Carries the decision out, inside the decision's transaction: an error undoes
    /// the decision too.
    async fn apply(&self, tx: &mut PgConnection, decided: &Decided<'_>) -> Result<()>;

    /// Where the creator follows the subject: the page a notice and a mail link to.
    async fn path(&self, conn: &mut PgConnection, subject: Uuid) -> Result<String>;

    /// What the reviewer is shown besides the snapshot.
    async fn evidence(&self, _conn: &mut PgConnection, _subject: Uuid, _creator: CreatorId) -> Result<Evidence> {
        Ok(Evidence::default())
    }

    /// Whether the creator is told of the decision (in-app and by mail). A customer's
    /// rating is the customer's to hear about, which its module sees to.
    fn tells_creator(&self) -> bool {
        true
    }
}

/// The kinds this build decides, each with its module's [`Subject`].
#[derive(Clone, Default)]
pub struct Subjects(Arc<Vec<Arc<dyn Subject>>>);

impl Subjects {
    /// Adds a kind; a kind registered twice is a wiring mistake, caught by the tests.
    pub fn with(self, subject: impl Subject) -> Self {
        let mut all: Vec<Arc<dyn Subject>> = self.0.iter().cloned().collect();
        all.push(Arc::new(subject));
        Subjects(Arc::new(all))
    }

    pub fn get(&self, kind: ReviewKind) -> Result<&dyn Subject> {
        self.0
            .iter()
            .find(|s| s.kind() == kind)
            .map(|s| s.as_ref())
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("no review subject registered for {}", kind.as_str())))
    }

    pub fn kinds(&self) -> impl Iterator<Item = ReviewKind> + '_ {
        self.0.iter().map(|s| s.kind())
    }
}

use types::{ErrorCode, FieldError};

/// What can go wrong in a use-case. Every variant but `Internal` is something the
/// user did or may be told; `Internal` keeps the cause chain for the log only.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("bad request: {0}")]
    BadRequest(ErrorCode),
    #[error("not authenticated")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    /// Allowed in general, refused here for a reason the user is told (their own case).
    #[error("refused: {0}")]
    Refused(ErrorCode),
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(ErrorCode),
    #[error("rate limited for {retry_after_secs}s")]
    RateLimited { retry_after_secs: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn field(field: &str, code: ErrorCode) -> Self {
        Error::Validation(vec![FieldError::new(field, code)])
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        if matches!(e, sqlx::Error::PoolTimedOut) {
            // Every connection stayed busy for the acquire timeout: the pool is too small
            // for the load, or statements are slow.
            metrics::counter!("db_pool_timeouts_total").increment(1);
        }
        Error::Internal(anyhow::Error::new(e).context("database"))
    }
}

/// Turns a violated named constraint into a user-facing error; anything else stays
/// internal. Constraint names are part of the schema's contract (see migrations/).
pub trait OnConstraint<T> {
    fn on_constraint(self, name: &str, to: impl FnOnce() -> Error) -> Result<T>;
}

impl<T> OnConstraint<T> for std::result::Result<T, sqlx::Error> {
    fn on_constraint(self, name: &str, to: impl FnOnce() -> Error) -> Result<T> {
        self.map_err(|e| match &e {
            sqlx::Error::Database(db) if db.constraint() == Some(name) => to(),
            _ => e.into(),
        })
    }
}

//! The one error type server functions return. It carries codes, never prose: the
//! browser renders them in the reader's language. On the server, converting a domain
//! error logs internal causes once and sets the HTTP status.

use serde::{Deserialize, Serialize};
use server_fn::{
    ServerFnError,
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use types::{ErrorCode, FieldError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code}")]
pub struct AppError {
    pub code: ErrorCode,
    /// Problems with individual form fields, shown next to each field.
    pub fields: Vec<FieldError>,
    /// For `TooManyAttempts`: seconds until the next try is allowed.
    pub retry_after_secs: Option<u64>,
}

impl AppError {
    pub fn new(code: ErrorCode) -> Self {
        Self { code, fields: Vec::new(), retry_after_secs: None }
    }

    pub fn fields(fields: Vec<FieldError>) -> Self {
        Self { code: ErrorCode::InvalidInput, fields, retry_after_secs: None }
    }

    /// The error for one field, if any.
    pub fn field(&self, name: &str) -> Option<ErrorCode> {
        self.fields.iter().find(|f| f.field == name).map(|f| f.code)
    }

    /// The HTTP status that fits the error.
    pub fn status(&self) -> u16 {
        self.code.http_status()
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Request(_) => AppError::new(ErrorCode::Unreachable),
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::new(ErrorCode::BadRequest)
            }
            _ => AppError::new(ErrorCode::Internal),
        };
        // Arguments that do not parse are the caller's mistake (400), not ours (500).
        #[cfg(feature = "ssr")]
        error.set_response_status();
        error
    }
}

impl From<ServerFnError> for AppError {
    fn from(_: ServerFnError) -> Self {
        AppError::new(ErrorCode::Internal)
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;

    impl From<domain::Error> for AppError {
        fn from(error: domain::Error) -> Self {
            let app = match error {
                domain::Error::Validation(fields) => AppError::fields(fields),
                domain::Error::BadRequest(code) | domain::Error::Conflict(code) | domain::Error::Refused(code) => {
                    AppError::new(code)
                }
                domain::Error::Unauthenticated => AppError::new(ErrorCode::NotAuthenticated),
                domain::Error::Forbidden => AppError::new(ErrorCode::Forbidden),
                domain::Error::NotFound => AppError::new(ErrorCode::NotFound),
                domain::Error::RateLimited { retry_after_secs } => AppError {
                    code: ErrorCode::TooManyAttempts,
                    fields: Vec::new(),
                    retry_after_secs: Some(retry_after_secs),
                },
                domain::Error::Internal(cause) => {
                    // The one place an internal cause is logged, with its whole chain.
                    tracing::error!(error = format!("{cause:#}"), "request failed");
                    AppError::new(ErrorCode::Internal)
                }
            };
            app.set_response_status();
            app
        }
    }

    impl AppError {
        /// Puts the fitting status (and `Retry-After`) on the current response.
        pub fn set_response_status(&self) {
            // A plain HTML form post is answered with a redirect back to the form,
            // carrying the error in the URL; its status must stay 302.
            let plain_form = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| {
                p.headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("text/html"))
            });
            if plain_form {
                return;
            }
            if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                if let Ok(status) = http::StatusCode::from_u16(self.status()) {
                    options.set_status(status);
                }
                if let Some(secs) = self.retry_after_secs {
                    options.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
                }
            }
        }
    }
}

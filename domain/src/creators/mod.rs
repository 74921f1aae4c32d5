//! Creators: the selling side of an account. Owns the application and verification
//! columns of `creators`, `creator_documents` and the portfolio; the storefront's read side of
//! creators stays in `catalog`.

pub mod application;
pub mod portfolio;
pub mod tax_id;
pub mod verification;

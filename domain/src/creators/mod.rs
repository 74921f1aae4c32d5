//! Creators: the selling side of an account. Owns the application and verification
//! columns of `creators` and `creator_documents`; the storefront's read side of
//! creators stays in `catalog`.

pub mod application;
pub mod tax_id;
pub mod verification;

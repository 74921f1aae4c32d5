//! The review queue: one list of everything reviewers decide (creator verifications,
//! product submissions, portfolio items, certification applications, customers'
//! ratings), claimed one at
//! a time, decided with feedback, every decision kept. Owns `review_items` and
//! `review_decisions`; what a decision does to its subject is the subject's module's
//! business: it registers a [`subjects::Subject`] for its kind.

pub mod decide;
pub mod digest;
pub mod mail;
pub mod queue;
pub mod subjects;

pub use subjects::{Subject, Subjects};

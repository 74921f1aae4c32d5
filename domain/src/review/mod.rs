//! The review queue: one list of everything reviewers decide (creator verifications,
//! product submissions, portfolio items, certification applications, customers'
//! ratings), claimed one at
//! a time, decided with feedback, every decision kept. Owns `review_items` and
//! `review_decisions`; what a decision does to its subject is the subject's module's
//! business (see [`decide`]).

pub mod decide;
pub mod queue;

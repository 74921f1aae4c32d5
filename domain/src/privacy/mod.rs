//! A person's own data: downloading all of it (`export`) and closing the account
//! (`close`). Both reach across every module that keeps something of theirs, so they
//! sit above them all; nothing below imports this.

pub mod close;
pub mod export;

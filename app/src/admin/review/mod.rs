//! The review queue and the item view.

pub mod api;
pub mod item;
pub mod queue;

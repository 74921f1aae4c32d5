//! The design system: forms, guards and small pieces every face uses. Nothing here
//! imports a face (storefront, creator portal, admin console).

pub mod actions;
pub mod address;
pub mod application;
pub mod bar_chart;
pub mod certification;
pub mod commerce;
pub mod deliveries;
pub mod form;
pub mod guard;
pub mod list;
pub mod period;
pub mod query;
pub mod rating;
pub mod report;
pub mod time;
pub mod upload;

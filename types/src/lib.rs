//! Types that both the server and the browser use. Nothing here touches I/O, so the
//! whole crate compiles to WASM; values that can be invalid are only built by parsing.
//!
//! Belongs here: ids, values that parse (`Email`, `Money`), kinds stored as text
//! (`TextEnum`), the product specification table (`specs`), error codes, and the view
//! and form structs pages and server functions exchange. Does not: anything that reads
//! a database, the clock, randomness (except minting ids under `server`) or a request,
//! and no rule that needs more than the value itself — those are `domain`'s.

pub mod admin;
pub mod analytics;
pub mod announcements;
pub mod api;
pub mod cart;
pub mod catalog;
pub mod certification;
pub mod checkout;
pub mod creators;
pub mod error_code;
pub mod files;
pub mod flags;
pub mod ids;
pub mod locale;
pub mod money;
pub mod notice_templates;
pub mod notifications;
pub mod orders;
pub mod password;
pub mod portfolio;
pub mod products;
pub mod profile;
pub mod ratings;
pub mod review;
pub mod role;
pub mod search;
pub mod text_enum;

pub use text_enum::TextEnum;
pub mod session;
pub mod specs;
pub mod user;
pub mod webhooks;

pub use error_code::{ErrorCode, FieldError};
pub use ids::UserId;
pub use locale::Locale;
pub use password::Password;
pub use role::{Permission, Role};
pub use session::SessionUser;
pub use user::{Email, PersonName};

//! Types that both the server and the browser use. Nothing here touches I/O, so the
//! whole crate compiles to WASM; values that can be invalid are only built by parsing.

pub mod admin;
pub mod catalog;
pub mod error_code;
pub mod files;
pub mod ids;
pub mod locale;
pub mod password;
pub mod profile;
pub mod role;
pub mod search;
pub mod session;
pub mod user;

pub use error_code::{ErrorCode, FieldError};
pub use ids::UserId;
pub use locale::Locale;
pub use password::Password;
pub use role::{Permission, Role};
pub use session::SessionUser;
pub use user::{Email, PersonName};

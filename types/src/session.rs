use crate::text_enum::TextEnum;
use serde::{Deserialize, Serialize};

use crate::{Locale, Permission, Role, UserId};

/// The logged-in user as pages see it: enough to render the header and decide which
/// links to show. The server re-checks permissions on every call regardless.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
    pub permissions: Vec<String>,
    pub locale: Locale,
    pub email_verified: bool,
}

impl SessionUser {
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.iter().any(|p| p == permission.as_str())
    }
}

/// Put in the request by the server's middleware: the form posted without JavaScript
/// just before this page (the server answered it by sending the browser here).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedForm {
    /// The server function it was sent to, e.g. `/api/cart/add`.
    pub action: String,
    pub accepted: bool,
    /// What was sent, never a secret.
    pub fields: Vec<(String, String)>,
}

impl SubmittedForm {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

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
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.iter().any(|p| p == permission.as_str())
    }
}

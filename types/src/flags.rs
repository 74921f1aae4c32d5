//! Feature flags as the admin console shows and edits them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Role;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagView {
    pub key: String,
    pub description: String,
    pub enabled: bool,
    /// Empty: everyone.
    pub roles: Vec<Role>,
    /// The share of people it is on for, 0 to 100.
    pub percent: u8,
    pub retired: bool,
    pub updated_at: DateTime<Utc>,
}

/// The role checkboxes of a flag's form (`role_admin`…): a ticked box is sent, an
/// unticked one is not; none ticked means everyone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleBoxes {
    #[serde(default)]
    pub role_customer: Option<String>,
    #[serde(default)]
    pub role_creator: Option<String>,
    #[serde(default)]
    pub role_reviewer: Option<String>,
    #[serde(default)]
    pub role_admin: Option<String>,
}

impl RoleBoxes {
    pub fn ticked(&self) -> Vec<Role> {
        let boxes = [
            (&self.role_customer, Role::Customer),
            (&self.role_creator, Role::Creator),
            (&self.role_reviewer, Role::Reviewer),
            (&self.role_admin, Role::Admin),
        ];
        boxes.into_iter().filter(|(sent, _)| sent.is_some()).map(|(_, role)| role).collect()
    }
}

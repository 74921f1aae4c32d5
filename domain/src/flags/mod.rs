//! Feature flags: on or off, for some roles, and for a sticky share of people. Each
//! instance evaluates them from its own copy ([`Flags`]), which the event follower
//! reloads when a `flag.changed` event appears (`catalog::cache::follow_changes`), so
//! a change reaches every instance within a poll or two. Admins change them in the
//! console ([`admin`]).

pub mod admin;

use std::{collections::HashMap, sync::RwLock};

use sha2::{Digest, Sha256};
use sqlx::PgPool;
use types::{Role, TextEnum};

use crate::Result;

/// One header row on phones (logo, search, cart, menu) instead of two.
pub const COMPACT_PHONE_HEADER: &str = "storefront.compact_phone_header";

/// Who a flag is asked about.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    /// A stable id: the user's, or an anonymous visitor's session. None for a visitor
    /// without a session (a page shared through the page cache): such a visitor gets
    /// only flags that are on for everyone.
    pub id: Option<&'a str>,
    pub roles: &'a [Role],
}

/// A flag's rule, as evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub enabled: bool,
    pub roles: Vec<Role>,
    pub percent: u8,
}

impl Rule {
    pub fn applies(&self, key: &str, subject: &Subject<'_>) -> bool {
        if !self.enabled || self.percent == 0 {
            return false;
        }
        if !self.roles.is_empty() && !self.roles.iter().any(|r| subject.roles.contains(r)) {
            return false;
        }
        if self.percent >= 100 {
            return true;
        }
        subject.id.is_some_and(|id| bucket(key, id) < self.percent)
    }
}

/// Where `id` falls for `key`, 0 to 99: the same every time, and independent between
/// flags (so the same people are not always first).
fn bucket(key: &str, id: &str) -> u8 {
    let digest = Sha256::new().chain_update(key).chain_update([0]).chain_update(id).finalize();
    (u16::from_be_bytes([digest[0], digest[1]]) % 100) as u8
}

/// This instance's copy of the live (not retired) flags.
#[derive(Debug, Default)]
pub struct Flags {
    rules: RwLock<HashMap<String, Rule>>,
}

impl Flags {
    /// Whether `key` is on for `subject`; an unknown or retired flag is off.
    pub fn is_on(&self, key: &str, subject: &Subject<'_>) -> bool {
        let rules = self.rules.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        rules.get(key).is_some_and(|rule| rule.applies(key, subject))
    }

    /// Reads every live flag again.
    pub async fn load(&self, pool: &PgPool) -> Result<()> {
        let rows = sqlx::query!("select key, enabled, roles, percent from feature_flags where retired_at is null")
            .fetch_all(pool)
            .await?;
        let rules = rows
            .into_iter()
            .map(|r| {
                let roles = r.roles.iter().filter_map(|role| Role::parse(role)).collect();
                (r.key, Rule { enabled: r.enabled, roles, percent: r.percent.clamp(0, 100) as u8 })
            })
            .collect();
        *self.rules.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = rules;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(enabled: bool, roles: &[Role], percent: u8) -> Rule {
        Rule { enabled, roles: roles.to_vec(), percent }
    }

    #[test]
    fn a_flag_is_on_only_when_enabled_and_for_the_roles_it_names() {
        let anyone = Subject { id: Some("u1"), roles: &[Role::Customer] };
        let admin = Subject { id: Some("u2"), roles: &[Role::Customer, Role::Admin] };
        assert!(rule(true, &[], 100).applies("k.x", &anyone));
        assert!(!rule(false, &[], 100).applies("k.x", &anyone));
        assert!(!rule(true, &[Role::Admin], 100).applies("k.x", &anyone));
        assert!(rule(true, &[Role::Admin], 100).applies("k.x", &admin));
        // A visitor the page cache serves is anyone, with no roles.
        assert!(rule(true, &[], 100).applies("k.x", &Subject::default()));
        assert!(!rule(true, &[], 99).applies("k.x", &Subject::default()));
    }

    #[test]
    fn a_rollout_reaches_its_share_and_keeps_each_person_where_they_were() {
        let ids: Vec<String> = (0..10_000).map(|n| format!("user-{n}")).collect();
        let on = |percent: u8, key: &str| -> Vec<bool> {
            ids.iter().map(|id| rule(true, &[], percent).applies(key, &Subject { id: Some(id), roles: &[] })).collect()
        };
        let ten = on(10, "k.x");
        let share = ten.iter().filter(|&&x| x).count();
        assert!((900..1100).contains(&share), "{share} of 10,000 at 10 %");
        assert_eq!(ten, on(10, "k.x"), "the same people every time");
        // Raising the share keeps everyone who had it.
        let fifty = on(50, "k.x");
        assert!(ten.iter().zip(&fifty).all(|(before, after)| !before || *after));
        // Another flag at 10 % reaches other people.
        assert_ne!(ten, on(10, "k.y"));
        assert!(on(0, "k.x").iter().all(|x| !x));
    }
}

use sqlx::PgPool;
use types::UserId;

use crate::{
    catalog::cache::CatalogReads,
    files::Files,
    notifications::mail::Mailer,
    search::{index::SearchIndex, log::SearchLog},
};

/// Whether this is a developer's machine or a real deployment. Development stores
/// every sent mail for the dev mailbox page; production never shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// The settings the domain needs, a slice of the server's configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub environment: Environment,
    /// The public address, for links in mail (no trailing slash).
    pub base_url: String,
    pub commerce: CommerceSettings,
    /// No real money moves (the sandbox takes payments): pages, mail and orders say so.
    pub test_mode: bool,
}

/// The platform's terms of trade.
#[derive(Debug, Clone, Copy)]
pub struct CommerceSettings {
    /// The platform's default commission, in basis points (see `ledger::commission`).
    pub commission_bps: i32,
    /// Days after delivery before a sale's money becomes available to pay out.
    pub payout_hold_days: i32,
}

impl Default for CommerceSettings {
    fn default() -> Self {
        CommerceSettings { commission_bps: 1_000, payout_hold_days: 7 }
    }
}

/// Everything a use-case may need from the outside world, built once at start-up and
/// passed in; there are no globals.
#[derive(Clone)]
pub struct Services {
    pub pool: PgPool,
    pub mailer: Mailer,
    pub settings: Settings,
    pub catalog: std::sync::Arc<CatalogReads>,
    /// This instance's search index (empty until loaded, or off by configuration).
    pub search: std::sync::Arc<SearchIndex>,
    /// Searches and the results they led to, buffered and written in batches.
    pub search_log: SearchLog,
    /// Page and product views, buffered and written in batches (`analytics`).
    pub analytics: crate::analytics::Collector,
    /// What the analytics dashboards read.
    pub reports: std::sync::Arc<dyn crate::analytics::report::Reports>,
    /// Uploaded files: storage and link signing.
    pub files: Files,
    /// Keys that seal sensitive fields (tax ids) at rest.
    pub data_keys: crate::crypto::KeyRing,
    /// The payment provider checkouts, refunds and webhooks go through.
    pub payments: std::sync::Arc<dyn crate::commerce::payments::PaymentProvider>,
    /// The built-in sandbox when it is the provider: its simulated network sends
    /// webhooks, which a worker delivers.
    pub sandbox: Option<std::sync::Arc<crate::commerce::payments::sandbox::Sandbox>>,
    /// The kinds the review queue decides ([`crate::registry::review_subjects`]).
    pub review_subjects: crate::review::Subjects,
    /// Who hears which event ([`crate::registry::event_handlers`]).
    pub event_handlers: crate::events::Handlers,
    /// This instance's share of the store-wide rate limits at the edge.
    pub rate_limits: std::sync::Arc<crate::throttle::rate::RateLimiter>,
    /// This instance's copy of the feature flags.
    pub flags: std::sync::Arc<crate::flags::Flags>,
    /// The SMS provider, when text messages are offered.
    pub sms: Option<crate::notifications::sms::SmsChannel>,
    /// Web Push, when this deployment has a VAPID key.
    pub push: Option<crate::notifications::push::PushChannel>,
    /// Signs what links carry (`OPENAERO_SECRET_KEY`).
    pub signer: crate::signing::Signer,
    /// Tells this instance's open pages when someone's notifications change.
    pub live: crate::notifications::live::Live,
}

/// Who asked and from where, carried into domain events and the audit log.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub user_id: Option<UserId>,
    pub client_ip: Option<std::net::IpAddr>,
}

//! Typed settings, read once from the environment at start-up and passed in.
//! An invalid value or an unknown `OPENAERO_*` name stops start-up with a message
//! naming the setting; secrets are wrapped so they never reach a log.

use std::{collections::BTreeMap, net::SocketAddr};

use domain::Environment;
use secrecy::SecretString;
use url::Url;

use crate::client_address::TrustedProxies;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub database_url: SecretString,
    pub db_max_connections: u32,
    /// The public address of the site, for links in mail and the CSRF origin check.
    pub base_url: Url,
    pub listen: SocketAddr,
    /// Where `/metrics` is served, apart from the site so it is never public.
    pub metrics_listen: Option<SocketAddr>,
    /// How long to keep serving after SIGTERM with `/ready` failing, so load balancers
    /// take the instance out before it stops accepting connections.
    pub drain: std::time::Duration,
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    /// Signs the mail provider's delivery reports (`POST /webhooks/mail`); without it
    /// the endpoint does not exist.
    pub mail_reports_secret: Option<SecretString>,
    /// Who carries text messages, if anyone.
    pub sms: SmsProvider,
    /// Web Push, when offered.
    pub push: Option<PushSettings>,
    pub log_format: LogFormat,
    pub log_filter: String,
    /// Where OpenTelemetry traces go; none are made without it.
    pub traces: Option<TraceExport>,
    /// The proxies in front of this server, whose `X-Forwarded-For` hops are believed.
    pub trusted_proxies: TrustedProxies,
    /// Rate limits at the edge (`server::edge_limits`) and per API token (`api::auth`);
    /// off only for load benchmarks.
    pub edge_limits: bool,
    pub run_dispatcher: bool,
    pub migrate_on_start: bool,
    /// Answer searches from an index in this process (`memory`) or from PostgreSQL.
    pub search_in_memory: bool,
    /// Record page views and store facts for the analytics (off only to benchmark it).
    pub analytics: bool,
    /// Days the raw analytics events are kept; the rollups are kept for good.
    pub analytics_retention_days: u32,
    pub site_root: String,
    pub output_name: String,
    /// Where uploaded files live: a directory, or `s3://bucket/prefix`.
    pub storage: String,
    /// The standard `AWS_*` settings for S3 storage (credentials, region, endpoint).
    pub storage_options: Vec<(String, SecretString)>,
    /// Signs shared file links; the same in every instance.
    pub secret_key: SecretString,
    /// Seal sensitive fields at rest; the first is current (`id:base64key,…`).
    pub data_keys: domain::crypto::KeyRing,
    pub payment_provider: PaymentProviderKind,
    /// No real money moves (the sandbox takes payments): every page and mail says so.
    pub test_mode: bool,
    /// Shared with the payment provider to sign its webhooks.
    pub payment_webhook_secret: SecretString,
    pub commerce: domain::CommerceSettings,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ConfigError {
    #[error("{name} is required{hint}")]
    Missing { name: &'static str, hint: &'static str },
    #[error("{name} has an invalid value: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("{0} is not a known setting (see .env.example)")]
    Unknown(String),
}

/// Every problem with the configuration, so an operator fixes them in one go.
#[derive(Debug, PartialEq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl std::fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Every setting this server reads, with what it means (also in `.env.example`).
pub const KNOWN: &[&str] = &[
    "OPENAERO_ENV",
    "OPENAERO_BASE_URL",
    "OPENAERO_LISTEN",
    "OPENAERO_METRICS_LISTEN",
    "OPENAERO_DRAIN_SECS",
    "OPENAERO_DB_MAX_CONNECTIONS",
    "OPENAERO_SMTP_URL",
    "OPENAERO_MAIL_FROM",
    "OPENAERO_MAIL_REPORTS_SECRET",
    "OPENAERO_SMS_PROVIDER",
    "OPENAERO_SMS_API_URL",
    "OPENAERO_SMS_ACCOUNT",
    "OPENAERO_SMS_TOKEN",
    "OPENAERO_SMS_FROM",
    "OPENAERO_VAPID_PRIVATE_KEY",
    "OPENAERO_VAPID_SUBJECT",
    "OPENAERO_PUSH_SERVICES",
    "OPENAERO_LOG_FORMAT",
    "OPENAERO_LOG",
    "OPENAERO_TRUSTED_PROXIES",
    "OPENAERO_EDGE_LIMITS",
    "OPENAERO_DISPATCHER",
    "OPENAERO_MIGRATE",
    "OPENAERO_SEARCH_ENGINE",
    "OPENAERO_ANALYTICS",
    "OPENAERO_ANALYTICS_RETENTION_DAYS",
    "OPENAERO_SITE_ROOT",
    "OPENAERO_STORAGE",
    "OPENAERO_SECRET_KEY",
    "OPENAERO_DATA_KEYS",
    "OPENAERO_PAYMENT_PROVIDER",
    "OPENAERO_TEST_MODE",
    "OPENAERO_PAYMENT_WEBHOOK_SECRET",
    "OPENAERO_COMMISSION_BPS",
    "OPENAERO_PAYOUT_HOLD_DAYS",
    // Read by the scripts, not the server; allowed so one environment serves both.
    "OPENAERO_PG_PORT",
    "OPENAERO_PG_DATA",
    "OPENAERO_BIN",
];

/// Development defaults: public in this source, so production refuses them even when
/// an operator copies them into its settings.
const DEV_SECRET_KEY: &str = "openaero-development-secret-key-not-for-production";
const DEV_DATA_KEYS: &str = "dev-1:b3BlbmFlcm8tZGV2ZWxvcG1lbnQtb25seS1rZXktMzI=";
const DEV_WEBHOOK_SECRET: &str = "openaero-development-webhook-secret";
const DEV_MAIL_FROM: &str = "OpenAero <no-reply@openaero.local>";

/// Reads settings one by one and keeps every problem it meets, so the caller can go on
/// reading (with a stand-in value) and report them all at the end.
struct Reader {
    vars: BTreeMap<String, String>,
    production: bool,
    errors: Vec<ConfigError>,
}

impl Reader {
    fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// Every set variable whose name starts with `prefix`, values kept secret.
    fn with_prefix(&self, prefix: &str) -> Vec<(String, SecretString)> {
        let set = self.vars.iter().filter(|(k, v)| k.starts_with(prefix) && !v.trim().is_empty());
        set.map(|(k, v)| (k.clone(), SecretString::from(v.trim().to_owned()))).collect()
    }

    fn invalid(&mut self, name: &'static str, reason: impl Into<String>) {
        self.errors.push(ConfigError::Invalid { name, reason: reason.into() });
    }

    fn missing(&mut self, name: &'static str, hint: &'static str) {
        self.errors.push(ConfigError::Missing { name, hint });
    }

    fn parse<T: std::str::FromStr>(&mut self, name: &'static str, default: T) -> T {
        match self.get(name).map(|raw| (raw.to_owned(), raw.parse())) {
            None => default,
            Some((_, Ok(value))) => value,
            Some((raw, Err(_))) => {
                self.invalid(name, format!("{raw:?}"));
                default
            }
        }
    }

    fn flag(&mut self, name: &'static str, default: bool) -> bool {
        match self.get(name) {
            None => default,
            Some("1" | "true" | "on" | "yes") => true,
            Some("0" | "false" | "off" | "no") => false,
            Some(other) => {
                let reason = format!("{other:?} (use true or false)");
                self.invalid(name, reason);
                default
            }
        }
    }

    /// A secret of at least `min` characters; production requires one of its own, and
    /// development falls back to `dev_default`.
    fn secret(&mut self, name: &'static str, min: usize, hint: &'static str, dev_default: &str) -> String {
        match self.get(name).map(str::to_owned) {
            Some(value) if self.production && value == dev_default => {
                self.invalid(name, "is the public development default; production needs its own");
                value
            }
            Some(value) if value.len() < min => {
                self.invalid(name, format!("must be at least {min} characters{hint}"));
                value
            }
            Some(value) => value,
            None if self.production => {
                self.missing(name, " in production");
                dev_default.to_owned()
            }
            None => dev_default.to_owned(),
        }
    }

    /// The SMS provider: the sandbox in development, none in production unless asked;
    /// the sandbox reaches no phone, so production takes it only in an announced test.
    fn sms(&mut self) -> SmsProvider {
        let default = if self.production { SmsProviderKind::Off } else { SmsProviderKind::Sandbox };
        let choices =
            [("off", SmsProviderKind::Off), ("sandbox", SmsProviderKind::Sandbox), ("rest", SmsProviderKind::Rest)];
        match self.choice("OPENAERO_SMS_PROVIDER", &choices, default) {
            SmsProviderKind::Off => SmsProvider::Off,
            SmsProviderKind::Sandbox => {
                let test = matches!(self.get("OPENAERO_TEST_MODE"), Some("1" | "true" | "on" | "yes"));
                if self.production && !test {
                    self.invalid(
                        "OPENAERO_SMS_PROVIDER",
                        "the sandbox texts nobody, so production refuses it outside OPENAERO_TEST_MODE",
                    );
                }
                SmsProvider::Sandbox
            }
            SmsProviderKind::Rest => {
                let raw = self.get("OPENAERO_SMS_API_URL").unwrap_or("https://api.twilio.com").to_owned();
                let api_url = Url::parse(&raw).unwrap_or_else(|_| {
                    self.invalid("OPENAERO_SMS_API_URL", format!("{raw:?} is no URL"));
                    Url::parse("https://api.twilio.com").expect("a URL")
                });
                let needed = |reader: &mut Reader, name: &'static str| match reader.get(name) {
                    Some(value) => value.to_owned(),
                    None => {
                        reader.missing(name, " with OPENAERO_SMS_PROVIDER=rest");
                        String::new()
                    }
                };
                let account = needed(self, "OPENAERO_SMS_ACCOUNT");
                let token = SecretString::from(needed(self, "OPENAERO_SMS_TOKEN"));
                let from = needed(self, "OPENAERO_SMS_FROM");
                SmsProvider::Rest { api_url, account, token, from }
            }
        }
    }

    /// Web Push: on with a configured VAPID key; in development also without one, with
    /// a key that follows from the secret key (so subscriptions outlive a restart).
    /// Production needs its own: a key nobody rotates with the secret key.
    fn push(&mut self, mail_from: &str) -> Option<PushSettings> {
        let key = match self.get("OPENAERO_VAPID_PRIVATE_KEY").map(str::to_owned) {
            Some(private) => {
                if let Err(e) = domain::notifications::push::Vapid::from_private(&private, "mailto:x") {
                    self.invalid("OPENAERO_VAPID_PRIVATE_KEY", format!("{e} (use `npx web-push generate-vapid-keys`)"));
                }
                VapidKey::Private(SecretString::from(private))
            }
            None if self.production => return None,
            None => VapidKey::FromSecretKey,
        };
        // Who the push services' operators write to when this site misbehaves.
        let address = mail_from.rsplit_once('<').map_or(mail_from, |(_, a)| a.trim_end_matches('>')).trim();
        let subject = self.get("OPENAERO_VAPID_SUBJECT").map_or_else(|| format!("mailto:{address}"), str::to_owned);
        if !subject.starts_with("mailto:") && !subject.starts_with("https://") {
            self.invalid("OPENAERO_VAPID_SUBJECT", "must be a mailto: or https: address");
        }
        let known = domain::notifications::push::KNOWN_SERVICES.iter().map(|s| (*s).to_owned()).collect();
        let services = match self.get("OPENAERO_PUSH_SERVICES") {
            Some(list) => list.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect(),
            None => known,
        };
        Some(PushSettings { key, subject, services })
    }

    /// One of `choices`, or `default` when unset.
    fn choice<T: Copy>(&mut self, name: &'static str, choices: &[(&str, T)], default: T) -> T {
        let Some(raw) = self.get(name) else { return default };
        match choices.iter().find(|(key, _)| *key == raw) {
            Some((_, value)) => *value,
            None => {
                let names: Vec<&str> = choices.iter().map(|(key, _)| *key).collect();
                let reason = format!("{raw:?} (use {})", names.join(" or "));
                self.invalid(name, reason);
                default
            }
        }
    }
}

/// Traces over OTLP/HTTP, read from the standard OpenTelemetry settings.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceExport {
    /// The collector's base address (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans go to
    /// `/v1/traces` under it.
    pub endpoint: Url,
    /// `OTEL_SERVICE_NAME`, `openaero` unless set.
    pub service_name: String,
    /// The share of new traces kept (`OTEL_TRACES_SAMPLER_ARG`, 0 to 1, all unless
    /// set); a request that arrives in a sampled trace is always kept.
    pub sample_ratio: f64,
}

/// Web Push's VAPID key, contact, and the push services subscriptions may point at.
#[derive(Debug, Clone)]
pub struct PushSettings {
    pub key: VapidKey,
    /// `mailto:` or `https:` (`OPENAERO_VAPID_SUBJECT`; the sender's address unless set).
    pub subject: String,
    /// Origins such as `https://fcm.googleapis.com` (`OPENAERO_PUSH_SERVICES`).
    pub services: Vec<String>,
}

/// Where the VAPID key comes from.
#[derive(Debug, Clone)]
pub enum VapidKey {
    /// `OPENAERO_VAPID_PRIVATE_KEY`: 32 bytes, base64url.
    Private(SecretString),
    /// Development: derived from the secret key.
    FromSecretKey,
}

/// Who carries text messages.
#[derive(Debug, Clone)]
pub enum SmsProvider {
    /// Nobody: the SMS channel is not offered.
    Off,
    /// The built-in sandbox: it records each text and reports it delivered.
    Sandbox,
    /// A Twilio-shaped REST API (`OPENAERO_SMS_API_URL`), as `account` with `token`.
    Rest { api_url: Url, account: String, token: SecretString, from: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SmsProviderKind {
    Off,
    Sandbox,
    Rest,
}

/// Who takes the money. Only the built-in sandbox exists so far: it treats any test
/// card as paid, so a production deployment may run it only as an announced test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentProviderKind {
    Sandbox,
}

impl Config {
    /// Opens file storage at `location` (a directory or `s3://bucket/prefix`) with this
    /// configuration's S3 settings.
    pub fn open_storage(&self, location: &str) -> anyhow::Result<domain::files::storage::Storage> {
        use secrecy::ExposeSecret;
        let options = self.storage_options.iter().map(|(k, v)| (k.as_str(), v.expose_secret()));
        domain::files::storage::Storage::open(location, options)
    }

    pub fn from_env() -> Result<Config, ConfigErrors> {
        Config::from_vars(std::env::vars())
    }

    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Result<Config, ConfigErrors> {
        let vars: BTreeMap<String, String> = vars.into_iter().collect();
        let unknown: Vec<ConfigError> = vars
            .keys()
            .filter(|k| k.starts_with("OPENAERO_") && !KNOWN.contains(&k.as_str()))
            .map(|k| ConfigError::Unknown(k.clone()))
            .collect();
        let mut r = Reader { vars, production: false, errors: unknown };

        let environment = r.choice(
            "OPENAERO_ENV",
            &[
                ("development", Environment::Development),
                ("dev", Environment::Development),
                ("production", Environment::Production),
                ("prod", Environment::Production),
            ],
            Environment::Development,
        );
        r.production = environment == Environment::Production;

        let database_url = match r.get("DATABASE_URL").map(str::to_owned) {
            None => {
                r.missing("DATABASE_URL", " (the README's run command starts an embedded PostgreSQL and sets it)");
                String::new()
            }
            Some(url) if !url.starts_with("postgres://") && !url.starts_with("postgresql://") => {
                r.invalid("DATABASE_URL", "must start with postgres://");
                url
            }
            Some(url) => url,
        };
        let listen_name = if r.get("OPENAERO_LISTEN").is_none() && r.get("LEPTOS_SITE_ADDR").is_some() {
            "LEPTOS_SITE_ADDR"
        } else {
            "OPENAERO_LISTEN"
        };
        let listen: SocketAddr = r.parse(listen_name, SocketAddr::from(([127, 0, 0, 1], 3000)));
        let metrics_listen = r
            .get("OPENAERO_METRICS_LISTEN")
            .is_some()
            .then(|| r.parse("OPENAERO_METRICS_LISTEN", SocketAddr::from(([127, 0, 0, 1], 0))));
        if metrics_listen.is_some_and(|m| m == listen && m.port() != 0) {
            r.invalid("OPENAERO_METRICS_LISTEN", "must differ from OPENAERO_LISTEN (metrics are never public)");
        }
        let base_url = match r.get("OPENAERO_BASE_URL").map(str::to_owned) {
            None if r.production => {
                r.missing("OPENAERO_BASE_URL", " in production (the site's https:// address)");
                None
            }
            None => None,
            Some(raw) => {
                let url =
                    Url::parse(&raw).ok().filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
                if url.is_none() {
                    r.invalid("OPENAERO_BASE_URL", "must be an http(s) URL");
                }
                url
            }
        }
        .unwrap_or_else(|| Url::parse(&format!("http://{listen}")).expect("an address makes a URL"));
        if r.production && base_url.scheme() != "https" {
            // Session cookies are marked Secure only over HTTPS.
            r.invalid("OPENAERO_BASE_URL", "must be https:// in production, so cookies are sent only encrypted");
        }

        let smtp_url = r.get("OPENAERO_SMTP_URL").map(|s| SecretString::from(s.to_owned()));
        if r.production && smtp_url.is_none() {
            r.missing("OPENAERO_SMTP_URL", " in production (without it mail is only kept for the dev mailbox)");
        }
        let mail_from = r.get("OPENAERO_MAIL_FROM").unwrap_or(DEV_MAIL_FROM).to_owned();
        if r.production && mail_from == DEV_MAIL_FROM {
            r.missing("OPENAERO_MAIL_FROM", " in production (the default sender's domain does not exist)");
        }
        let mail_reports_secret = match r.get("OPENAERO_MAIL_REPORTS_SECRET").map(str::to_owned) {
            Some(secret) if secret.len() < 24 => {
                r.invalid("OPENAERO_MAIL_REPORTS_SECRET", "must be at least 24 characters");
                None
            }
            secret => secret.map(SecretString::from),
        };
        let sms = r.sms();
        let push = r.push(&mail_from);
        let log_format = r.choice(
            "OPENAERO_LOG_FORMAT",
            &[("json", LogFormat::Json), ("pretty", LogFormat::Pretty)],
            if r.production { LogFormat::Json } else { LogFormat::Pretty },
        );
        let db_max_connections: u32 = r.parse("OPENAERO_DB_MAX_CONNECTIONS", 20);
        if !(1..=500).contains(&db_max_connections) {
            r.invalid("OPENAERO_DB_MAX_CONNECTIONS", "must be 1 to 500");
        }
        let trusted_proxies = match TrustedProxies::parse(r.get("OPENAERO_TRUSTED_PROXIES").unwrap_or_default()) {
            Ok(proxies) => proxies,
            Err(reason) => {
                r.invalid("OPENAERO_TRUSTED_PROXIES", reason);
                TrustedProxies::default()
            }
        };

        let secret_key = r.secret("OPENAERO_SECRET_KEY", 32, " (e.g. `openssl rand -base64 48`)", DEV_SECRET_KEY);
        let data_keys_spec = r.secret("OPENAERO_DATA_KEYS", 1, "", DEV_DATA_KEYS);
        let data_keys = domain::crypto::KeyRing::parse(&data_keys_spec).unwrap_or_else(|reason| {
            r.invalid("OPENAERO_DATA_KEYS", reason);
            domain::crypto::KeyRing::parse(DEV_DATA_KEYS).expect("the development key ring parses")
        });
        let payment_webhook_secret = r.secret("OPENAERO_PAYMENT_WEBHOOK_SECRET", 24, "", DEV_WEBHOOK_SECRET);
        let payment_provider = r.choice(
            "OPENAERO_PAYMENT_PROVIDER",
            &[("sandbox", PaymentProviderKind::Sandbox)],
            PaymentProviderKind::Sandbox,
        );
        let test_mode_asked = r.flag("OPENAERO_TEST_MODE", false);
        if r.production && payment_provider == PaymentProviderKind::Sandbox && !test_mode_asked {
            r.invalid(
                "OPENAERO_PAYMENT_PROVIDER",
                "the sandbox takes any test card as paid, so production refuses it; to run a test \
                 deployment that says so on every page and mail, set OPENAERO_TEST_MODE=true",
            );
        }

        let defaults = domain::CommerceSettings::default();
        let commerce = domain::CommerceSettings {
            commission_bps: r.parse("OPENAERO_COMMISSION_BPS", defaults.commission_bps),
            payout_hold_days: r.parse("OPENAERO_PAYOUT_HOLD_DAYS", defaults.payout_hold_days),
        };
        if !(0..=10_000).contains(&commerce.commission_bps) {
            r.invalid("OPENAERO_COMMISSION_BPS", "must be 0 to 10000 (basis points)");
        }
        if !(0..=365).contains(&commerce.payout_hold_days) {
            r.invalid("OPENAERO_PAYOUT_HOLD_DAYS", "must be 0 to 365");
        }
        let traces = r.get("OTEL_EXPORTER_OTLP_ENDPOINT").map(str::to_owned).map(|raw| {
            let endpoint = match Url::parse(&raw) {
                Ok(url) if matches!(url.scheme(), "http" | "https") => url,
                _ => {
                    r.invalid("OTEL_EXPORTER_OTLP_ENDPOINT", format!("{raw:?} (use an http:// or https:// address)"));
                    Url::parse("http://127.0.0.1:4318").expect("a URL")
                }
            };
            let sample_ratio: f64 = r.parse("OTEL_TRACES_SAMPLER_ARG", 1.0);
            if !(0.0..=1.0).contains(&sample_ratio) {
                r.invalid("OTEL_TRACES_SAMPLER_ARG", "must be 0 to 1 (the share of traces kept)");
            }
            let service_name = r.get("OTEL_SERVICE_NAME").unwrap_or("openaero").to_owned();
            TraceExport { endpoint, service_name, sample_ratio }
        });
        let search_in_memory = r.choice("OPENAERO_SEARCH_ENGINE", &[("memory", true), ("postgres", false)], true);
        let analytics_retention_days: u32 = r.parse("OPENAERO_ANALYTICS_RETENTION_DAYS", 90);
        if !(1..=3660).contains(&analytics_retention_days) {
            r.invalid("OPENAERO_ANALYTICS_RETENTION_DAYS", "must be 1 to 3660 days");
        }
        let config = Config {
            environment,
            database_url: SecretString::from(database_url),
            db_max_connections,
            base_url,
            listen,
            metrics_listen,
            drain: std::time::Duration::from_secs(r.parse("OPENAERO_DRAIN_SECS", 0)),
            smtp_url,
            mail_from,
            mail_reports_secret,
            sms,
            push,
            log_format,
            traces,
            log_filter: r.get("OPENAERO_LOG").unwrap_or("info,sqlx=warn,tower_sessions=warn").to_owned(),
            trusted_proxies,
            edge_limits: r.flag("OPENAERO_EDGE_LIMITS", true),
            run_dispatcher: r.flag("OPENAERO_DISPATCHER", true),
            migrate_on_start: r.flag("OPENAERO_MIGRATE", true),
            search_in_memory,
            analytics: r.flag("OPENAERO_ANALYTICS", true),
            analytics_retention_days,
            site_root: r.get("OPENAERO_SITE_ROOT").or(r.get("LEPTOS_SITE_ROOT")).unwrap_or("target/site").to_owned(),
            output_name: r.get("LEPTOS_OUTPUT_NAME").unwrap_or("openaero").to_owned(),
            storage: r.get("OPENAERO_STORAGE").unwrap_or(".data/files").to_owned(),
            storage_options: r.with_prefix("AWS_"),
            secret_key: SecretString::from(secret_key),
            data_keys,
            payment_provider,
            // The sandbox takes no real money, so whatever runs it is a test.
            test_mode: payment_provider == PaymentProviderKind::Sandbox,
            payment_webhook_secret: SecretString::from(payment_webhook_secret),
            commerce,
        };
        if r.errors.is_empty() { Ok(config) } else { Err(ConfigErrors(r.errors)) }
    }

    /// The base URL as a string without a trailing slash, for building links.
    pub fn base_url_str(&self) -> String {
        self.base_url.as_str().trim_end_matches('/').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const DB: (&str, &str) = ("DATABASE_URL", "postgres://u@127.0.0.1:5/db");

    #[test]
    fn defaults_suit_a_development_machine() {
        let c = Config::from_vars(vars(&[DB])).expect("valid");
        assert_eq!(c.environment, Environment::Development);
        assert_eq!(c.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(c.base_url_str(), "http://127.0.0.1:3000");
        assert_eq!(c.log_format, LogFormat::Pretty);
        assert_eq!(c.database_url.expose_secret(), "postgres://u@127.0.0.1:5/db");
    }

    fn errors(pairs: &[(&str, &str)]) -> Vec<String> {
        Config::from_vars(vars(pairs)).expect_err("refused").0.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn unknown_and_invalid_settings_are_named() {
        assert_eq!(
            errors(&[DB, ("OPENAERO_LSTEN", "x")]),
            ["OPENAERO_LSTEN is not a known setting (see .env.example)"]
        );
        assert!(errors(&[DB, ("OPENAERO_LISTEN", "nowhere")])[0].starts_with("OPENAERO_LISTEN has an invalid value"));
        assert!(errors(&[])[0].starts_with("DATABASE_URL is required"));
        assert!(
            errors(&[DB, ("OPENAERO_SECRET_KEY", "short")])[0].starts_with("OPENAERO_SECRET_KEY has an invalid value")
        );
        assert!(errors(&[DB, ("OPENAERO_DISPATCHER", "maybe")])[0].contains("OPENAERO_DISPATCHER"));
        assert!(
            errors(&[DB, ("OPENAERO_TRUSTED_PROXIES", "10.0.0.0/8,proxy")])[0].contains("OPENAERO_TRUSTED_PROXIES")
        );
        assert!(
            errors(&[DB, ("OPENAERO_COMMISSION_BPS", "12000")])[0]
                .starts_with("OPENAERO_COMMISSION_BPS has an invalid value")
        );
        assert!(
            errors(&[DB, ("OPENAERO_PAYMENT_WEBHOOK_SECRET", "short")])[0]
                .starts_with("OPENAERO_PAYMENT_WEBHOOK_SECRET has an invalid value")
        );
        assert!(errors(&[DB, ("OPENAERO_PAYMENT_PROVIDER", "stripe")])[0].contains("(use sandbox)"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let all = errors(&[("OPENAERO_LISTEN", "nowhere"), ("OPENAERO_LOG_FORMAT", "xml"), ("OPENAERO_TYPO", "1")]);
        assert_eq!(all.len(), 4, "{all:#?}");
        for name in ["OPENAERO_TYPO", "DATABASE_URL", "OPENAERO_LISTEN", "OPENAERO_LOG_FORMAT"] {
            assert!(all.iter().any(|e| e.starts_with(name)), "{name} in {all:#?}");
        }
    }

    const PRODUCTION: &[(&str, &str)] = &[
        DB,
        ("OPENAERO_ENV", "production"),
        ("OPENAERO_BASE_URL", "https://openaero.example"),
        ("OPENAERO_SMTP_URL", "smtps://u:p@smtp.example:465"),
        ("OPENAERO_MAIL_FROM", "OpenAero <no-reply@openaero.example>"),
        ("OPENAERO_SECRET_KEY", "a-production-secret-key-of-enough-length"),
        ("OPENAERO_DATA_KEYS", "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
        ("OPENAERO_PAYMENT_WEBHOOK_SECRET", "a-production-webhook-secret"),
    ];

    fn production(overrides: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut pairs: Vec<_> =
            PRODUCTION.iter().copied().filter(|(k, _)| !overrides.iter().any(|(o, _)| o == k)).collect();
        pairs.extend(overrides.iter().copied().filter(|(_, v)| !v.is_empty()));
        pairs
    }

    #[test]
    fn production_refuses_the_development_defaults_naming_each() {
        let all = errors(&[DB, ("OPENAERO_ENV", "production")]);
        for name in [
            "OPENAERO_BASE_URL",
            "OPENAERO_SMTP_URL",
            "OPENAERO_MAIL_FROM",
            "OPENAERO_SECRET_KEY",
            "OPENAERO_DATA_KEYS",
            "OPENAERO_PAYMENT_WEBHOOK_SECRET",
            "OPENAERO_PAYMENT_PROVIDER",
        ] {
            assert!(all.iter().any(|e| e.starts_with(name)), "{name} in {all:#?}");
        }
        let copied = errors(&production(&[("OPENAERO_SECRET_KEY", DEV_SECRET_KEY), ("OPENAERO_TEST_MODE", "true")]));
        assert_eq!(copied.len(), 1, "{copied:#?}");
        assert!(copied[0].contains("public development default"), "{copied:#?}");
        let plain_http =
            errors(&production(&[("OPENAERO_BASE_URL", "http://openaero.example"), ("OPENAERO_TEST_MODE", "true")]));
        assert!(plain_http[0].starts_with("OPENAERO_BASE_URL") && plain_http[0].contains("https"), "{plain_http:#?}");
    }

    #[test]
    fn production_takes_test_payments_only_when_told_it_is_a_test() {
        let refused = errors(&production(&[]));
        assert_eq!(refused.len(), 1, "{refused:#?}");
        assert!(refused[0].starts_with("OPENAERO_PAYMENT_PROVIDER") && refused[0].contains("OPENAERO_TEST_MODE=true"));
        let test = Config::from_vars(vars(&production(&[("OPENAERO_TEST_MODE", "true")]))).expect("a declared test");
        assert!(test.test_mode);
        let development = Config::from_vars(vars(&[DB])).expect("development");
        assert!(development.test_mode, "the sandbox in development is a test too");
    }

    #[test]
    fn texts_go_by_the_sandbox_in_development_and_by_a_named_provider_in_production() {
        let development = Config::from_vars(vars(&[DB])).expect("development");
        assert!(matches!(development.sms, SmsProvider::Sandbox));
        let test = Config::from_vars(vars(&production(&[("OPENAERO_TEST_MODE", "true")]))).expect("a declared test");
        assert!(matches!(test.sms, SmsProvider::Off), "production texts nobody unless told who carries them");
        let sandbox = production(&[("OPENAERO_TEST_MODE", "true"), ("OPENAERO_SMS_PROVIDER", "sandbox")]);
        assert!(matches!(Config::from_vars(vars(&sandbox)).expect("a test").sms, SmsProvider::Sandbox));
        let mut incomplete = production(&[("OPENAERO_TEST_MODE", "true"), ("OPENAERO_SMS_PROVIDER", "rest")]);
        let refused = errors(&incomplete);
        for name in ["OPENAERO_SMS_ACCOUNT", "OPENAERO_SMS_TOKEN", "OPENAERO_SMS_FROM"] {
            assert!(refused.iter().any(|e| e.starts_with(name)), "{name}: {refused:#?}");
        }
        incomplete.extend([
            ("OPENAERO_SMS_ACCOUNT", "AC0123"),
            ("OPENAERO_SMS_TOKEN", "sms-token-0123456789"),
            ("OPENAERO_SMS_FROM", "+15005550006"),
        ]);
        let rest = Config::from_vars(vars(&incomplete)).expect("complete");
        assert!(
            matches!(&rest.sms, SmsProvider::Rest { api_url, .. } if api_url.as_str() == "https://api.twilio.com/"),
            "{:?}",
            rest.sms
        );
        assert!(!format!("{rest:?}").contains("sms-token"), "the token stays secret");
    }

    #[test]
    fn push_is_offered_in_development_and_in_production_only_with_a_key_of_its_own() {
        let development = Config::from_vars(vars(&[DB])).expect("development");
        let push = development.push.expect("push in development");
        assert!(matches!(push.key, VapidKey::FromSecretKey));
        assert_eq!(push.subject, "mailto:no-reply@openaero.local");
        assert_eq!(push.services.len(), domain::notifications::push::KNOWN_SERVICES.len());
        let test = Config::from_vars(vars(&production(&[("OPENAERO_TEST_MODE", "true")]))).expect("a declared test");
        assert!(test.push.is_none(), "production pushes only with a configured key");
        let keyed = production(&[
            ("OPENAERO_TEST_MODE", "true"),
            ("OPENAERO_VAPID_PRIVATE_KEY", "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"),
            ("OPENAERO_PUSH_SERVICES", "https://push.example.net, https://*.push.example.org"),
        ]);
        let config = Config::from_vars(vars(&keyed)).expect("a key");
        let push = config.push.as_ref().expect("push");
        assert_eq!(push.subject, "mailto:no-reply@openaero.example");
        assert_eq!(push.services, ["https://push.example.net", "https://*.push.example.org"]);
        assert!(!format!("{config:?}").contains("yfWPiYE"), "the key stays secret");
        let bad = errors(&production(&[
            ("OPENAERO_TEST_MODE", "true"),
            ("OPENAERO_VAPID_PRIVATE_KEY", "short"),
            ("OPENAERO_VAPID_SUBJECT", "ops@openaero.example"),
        ]));
        assert_eq!(bad.len(), 2, "{bad:#?}");
        assert!(bad[0].starts_with("OPENAERO_VAPID_PRIVATE_KEY") && bad[1].starts_with("OPENAERO_VAPID_SUBJECT"));
    }

    #[test]
    fn secrets_do_not_appear_in_debug_output() {
        let c = Config::from_vars(vars(&[
            ("DATABASE_URL", "postgres://u:hunter2@127.0.0.1:5/db"),
            ("OPENAERO_SMTP_URL", "smtp://u:smtp-secret@127.0.0.1:25"),
            ("OPENAERO_SECRET_KEY", "link-signing-secret-0123456789abcdef"),
            ("OPENAERO_PAYMENT_WEBHOOK_SECRET", "webhook-signing-secret-0123"),
        ]))
        .expect("valid");
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("hunter2")
                && !shown.contains("smtp-secret")
                && !shown.contains("link-signing")
                && !shown.contains("webhook-signing"),
            "{shown}"
        );
    }

    #[test]
    fn traces_are_made_only_when_a_collector_is_named() {
        assert_eq!(Config::from_vars(vars(&[DB])).expect("valid").traces, None);
        let c =
            Config::from_vars(vars(&[DB, ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")])).expect("valid");
        let traces = c.traces.expect("traces on");
        assert_eq!((traces.endpoint.as_str(), traces.service_name.as_str()), ("http://collector:4318/", "openaero"));
        assert_eq!(traces.sample_ratio, 1.0);
        assert_eq!(
            errors(&[DB, ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"), ("OTEL_TRACES_SAMPLER_ARG", "2")]),
            [
                "OTEL_EXPORTER_OTLP_ENDPOINT has an invalid value: \"collector:4318\" (use an http:// or https:// address)",
                "OTEL_TRACES_SAMPLER_ARG has an invalid value: must be 0 to 1 (the share of traces kept)",
            ]
        );
    }
}

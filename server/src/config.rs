//! Typed settings, read once from the environment at start-up and passed in.
//! An invalid value or an unknown `OPENAERO_*` name stops start-up with a message
//! naming the setting; secrets are wrapped so they never reach a log.

use std::{collections::BTreeMap, net::SocketAddr};

use domain::Environment;
use secrecy::SecretString;
use url::Url;

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
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    pub log_format: LogFormat,
    pub log_filter: String,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_proxy: bool,
    pub run_dispatcher: bool,
    pub migrate_on_start: bool,
    /// Answer searches from an index in this process (`memory`) or from PostgreSQL.
    pub search_in_memory: bool,
    pub site_root: String,
    pub output_name: String,
    /// Where uploaded files live: a directory, or `s3://bucket/prefix`.
    pub storage: String,
    /// Signs shared file links; the same in every instance.
    pub secret_key: SecretString,
    /// Seal sensitive fields at rest; the first is current (`id:base64key,…`).
    pub data_keys: domain::crypto::KeyRing,
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

/// Every setting this server reads, with what it means (also in `.env.example`).
pub const KNOWN: &[&str] = &[
    "OPENAERO_ENV",
    "OPENAERO_BASE_URL",
    "OPENAERO_LISTEN",
    "OPENAERO_DB_MAX_CONNECTIONS",
    "OPENAERO_SMTP_URL",
    "OPENAERO_MAIL_FROM",
    "OPENAERO_LOG_FORMAT",
    "OPENAERO_LOG",
    "OPENAERO_TRUST_PROXY",
    "OPENAERO_DISPATCHER",
    "OPENAERO_MIGRATE",
    "OPENAERO_SEARCH_ENGINE",
    "OPENAERO_SITE_ROOT",
    "OPENAERO_STORAGE",
    "OPENAERO_SECRET_KEY",
    "OPENAERO_DATA_KEYS",
    "OPENAERO_PAYMENT_WEBHOOK_SECRET",
    "OPENAERO_COMMISSION_BPS",
    "OPENAERO_PAYOUT_HOLD_DAYS",
    // Read by the scripts, not the server; allowed so one environment serves both.
    "OPENAERO_PG_PORT",
    "OPENAERO_PG_DATA",
];

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(std::env::vars())
    }

    pub fn from_vars(vars: impl IntoIterator<Item = (String, String)>) -> Result<Config, ConfigError> {
        let vars: BTreeMap<String, String> = vars.into_iter().collect();
        if let Some(unknown) = vars.keys().find(|k| k.starts_with("OPENAERO_") && !KNOWN.contains(&k.as_str())) {
            return Err(ConfigError::Unknown(unknown.clone()));
        }
        let get = |name: &str| vars.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());

        let environment = match get("OPENAERO_ENV").unwrap_or("development") {
            "development" | "dev" => Environment::Development,
            "production" | "prod" => Environment::Production,
            other => {
                return Err(ConfigError::Invalid {
                    name: "OPENAERO_ENV",
                    reason: format!("{other:?} (use development or production)"),
                });
            }
        };
        let database_url = get("DATABASE_URL").ok_or(ConfigError::Missing {
            name: "DATABASE_URL",
            hint: " (the README's run command starts an embedded PostgreSQL and sets it)",
        })?;
        if !database_url.starts_with("postgres://") && !database_url.starts_with("postgresql://") {
            return Err(ConfigError::Invalid { name: "DATABASE_URL", reason: "must start with postgres://".into() });
        }
        let listen: SocketAddr =
            parse(get("OPENAERO_LISTEN").or(get("LEPTOS_SITE_ADDR")), "OPENAERO_LISTEN", "127.0.0.1:3000")?;
        let base_url = get("OPENAERO_BASE_URL").map(str::to_owned).unwrap_or_else(|| format!("http://{listen}"));
        let base_url = Url::parse(&base_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| ConfigError::Invalid {
                name: "OPENAERO_BASE_URL",
                reason: "must be an http(s) URL".into(),
            })?;
        let smtp_url = get("OPENAERO_SMTP_URL").map(|s| SecretString::from(s.to_owned()));
        if environment == Environment::Production && smtp_url.is_none() {
            return Err(ConfigError::Missing { name: "OPENAERO_SMTP_URL", hint: " in production" });
        }
        let log_format = match get("OPENAERO_LOG_FORMAT") {
            None if environment == Environment::Production => LogFormat::Json,
            None => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "OPENAERO_LOG_FORMAT",
                    reason: format!("{other:?} (use json or pretty)"),
                });
            }
        };
        let db_max_connections: u32 = parse(get("OPENAERO_DB_MAX_CONNECTIONS"), "OPENAERO_DB_MAX_CONNECTIONS", "20")?;
        if !(1..=500).contains(&db_max_connections) {
            return Err(ConfigError::Invalid {
                name: "OPENAERO_DB_MAX_CONNECTIONS",
                reason: "must be 1 to 500".into(),
            });
        }
        let secret_key = match get("OPENAERO_SECRET_KEY") {
            Some(key) if key.len() >= 32 => key.to_owned(),
            Some(_) => {
                return Err(ConfigError::Invalid {
                    name: "OPENAERO_SECRET_KEY",
                    reason: "must be at least 32 characters (e.g. `openssl rand -base64 48`)".into(),
                });
            }
            None if environment == Environment::Production => {
                return Err(ConfigError::Missing { name: "OPENAERO_SECRET_KEY", hint: " in production" });
            }
            // Development only: links signed with it are worthless anywhere else.
            None => "openaero-development-secret-key-not-for-production".to_owned(),
        };
        let data_keys = match get("OPENAERO_DATA_KEYS") {
            Some(spec) => domain::crypto::KeyRing::parse(spec)
                .map_err(|reason| ConfigError::Invalid { name: "OPENAERO_DATA_KEYS", reason })?,
            None if environment == Environment::Production => {
                return Err(ConfigError::Missing { name: "OPENAERO_DATA_KEYS", hint: " in production" });
            }
            // Development only: anything sealed with it is readable by anyone with this source.
            None => domain::crypto::KeyRing::parse("dev-1:b3BlbmFlcm8tZGV2ZWxvcG1lbnQtb25seS1rZXktMzI=")
                .map_err(|reason| ConfigError::Invalid { name: "OPENAERO_DATA_KEYS", reason })?,
        };
        let payment_webhook_secret = match get("OPENAERO_PAYMENT_WEBHOOK_SECRET") {
            Some(secret) if secret.len() >= 24 => secret.to_owned(),
            Some(_) => {
                return Err(ConfigError::Invalid {
                    name: "OPENAERO_PAYMENT_WEBHOOK_SECRET",
                    reason: "must be at least 24 characters".into(),
                });
            }
            None if environment == Environment::Production => {
                return Err(ConfigError::Missing { name: "OPENAERO_PAYMENT_WEBHOOK_SECRET", hint: " in production" });
            }
            // Development only, like the other defaults above.
            None => "openaero-development-webhook-secret".to_owned(),
        };
        let defaults = domain::CommerceSettings::default();
        let commerce = domain::CommerceSettings {
            commission_bps: parse(
                get("OPENAERO_COMMISSION_BPS"),
                "OPENAERO_COMMISSION_BPS",
                &defaults.commission_bps.to_string(),
            )?,
            payout_hold_days: parse(
                get("OPENAERO_PAYOUT_HOLD_DAYS"),
                "OPENAERO_PAYOUT_HOLD_DAYS",
                &defaults.payout_hold_days.to_string(),
            )?,
        };
        if !(0..=10_000).contains(&commerce.commission_bps) {
            return Err(ConfigError::Invalid {
                name: "OPENAERO_COMMISSION_BPS",
                reason: "must be 0 to 10000 (basis points)".into(),
            });
        }
        if !(0..=365).contains(&commerce.payout_hold_days) {
            return Err(ConfigError::Invalid { name: "OPENAERO_PAYOUT_HOLD_DAYS", reason: "must be 0 to 365".into() });
        }
        Ok(Config {
            environment,
            database_url: SecretString::from(database_url.to_owned()),
            db_max_connections,
            base_url,
            listen,
            smtp_url,
            mail_from: get("OPENAERO_MAIL_FROM").unwrap_or("OpenAero <no-reply@openaero.local>").to_owned(),
            log_format,
            log_filter: get("OPENAERO_LOG").unwrap_or("info,sqlx=warn,tower_sessions=warn").to_owned(),
            trust_proxy: flag(get("OPENAERO_TRUST_PROXY"), "OPENAERO_TRUST_PROXY", false)?,
            run_dispatcher: flag(get("OPENAERO_DISPATCHER"), "OPENAERO_DISPATCHER", true)?,
            migrate_on_start: flag(get("OPENAERO_MIGRATE"), "OPENAERO_MIGRATE", true)?,
            search_in_memory: match get("OPENAERO_SEARCH_ENGINE") {
                None | Some("memory") => true,
                Some("postgres") => false,
                Some(other) => {
                    return Err(ConfigError::Invalid {
                        name: "OPENAERO_SEARCH_ENGINE",
                        reason: format!("{other:?} (use memory or postgres)"),
                    });
                }
            },
            site_root: get("OPENAERO_SITE_ROOT").or(get("LEPTOS_SITE_ROOT")).unwrap_or("target/site").to_owned(),
            output_name: get("LEPTOS_OUTPUT_NAME").unwrap_or("openaero").to_owned(),
            storage: get("OPENAERO_STORAGE").unwrap_or(".data/files").to_owned(),
            secret_key: SecretString::from(secret_key),
            data_keys,
            payment_webhook_secret: SecretString::from(payment_webhook_secret),
            commerce,
        })
    }

    /// The base URL as a string without a trailing slash, for building links.
    pub fn base_url_str(&self) -> String {
        self.base_url.as_str().trim_end_matches('/').to_owned()
    }
}

fn parse<T: std::str::FromStr>(value: Option<&str>, name: &'static str, default: &str) -> Result<T, ConfigError> {
    let raw = value.unwrap_or(default);
    raw.parse().map_err(|_| ConfigError::Invalid { name, reason: format!("{raw:?}") })
}

fn flag(value: Option<&str>, name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match value {
        None => Ok(default),
        Some("1" | "true" | "on" | "yes") => Ok(true),
        Some("0" | "false" | "off" | "no") => Ok(false),
        Some(other) => Err(ConfigError::Invalid { name, reason: format!("{other:?} (use true or false)") }),
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

    #[test]
    fn unknown_and_invalid_settings_are_named() {
        let e = Config::from_vars(vars(&[DB, ("OPENAERO_LSTEN", "x")])).expect_err("unknown");
        assert_eq!(e.to_string(), "OPENAERO_LSTEN is not a known setting (see .env.example)");
        let e = Config::from_vars(vars(&[DB, ("OPENAERO_LISTEN", "nowhere")])).expect_err("invalid");
        assert!(e.to_string().starts_with("OPENAERO_LISTEN has an invalid value"));
        let e = Config::from_vars(vars(&[])).expect_err("missing");
        assert!(e.to_string().starts_with("DATABASE_URL is required"));
        let e = Config::from_vars(vars(&[DB, ("OPENAERO_ENV", "production")])).expect_err("smtp");
        assert!(e.to_string().starts_with("OPENAERO_SMTP_URL is required"));
        let e = Config::from_vars(vars(&[
            DB,
            ("OPENAERO_ENV", "production"),
            ("OPENAERO_SMTP_URL", "smtp://127.0.0.1:25"),
        ]))
        .expect_err("secret key");
        assert!(e.to_string().starts_with("OPENAERO_SECRET_KEY is required"), "{e}");
        let e = Config::from_vars(vars(&[DB, ("OPENAERO_SECRET_KEY", "short")])).expect_err("short key");
        assert!(e.to_string().starts_with("OPENAERO_SECRET_KEY has an invalid value"), "{e}");
        let e = Config::from_vars(vars(&[DB, ("OPENAERO_TRUST_PROXY", "maybe")])).expect_err("flag");
        assert!(e.to_string().contains("OPENAERO_TRUST_PROXY"));
        let e = Config::from_vars(vars(&[DB, ("OPENAERO_COMMISSION_BPS", "12000")])).expect_err("over 100 %");
        assert!(e.to_string().starts_with("OPENAERO_COMMISSION_BPS has an invalid value"), "{e}");
        let e = Config::from_vars(vars(&[DB, ("OPENAERO_PAYMENT_WEBHOOK_SECRET", "short")])).expect_err("short");
        assert!(e.to_string().starts_with("OPENAERO_PAYMENT_WEBHOOK_SECRET has an invalid value"), "{e}");
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
}

//! Builds the application from its configuration and runs it until told to stop.

use std::{net::SocketAddr, str::FromStr, time::Duration};

use anyhow::Context;
use app::{App, shell, ssr::AppState};
use axum::{Router, http::HeaderName, middleware, routing::get, serve::ListenerExt};
use domain::{
    Environment, Services, Settings,
    commerce::payments::sandbox::Sandbox,
    files::{Files, links::LinkSigner},
    notifications::{
        mail::Mailer,
        push::{PushChannel, Vapid},
        sms::{SmsChannel, rest::RestSms, sandbox::SandboxSms},
    },
    search::index::SearchIndex,
};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use secrecy::ExposeSecret;
use sqlx::{
    PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};
use tokio::{net::TcpListener, sync::watch};
use tower::ServiceBuilder;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{DefaultOnFailure, TraceLayer},
};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};
use tower_sessions_sqlx_store::PostgresStore;

use crate::{
    assets, compression,
    config::{Config, SmsProvider, VapidKey},
    edge_limits::{self, EdgeLimits},
    files, health, http_cache, media,
    middleware::{RequestContextState, refuse_cross_site, resolve_request_context},
    page_views, security_headers, telemetry,
};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub async fn connect(config: &Config) -> anyhow::Result<PgPool> {
    let options = PgConnectOptions::from_str(config.database_url.expose_secret())
        .context("reading DATABASE_URL")?
        // The app's queries are short; compiling their plans costs more than it saves
        // (the analytics dashboards ran 10–30 % faster without it: bench/README.md).
        .options([("jit", "off")]);
    PgPoolOptions::new()
        .max_connections(config.db_max_connections)
        .acquire_timeout(Duration::from_secs(5))
        // Every hand-over becomes an event that metrics::PoolWaits times; only that
        // layer listens at this level.
        .acquire_time_level(log::LevelFilter::Trace)
        .connect_with(options)
        .await
        .context("connecting to the database (DATABASE_URL)")
}

/// The services, with this build's event handlers subscribed (the schema must be
/// migrated first).
pub async fn services(config: &Config, pool: PgPool) -> anyhow::Result<Services> {
    let keep_bodies = config.environment == Environment::Development;
    let mailer = match &config.smtp_url {
        Some(url) => Mailer::smtp(url.expose_secret(), &config.mail_from, keep_bodies)?,
        None => Mailer::store_only(&config.mail_from)?,
    }
    .in_test_mode(config.test_mode);
    let sandbox =
        std::sync::Arc::new(Sandbox::new(pool.clone(), config.payment_webhook_secret.expose_secret().as_bytes()));
    let reports = std::sync::Arc::new(domain::analytics::report::PgReports(pool.clone()));
    let sms = sms_channel(config, &pool)?;
    let services = Services {
        payments: sandbox.clone(),
        sandbox: Some(sandbox),
        pool,
        mailer,
        settings: Settings {
            environment: config.environment,
            base_url: config.base_url_str(),
            commerce: config.commerce,
            test_mode: config.test_mode,
        },
        catalog: Default::default(),
        search: std::sync::Arc::new(SearchIndex::new(config.search_in_memory)),
        search_log: Default::default(),
        analytics: domain::analytics::Collector::new(config.analytics),
        reports,
        files: Files {
            storage: config.open_storage(&config.storage)?,
            links: LinkSigner::new(config.secret_key.expose_secret().as_bytes()),
        },
        data_keys: config.data_keys.clone(),
        review_subjects: domain::registry::review_subjects(),
        event_handlers: domain::registry::event_handlers(),
        rate_limits: Default::default(),
        flags: Default::default(),
        live: Default::default(),
        signer: domain::signing::Signer::new(config.secret_key.expose_secret().as_bytes()),
        sms,
        push: push_channel(config)?,
    };
    services.event_handlers.subscribe(&services.pool).await.context("subscribing the event handlers")?;
    domain::notifications::notice_templates::seed(&services.pool)
        .await
        .context("writing the first version of the notice templates")?;
    Ok(services)
}

/// The configured SMS provider and the key its reports are signed with. The sandbox
/// signs with a key of the server's own (it reports to itself).
fn sms_channel(config: &Config, pool: &PgPool) -> anyhow::Result<Option<SmsChannel>> {
    use std::sync::Arc;
    Ok(match &config.sms {
        SmsProvider::Off => None,
        SmsProvider::Sandbox => Some(SmsChannel {
            gateway: Arc::new(SandboxSms::new(pool.clone())),
            report_key: format!("sms-sandbox:{}", config.secret_key.expose_secret()).into_bytes().into(),
            is_sandbox: true,
        }),
        SmsProvider::Rest { api_url, account, token, from } => Some(SmsChannel {
            gateway: Arc::new(RestSms::new(api_url.as_str(), account, token.clone(), from, &config.base_url_str())?),
            report_key: token.expose_secret().as_bytes().into(),
            is_sandbox: false,
        }),
    })
}

/// Web Push with the configured VAPID key, or in development one that follows from
/// the secret key.
fn push_channel(config: &Config) -> anyhow::Result<Option<PushChannel>> {
    let Some(push) = &config.push else { return Ok(None) };
    let vapid = match &push.key {
        VapidKey::Private(key) => Vapid::from_private(key.expose_secret(), &push.subject)?,
        VapidKey::FromSecretKey => Vapid::derived(config.secret_key.expose_secret().as_bytes(), &push.subject)?,
    };
    Ok(Some(PushChannel::new(vapid, push.services.clone())?))
}

pub struct Application {
    listener: TcpListener,
    /// `/metrics`, when configured: its own address, never the site's.
    metrics: Option<TcpListener>,
    router: Router,
    services: Services,
    run_dispatcher: bool,
    analytics_retention_days: u32,
    draining: health::Draining,
    drain: Duration,
}

impl Application {
    pub async fn build(config: &Config) -> anyhow::Result<Application> {
        let pool = connect(config).await?;
        if config.migrate_on_start {
            domain::MIGRATOR.run(&pool).await.context("applying migrations")?;
        }
        let services = services(config, pool).await?;
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("listening on {} (OPENAERO_LISTEN)", config.listen))?;
        let metrics = match config.metrics_listen {
            Some(address) => Some(
                TcpListener::bind(address)
                    .await
                    .with_context(|| format!("listening on {address} (OPENAERO_METRICS_LISTEN)"))?,
            ),
            None => None,
        };
        crate::metrics::recorder();
        let draining = health::Draining::default();
        let router = router(config, services.clone(), draining.clone());
        Ok(Application {
            listener,
            metrics,
            router,
            services,
            run_dispatcher: config.run_dispatcher,
            analytics_retention_days: config.analytics_retention_days,
            draining,
            drain: config.drain,
        })
    }

    /// The services this instance serves with (its caches and search index included).
    pub fn services(&self) -> &Services {
        &self.services
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Where `/metrics` is served, if anywhere.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|l| l.local_addr().ok())
    }

    /// Serves until `shutdown` resolves and the drain time has passed with `/ready`
    /// failing, then lets in-flight requests finish and stops the background workers.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let (draining, drain) = (self.draining, self.drain);
        let shutdown = async move {
            shutdown.await;
            draining.start();
            if !drain.is_zero() {
                tracing::info!(seconds = drain.as_secs(), "draining: /ready fails while requests are still served");
                tokio::time::sleep(drain).await;
            }
        };
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut workers = Vec::new();
        if self.run_dispatcher {
            workers.push(tokio::spawn(domain::events::dispatcher::run(self.services.clone(), stop_rx.clone())));
        }
        workers.push(tokio::spawn(domain::catalog::cache::follow_changes(
            self.services.pool.clone(),
            self.services.catalog.version.clone(),
            self.services.search.clone(),
            self.services.flags.clone(),
            stop_rx.clone(),
        )));
        workers.push(tokio::spawn(domain::notifications::live::follow(
            self.services.pool.clone(),
            self.services.live.clone(),
            stop_rx.clone(),
        )));
        workers.push(tokio::spawn(domain::search::log::write_continuously(
            self.services.pool.clone(),
            self.services.search_log.clone(),
            stop_rx.clone(),
        )));
        workers.push(tokio::spawn(domain::analytics::collector::write_continuously(
            self.services.pool.clone(),
            self.services.analytics.clone(),
            self.analytics_retention_days,
            stop_rx.clone(),
        )));
        workers
            .push(tokio::spawn(domain::analytics::alerts::check_continuously(self.services.clone(), stop_rx.clone())));
        workers.push(tokio::spawn(domain::analytics::summary::send_weekly(self.services.clone(), stop_rx.clone())));
        workers.push(tokio::spawn(domain::commerce::checkout::recovery::run(self.services.clone(), stop_rx.clone())));
        workers.push(tokio::spawn(domain::webhooks::delivery::run(self.services.clone(), stop_rx.clone())));
        if let Some(sandbox) = self.services.sandbox.clone() {
            workers.push(tokio::spawn(domain::commerce::checkout::webhooks::run_sandbox(
                self.services.clone(),
                sandbox,
                stop_rx.clone(),
            )));
        }
        if let Some(listener) = self.metrics {
            let routes = crate::metrics::routes(self.services.clone());
            let mut stop = stop_rx.clone();
            workers.push(tokio::spawn(async move {
                let stopped = async move {
                    let _ = stop.changed().await;
                };
                if let Err(e) = axum::serve(listener, routes).with_graceful_shutdown(stopped).await {
                    tracing::error!(error = %e, "serving metrics failed");
                }
            }));
        }
        workers.push(tokio::spawn(domain::throttle::instances::run(
            self.services.pool.clone(),
            self.services.rate_limits.clone(),
            stop_rx.clone(),
        )));
        workers.push(tokio::spawn(domain::announcements::run(self.services.clone(), stop_rx.clone())));
        workers.push(tokio::spawn(domain::notifications::sms::sandbox::run(self.services.clone(), stop_rx.clone())));
        workers.push(tokio::spawn(housekeeping(self.services.clone(), stop_rx)));

        // Streaming SSR sends several small chunks: without TCP_NODELAY, Nagle and
        // delayed ACKs add ~40 ms to every page (measured; see shared/TOOLCHAIN.md).
        let listener = crate::metrics::CountedListener(self.listener).tap_io(|tcp| {
            let _ = tcp.get_mut().set_nodelay(true);
        });
        let served = axum::serve(listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .await;
        let _ = stop_tx.send(true);
        for worker in workers {
            let _ = worker.await;
        }
        served.context("serving HTTP")
    }
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    // A release build names its files by content hash and lists the hashes beside the
    // binary; a test binary has no site and uses the plain names.
    let hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|list| list.exists());
    LeptosOptions::builder()
        .hash_files(hash_files)
        .output_name(config.output_name.clone())
        .site_root(config.site_root.clone())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .env(match config.environment {
            Environment::Development => leptos::config::Env::DEV,
            Environment::Production => leptos::config::Env::PROD,
        })
        .build()
}

pub fn router(config: &Config, services: Services, draining: health::Draining) -> Router {
    let leptos_options = leptos_options(config);
    let state = AppState { leptos_options: leptos_options.clone(), services: services.clone() };
    let routes = generate_route_list(App);

    let session_store = PostgresStore::new(services.pool.clone());
    let sessions = SessionManagerLayer::new(session_store)
        .with_name(crate::middleware::SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.base_url.scheme() == "https")
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::days(14)));

    let transport = security_headers::Transport {
        https: config.base_url.scheme() == "https",
        production: config.environment == Environment::Production,
    };
    let context_state =
        RequestContextState { pool: services.pool.clone(), trusted_proxies: config.trusted_proxies.clone() };

    let probes = Router::new()
        .route("/health", get(health::health))
        .route(
            "/ready",
            get(health::ready).with_state(health::Readiness { services: services.clone(), draining: draining.clone() }),
        )
        .route("/media/art/{*path}", get(media::generated_art))
        .route("/media/spec-sheets/{file}", get(media::spec_sheet).with_state(services.clone()))
        .with_state(services.pool.clone())
        .merge(crate::payments::routes(services.clone()))
        .merge(crate::mail_reports::routes(services.clone(), config.mail_reports_secret.clone()))
        .merge(crate::sms_reports::routes(services.clone()))
        .merge(api::router(services.clone(), config.edge_limits))
        .merge(assets::routes(&config.site_root));

    let app = Router::new()
        .leptos_routes(&state, routes, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .route_layer(middleware::from_fn(telemetry::server_fn_span))
        .merge(files::routes())
        .merge(crate::notification_stream::routes(draining))
        .merge(crate::unsubscribe::routes())
        .merge(crate::data_export::routes())
        .merge(crate::analytics_export::routes())
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        .layer(middleware::from_fn(crate::form_flash::keep_submitted_forms))
        .layer(middleware::from_fn_with_state(transport, security_headers::page_nonce))
        .layer(middleware::from_fn_with_state(context_state, resolve_request_context))
        .layer(sessions)
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(middleware::from_fn_with_state(
            http_cache::PageCache::new(services.catalog.version.clone(), services.search_log.clone()),
            http_cache::storefront_validators,
        ))
        .layer(middleware::from_fn_with_state(
            page_views::PageViews {
                collector: services.analytics.clone(),
                trusted_proxies: config.trusted_proxies.clone(),
            },
            page_views::record,
        ));

    let mut routes = probes.merge(app);
    if config.edge_limits {
        let edge =
            EdgeLimits { limiter: services.rate_limits.clone(), trusted_proxies: config.trusted_proxies.clone() };
        routes = routes.layer(middleware::from_fn_with_state(edge, edge_limits::enforce));
    }
    routes.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(telemetry::request_span)
                    .on_request(())
                    .on_response(|response: &axum::http::Response<_>, latency: Duration, span: &tracing::Span| {
                        telemetry::record_response(response.status(), span);
                        tracing::info!(
                            status = response.status().as_u16(),
                            latency_ms = latency.as_secs_f64() * 1000.0,
                            "response"
                        );
                    })
                    .on_failure(DefaultOnFailure::new()),
            )
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(middleware::from_fn_with_state(transport, security_headers::every_response))
            .layer(compression::layer())
            .layer(middleware::from_fn(crate::metrics::track))
            .layer(middleware::from_fn(crate::run_to_end::run_to_end)),
    )
}

/// Periodic work: expired sessions, old throttles, abandoned uploads, files never
/// attached and anonymous carts are swept; delivered sales past their hold become
/// available; reviewers hear of the last hour's new items and makers of certificates
/// about to expire.
async fn housekeeping(services: Services, mut stop: watch::Receiver<bool>) {
    use tower_sessions::ExpiredDeletion;
    let store = PostgresStore::new(services.pool.clone());
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(e) = store.delete_expired().await {
                    tracing::warn!(error = %e, "deleting expired sessions failed");
                }
                if let Err(e) = domain::throttle::prune(&services.pool).await {
                    tracing::warn!(error = ?e, "pruning throttles failed");
                }
                if let Err(e) = domain::idempotency::prune(&services.pool).await {
                    tracing::warn!(error = ?e, "forgetting old idempotent answers failed");
                }
                if let Err(e) = domain::files::chunked::sweep_expired(&services).await {
                    tracing::warn!(error = ?e, "sweeping abandoned uploads failed");
                }
                if let Err(e) = domain::files::quota::sweep_unattached(&services).await {
                    tracing::warn!(error = ?e, "removing unattached files failed");
                }
                if let Err(e) = domain::commerce::cart::sweep_abandoned(&services.pool).await {
                    tracing::warn!(error = ?e, "sweeping abandoned carts failed");
                }
                if let Err(e) = domain::commerce::orders::fulfil::release_due(&services).await {
                    tracing::warn!(error = ?e, "releasing delivered sales failed");
                }
                let now = chrono::Utc::now();
                if let Err(e) = domain::review::digest::send_due(&services, now).await {
                    tracing::warn!(error = ?e, "telling reviewers of new items failed");
                }
                if let Err(e) = domain::catalog::expiry_notices::warn_expiring(&services, now).await {
                    tracing::warn!(error = ?e, "warning of expiring certificates failed");
                }
                // What `openaero reconcile` checks, watched: an alert fires when it fails.
                match domain::ledger::reconcile::run(&services.pool).await {
                    Ok(report) => {
                        metrics::gauge!("ledger_balanced").set(if report.balanced() { 1.0 } else { 0.0 });
                        metrics::gauge!("ledger_reconciled_timestamp_seconds").set(chrono::Utc::now().timestamp() as f64);
                    }
                    Err(e) => tracing::warn!(error = ?e, "reconciling the ledger failed"),
                }
            }
            _ = stop.changed() => break,
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

//! Test harness: every test gets its own database, cloned from a migrated template,
//! and (when it needs HTTP) its own server on a free port.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use domain::Services;
use reqwest::{Client, Response, StatusCode};
use server::{config::Config, startup};
use sqlx::{Connection, Executor, PgConnection, PgPool};
use uuid::Uuid;

/// The admin connection to the test cluster, from `TEST_DATABASE_URL` (the test
/// command sets it to the PostgreSQL it started).
fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .expect("TEST_DATABASE_URL must point at a PostgreSQL server (run the README's test command)")
}

fn database_url(name: &str) -> String {
    let mut url = url::Url::parse(&admin_url()).expect("TEST_DATABASE_URL is a URL");
    url.set_path(name);
    url.to_string()
}

/// The template's name changes with the migrations, so a stale template is never used.
fn template_name() -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for m in domain::MIGRATOR.iter() {
        for b in m.checksum.iter().chain(m.version.to_le_bytes().iter()) {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("openaero_tpl_{h:016x}")
}

/// Creates a fresh, migrated database and returns a pool on it.
pub async fn fresh_database() -> (PgPool, String) {
    let template = template_name();
    let mut admin = PgConnection::connect(&admin_url()).await.expect("connect to the test cluster");
    // Test processes run in parallel: one builds the template, the others wait.
    admin.execute("select pg_advisory_lock(727274)").await.expect("lock");
    let exists: bool = sqlx::query_scalar("select exists(select 1 from pg_database where datname = $1)")
        .bind(&template)
        .fetch_one(&mut admin)
        .await
        .expect("query");
    if !exists {
        let building = format!("{template}_building");
        admin.execute(format!(r#"drop database if exists "{building}""#).as_str()).await.expect("drop");
        admin.execute(format!(r#"create database "{building}""#).as_str()).await.expect("create");
        // One connection, closed before the rename: a pool's connection could outlive
        // `close()`, and PostgreSQL waits 5 s before refusing each rename while it does.
        let mut conn = PgConnection::connect(&database_url(&building)).await.expect("connect template");
        domain::MIGRATOR.run(&mut conn).await.expect("migrate template");
        conn.close().await.expect("close the template connection");
        retry_while_busy(&mut admin, &format!(r#"alter database "{building}" rename to "{template}""#), &building)
            .await;
    }
    admin.execute("select pg_advisory_unlock(727274)").await.expect("unlock");
    let name = format!("test_{}", Uuid::new_v4().simple());
    // Another process may be copying the template this very moment.
    retry_while_busy(&mut admin, &format!(r#"create database "{name}" template "{template}""#), &template).await;
    let url = database_url(&name);
    let pool = PgPool::connect(&url).await.expect("connect test database");
    (pool, url)
}

/// Creates an empty database (no schema), for restoring a backup into.
pub async fn empty_database() -> String {
    let mut admin = PgConnection::connect(&admin_url()).await.expect("connect to the test cluster");
    let name = format!("test_{}", Uuid::new_v4().simple());
    admin.execute(format!(r#"create database "{name}""#).as_str()).await.expect("create");
    database_url(&name)
}

/// Runs `sql`, which needs `database` to itself, retrying while it is in use. Each
/// refusal takes PostgreSQL 5 s (it waits for the others to leave), so after the first
/// whoever is still connected is named and disconnected: only test code ever connects
/// to these databases.
async fn retry_while_busy(admin: &mut PgConnection, sql: &str, database: &str) {
    for attempt in 0.. {
        match admin.execute(sql).await {
            Ok(_) => return,
            Err(e) if attempt >= 5 => panic!("{sql} failed: {e}"),
            Err(_) => {
                let lingering: Option<String> = sqlx::query_scalar(
                    "select string_agg(format('%s %s %s %s', pid, application_name, backend_type, state), '; ')
                     from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
                )
                .bind(database)
                .fetch_one(&mut *admin)
                .await
                .unwrap_or_default();
                eprintln!("{database} is still in use by {lingering:?}: disconnecting them");
                let _ = sqlx::query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()")
                    .bind(database)
                    .execute(&mut *admin)
                    .await;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub fn test_config(database_url: &str, extra: &[(&str, &str)]) -> Config {
    let mut vars: Vec<(String, String)> = vec![
        ("DATABASE_URL".into(), database_url.into()),
        ("OPENAERO_LISTEN".into(), "127.0.0.1:0".into()),
        ("OPENAERO_BASE_URL".into(), "http://openaero.test".into()),
        ("OPENAERO_DISPATCHER".into(), "false".into()),
        ("OPENAERO_MIGRATE".into(), "false".into()),
        ("OPENAERO_LOG".into(), "warn".into()),
        ("OPENAERO_STORAGE".into(), storage_dir(database_url).display().to_string()),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Config::from_vars(vars).expect("test config")
}

/// The file storage of the instances on one database: they share it, as instances
/// behind a load balancer share object storage.
pub fn storage_dir(database_url: &str) -> std::path::PathBuf {
    let name = database_url.rsplit('/').next().unwrap_or("unknown");
    std::env::temp_dir().join("openaero-test-files").join(name)
}

/// Services over a fresh database, for tests of domain rules without HTTP.
pub async fn services() -> Services {
    let (pool, url) = fresh_database().await;
    startup::services(&test_config(&url, &[]), pool).await.expect("services")
}

/// Waits until the app's in-memory search index has loaded.
pub async fn wait_for_index(app: &TestApp) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !app.services.search.is_ready() {
        assert!(std::time::Instant::now() < deadline, "the search index did not load");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// After a test wrote the catalog behind the app's back (SQL without events): the
/// search index reads it again and cached pages go stale, as the event follower
/// would within a poll or two. Without this a listing read at once may predate it.
pub async fn catalog_written(app: &TestApp) {
    wait_for_index(app).await;
    app.services.search.load(&app.services.pool).await.expect("index reloads");
    app.services.catalog.version.bump();
}

pub struct TestApp {
    pub address: String,
    /// `http://…/metrics` when `OPENAERO_METRICS_LISTEN` was given.
    pub metrics_url: Option<String>,
    pub services: Services,
    pub database_url: String,
    pub client: Client,
    shutdown: Arc<Mutex<Option<tokio::sync::oneshot::Sender<()>>>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.lock().ok().and_then(|mut s| s.take()) {
            let _ = tx.send(());
        }
    }
}

/// A production deployment declared as a test (the sandbox is the only payment
/// provider): every setting production requires, none of the development defaults.
pub const PRODUCTION_TEST: &[(&str, &str)] = &[
    ("OPENAERO_ENV", "production"),
    ("OPENAERO_BASE_URL", "https://openaero.test"),
    ("OPENAERO_SMTP_URL", "smtp://127.0.0.1:9"),
    ("OPENAERO_MAIL_FROM", "OpenAero <no-reply@openaero.test>"),
    ("OPENAERO_SECRET_KEY", "a-production-secret-of-enough-length-0123"),
    ("OPENAERO_DATA_KEYS", "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
    ("OPENAERO_PAYMENT_WEBHOOK_SECRET", "whsec-test-production-secret-0123"),
    ("OPENAERO_TEST_MODE", "true"),
];

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let (_pool, url) = fresh_database().await;
    spawn_app_on(&url, extra).await
}

/// A server on an existing database (two of these make two instances).
pub async fn spawn_app_on(database_url: &str, extra: &[(&str, &str)]) -> TestApp {
    let config = test_config(database_url, extra);
    let app = startup::Application::build(&config).await.expect("build app");
    let address = format!("http://{}", app.local_addr());
    let metrics_url = app.metrics_addr().map(|a| format!("http://{a}/metrics"));
    let services = app.services().clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestApp {
        address,
        metrics_url,
        services,
        database_url: database_url.to_owned(),
        client: new_client(),
        shutdown: Arc::new(Mutex::new(Some(tx))),
        server: Some(server),
    }
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn new_client() -> Client {
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

pub const PASSWORD: &str = "Heron-glide-4417";

impl TestApp {
    /// Signals shutdown, as SIGTERM does, and hands back the running server.
    pub fn stop(&mut self) -> tokio::task::JoinHandle<anyhow::Result<()>> {
        if let Some(tx) = self.shutdown.lock().ok().and_then(|mut s| s.take()) {
            let _ = tx.send(());
        }
        self.server.take().expect("the server is running")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Calls a server function the way the hydrated app does (JSON answers).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Response {
        self.call_as(&self.client, endpoint, form).await
    }

    pub async fn call_as(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Posts a form the way a browser without JavaScript does.
    pub async fn post_form(&self, endpoint: &str, referer: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "text/html,application/xhtml+xml")
            .header("origin", &self.address)
            .header("referer", self.url(referer))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_page(&self, path: &str) -> Response {
        self.client.get(self.url(path)).header("accept", "text/html").send().await.expect("request")
    }

    pub async fn get_html(&self, path: &str) -> String {
        self.get_page(path).await.text().await.expect("body")
    }

    /// Runs the outbox until nothing is due, as the dispatcher would.
    pub async fn dispatch(&self) {
        while domain::events::dispatcher::run_once(&self.services).await.expect("dispatch") > 0 {}
    }

    pub async fn register(&self, name: &str, email: &str) -> Response {
        self.call(
            "account/register",
            &[("name", name), ("email", email), ("password", PASSWORD), ("password_confirm", PASSWORD)],
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.call("account/login", &[("email", email), ("password", password)]).await
    }

    /// The newest mail to `to`, from the outgoing mail table.
    pub async fn last_mail_to(&self, to: &str) -> Option<(String, String)> {
        sqlx::query_as(
            "select subject, body_text from outgoing_mail where to_address = $1 order by created_at desc limit 1",
        )
        .bind(to)
        .fetch_optional(&self.services.pool)
        .await
        .expect("query")
    }

    /// The token of the first link to `path` in the newest mail to `to`.
    pub async fn link_token(&self, to: &str, path: &str) -> String {
        let (_, body) = self.last_mail_to(to).await.expect("a mail was sent");
        token_in(&body, path).expect("the mail has the link")
    }

    /// Registers, verifies and logs in a user; returns their id.
    pub async fn verified_user(&self, name: &str, email: &str) -> types::UserId {
        assert_eq!(self.register(name, email).await.status(), StatusCode::OK);
        self.dispatch().await;
        let token = self.link_token(email, "/verify-email").await;
        assert_eq!(self.call("account/verify-email", &[("token", &token)]).await.status(), StatusCode::OK);
        assert_eq!(self.login(email, PASSWORD).await.status(), StatusCode::OK);
        let mut conn = self.services.pool.acquire().await.expect("conn");
        let email = types::Email::parse(email).expect("email");
        domain::users::find_id_by_email(&mut conn, &email).await.expect("query").expect("user exists")
    }
}

pub fn token_in(body: &str, path: &str) -> Option<String> {
    let marker = format!("{path}?token=");
    let start = body.find(&marker)? + marker.len();
    Some(body[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect())
}

/// The decoded error a server function answered with.
pub async fn app_error(response: Response) -> app::error::AppError {
    response.json().await.expect("an AppError body")
}

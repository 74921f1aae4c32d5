//! The release build run as operators run it: server processes with the settings of a
//! store, the command-line tools, and clients that reach them as browsers do. Tests
//! using these are ignored in a plain run; the test command runs them after the
//! release build (`--run-ignored only`).

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    time::Duration,
};

use reqwest::{Client, StatusCode};
use sqlx::PgPool;

/// The settings of a store on `database_url`, with `more` (storage, drain…).
pub fn store_env(database_url: &str, more: Vec<(&str, String)>) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = vec![
        ("DATABASE_URL".into(), database_url.to_owned()),
        ("LEPTOS_SITE_ROOT".into(), release_dir().join("site").display().to_string()),
        ("LEPTOS_OUTPUT_NAME".into(), "openaero".into()),
        ("OPENAERO_LOG".into(), "warn".into()),
        ("OPENAERO_TRUSTED_PROXIES".into(), "127.0.0.1".into()),
        ("OPENAERO_BIN".into(), release_dir().join("release/openaero").display().to_string()),
    ];
    env.extend(more.into_iter().map(|(k, v)| (k.to_owned(), v)));
    env
}

/// Runs `openaero` (or a script, when `args[0]` is a path) with `env`: its output,
/// after checking that it succeeded.
pub fn run_cli(env: &[(String, String)], args: &[&str]) -> Output {
    let output = run_unchecked(env, args);
    assert!(
        output.status.success(),
        "{args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

pub fn run_unchecked(env: &[(String, String)], args: &[&str]) -> Output {
    let (program, rest) = match args {
        [script, rest @ ..] if script.starts_with("scripts/") => {
            (Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(script), rest)
        }
        _ => (release_dir().join("release/openaero"), args),
    };
    Command::new(program).args(rest).envs(env.iter().cloned()).output().expect("run")
}

pub fn release_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target")
}

/// One `openaero serve` process on a port of its own.
pub struct Instance {
    pub child: Child,
    pub port: u16,
    env: Vec<(String, String)>,
}

impl Instance {
    pub fn start(port: u16, env: &[(String, String)]) -> Instance {
        let log = std::fs::File::create(std::env::temp_dir().join(format!("openaero-instance-{port}.log")))
            .expect("instance log");
        let child = Command::new(release_dir().join("release/openaero"))
            .arg("serve")
            .envs(env.iter().cloned())
            .env("OPENAERO_LISTEN", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("target/release/openaero (the test command builds it before this test)");
        Instance { child, port, env: env.to_vec() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub async fn wait_ready(&self) {
        let client = Client::new();
        for _ in 0..300 {
            if client.get(self.url("/ready")).send().await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the instance on port {} did not become ready", self.port);
    }

    /// SIGTERM, and wait for the process to end.
    pub async fn terminate(&mut self) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
        for _ in 0..400 {
            if self.child.try_wait().expect("wait").is_some() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the instance on port {} did not stop after SIGTERM", self.port);
    }

    pub fn restart(&mut self) {
        *self = Instance::start(self.port, &self.env);
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client at `address`, as the balancer tells the instances (X-Forwarded-For).
pub fn client(address: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", address.parse().expect("an address"));
    Client::builder()
        .default_headers(headers)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

pub async fn login(client: &Client, base: &str, email: &str) {
    let response = client
        .post(format!("{base}/api/account/login"))
        .header("accept", "application/json")
        .form(&[("email", email), ("password", server::cli::DEMO_PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), StatusCode::OK, "{email} signs in");
}

pub async fn call(
    client: &Client,
    base: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> reqwest::Result<reqwest::Response> {
    client.post(format!("{base}/api/{endpoint}")).header("accept", "application/json").form(form).send().await
}

pub async fn scalar(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

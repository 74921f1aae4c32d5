use std::process::ExitCode;

use anyhow::Context;

use server::{cli, config::Config, startup, telemetry};

/// See server/Cargo.toml for why this allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: openaero [serve | migrate | seed-demo | seed-catalog [--products N] [--seed S]
                | create-admin --email EMAIL --name NAME | rotate-data-keys | reconcile
                | create-api-token --email EMAIL --name NAME --scopes S[,S…] [--days 7|30|90|365|never]
                | copy-files (--to LOCATION | --from LOCATION) | bench-checkout [--orders N]
                | seed-analytics [--events N] [--days D] | bench-reports [--rounds N]]
  serve          run the web server (default)
  migrate        apply database migrations and exit
  seed-demo      create the demo accounts, a 2,000-product catalog and a few reviewed orders (idempotent)
  seed-catalog   generate a catalog of N products (default 2000) from seed S
                 (default 1); does nothing if the catalog has products
  search-rebuild rewrite every product's search document and vocabulary
  search-compare time both search engines on this catalog and compare their
                 first results (--words N vocabulary words, default 100;
                 --most M: at most M searches, spread over the workload)
  create-admin   make EMAIL an admin, creating the account if needed;
                 the password is read from standard input
  create-api-token  make a personal access token for EMAIL's account with the
                 scopes given (docs/API.md) and print its secret
  rotate-data-keys  re-seal every tax id and webhook secret under the current (first) key of
                 OPENAERO_DATA_KEYS; afterwards older keys may be removed
  reconcile      check that the ledger balances and matches the payments;
                 exits non-zero when it does not
  copy-files     copy every stored file from OPENAERO_STORAGE to LOCATION (--to)
                 or from LOCATION into it (--from); a directory or s3://bucket/prefix
                 (scripts/backup.sh and scripts/restore.sh use it)
  bench-checkout time N checkouts (default 2000) per scenario on this
                 database (bench/checkout.sh makes a throw-away one)
  seed-analytics write about N made-up analytics events (default 1,000,000)
                 over the D days before today (default 90) and time the writing
  bench-reports  time every analytics dashboard N times (default 20) over the
                 last 30 and 90 days (bench/analytics.sh)";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(errors) => {
            for e in &errors.0 {
                eprintln!("configuration error: {e}");
            }
            return ExitCode::from(2);
        }
    };
    let telemetry = match telemetry::init(&config) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let code = match run(&config, &args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "exiting");
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    };
    // Blocks until the last spans are sent, so off the async workers.
    let _ = tokio::task::spawn_blocking(move || telemetry.shutdown()).await;
    code
}

async fn run(config: &Config, args: &[String]) -> anyhow::Result<()> {
    match args.first().map(String::as_str) {
        None | Some("serve") => {
            let app = startup::Application::build(config).await?;
            tracing::info!(addr = %app.local_addr(), environment = ?config.environment, "OpenAero listening");
            app.run_until(startup::shutdown_signal()).await
        }
        Some("migrate") => {
            let pool = startup::connect(config).await?;
            domain::MIGRATOR.run(&pool).await?;
            println!("migrations applied");
            Ok(())
        }
        Some("seed-demo") => {
            anyhow::ensure!(
                config.environment != domain::Environment::Production,
                "seed-demo creates accounts whose passwords are public; it does not run with OPENAERO_ENV=production"
            );
            let pool = startup::connect(config).await?;
            domain::MIGRATOR.run(&pool).await?;
            cli::seed_demo(&startup::services(config, pool).await?).await
        }
        Some("seed-catalog") => {
            let number = |name: &str, default: u64| -> anyhow::Result<u64> {
                match flag(args, name) {
                    Some(v) => v.parse().map_err(|_| anyhow::anyhow!("{name} takes a whole number\n{USAGE}")),
                    None => Ok(default),
                }
            };
            let (products, seed) = (number("--products", 2000)?, number("--seed", 1)?);
            let pool = startup::connect(config).await?;
            domain::MIGRATOR.run(&pool).await?;
            cli::seed_catalog(&pool, products as usize, seed).await
        }
        Some("search-rebuild") => {
            let pool = startup::connect(config).await?;
            domain::MIGRATOR.run(&pool).await?;
            let started = std::time::Instant::now();
            let n = domain::search::document::rebuild_all(&pool).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            println!("search documents rebuilt for {n} products in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Some("search-compare") => {
            let words = flag(args, "--words").map_or(Ok(100), |v| v.parse()).context("--words takes a number")?;
            let most = flag(args, "--most").map(|v| v.parse()).transpose().context("--most takes a number")?;
            let pool = startup::connect(config).await?;
            cli::search_compare(&pool, words, most).await
        }
        Some("create-admin") => {
            let (Some(email), Some(name)) = (flag(args, "--email"), flag(args, "--name")) else {
                anyhow::bail!("{USAGE}");
            };
            let pool = startup::connect(config).await?;
            domain::MIGRATOR.run(&pool).await?;
            cli::create_admin(&startup::services(config, pool).await?, &email, &name).await
        }
        Some("create-api-token") => {
            let (Some(email), Some(name), Some(scopes)) =
                (flag(args, "--email"), flag(args, "--name"), flag(args, "--scopes"))
            else {
                anyhow::bail!("{USAGE}");
            };
            let days = flag(args, "--days").unwrap_or_default();
            let pool = startup::connect(config).await?;
            cli::create_api_token(&startup::services(config, pool).await?, &email, &name, &scopes, &days).await
        }
        Some("rotate-data-keys") => {
            let pool = startup::connect(config).await?;
            let services = startup::services(config, pool).await?;
            let n = domain::creators::tax_id::rotate(&services).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let hooks = domain::webhooks::endpoints::rotate(&services).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            println!("{n} tax ids and {hooks} webhook secrets re-sealed under key {}", config.data_keys.current_id());
            Ok(())
        }
        Some("bench-checkout") => {
            let orders = number(args, "--orders", 2000)?;
            let pool = startup::connect(config).await?;
            server::bench::bench_checkout(&startup::services(config, pool).await?, orders).await
        }
        Some("seed-analytics") => {
            let events = number(args, "--events", 1_000_000)?;
            let days = number(args, "--days", 90)?;
            let pool = startup::connect(config).await?;
            server::analytics_bench::seed_analytics(&startup::services(config, pool).await?, events, days as u64).await
        }
        Some("bench-reports") => {
            let rounds = number(args, "--rounds", 20)?;
            let pool = startup::connect(config).await?;
            server::analytics_bench::bench_reports(&startup::services(config, pool).await?, rounds).await
        }
        Some("copy-files") => {
            let (from, to) = match (flag(args, "--from"), flag(args, "--to")) {
                (Some(from), None) => (from, config.storage.clone()),
                (None, Some(to)) => (config.storage.clone(), to),
                _ => anyhow::bail!("copy-files takes --to LOCATION or --from LOCATION\n{USAGE}"),
            };
            cli::copy_files(config, &from, &to).await
        }
        Some("reconcile") => {
            let pool = startup::connect(config).await?;
            cli::reconcile(&pool).await
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => anyhow::bail!("unknown command {other:?}\n{USAGE}"),
    }
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.windows(2).find(|w| w[0] == name).map(|w| w[1].clone())
}

/// A whole-number flag, or `default` when it is not given.
fn number(args: &[String], name: &str, default: usize) -> anyhow::Result<usize> {
    match flag(args, name) {
        Some(v) => v.parse().map_err(|_| anyhow::anyhow!("{name} takes a whole number\n{USAGE}")),
        None => Ok(default),
    }
}

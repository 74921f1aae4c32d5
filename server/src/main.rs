use std::process::ExitCode;

use server::{cli, config::Config, startup, telemetry};

const USAGE: &str = "usage: openaero [serve | migrate | seed-demo | create-admin --email EMAIL --name NAME]
  serve          run the web server (default)
  migrate        apply database migrations and exit
  seed-demo      create the demo accounts (idempotent)
  create-admin   make EMAIL an admin, creating the account if needed;
                 the password is read from standard input";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format, &config.log_filter);
    match run(&config, &args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "exiting");
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
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
            let pool = startup::connect(config).await?;
            domain::MIGRATOR.run(&pool).await?;
            cli::seed_demo(&startup::services(config, pool)?).await
        }
        Some("create-admin") => {
            let flag = |name: &str| args.windows(2).find(|w| w[0] == name).map(|w| w[1].clone());
            let (Some(email), Some(name)) = (flag("--email"), flag("--name")) else {
                anyhow::bail!("{USAGE}");
            };
            let pool = startup::connect(config).await?;
            domain::MIGRATOR.run(&pool).await?;
            cli::create_admin(&startup::services(config, pool)?, &email, &name).await
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => anyhow::bail!("unknown command {other:?}\n{USAGE}"),
    }
}

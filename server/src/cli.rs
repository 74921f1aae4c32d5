//! One-off commands: apply migrations, create the first admin, seed demo data.

use anyhow::Context;
use domain::Services;
use types::Role;
use types::TextEnum;

/// The demo accounts the run command prints. Development data only.
pub const DEMO_PASSWORD: &str = "Kestrel-demo-2026";
pub const DEMO_ACCOUNTS: &[(&str, &str, &[Role])] = &[
    ("customer@openaero.test", "Casey Customer", &[Role::Customer]),
    ("creator@openaero.test", "Chen Creator", &[Role::Customer, Role::Creator]),
    ("reviewer@openaero.test", "Riley Reviewer", &[Role::Customer, Role::Reviewer]),
    ("admin@openaero.test", "Ada Admin", &[Role::Customer, Role::Admin]),
];

pub async fn seed_demo(services: &Services) -> anyhow::Result<()> {
    for (email, name, roles) in DEMO_ACCOUNTS {
        domain::users::register::create_verified(services, name, email, DEMO_PASSWORD, roles)
            .await
            .map_err(|e| anyhow::anyhow!("seeding {email}: {e:?}"))?;
    }
    seed_catalog(&services.pool, 2000, 1).await?;
    let orders = domain::demo::history(services, DEMO_PASSWORD).await?;
    if orders > 0 {
        println!("Demo history: {orders} orders bought, delivered and reviewed");
    }
    domain::analytics::history::seed_demo(services).await?;
    println!("Demo accounts (password {DEMO_PASSWORD}):");
    for (email, _, roles) in DEMO_ACCOUNTS {
        let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        println!("  {email:<26} {}", roles.join(", "));
    }
    Ok(())
}

/// Makes the account with `email` an admin, creating it (verified) if it does not
/// exist; the password is read from standard input.
pub async fn create_admin(services: &Services, email: &str, name: &str) -> anyhow::Result<()> {
    let mut password = String::new();
    if std::io::stdin().read_line(&mut password).context("reading the password from stdin")? == 0 {
        anyhow::bail!("give the password on standard input");
    }
    let password = password.trim_end_matches(['\r', '\n']);
    let (id, created) = domain::users::register::create_verified(services, name, email, password, &[Role::Customer])
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    domain::users::roles::bootstrap_admin(services, id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!("{email} is an admin{}", if created { " (account created)" } else { "" });
    Ok(())
}

/// Makes a personal access token for the account with `email` and prints its secret
/// (for an integration set up from a shell, and the API's schema tests).
pub async fn create_api_token(
    services: &Services,
    email: &str,
    name: &str,
    scopes: &str,
    days: &str,
) -> anyhow::Result<()> {
    let names: Vec<String> = scopes.split(',').map(str::to_owned).collect();
    let (scopes, lifetime) = domain::users::api_tokens::read_choices(&names, days)
        .map_err(|_| anyhow::anyhow!("--scopes takes names from docs/API.md; --days is 7, 30, 90, 365 or never"))?;
    let address = types::Email::parse(email).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut conn = services.pool.acquire().await?;
    let id = domain::users::find_id_by_email(&mut conn, &address)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .ok_or_else(|| anyhow::anyhow!("no account {email}"))?;
    let epoch: i32 =
        sqlx::query_scalar("select auth_epoch from users where id = $1").bind(id.0).fetch_one(&mut *conn).await?;
    let user = domain::users::session_user(&mut conn, id, epoch)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .ok_or_else(|| anyhow::anyhow!("{email} is disabled"))?;
    let made = domain::users::api_tokens::create(&services.pool, &user, name, &scopes, lifetime, &Default::default())
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!("{}", made.secret);
    Ok(())
}

/// Generates a catalog; creator accounts get the demo password, and the demo creator
/// owns the first creator profile when that account exists.
pub async fn seed_catalog(pool: &sqlx::PgPool, products: usize, seed: u64) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let options = domain::catalog::seed::SeedOptions {
        products,
        seed,
        password: DEMO_PASSWORD.to_owned(),
        first_creator_email: Some(DEMO_ACCOUNTS[1].0.to_owned()),
    };
    let report = domain::catalog::seed::seed_catalog(pool, &options).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if report.skipped {
        println!("The catalog already has products; nothing generated.");
    } else {
        println!(
            "Catalog: {} products from {} creators, {} certified, in {:.1} s",
            report.products,
            report.creators,
            report.certifications,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// Loads the search index, then runs the comparison workload through both engines
/// and prints the figures as a Markdown table (bench/README.md keeps them).
pub async fn search_compare(pool: &sqlx::PgPool, words: i64, most: Option<usize>) -> anyhow::Result<()> {
    use domain::search::{compare, index::SearchIndex};
    let index = SearchIndex::new(true);
    let started = std::time::Instant::now();
    index.load(pool).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let resident = crate::metrics::resident_bytes().map_or_else(|| "?".to_owned(), |b| (b >> 10).to_string());
    println!(
        "index loaded in {:.1} s; process resident {resident} KiB, index approx {} MiB",
        started.elapsed().as_secs_f64(),
        index.approx_bytes() / (1 << 20)
    );
    let mut workload = compare::workload(pool, words).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    // Every n-th search keeps the mix of phrases, words and listings.
    if let Some(most) = most.filter(|m| *m > 0 && *m < workload.len()) {
        let step = workload.len().div_ceil(most);
        workload = workload.into_iter().step_by(step).collect();
    }
    let c = compare::compare(pool, &index, &workload).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!(
        "{} searches ({} with words), one at a time, page + facet counts, no result cache\n",
        c.searches, c.text_searches
    );
    println!("| engine | p50 ms | p95 ms | p99 ms | max ms | top-{} results with a query word in the name |", 10);
    println!("|---|---|---|---|---|---|");
    for (name, f) in [("in-memory index", &c.memory), ("PostgreSQL full text", &c.postgres)] {
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} % |",
            f.percentile(50.0),
            f.percentile(95.0),
            f.percentile(99.0),
            f.percentile(100.0),
            f.name_hits * 100.0
        );
    }
    println!(
        "\nsame number of matches in {} of {} text searches; first results shared: {:.0} %",
        c.same_totals,
        c.text_searches,
        c.overlap * 100.0
    );
    Ok(())
}

/// Prints the books' state; an error (non-zero exit) when they do not balance.
pub async fn reconcile(pool: &sqlx::PgPool) -> anyhow::Result<()> {
    let report = domain::ledger::reconcile::run(pool).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    for check in &report.checks {
        println!("{} {:<45} {}", if check.ok { "ok  " } else { "FAIL" }, check.name, check.detail);
    }
    for account in &report.accounts {
        println!("     {:<20} {:>16} {}", account.account, account.balance, account.currency);
    }
    anyhow::ensure!(report.balanced(), "the books do not balance");
    Ok(())
}

/// Copies every stored file from `from` to `to` (locations as `OPENAERO_STORAGE` takes
/// them; S3 ones use the configured `AWS_*` settings).
pub async fn copy_files(config: &crate::config::Config, from: &str, to: &str) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (from_store, to_store) = (config.open_storage(from)?, config.open_storage(to)?);
    let (objects, bytes) = domain::files::storage::copy_all(&from_store, &to_store).await?;
    println!(
        "copied {objects} objects ({bytes} bytes) from {from} to {to} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

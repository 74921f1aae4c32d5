//! One-off commands: apply migrations, create the first admin, seed demo data.

use anyhow::Context;
use domain::Services;
use types::Role;

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

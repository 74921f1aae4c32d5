#!/usr/bin/env bash
# Regenerates .sqlx/ (the committed compile-time query data) after changing a query
# or a migration. Uses the embedded PostgreSQL, like the run command.
source "$(dirname "$0")/lib/common.sh"
source "$ROOT/scripts/lib/pg.sh"
source "$ROOT/scripts/lib/sqlx.sh"

ensure_postgres_installed
port="${OPENAERO_PG_PORT:-54329}"
pg_start "${OPENAERO_PG_DATA:-$(pg_default_data_dir)}" "$port"
psql -h 127.0.0.1 -p "$port" -U openaero -d postgres -qc 'drop database if exists openaero_schema' >/dev/null
pg_ensure_database "$port" openaero_schema
url="postgres://openaero@127.0.0.1:$port/openaero_schema"
pg_apply_migrations_raw "$url"
sqlx_write_query_data "$url" "$ROOT/.sqlx"
log "wrote $(ls "$ROOT/.sqlx" | wc -l) query files to .sqlx/"

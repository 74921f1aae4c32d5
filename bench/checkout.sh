#!/usr/bin/env bash
# Checkout benchmark: N buyers (default 2000) per scenario check out at 16 and 64 at
# once, racing for one popular product (stock for 80 % of them) and spread over 200
# products. Runs the release binary against a throw-away database in the embedded
# PostgreSQL; afterwards checks that nothing was oversold or left reserved and that
# the books balance. Prints a Markdown table.
#
#   bench/checkout.sh            ORDERS=5000 bench/checkout.sh
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$ROOT/scripts/lib/tools.sh"
source "$ROOT/scripts/lib/pg.sh"

ensure_build_tools
ensure_postgres_installed
port="${OPENAERO_PG_PORT:-54329}"
pg_start "${OPENAERO_PG_DATA:-$(pg_default_data_dir)}" "$port"
db="openaero_bench_checkout"
psql "postgres://openaero@127.0.0.1:$port/postgres" -qc "drop database if exists $db" >/dev/null
pg_ensure_database "$port" "$db"
export DATABASE_URL="postgres://openaero@127.0.0.1:$port/$db" OPENAERO_LOG=warn
[ -x "$ROOT/target/release/openaero" ] || build_release
bin="$ROOT/target/release/openaero"
"$bin" migrate >/dev/null
"$bin" seed-catalog --products 2000 --seed 3 >/dev/null
/usr/bin/time -f "peak memory: %M KiB" "$bin" bench-checkout --orders "${ORDERS:-2000}"

# Starting the release server for a benchmark: on DATABASE_URL, or the embedded
# PostgreSQL's `openaero_bench` database, with the demo data. Sourced, not executed.
source "$ROOT/scripts/lib/tools.sh"
source "$ROOT/scripts/lib/pg.sh"

# Serves the release build (or `OPENAERO_BIN`) on a free port until the script exits;
# sets `bench_port`, `bench_pid` and `bench_base`.
start_bench_server() {
  ensure_build_tools
  if [ -z "${DATABASE_URL:-}" ]; then
    ensure_postgres_installed
    local port="${OPENAERO_PG_PORT:-54329}"
    pg_start "${OPENAERO_PG_DATA:-$(pg_default_data_dir)}" "$port"
    pg_ensure_database "$port" openaero_bench
    export DATABASE_URL="postgres://openaero@127.0.0.1:$port/openaero_bench"
  fi
  local bin="${OPENAERO_BIN:-$ROOT/target/release/openaero}"
  [ -x "$bin" ] || build_release
  bench_port=$(free_port)
  export LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_OUTPUT_NAME=openaero
  # One address sends all the load: the edge rate limits would answer most of it.
  export OPENAERO_LISTEN="127.0.0.1:$bench_port" OPENAERO_LOG=warn OPENAERO_ENV=development OPENAERO_EDGE_LIMITS=false
  "$bin" seed-demo >/dev/null
  "$bin" serve &
  bench_pid=$!
  trap 'kill $bench_pid 2>/dev/null; wait $bench_pid 2>/dev/null' EXIT
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$bench_port/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  bench_base="http://127.0.0.1:$bench_port"
}

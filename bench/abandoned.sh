#!/usr/bin/env bash
# Soak: thousands of page requests whose client leaves mid-render, then a load that
# needs both workers. Before server/src/run_to_end.rs, a few thousand of these left a
# tokio worker blocked for good inside reactive_graph's owner cleanup (the server then
# served at half speed; with both workers blocked, not at all). Prints each worker's
# share of the CPU under the load that follows and the stacks of any worker waiting
# on a reactive owner's lock (there should be none).
#
#   PRODUCTS=100000 ABANDON=4000 bench/abandoned.sh   # on bench/catalog.sh's catalog
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$ROOT/scripts/lib/tools.sh"
source "$ROOT/scripts/lib/pg.sh"

products="${PRODUCTS:-100000}"
abandon="${ABANDON:-4000}"
command -v wrk >/dev/null || apt_install wrk
command -v gdb >/dev/null || apt_install gdb
ensure_postgres_installed
port="${OPENAERO_PG_PORT:-54329}"
pg_start "${OPENAERO_PG_DATA:-$(pg_default_data_dir)}" "$port"
pg_ensure_database "$port" "openaero_bench_$products"
export DATABASE_URL="postgres://openaero@127.0.0.1:$port/openaero_bench_$products"
[ -x "$ROOT/target/release/openaero" ] || { ensure_build_tools; build_release; }
bin="$ROOT/target/release/openaero"
"$bin" migrate >/dev/null
"$bin" seed-catalog --products "$products" --seed 7 >/dev/null

bench_port=$(free_port)
export LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_OUTPUT_NAME=openaero
export OPENAERO_LISTEN="127.0.0.1:$bench_port" OPENAERO_LOG=warn OPENAERO_ENV=development \
  OPENAERO_BASE_URL="http://127.0.0.1:$bench_port"
"$bin" serve &
pid=$!
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 3000); do [ "$(curl -fsS "http://127.0.0.1:$bench_port/ready" 2>/dev/null)" = ready ] && break; sleep 0.1; done

psql "$DATABASE_URL" -Atc "select '/p/' || slug from products where status = 'published' order by md5(id::text) limit $abandon" >"$work/urls"
# Eight clients, each giving up after 1-9 ms: most leave while the page renders.
log "abandoning $abandon product pages mid-render"
split -n "l/8" "$work/urls" "$work/part."
for part in "$work"/part.*; do
  while read -r url; do
    curl -s -o /dev/null --max-time "0.00$((RANDOM % 9 + 1))" "http://127.0.0.1:$bench_port$url"
  done <"$part" &
done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null

cpu() { for t in /proc/$pid/task/*; do [ "$(cat "$t/comm")" = tokio-rt-worker ] && awk '{print $14 + $15}' "$t/stat"; done; }
before=$(cpu)
URLS="$work/urls" wrk -t2 -c16 -d5s -s "$ROOT/bench/wrk/report.lua" "http://127.0.0.1:$bench_port/" | grep '^RESULT'
after=$(cpu)
echo "CPU ticks per worker under the load that followed: $(paste <(echo "$before") <(echo "$after") | awk '{printf "%d ", $2 - $1}')"
stuck=$(gdb -p "$pid" -batch -ex "thread apply all bt 12" 2>/dev/null | grep -c "reactive_graph::owner::Cleanup" || true)
echo "stack frames waiting in reactive_graph owner cleanup: $stuck"

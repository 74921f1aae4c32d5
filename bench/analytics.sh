#!/usr/bin/env bash
# Analytics benchmark (issue 20 §6), on a throw-away database of the embedded
# PostgreSQL (`openaero_bench_analytics`, made anew each run):
#   1. collection: EVENTS made-up events (default 10,000,000) over the 90 days before
#      today, written as the collector writes them (batches of 10,000: COPY into the
#      day's partition, the hourly and daily rollups, the visitors' days): events/s;
#   2. dashboards: every report's p50 and p95 over 30 and 90 days on those events;
#   3. a product page's throughput with collection on and off (wrk, 16 connections,
#      a browser's User-Agent, so every request is a counted view).
#
#   EVENTS=1000000 bench/analytics.sh     # a quicker run
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$ROOT/scripts/lib/bench.sh"

command -v wrk >/dev/null || apt_install wrk
ensure_build_tools
ensure_postgres_installed
[ -x "${OPENAERO_BIN:-$ROOT/target/release/openaero}" ] || build_release
bin="${OPENAERO_BIN:-$ROOT/target/release/openaero}"
port="${OPENAERO_PG_PORT:-54329}"
pg_start "${OPENAERO_PG_DATA:-$(pg_default_data_dir)}" "$port"
psql -h 127.0.0.1 -p "$port" -U openaero -d postgres -qc 'drop database if exists openaero_bench_analytics' >/dev/null
pg_ensure_database "$port" openaero_bench_analytics
export DATABASE_URL="postgres://openaero@127.0.0.1:$port/openaero_bench_analytics" OPENAERO_LOG=warn

log "seeding the demo store"
"$bin" seed-demo >/dev/null
log "writing ${EVENTS:-10000000} events"
"$bin" seed-analytics --events "${EVENTS:-10000000}" --days 90
psql -h 127.0.0.1 -p "$port" -U openaero -d openaero_bench_analytics -tAc \
  "select 'on disk: events ' || pg_size_pretty(sum(pg_total_relation_size(c.oid))) from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'analytics_events'::regclass"
psql -h 127.0.0.1 -p "$port" -U openaero -d openaero_bench_analytics -tAc \
  "select 'rollups and visits ' || pg_size_pretty(pg_total_relation_size('analytics_hourly') + pg_total_relation_size('analytics_daily') + pg_total_relation_size('analytics_visits'))"
log "timing the dashboards"
"$bin" bench-reports --rounds "${ROUNDS:-20}"

browser='Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0'
echo
printf '| collection | product page requests/s | p99 | views recorded |\n|---|---|---|---|\n'
for analytics in true false; do
  export OPENAERO_ANALYTICS=$analytics
  start_bench_server
  slug=$(curl -s "$bench_base/search?q=mapping" | grep -o 'href="/p/[^"]*"' | head -n 1 | sed 's|href="/p/||; s|[?"].*||')
  before=$(psql -h 127.0.0.1 -p "$port" -U openaero -d openaero_bench_analytics -tAc \
    "select count(*) from analytics_events where kind = 'product_view' and at > now() - interval '1 hour'")
  out=$(wrk -t2 -c16 -d"${DURATION:-10s}" --latency -H 'Accept: text/html' -H "User-Agent: $browser" \
    -H 'Accept-Encoding: gzip, deflate, br' "$bench_base/p/$slug")
  sleep 1.5
  after=$(psql -h 127.0.0.1 -p "$port" -U openaero -d openaero_bench_analytics -tAc \
    "select count(*) from analytics_events where kind = 'product_view' and at > now() - interval '1 hour'")
  printf '| %s | %s | %s | %s |\n' "$analytics" "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" \
    "$(awk '$1 == "99%" { print $2 }' <<<"$out")" "$((after - before))"
  kill "$bench_pid"; wait "$bench_pid" 2>/dev/null || true
done

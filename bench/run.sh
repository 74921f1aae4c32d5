#!/usr/bin/env bash
# Page-serving benchmark: throughput and latency of the release server for a few
# pages at 1, 16 and 64 connections, with wrk on this machine. Builds the release if
# needed, uses the embedded PostgreSQL (or DATABASE_URL), prints a table.
#
#   bench/run.sh            # all pages, 10 s each, as a browser asks (brotli or gzip)
#   DURATION=30s bench/run.sh
#   ACCEPT_ENCODING= bench/run.sh   # uncompressed answers, as before issue 16
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$ROOT/scripts/lib/tools.sh"
source "$ROOT/scripts/lib/pg.sh"

command -v wrk >/dev/null || apt_install wrk
ensure_build_tools
if [ -z "${DATABASE_URL:-}" ]; then
  ensure_postgres_installed
  port="${OPENAERO_PG_PORT:-54329}"
  pg_start "${OPENAERO_PG_DATA:-$(pg_default_data_dir)}" "$port"
  pg_ensure_database "$port" openaero_bench
  export DATABASE_URL="postgres://openaero@127.0.0.1:$port/openaero_bench"
fi
[ -x "$ROOT/target/release/openaero" ] || build_release

bench_port=$(free_port)
export LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_OUTPUT_NAME=openaero
export OPENAERO_LISTEN="127.0.0.1:$bench_port" OPENAERO_LOG=warn OPENAERO_ENV=development
"$ROOT/target/release/openaero" seed-demo >/dev/null
"$ROOT/target/release/openaero" serve &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$bench_port/ready" >/dev/null 2>&1 && break; sleep 0.2; done

duration="${DURATION:-10s}"
encoding="${ACCEPT_ENCODING-gzip, deflate, br}"
echo "Accept-Encoding: ${encoding:-(none)}"
printf '| path | connections | requests/s | p50 | p99 |\n|---|---|---|---|---|\n'
for path in /health / /login /register; do
  for conns in 1 16 64; do
    threads=$(( conns < 2 ? 1 : 2 ))
    out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency -H 'Accept: text/html' \
      ${encoding:+-H "Accept-Encoding: $encoding"} "http://127.0.0.1:$bench_port$path")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    printf '| %s | %s | %s | %s | %s |\n' "$path" "$conns" "$rps" "$p50" "$p99"
  done
done
rss=$(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status")
echo
echo "server peak resident memory: $rss"
# The build names files by content hash and precompresses them: report what is sent.
for file in "$ROOT"/target/site/pkg/*.wasm "$ROOT"/target/site/pkg/*.js "$ROOT"/target/site/pkg/*.css; do
  [ -f "$file" ] || continue
  echo "$(basename "$file"): $(stat -c %s "$file") bytes raw, $(stat -c %s "$file.br" 2>/dev/null || echo '?') brotli, $(stat -c %s "$file.gz" 2>/dev/null || echo '?') gzip"
done

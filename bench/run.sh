#!/usr/bin/env bash
# Page-serving benchmark: throughput and latency of the release server for a few
# pages at 1, 16 and 64 connections, with wrk on this machine. Builds the release if
# needed, uses the embedded PostgreSQL (or DATABASE_URL), prints a table.
#
#   bench/run.sh            # all pages, 10 s each, as a browser asks (brotli or gzip)
#   DURATION=30s bench/run.sh
#   ACCEPT_ENCODING= bench/run.sh   # uncompressed answers, as before issue 16
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$ROOT/scripts/lib/bench.sh"

command -v wrk >/dev/null || apt_install wrk
start_bench_server
pid=$bench_pid

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

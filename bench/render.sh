#!/usr/bin/env bash
# Rendering throughput: the demo store's pages for a signed-in customer (rendered on
# every request) and for an anonymous visitor (served from the page cache), with wrk
# at 16 connections. Compare two builds by running it once per binary:
#
#   bench/render.sh                                   # target/release/openaero
#   OPENAERO_BIN=/path/to/other/openaero bench/render.sh
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$ROOT/scripts/lib/bench.sh"

command -v wrk >/dev/null || apt_install wrk
start_bench_server
duration="${DURATION:-8s}"
jar=$(mktemp)
curl -s -c "$jar" -b "$jar" -H 'accept: application/json' -H "origin: $bench_base" \
  --data-urlencode email=customer@openaero.test --data-urlencode password=Kestrel-demo-2026 \
  "$bench_base/api/account/login" >/dev/null
cookie=$(awk '$6 == "openaero_session" { print $7 }' "$jar")
[ -n "$cookie" ] || die "could not sign in as the demo customer"
slug=$(curl -s "$bench_base/search?q=mapping" | grep -o 'href="/p/[^"]*"' | head -n 1 | sed 's|href="/p/||; s|[?"].*||')
printf '| page | who | requests/s | p99 |\n|---|---|---|---|\n'
for path in /login "/p/$slug" "/search?q=mapping" /; do
  for who in signed-in anonymous; do
    headers=(-H 'Accept: text/html')
    [ "$who" = signed-in ] && headers+=(-H "Cookie: openaero_session=$cookie")
    out=$(wrk -t2 -c16 -d"$duration" --latency "${headers[@]}" "$bench_base$path")
    printf '| %s | %s | %s | %s |\n' "$path" "$who" \
      "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  done
done
echo
echo "server peak resident memory: $(awk '/VmHWM/ { print $2, $3 }' "/proc/$bench_pid/status")"

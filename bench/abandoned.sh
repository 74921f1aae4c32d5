#!/usr/bin/env bash
# Soak: thousands of page requests whose client leaves mid-render, then a load that
# needs both workers. Before server/src/run_to_end.rs, a few thousand of these left a
# tokio worker blocked for good inside reactive_graph's owner cleanup (the server then
# served at half speed; with both workers blocked, not at all). Prints each worker's
# share of the CPU under the load that follows, the stacks of any worker waiting on a
# reactive owner's lock, and the render tasks that outlived their page (there should
# be none of either; before the fix, 6,000 abandoned demo pages left 7 of the latter).
#
#   bench/abandoned.sh                 # demo data; DATABASE_URL for another store
#   ABANDON=8000 bench/abandoned.sh
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$ROOT/scripts/lib/bench.sh"

abandon="${ABANDON:-4000}"
command -v wrk >/dev/null || apt_install wrk
command -v gdb >/dev/null || apt_install gdb
work=$(mktemp -d)
# The server's complaints are counted at the end (it shares this script's stderr).
exec 2> >(tee "$work/stderr" >&2)
start_bench_server
pid=$bench_pid
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT

psql "$DATABASE_URL" -Atc "select '/p/' || slug from products where status = 'published'" >"$work/slugs"
# As many product pages as asked for, the catalog repeated if it is smaller.
touch "$work/urls"
while [ "$(wc -l <"$work/urls")" -lt "$abandon" ]; do cat "$work/slugs" >>"$work/urls"; done
head -n "$abandon" "$work/urls" >"$work/asked" && mv "$work/asked" "$work/urls"
# Eight clients, each giving up after 1-9 ms: most leave while the page renders.
log "abandoning $abandon product pages mid-render"
split -n "l/8" "$work/urls" "$work/part."
clients=()
for part in "$work"/part.*; do
  while read -r url; do
    curl -s -o /dev/null --max-time "0.00$((RANDOM % 9 + 1))" "$bench_base$url" || true
  done <"$part" &
  clients+=($!)
done
wait "${clients[@]}"

# User + system ticks of each tokio worker thread.
cpu() {
  for t in /proc/"$pid"/task/*; do
    if [ "$(cat "$t/comm")" = tokio-rt-worker ]; then awk '{print $14 + $15}' "$t/stat"; fi
  done
}
before=$(cpu)
URLS="$work/urls" wrk -t2 -c16 -d5s -s "$ROOT/bench/wrk/report.lua" "$bench_base/" | grep '^RESULT'
after=$(cpu)
echo "CPU ticks per worker under the load that followed: $(paste <(echo "$before") <(echo "$after") | awk '{printf "%d ", $2 - $1}')"
stuck=$(gdb -p "$pid" -batch -ex "thread apply all bt 12" 2>/dev/null | grep -c "reactive_graph::owner::Cleanup" || true)
echo "stack frames waiting in reactive_graph owner cleanup: $stuck"
# A render task that outlived its page's owner tree says so (the same race, milder).
echo "render tasks that outlived their page: $(grep -c 'already been disposed' "$work/stderr" || true)"

#!/usr/bin/env bash
# Storefront benchmark on a generated catalog: listing with filters, product page,
# search with facets and autocomplete at 1, 16 and 64 connections, each twice: one
# URL repeated (what the read cache serves) and a rotation of distinct URLs (what
# the search engine itself does). Prints a Markdown table, the server's peak memory
# and the WASM size.
#
#   PRODUCTS=100000 bench/catalog.sh       # seeds openaero_bench_100000 once (seed 7)
#   PRODUCTS=1000000 DURATION=10s bench/catalog.sh
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$ROOT/scripts/lib/tools.sh"
source "$ROOT/scripts/lib/pg.sh"

products="${PRODUCTS:-100000}"
duration="${DURATION:-10s}"
command -v wrk >/dev/null || apt_install wrk
ensure_build_tools
ensure_postgres_installed
port="${OPENAERO_PG_PORT:-54329}"
pg_start "${OPENAERO_PG_DATA:-$(pg_default_data_dir)}" "$port"
pg_ensure_database "$port" "openaero_bench_$products"
export DATABASE_URL="postgres://openaero@127.0.0.1:$port/openaero_bench_$products"
[ -x "$ROOT/target/release/openaero" ] || build_release
bin="$ROOT/target/release/openaero"

"$bin" migrate >/dev/null
log "catalog of $products products (generated once, then reused)"
/usr/bin/time -f "seed: %e s elapsed, %M KiB peak" "$bin" seed-catalog --products "$products" --seed 7
psql "$DATABASE_URL" -qc "vacuum analyze" >/dev/null

bench_port=$(free_port)
export LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_OUTPUT_NAME=openaero
export OPENAERO_LISTEN="127.0.0.1:$bench_port" OPENAERO_LOG=warn OPENAERO_ENV=development OPENAERO_EDGE_LIMITS=false \
  OPENAERO_BASE_URL="http://127.0.0.1:$bench_port"
server_log="$(mktemp)"
"$bin" serve 2> >(tee "$server_log" >&2) &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
# Ready, and the search index loaded (the body says "ready" alone then).
started=$(date +%s%N)
for _ in $(seq 1 3000); do [ "$(curl -fsS "http://127.0.0.1:$bench_port/ready" 2>/dev/null)" = ready ] && break; sleep 0.1; done
echo "engine: ${OPENAERO_SEARCH_ENGINE:-memory}; ready with the index loaded after $(( ($(date +%s%N) - started) / 1000000 )) ms, $(awk '/VmRSS/ {print $2, $3}' "/proc/$pid/status") resident"

# Distinct URLs per scenario, from the catalog itself.
work=$(mktemp -d)
q() { psql "$DATABASE_URL" -Atc "$1"; }
# More products than a run asks for: each page is one never seen before (2,000 let
# the per-instance product cache answer every pass after the first).
q "select '/p/' || slug from products where status = 'published' order by md5(id::text) limit 50000" >"$work/product"
# Enough distinct URLs that a run rarely repeats one: these measure the engine, not
# the per-instance result cache (the "one" rows measure that).
q "select '/c/' || slug || '?in_stock=1&price_max=' || (500 + 7 * g) from categories, generate_series(1, 400) g" \
  >"$work/listing"
q "select '/search?q=' || w || '&in_stock=1&cert=' || l || '&price_max=' || (300 + 11 * g)
   from (select term as w from search_terms where length(term) > 4 order by weight desc limit 150) t,
        unnest(array['basic', 'standard', 'premium']) l, generate_series(1, 30) g order by md5(w || l || g)" \
  >"$work/search"
# Prefixes of product names, 3 to 20 letters: more than a run asks for, so each is
# asked for the first time (what typing costs before the page cache knows it).
q "select '/api/shop/autocomplete?locale=en&q=' || replace(p, ' ', '%20')
   from (select distinct rtrim(left(lower(name_en), 3 + (abs(hashtext(id::text)) % 18))) as p
         from products where status = 'published') t
   where length(p) >= 3 order by md5(p) limit 30000" >"$work/autocomplete"

printf '| scenario | URLs | connections | requests/s | p50 ms | p95 ms | p99 ms | errors |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for scenario in listing product search autocomplete; do
  for mode in one rotating; do
    for conns in 1 16 64; do
      threads=$(( conns < 2 ? 1 : 2 ))
      first=$(head -n1 "$work/$scenario")
      if [ "$mode" = one ]; then
        out=$(wrk -t"$threads" -c"$conns" -d"$duration" -s "$ROOT/bench/wrk/report.lua" "http://127.0.0.1:$bench_port$first")
      else
        out=$(URLS="$work/$scenario" wrk -t"$threads" -c"$conns" -d"$duration" -s "$ROOT/bench/wrk/report.lua" \
          "http://127.0.0.1:$bench_port/")
      fi
      read -r _ rps p50 p95 p99 errors <<<"$(grep '^RESULT' <<<"$out")"
      printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$scenario" "$mode" "$conns" "$rps" "$p50" "$p95" "$p99" "$errors"
    done
  done
done
echo
echo "server peak resident memory: $(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status")"
# No request may ever panic (issue 17): the count goes in the report, and should be 0.
echo "panics logged by the server: $(grep -c 'panicked' "$server_log" || true)"
wasm="$ROOT/target/site/pkg/openaero.wasm"
[ -f "$wasm" ] && echo "WASM bundle: $(stat -c %s "$wasm") bytes raw, $(gzip -9 -c "$wasm" | wc -c) bytes gzip -9"
rm -rf "$work" "$server_log"

#!/usr/bin/env bash
# The public API beside the HTML pages it mirrors, on a generated catalog, 16 clients,
# distinct URLs each request (what the engine and PostgreSQL do, not the caches):
# a product by id (`GET /api/v1/products/{id}` beside `/p/{slug}`) and a filtered
# search (`GET /api/v1/products?category=…&in_stock=true&price_max=P` beside the
# category page with the same filters). Prints a Markdown table.
#
#   PRODUCTS=1000000 DURATION=10s bench/api.sh   # the catalog bench/catalog.sh seeds
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$ROOT/scripts/lib/tools.sh"
source "$ROOT/scripts/lib/pg.sh"

products="${PRODUCTS:-100000}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16}"
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
"$bin" seed-catalog --products "$products" --seed 7
psql "$DATABASE_URL" -qc "vacuum analyze" >/dev/null
maker=$(psql "$DATABASE_URL" -Atc "select u.email from users u join creators c on c.user_id = u.id order by u.email limit 1")
token=$("$bin" create-api-token --email "$maker" --name bench --scopes catalog:read --days 7)

bench_port=$(free_port)
export LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_OUTPUT_NAME=openaero
# OPENAERO_EDGE_LIMITS=false also lifts the per-token limit: one token, thousands a second.
export OPENAERO_LISTEN="127.0.0.1:$bench_port" OPENAERO_LOG=warn OPENAERO_ENV=development OPENAERO_EDGE_LIMITS=false \
  OPENAERO_BASE_URL="http://127.0.0.1:$bench_port"
"$bin" serve &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 1 3000); do [ "$(curl -fsS "http://127.0.0.1:$bench_port/ready" 2>/dev/null)" = ready ] && break; sleep 0.1; done

work=$(mktemp -d)
q() { psql "$DATABASE_URL" -Atc "$1"; }
q "select id, slug from products where status = 'published' order by md5(id::text) limit 50000" >"$work/ids"
cut -d'|' -f2 "$work/ids" | sed 's#^#/p/#' >"$work/product-html"
cut -d'|' -f1 "$work/ids" | sed 's#^#/api/v1/products/#' >"$work/product-api"
q "select slug || '|' || (500 + 7 * g) from categories, generate_series(1, 400) g order by md5(slug || g)" >"$work/filters"
sed 's#^\(.*\)|\(.*\)$#/c/\1?in_stock=1\&price_max=\2#' "$work/filters" >"$work/listing-html"
sed 's#^\(.*\)|\(.*\)$#/api/v1/products?category=\1\&in_stock=true\&price_max=\2#' "$work/filters" >"$work/listing-api"

printf '| scenario | door | connections | requests/s | p50 ms | p95 ms | p99 ms | errors |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for scenario in product listing; do
  for door in html api; do
    out=$(URLS="$work/$scenario-$door" AUTHORIZATION="Bearer $token" \
      wrk -t2 -c"$connections" -d"$duration" -s "$ROOT/bench/wrk/report.lua" "http://127.0.0.1:$bench_port/")
    read -r _ rps p50 p95 p99 errors <<<"$(grep '^RESULT' <<<"$out")"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$scenario" "$door" "$connections" "$rps" "$p50" "$p95" "$p99" "$errors"
  done
done
echo
echo "server peak resident memory: $(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status")"
rm -rf "$work"

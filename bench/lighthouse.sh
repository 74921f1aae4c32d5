#!/usr/bin/env bash
# What a shopper's phone sees: Lighthouse 12 with its mobile defaults (slow 4G, 4x
# slower CPU, simulated) in Debian's Chromium, against the release build, on the home
# page, a product page, a search, the cart and the creator dashboard. Prints a table.
#
#   bench/lighthouse.sh
#   BASE_URL=http://127.0.0.1:3000 bench/lighthouse.sh   # a server already running
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$ROOT/scripts/lib/bench.sh"

command -v chromium >/dev/null || apt_install chromium
lh_dir="$TOOLS_DIR/lighthouse"
if [ ! -x "$lh_dir/node_modules/.bin/lighthouse" ]; then
  log "installing lighthouse 12 into .tools/lighthouse (no browser download)"
  mkdir -p "$lh_dir" && (cd "$lh_dir" && npm install --silent --no-audit --no-fund lighthouse@12 >/dev/null)
fi

base="${BASE_URL:-}"
if [ -z "$base" ]; then
  start_bench_server
  base=$bench_base
fi

product=$(curl -fsS "$base/search?q=mapping" | grep -o 'href="/p/[^"?]*' | head -n 1 | cut -d'"' -f2)
# The dashboard needs a signed-in creator: the session cookie goes in a header.
jar=$(mktemp)
curl -fsS -c "$jar" -o /dev/null -H 'Accept: application/json' \
  --data-urlencode 'email=creator@openaero.test' --data-urlencode 'password=Kestrel-demo-2026' "$base/api/account/login"
cookie=$(awk '$6 == "openaero_session" { print $6 "=" $7 }' "$jar")
rm -f "$jar"

out=$(mktemp -d)
printf '| page | performance | accessibility | interactive | largest contentful paint | total bytes |\n|---|---|---|---|---|---|\n'
for page in / "$product" "/search?q=mapping" /cart /creator; do
  headers='{}'
  [ "$page" = /creator ] && headers="{\"Cookie\": \"$cookie\"}"
  CHROME_PATH="$(command -v chromium)" "$lh_dir/node_modules/.bin/lighthouse" "$base$page" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" --extra-headers="$headers" \
    --only-categories=performance,accessibility --output=json --output-path="$out/report.json" >/dev/null 2>&1 ||
    { echo "| $page | lighthouse failed | | | | |"; continue; }
  node -e '
    const r = require(process.argv[1]);
    const a = r.audits, c = r.categories;
    const s = (ms) => (ms / 1000).toFixed(1) + " s";
    console.log(`| ${process.argv[2]} | ${Math.round(c.performance.score * 100)} | ${Math.round(c.accessibility.score * 100)} | ` +
      `${s(a.interactive.numericValue)} | ${s(a["largest-contentful-paint"].numericValue)} | ` +
      `${Math.round(a["total-byte-weight"].numericValue / 1024)} KiB |`);
  ' "$out/report.json" "$page"
done
rm -rf "$out"

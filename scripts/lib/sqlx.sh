# Compile-time query data (.sqlx/). The domain crate's queries are checked against a
# throwaway database migrated from migrations/; with SQLX_OFFLINE_DIR set, the sqlx
# macros write the data they checked, which is what `cargo sqlx prepare` does too.

# sqlx_write_query_data URL DIR: (re)writes the query data into DIR.
sqlx_write_query_data() {
  local url="$1" dir="$2"
  rm -rf "$dir" && mkdir -p "$dir"
  touch "$ROOT/domain/src/lib.rs"
  (cd "$ROOT" && SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$dir" DATABASE_URL="$url" \
    cargo check -p domain --all-targets --quiet)
}

# sqlx_compare DIR: fails when .sqlx/ differs from the query data written to DIR.
sqlx_compare() {
  local fresh="$1"
  if ! diff -r -q "$ROOT/.sqlx" "$fresh" >/dev/null; then
    diff -r "$ROOT/.sqlx" "$fresh" | head -n 40 >&2 || true
    die ".sqlx/ is stale: run scripts/sqlx-prepare.sh and commit .sqlx/"
  fi
  log ".sqlx/ matches the queries and the schema"
}

# Installs the build tools the project needs, each only when missing or at the wrong
# version. Versions are the ones verified in shared/TOOLCHAIN.md.

CARGO_LEPTOS_VERSION=0.3.8
BINARYEN_VERSION=132

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_cargo_leptos() {
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes on 2 cores, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
}

# The CLI must be exactly the wasm-bindgen version in Cargo.lock.
ensure_wasm_bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
  [ -n "$want" ] || die "cannot find wasm-bindgen in Cargo.lock"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then
    log "installing wasm-bindgen-cli $want (about 3 minutes, once)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# Debian's binaryen is too old (hydration breaks); the npm build is current.
ensure_wasm_opt() {
  if ! "$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    log "installing wasm-opt (binaryen $BINARYEN_VERSION) into .tools/"
    mkdir -p "$TOOLS_DIR"
    (cd "$TOOLS_DIR" && npm install --silent --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null)
  fi
}

ensure_build_tools() {
  command -v cargo >/dev/null || die "cargo is not installed: install Rust with rustup first"
  command -v npm >/dev/null || apt_install nodejs npm
  ensure_wasm_target
  ensure_cargo_leptos
  ensure_wasm_bindgen
  ensure_wasm_opt
}

# What the release build is made from: the tree of every input folder at HEAD, plus
# any uncommitted change to them (not server/tests: the integration tests are not
# part of it). Empty outside a git checkout (then it always builds).
BUILD_INPUTS="app domain frontend server/src server/Cargo.toml types style public migrations .sqlx Cargo.toml Cargo.lock"
build_inputs_hash() {
  (cd "$ROOT" && git rev-parse --is-inside-work-tree >/dev/null 2>&1 || exit 0
   # shellcheck disable=SC2086
   { git rev-parse $(printf 'HEAD:%s ' $BUILD_INPUTS); git diff HEAD -- $BUILD_INPUTS;
     git ls-files --others --exclude-standard -- $BUILD_INPUTS | xargs -r sha256sum; } | sha256sum | cut -d' ' -f1)
}

# The release build: server binary plus the size-tuned WASM bundle, its files named
# by content hash and precompressed (brotli and gzip beside each). `--split` cuts the
# lazy islands (the portal's upload picker) into chunks of their own, loaded by the
# pages that show them. Queries are
# checked against the committed .sqlx data, so no database is needed to build.
# Skipped when the last build was made from the same inputs (the run script's build
# serves the test script, and the other way round).
build_release() {
  local stamp="$ROOT/target/site/.built-from" inputs
  inputs=$(build_inputs_hash)
  if [ -n "$inputs" ] && [ -x "$ROOT/target/release/openaero" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ]; then
    log "the release build is up to date"
    return
  fi
  log "building the release server and WASM bundle"
  (cd "$ROOT" && SQLX_OFFLINE=true LEPTOS_WASM_OPT_VERSION="version_$BINARYEN_VERSION" cargo leptos build --release --precompress --split)
  [ -z "$inputs" ] || echo "$inputs" >"$stamp"
}

# syntax=docker/dockerfile:1
# The release server and its site in a slim image that runs as a non-root user and
# takes its configuration only from the environment (see .env.example).
#
# Dependencies are compiled in layers of their own (cargo-chef): a change to the
# project's source rebuilds only its crates. Tool versions are the ones
# shared/TOOLCHAIN.md verified and scripts/lib/tools.sh installs.

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-bookworm AS chef
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/* \
 && rustup target add wasm32-unknown-unknown \
 && cargo install cargo-chef --version 0.1.73 --locked \
 && cargo install cargo-leptos --version 0.3.8 --locked
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
# wasm-bindgen's command-line tool must be the version in Cargo.lock; Debian's
# binaryen is too old for the hydration code, the npm one is current.
COPY Cargo.lock ./
RUN version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock) \
 && cargo install wasm-bindgen-cli --version "$version" --locked \
 && npm install --prefix /opt/binaryen --no-audit --no-fund binaryen@132
ENV PATH=/opt/binaryen/node_modules/.bin:$PATH \
    LEPTOS_WASM_OPT_VERSION=version_132 \
    SQLX_OFFLINE=true
COPY --from=planner /src/recipe.json recipe.json
RUN cargo chef cook --release --recipe-path recipe.json --package server --no-default-features \
 && cargo chef cook --profile wasm-release --recipe-path recipe.json --package frontend --target wasm32-unknown-unknown --no-default-features
COPY . .
RUN cargo leptos build --release --precompress --split

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin openaero \
 && mkdir -p /data/files \
 && chown openaero /data/files
WORKDIR /app
# hash.txt beside the binary names the content-hashed asset files.
COPY --from=builder /src/target/release/openaero /src/target/release/hash.txt /app/
COPY --from=builder /src/target/site /app/site
ENV LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_OUTPUT_NAME=openaero \
    OPENAERO_LISTEN=0.0.0.0:3000 \
    OPENAERO_LOG_FORMAT=json \
    OPENAERO_STORAGE=/data/files
USER 10001
EXPOSE 3000 9100
# No curl in a slim image: bash's /dev/tcp asks /health.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/3000 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/app/openaero"]
CMD ["serve"]

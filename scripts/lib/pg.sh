# The embedded PostgreSQL: a private cluster made from the machine's PostgreSQL
# binaries, on its own port, that never touches another PostgreSQL.

pg_bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

ensure_postgres_installed() {
  if [ -z "$(pg_bin_dir)" ]; then
    log "PostgreSQL binaries not found: installing Debian's postgresql package"
    apt_install postgresql
  fi
  [ -n "$(pg_bin_dir)" ] || die "PostgreSQL binaries still missing after install"
}

# Runs a PostgreSQL binary as the cluster owner (initdb refuses to run as root).
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Whether the postgres user can reach a directory (root's home is mode 700).
owner_can_reach() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- test -x "$1" 2>/dev/null; else test -x "$1"; fi
}

# Picks the data directory: inside the project when the server user can reach it,
# otherwise a directory of its own under /var/lib/openaero, keyed by project path.
pg_default_data_dir() {
  local wanted="$ROOT/.data/postgres"
  mkdir -p "$ROOT/.data"
  if owner_can_reach "$ROOT/.data"; then
    echo "$wanted"
  else
    local key
    key=$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)
    echo "/var/lib/openaero/$key/postgres"
  fi
}

# pg_start DATA_DIR PORT: creates the cluster on first use, starts it if it is down.
pg_start() {
  local data="$1" port="$2" bin
  bin=$(pg_bin_dir)
  if [ ! -f "$data/PG_VERSION" ]; then
    log "creating a PostgreSQL cluster in $data"
    as_root mkdir -p "$data"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$data"; fi
    chmod 700 "$data"
    pg_as_owner "$bin/initdb" -D "$data" -A trust -U openaero -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! pg_as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$port (data in $data)"
    pg_as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 -c fsync=${PG_FSYNC:-on}" \
      start >/dev/null || { tail -n 20 "$data/server.log" >&2; die "PostgreSQL did not start"; }
  fi
}

pg_stop() {
  local data="$1" bin
  bin=$(pg_bin_dir)
  pg_as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_ensure_database PORT NAME
pg_ensure_database() {
  local port="$1" name="$2"
  if ! psql -h 127.0.0.1 -p "$port" -U openaero -d postgres -tAc "select 1 from pg_database where datname = '$name'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$port" -U openaero -d postgres -qc "create database \"$name\"" >/dev/null
  fi
}

# Applies migrations/*.sql with psql: only for the throwaway database that compile-time
# query checks read. The app itself migrates with sqlx (tracked, checksummed).
pg_apply_migrations_raw() {
  local url="$1" f
  for f in "$ROOT"/migrations/*.sql; do
    psql "$url" -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null
  done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into an empty database (DATABASE_URL)
# and the storage OPENAERO_STORAGE names (with the AWS_* variables for S3), brings the
# schema up to this release, and checks that the books balance.
#   scripts/restore.sh DIR
# The database is restored in one transaction: a failure leaves it empty.
source "$(dirname "$0")/lib/common.sh"

dir=${1:?usage: scripts/restore.sh DIR}
[ -n "${DATABASE_URL:-}" ] || die "set DATABASE_URL to the (empty) database to restore into"
bin=${OPENAERO_BIN:-$ROOT/target/release/openaero}
[ -x "$bin" ] || die "no server binary at $bin (build it, or set OPENAERO_BIN)"
[ -f "$dir/database.dump" ] && [ -f "$dir/SHA256SUMS" ] || die "$dir is not a backup (no database.dump or SHA256SUMS)"

log "checking the backup"
(cd "$dir" && sha256sum --quiet --check SHA256SUMS) || die "the backup's files do not match their checksums"
tables=$(psql --no-psqlrc -tAc "select count(*) from pg_tables where schemaname = 'public'" "$DATABASE_URL")
[ "$tables" = 0 ] || die "the database already has $tables tables: restore into a new, empty one"

log "restoring the database"
pg_restore --no-owner --single-transaction --exit-on-error --dbname "$DATABASE_URL" "$dir/database.dump"
log "restoring the stored files"
"$bin" copy-files --from "$dir/files"
log "applying this release's migrations"
"$bin" migrate
log "checking the books"
"$bin" reconcile
log "restore complete"

#!/usr/bin/env bash
# Backs up a store into DIR (new or empty): its database (pg_dump, custom format), then
# every stored file, then a checksum list. Reads the server's own settings:
# DATABASE_URL, OPENAERO_STORAGE and the AWS_* variables for S3 storage.
#   scripts/backup.sh DIR
# The store may be serving meanwhile. The database goes first, so every file it names
# was stored before the copy begins (files are never changed once stored; only
# unattached or abandoned ones are swept).
source "$(dirname "$0")/lib/common.sh"

dir=${1:?usage: scripts/backup.sh DIR}
[ -n "${DATABASE_URL:-}" ] || die "set DATABASE_URL to the store's database"
bin=${OPENAERO_BIN:-$ROOT/target/release/openaero}
[ -x "$bin" ] || die "no server binary at $bin (build it, or set OPENAERO_BIN)"
mkdir -p "$dir"
[ -z "$(ls -A "$dir")" ] || die "$dir is not empty: back up into a new directory"

log "dumping the database"
pg_dump --format=custom --no-owner --file "$dir/database.dump" "$DATABASE_URL"
log "copying the stored files"
"$bin" copy-files --to "$dir/files"
(cd "$dir" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
log "backup complete: $dir ($(du -sh "$dir" | cut -f1))"

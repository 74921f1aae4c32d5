#!/usr/bin/env bash
# Stops the embedded PostgreSQL the run command started (its data stays).
source "$(dirname "$0")/lib/common.sh"
source "$ROOT/scripts/lib/pg.sh"
pg_stop "${OPENAERO_PG_DATA:-$(pg_default_data_dir)}"
log "embedded PostgreSQL stopped"

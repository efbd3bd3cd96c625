#!/bin/bash
# TAP test (run by scripts/test.sh with prove): health() lists the slowest
# statements when pg_stat_statements is preloaded. That needs a server
# restart with shared_preload_libraries, so it runs on a private cluster
# (15/minibar_pss, port 5498), made and dropped here.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
PORT=${PSS_PGPORT:-5498}
CLUSTER=minibar_pss
# shellcheck source=test/scripts/tap.sh
. test/scripts/tap.sh
cleanup() { pg_dropcluster 15 "$CLUSTER" --stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 -p "$PORT" -d pss "$@"; }

echo "1..4"
[ "$(id -u)" = 0 ] || bail "must run as root"
cleanup
log=$(mktemp)
pg_createcluster 15 "$CLUSTER" -p "$PORT" --start-conf=manual -- --auth-local=trust >"$log" 2>&1 ||
  bail "pg_createcluster failed: $(tail -3 "$log")"
pg_conftool 15 "$CLUSTER" set shared_preload_libraries pg_stat_statements
pg_ctlcluster 15 "$CLUSTER" start || bail "could not start $CLUSTER"
su postgres -c "psql -X -q -p $PORT -c 'CREATE ROLE root SUPERUSER LOGIN'" || bail "no role root"
createdb -p "$PORT" pss || bail "createdb failed"
q -c "CREATE EXTENSION pg_stat_statements" -c "CREATE EXTENSION minibar_migrate" || bail "CREATE EXTENSION failed"
# Only what follows counts: CREATE EXTENSION can be slower than 0.2 s on a busy machine.
q -c "SELECT pg_stat_statements_reset()" >/dev/null
q -c "SELECT pg_sleep(0.2)" -c "SELECT count(*) FROM generate_series(1, 100000)" >/dev/null

rows=$(q -c "SELECT count(*) FROM minibar_migrate.health() WHERE area = 'statements' AND item = 'slowest by mean time'")
if [ "${rows:-0}" -ge 1 ] && [ "${rows:-0}" -le 5 ]; then is ok ok "with pg_stat_statements loaded: $rows slowest statement(s), at most 5"; else
  is "$rows" "1..5" "with pg_stat_statements loaded: 1 to 5 slowest statements"
fi
is "$(q -c "SELECT value ~ '^[0-9.]+ ms$' FROM minibar_migrate.health() WHERE area = 'statements' LIMIT 1")" "t" \
  "each with its mean time in ms"
is "$(q -c "SELECT detail LIKE '%pg_sleep%' FROM minibar_migrate.health() WHERE area = 'statements' LIMIT 1")" "t" \
  "the slowest first (the 0.2 s pg_sleep), with calls, rows and the query"
is "$(q -c "SELECT count(*) FROM minibar_migrate.health() WHERE area = 'statements' AND value = 'n/a'")" "0" \
  "no 'not installed' note"
[ "$tests" = 4 ] && [ "$failures" = 0 ]

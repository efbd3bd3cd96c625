#!/bin/bash
# TAP test (run by scripts/test.sh with prove): pg_dump -Fc of a database
# where every kind of call left state (runs with a rejected row, a
# validation, a sync_table watermark, a binlog sync from a private MariaDB),
# pg_restore into a new database, and then:
#  - every state row is there (test/ops/include/state_rows.sql: each OID
#    written as its object's name, which a restore changes), except a
#    watermark whose target had been dropped (its OID would name nothing,
#    or another table, after a restore);
#  - the restored state works: a new run and a new validation are numbered
#    after the restored ones (the identity sequences were dumped),
#    sync_table goes on from its restored watermark, and sync_start resumes
#    the binlog sync from its restored position.
# Databases minibar_ops_dump / minibar_ops_restored on the shared cluster,
# and a private MariaDB with a ROW binlog (127.0.0.1:3309), made and
# dropped here.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=test/ops/include/lib.sh
. test/ops/include/lib.sh
DIR=/var/lib/minibar_migrate/ops
SRC=minibar_ops_dump
DST=minibar_ops_restored
export MINIBAR_PRIVATE_OWNER=$$ MINIBAR_PRIVATE_BASE=/tmp/minibar_mariadb_ops MINIBAR_PRIVATE_PORT=3309 \
  MINIBAR_PRIVATE_BINLOG=1
my() { mariadb --no-defaults --user=root --socket="$MINIBAR_PRIVATE_BASE/mysqld.sock" "$@"; }
out=$(mktemp -d)
cleanup() {
  for db in "$SRC" "$DST"; do
    qdb "$db" -c "SELECT minibar_migrate.sync_stop(server) FROM minibar_migrate.syncs WHERE wanted = 'running'" >/dev/null 2>&1
    dropdb --if-exists "$db" 2>/dev/null
  done
  test/scripts/mariadb_private.sh stop >/dev/null 2>&1
}
trap cleanup EXIT
# Polls until the query $2 in database $1 returns $3 (30 s at most).
wait_for() {
  local i
  for i in $(seq 1 300); do
    [ "$(qdb "$1" -c "$2" 2>/dev/null)" = "$3" ] && return 0
    sleep 0.1
  done
  return 1
}

echo "1..9"
[ "$(id -u)" = 0 ] || bail "must run as root"
cleanup
test/scripts/mariadb_private.sh start >"$out/mariadb.log" 2>&1 || bail "private MariaDB: $(tail -3 "$out/mariadb.log")"
my -e "DROP DATABASE IF EXISTS minibar_ops_cdc; CREATE DATABASE minibar_ops_cdc;
       CREATE TABLE minibar_ops_cdc.t (id INT PRIMARY KEY, v VARCHAR(20));
       INSERT INTO minibar_ops_cdc.t VALUES (1, 'a'), (2, 'b'), (3, 'c');" || bail "MariaDB fixture failed"
make_source "$DIR/dump.sqlite" || bail "sqlite3 failed"
createdb "$SRC" || bail "createdb $SRC failed"
qdb "$SRC" -c "CREATE EXTENSION minibar_migrate" || bail "CREATE EXTENSION failed"

# State: SQLite runs, rejects, a validation, a watermark ...
if make_state "$SRC" "$DIR/dump.sqlite" >"$out/state.log" 2>&1; then pass "state: 2 runs, rejected rows, a validation, a watermark"; else
  fail "state: 2 runs, rejected rows, a validation, a watermark"
  sed 's/^/#   /' "$out/state.log"
fi
# ... a watermark whose target is dropped before the dump ...
qdb "$SRC" -c "CREATE TABLE ops.gone (LIKE ops.items INCLUDING ALL)" \
  -c "SELECT count(*) FROM minibar_migrate.sync_table('ops_lite', 'items', 'ops.gone', '{\"watermark\": \"updated_at\"}')" \
  -c "DROP TABLE ops.gone" >/dev/null || bail "the dropped target's watermark failed"
# ... and a binlog sync that applied a change, then stopped.
qdb "$SRC" -c "SET client_min_messages = error" \
  -c "CREATE SERVER ops_my FOREIGN DATA WRAPPER minibar_mysql OPTIONS (host '127.0.0.1', port '3309', dbname 'minibar_ops_cdc')" \
  -c "CREATE USER MAPPING FOR CURRENT_USER SERVER ops_my OPTIONS (username 'minibar', password 'minibar')" \
  -c "SELECT count(*) FROM minibar_migrate.migrate_database('ops_my', 'ops_my', '{\"workers\": 0}')" \
  -c "SELECT source_table || ' ' || state FROM minibar_migrate.sync_start('ops_my', 'ops_my')" >"$out/sync.log" 2>&1
my -e "INSERT INTO minibar_ops_cdc.t VALUES (4, 'd')"
if wait_for "$SRC" "SELECT count(*) FROM ops_my.t" 4; then pass "the binlog sync applied a change"; else
  fail "the binlog sync applied a change"
  sed 's/^/#   /' "$out/sync.log"
  qdb "$SRC" -c "SELECT state, last_error FROM minibar_migrate.syncs" | sed 's/^/#   /'
fi
qdb "$SRC" -c "SELECT minibar_migrate.sync_stop('ops_my')" >/dev/null

psql -X -q -d "$SRC" -f test/ops/include/state_rows.sql >"$out/before.txt" 2>&1
gone=$(grep -c '^table_syncs: server=ops_lite|remote_table=items|target=[0-9]*|' "$out/before.txt")
is "$gone" 1 "the dropped target's watermark is in the state (by OID)"
pg_dump -Fc -d "$SRC" -f "$out/ops.dump" 2>"$out/dump.log" || bail "pg_dump failed: $(cat "$out/dump.log")"
createdb "$DST" || bail "createdb $DST failed"
if pg_restore -d "$DST" "$out/ops.dump" >"$out/restore.log" 2>&1; then pass "pg_dump -Fc, pg_restore into a new database: no error"; else
  fail "pg_dump -Fc, pg_restore into a new database: no error"
  head -20 "$out/restore.log" | sed 's/^/#   /'
fi

psql -X -q -d "$DST" -f test/ops/include/state_rows.sql >"$out/after.txt" 2>&1
grep -v '^table_syncs: server=ops_lite|remote_table=items|target=[0-9]*|' "$out/before.txt" >"$out/expected.txt"
tables=$(sed -n 's/^\([a-z_]*\): .*/\1/p' "$out/expected.txt" | sort -u | tr '\n' ' ')
if diff "$out/expected.txt" "$out/after.txt" >"$out/state.diff"; then
  pass "every state row is restored ($(grep -c . "$out/expected.txt") rows and sequences of: $tables)"
else
  fail "every state row is restored"
  head -30 "$out/state.diff" | sed 's/^/#   /'
fi
is "$tables" "rejects run_notes run_objects run_tables run_tasks runs sync_tables syncs table_syncs validation_foreign_keys validation_tables validations " \
  "every state table has rows to restore"

# The restored state works.
is "$(qdb "$DST" -c "SET client_min_messages = error" \
  -c "SELECT DISTINCT run_id FROM minibar_migrate.migrate_database('ops_lite', 'ops_new', '{\"workers\": 0}')" \
  -c "SELECT DISTINCT validation_id FROM minibar_migrate.validate_database('ops_lite', 'ops_new')" 2>&1 | tr '\n' ' ')" \
  "4 2 " "a new run and a new validation are numbered after the restored ones"
sqlite3 "$DIR/dump.sqlite" "INSERT INTO items VALUES (201, 'new', '2024-02-01 00:00:00');"
is "$(qdb "$DST" -c "SELECT rows_upserted || ' ' || watermark_from || ' -> ' || watermark_to FROM minibar_migrate.sync_table('ops_lite', 'items', 'ops.items', '{\"watermark\": \"updated_at\"}')" 2>&1)" \
  "2 2024-01-01 03:20:00 -> 2024-02-01 00:00:00" \
  "sync_table goes on from the restored watermark (the row at it and the new one)"
my -e "INSERT INTO minibar_ops_cdc.t VALUES (5, 'e'); UPDATE minibar_ops_cdc.t SET v = 'A' WHERE id = 1"
qdb "$DST" -c "SET client_min_messages = error" \
  -c "SELECT count(*) FROM minibar_migrate.sync_start('ops_my', 'ops_my')" >"$out/sync2.log" 2>&1
if wait_for "$DST" "SELECT string_agg(id || v, ',' ORDER BY id) FROM ops_my.t" "1A,2b,3c,4d,5e"; then
  pass "sync_start resumes the restored binlog sync from its applied position"
else
  fail "sync_start resumes the restored binlog sync from its applied position"
  sed 's/^/#   /' "$out/sync2.log"
  qdb "$DST" -c "SELECT state, last_error FROM minibar_migrate.syncs" | sed 's/^/#   /'
fi
qdb "$DST" -c "SELECT minibar_migrate.sync_stop('ops_my')" >/dev/null
[ "$failures" = 0 ]

#!/bin/bash
# TAP test (run by scripts/test.sh with prove): change data capture survives
# PostgreSQL restarts. A private cluster (15/minibar_sync_restart, port 5497)
# with minibar_migrate in shared_preload_libraries syncs from a private
# MariaDB with a ROW binlog (port 3310) while a writer inserts, updates and
# deletes; the cluster is restarted cleanly (-m fast) and then crashed
# (-m immediate) mid-stream. Each time the sync worker comes back by itself
# (the launcher) and continues. Then minibar_migrate.sync_databases stops
# naming the database (a reload, no restart): the worker stops and sync_start
# is refused with a hint naming the setting; named again, the launcher starts
# the sync again. At the end the target equals the source (row
# count and md5 over every row on both sides, and validate_checksums). Every
# wait polls for a state, up to a deadline.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
PGPORT_R=${SYNC_RESTART_PGPORT:-5497}
CLUSTER=minibar_sync_restart
MYPORT=3310
export MINIBAR_PRIVATE_BASE=/tmp/minibar_mariadb_syncrestart MINIBAR_PRIVATE_PORT=$MYPORT \
  MINIBAR_PRIVATE_BINLOG=1 MINIBAR_PRIVATE_OWNER=$$
MYDB=minibar_tap_syncrestart
WORK=$(mktemp -d /tmp/minibar_sync_restart.XXXXXX)
chmod 755 "$WORK"

# shellcheck source=test/scripts/tap.sh
. test/scripts/tap.sh

cleanup() {
  pg_dropcluster 15 "$CLUSTER" --stop >/dev/null 2>&1 || true
  test/scripts/mariadb_private.sh stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

rpsql() { psql -X -q -At -v ON_ERROR_STOP=1 -p "$PGPORT_R" -d syncrestart "$@"; }
my() { MYSQL_PWD=minibar mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P $MYPORT -u minibar -N -B -e "$1"; }
myroot() { mariadb --no-defaults --user=root --socket=$MINIBAR_PRIVATE_BASE/mysqld.sock -N -B "$@"; }

# The worker's pid once it streams (and differs from $1), or "none".
wait_streaming() {
  local deadline=$(($(now_ms) + 60000)) p
  while [ "$(now_ms)" -lt "$deadline" ]; do
    p=$(rpsql -c "SELECT s.pid FROM minibar_migrate.syncs s JOIN pg_stat_activity a ON a.pid = s.pid
                  WHERE s.state = 'streaming' AND s.pid IS DISTINCT FROM NULLIF('$1', '')::int" 2>/dev/null)
    if [ -n "$p" ]; then
      echo "$p"
      return 0
    fi
    sleep 0.1
  done
  echo none
  return 1
}

# Until the sync has applied the source's current head.
wait_caught_up() {
  local deadline=$(($(now_ms) + 120000)) ok
  while [ "$(now_ms)" -lt "$deadline" ]; do
    ok=$(rpsql -c "SELECT s.applied_file > h.file OR (s.applied_file = h.file AND s.applied_pos >= h.pos)
                   FROM minibar_migrate.syncs s, minibar_migrate.source_binlog_position('src') h" 2>/dev/null)
    [ "$ok" = t ] && return 0
    sleep 0.1
  done
  return 1
}

# Until the writer's rows are all there.
wait_writer() { # rows
  local deadline=$(($(now_ms) + 120000)) n
  while [ "$(now_ms)" -lt "$deadline" ]; do
    n=$(myroot -e "SELECT COUNT(*) FROM $MYDB.done") || n=0
    [ "$n" -ge "$1" ] && return 0
    sleep 0.1
  done
  return 1
}

SRC_SUM="SELECT CONCAT_WS('|', COUNT(*), MD5(GROUP_CONCAT(CONCAT_WS(':', id, v, note) ORDER BY id SEPARATOR ','))) FROM $MYDB.t"
dst_sum() { rpsql -c "SELECT concat_ws('|', count(*), md5(string_agg(concat_ws(':', id, v, note), ',' ORDER BY id))) FROM s.t"; }

# Until the sync worker has stopped because the database is not served.
wait_unserved() {
  local deadline=$(($(now_ms) + 60000)) ok
  while [ "$(now_ms)" -lt "$deadline" ]; do
    ok=$(rpsql -c "SELECT s.state = 'retrying' AND s.last_error LIKE '%sync_databases%'
                     AND NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'minibar_migrate sync')
                   FROM minibar_migrate.syncs s" 2>/dev/null)
    [ "$ok" = t ] && return 0
    sleep 0.1
  done
  return 1
}

echo "1..12"
[ "$(id -u)" = 0 ] || bail "must run as root"
[ "$(test/scripts/mariadb_private.sh start | tail -n 1 | cut -d' ' -f1)" = running ] || bail "private MariaDB did not start"
myroot --delimiter=// -e "DROP DATABASE IF EXISTS $MYDB// CREATE DATABASE $MYDB// USE $MYDB//
  CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL, note VARCHAR(20))//
  INSERT INTO t (v, note) SELECT seq, CONCAT('n', seq) FROM seq_1_to_20000//
  CREATE TABLE done (run INT PRIMARY KEY)//
  CREATE PROCEDURE writer(n INT, tag INT) BEGIN DECLARE i INT DEFAULT 0;
    WHILE i < n DO
      START TRANSACTION;
      INSERT INTO t (v, note) VALUES (-i, CONCAT('w', tag)), (i, NULL);
      UPDATE t SET v = v + 1, note = CONCAT('u', tag) WHERE id = 1 + (i * 37) % 20000;
      DELETE FROM t WHERE id = 2 + (i * 53) % 20000;
      COMMIT;
      DO SLEEP(0.003); SET i = i + 1;
    END WHILE;
    INSERT INTO done VALUES (tag); END//" || bail "could not create the source"

pg_dropcluster 15 "$CLUSTER" --stop >/dev/null 2>&1 || true
pg_createcluster 15 "$CLUSTER" -p "$PGPORT_R" --start-conf=manual -- --auth-local=trust --auth-host=trust \
  >"$WORK/createcluster.log" 2>&1 || bail "pg_createcluster failed: $(tail -3 "$WORK/createcluster.log")"
pg_conftool 15 "$CLUSTER" set shared_preload_libraries minibar_migrate
pg_conftool 15 "$CLUSTER" set minibar_migrate.sync_databases syncrestart
pg_ctlcluster 15 "$CLUSTER" start || bail "could not start cluster $CLUSTER"
su postgres -c "psql -X -q -p $PGPORT_R -c 'CREATE ROLE root SUPERUSER LOGIN'" || bail "could not create role root"
createdb -p "$PGPORT_R" syncrestart || bail "createdb failed"
rpsql -c "CREATE EXTENSION minibar_migrate;
  CREATE SERVER src FOREIGN DATA WRAPPER minibar_mysql OPTIONS (host '127.0.0.1', port '$MYPORT', dbname '$MYDB', connect_timeout '5');
  CREATE USER MAPPING FOR CURRENT_USER SERVER src OPTIONS (username 'minibar', password 'minibar');
  CREATE SCHEMA s;" || bail "could not set up the cluster"
rpsql -c "SELECT count(*) FROM minibar_migrate.migrate_database('src', 's', '{\"workers\": 0}')" >/dev/null ||
  bail "migrate_database failed"
rpsql -c "SELECT count(*) FROM minibar_migrate.sync_start('src', 's')" >/dev/null || bail "sync_start failed"
pid1=$(wait_streaming "")
[ "$pid1" != none ] && pass "the sync worker streams (pid $pid1)" || fail "the sync worker streams"

# 1. A clean restart while the writer runs.
(myroot -e "CALL $MYDB.writer(1500, 1)" >"$WORK/w1.out" 2>&1 &)
sleep 0.5
pg_ctlcluster 15 "$CLUSTER" restart -m fast || bail "restart failed"
pid2=$(wait_streaming "$pid1")
[ "$pid2" != none ] && pass "after a clean restart (-m fast) the launcher starts it again (pid $pid2)" ||
  fail "after a clean restart the sync worker comes back"

# 2. A crash (-m immediate) while the writer runs.
(myroot -e "CALL $MYDB.writer(1500, 2)" >"$WORK/w2.out" 2>&1 &)
sleep 0.5
pg_ctlcluster 15 "$CLUSTER" stop -m immediate || bail "immediate stop failed"
pg_ctlcluster 15 "$CLUSTER" start || bail "start after the crash failed"
pid3=$(wait_streaming "$pid2")
[ "$pid3" != none ] && pass "after a crash (-m immediate) and start it comes back again (pid $pid3)" ||
  fail "after a crash the sync worker comes back"

# 3. The database is no longer named (reload only), then named again.
pg_conftool 15 "$CLUSTER" set minibar_migrate.sync_databases postgres
rpsql -c "SELECT pg_reload_conf()" >/dev/null
wait_unserved && pass "a reload that no longer names the database stops its sync worker" ||
  fail "the sync worker stops when its database is no longer named"
err=$(rpsql -c "SELECT count(*) FROM minibar_migrate.sync_start('src', 's')" 2>&1)
case "$err" in
  *"does not serve database"*"HINT:"*"minibar_migrate.sync_databases"*) pass "sync_start there is refused, with a hint naming the setting" ;;
  *) fail "sync_start in a database not served is refused with a hint"; diag "$err" ;;
esac
pg_conftool 15 "$CLUSTER" set minibar_migrate.sync_databases 'postgres, syncrestart'
rpsql -c "SELECT pg_reload_conf()" >/dev/null
pid4=$(wait_streaming "$pid3")
[ "$pid4" != none ] && pass "named again (reload only), the launcher starts it again (pid $pid4)" ||
  fail "named again, the sync worker comes back"

wait_writer 2 && pass "the writers finished (3,000 transactions of 4 row changes)" || fail "the writers finished"
wait_caught_up && pass "the sync caught up with the source" || fail "the sync caught up"
src=$(my "SET SESSION group_concat_max_len = 1073741824; $SRC_SUM")
dst=$(dst_sum)
diag "source $src, target $dst"
is "$dst" "$src" "the target equals the source (count and md5 over every row)"
is "$(rpsql -c "SELECT bool_and(ok) FROM minibar_migrate.validate_checksums('src', 't', 's.t')")" t \
  "validate_checksums agrees"
is "$(rpsql -c "SELECT state FROM minibar_migrate.sync_tables WHERE source_table = 't'")" syncing "the table was never paused"
is "$(rpsql -c "SELECT minibar_migrate.sync_stop('src') LIKE 'stopped at %'")" t "sync_stop"
diag "$(rpsql -c "SELECT 'applied ' || transactions_applied || ' transactions, ' || rows_applied || ' rows since the last sync_start' FROM minibar_migrate.syncs")"
[ "$failures" = 0 ]

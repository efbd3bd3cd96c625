#!/bin/bash
# TAP test (run by scripts/test.sh with prove): a background-worker migration
# cut off by a server restart resumes with no duplicate and no missing row.
#
#   1. PostgreSQL restart: a private cluster (15/minibar_restart, port 5499)
#      is restarted with `-m immediate` (a crash: no shutdown checkpoint, WAL
#      recovery on start) while workers copy chunks from the system MariaDB.
#   2. MariaDB restart: the private MariaDB on 3307
#      (test/scripts/mariadb_private.sh) is killed with -9 while workers read
#      from it, then started again.
# Each time: the target holds exactly the committed chunks, a call without
# resume is refused (55000), the call with resume finishes the same run, and
# the target equals the source (row count and an md5 over every row, computed
# on both sides). Every wait polls for a state, up to a deadline.
#
# Must run as root on the machine scripts/provision.sh prepared, with the
# extension installed. Environment: RESTART_PGPORT (5499), ROWS (1000000).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
PGPORT_R=${RESTART_PGPORT:-5499}
CLUSTER=minibar_restart
ROWS=${ROWS:-1000000}
CHUNK=50000
MYDB=minibar_tap_restart
WORK=$(mktemp -d /tmp/minibar_restart.XXXXXX)
chmod 755 "$WORK"
OWNER=$$

# shellcheck source=test/scripts/tap.sh
. test/scripts/tap.sh

cleanup() {
  pg_dropcluster 15 "$CLUSTER" --stop >/dev/null 2>&1 || true
  MINIBAR_PRIVATE_OWNER=$OWNER test/scripts/mariadb_private.sh stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

rpsql() { psql -X -q -At -v ON_ERROR_STOP=1 -p "$PGPORT_R" -d restart "$@"; }
my() { # port sql
  MYSQL_PWD=minibar mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P "$1" -u minibar -N -B -e "$2"
}

# The source tables on the MariaDB at port $1: parent (1,000 rows) and
# movements ($ROWS rows, INT key, a foreign key to parent), made once.
make_source() {
  local port=$1 n
  n=$(my "$port" "SELECT COUNT(*) FROM $MYDB.movements" 2>/dev/null || true)
  [ "$n" = "$ROWS" ] && return 0
  my "$port" "DROP DATABASE IF EXISTS $MYDB; CREATE DATABASE $MYDB; USE $MYDB;
    CREATE TABLE $MYDB.parent (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL) ENGINE=InnoDB;
    INSERT INTO $MYDB.parent SELECT seq, CONCAT('p', seq) FROM seq_1_to_1000;
    CREATE TABLE $MYDB.movements (id INT PRIMARY KEY, parent_id INT NOT NULL,
      qty INT NULL, note VARCHAR(30) NOT NULL,
      CONSTRAINT movements_parent FOREIGN KEY (parent_id) REFERENCES $MYDB.parent (id)) ENGINE=InnoDB;
    INSERT INTO $MYDB.movements SELECT seq, 1 + seq % 1000, IF(seq % 7 = 0, NULL, seq % 5000),
      CONCAT('n', seq * 7919 % 100003) FROM seq_1_to_$ROWS;"
}

# Row count and md5 over every row of movements and parent, per 10,000-key
# bucket then over the buckets (a single GROUP_CONCAT would pass MariaDB's
# packet limit); the PostgreSQL query below renders rows the same way.
SRC_SUM="SET SESSION group_concat_max_len = 1073741824;
  SELECT CONCAT_WS('|', (SELECT COUNT(*) FROM $MYDB.movements),
    (SELECT MD5(GROUP_CONCAT(h ORDER BY b SEPARATOR ',')) FROM (SELECT id DIV 10000 AS b,
       MD5(GROUP_CONCAT(CONCAT_WS(':', id, parent_id, qty, note) ORDER BY id SEPARATOR ',')) AS h
       FROM $MYDB.movements GROUP BY 1) x),
    (SELECT MD5(GROUP_CONCAT(CONCAT_WS(':', id, name) ORDER BY id SEPARATOR ',')) FROM $MYDB.parent))"
dst_sum() { # schema
  rpsql -c "SELECT concat_ws('|', (SELECT count(*) FROM $1.movements),
    (SELECT md5(string_agg(h, ',' ORDER BY b)) FROM (SELECT id / 10000 AS b,
       md5(string_agg(concat_ws(':', id, parent_id, qty, note), ',' ORDER BY id)) AS h
       FROM $1.movements GROUP BY 1) x),
    (SELECT md5(string_agg(concat_ws(':', id, name), ',' ORDER BY id)) FROM $1.parent))"
}

# resumed SERVER SCHEMA FINISHES KEYS: calls migrate_database with resume
# again and checks (4 tests) that it finishes the same run with every source
# row; FINISHES and KEYS are the descriptions of the first and the last test.
resumed() {
  local run_before out
  run_before=$(rpsql -c "SELECT max(run_id) FROM minibar_migrate.runs WHERE target_schema = '$2'")
  out=$(PGOPTIONS="-c client_min_messages=warning" rpsql -c "SELECT string_agg(source_name || ':' || rows_copied, ',' ORDER BY source_name) FROM minibar_migrate.migrate_database('$1', '$2', '$MIGRATE_OPTS') WHERE kind = 'table'" 2>&1)
  is "$out" "movements:$ROWS,parent:1000" "$3"
  is "$(rpsql -c "SELECT run_id || ' ' || status FROM minibar_migrate.runs WHERE target_schema = '$2' ORDER BY run_id DESC LIMIT 1")" \
    "$run_before done" "it finished the same run (run $run_before)"
  is "$(dst_sum "$2")" "$source_sum" "target equals source: row count and md5 over every row"
  is "$(rpsql -c "SELECT count(*) FROM pg_catalog.pg_constraint WHERE conrelid = '$2.movements'::regclass AND contype IN ('p', 'f') AND convalidated")" \
    "2" "$4"
}


# Copy tasks of the latest run into schema $1: "done|total|rows in done chunks".
copy_state() {
  rpsql -c "SELECT concat_ws('|', count(*) FILTER (WHERE t.state = 'done'), count(*),
      coalesce(sum(t.rows_copied) FILTER (WHERE t.state = 'done' AND t.source_table = 'movements'), 0))
    FROM minibar_migrate.run_tasks t
    WHERE t.kind = 'copy' AND t.run_id = (SELECT max(run_id) FROM minibar_migrate.runs WHERE target_schema = '$1')" 2>/dev/null
}

# Polls until the latest run into schema $1 has committed at least 2 copy
# chunks and at least 4 are still pending; prints the state, or "not seen".
wait_mid_run() {
  local deadline=$(($(now_ms) + 60000)) s ndone total
  while [ "$(now_ms)" -lt "$deadline" ]; do
    s=$(copy_state "$1")
    IFS='|' read -r ndone total _ <<<"$s"
    if [ -n "$ndone" ] && [ "${total:-0}" -gt 0 ] && [ "$ndone" -ge 2 ] && [ $((total - ndone)) -ge 4 ]; then
      echo "$s"
      return 0
    fi
    sleep 0.02
  done
  echo "not seen (last: ${s:-nothing})"
  return 1
}

MIGRATE_OPTS="{\"workers\": 2, \"resume\": true, \"chunk_size\": $CHUNK}"

echo "1..20"

# ------------------------------------------------------------ setup
[ "$(id -u)" = 0 ] || bail "must run as root"
make_source 3306 || bail "could not create the source on the system MariaDB"
pg_dropcluster 15 "$CLUSTER" --stop >/dev/null 2>&1 || true
pg_createcluster 15 "$CLUSTER" -p "$PGPORT_R" --start-conf=manual -- --auth-local=trust --auth-host=trust \
  >"$WORK/createcluster.log" 2>&1 || bail "pg_createcluster failed: $(tail -3 "$WORK/createcluster.log")"
pg_ctlcluster 15 "$CLUSTER" start || bail "could not start cluster $CLUSTER"
su postgres -c "psql -X -q -p $PGPORT_R -c 'CREATE ROLE root SUPERUSER LOGIN'" || bail "could not create role root"
createdb -p "$PGPORT_R" restart || bail "createdb failed"
rpsql -c "CREATE EXTENSION minibar_migrate" || bail "CREATE EXTENSION failed"
rpsql -c "CREATE SERVER src FOREIGN DATA WRAPPER minibar_mysql OPTIONS (host '127.0.0.1', port '3306', dbname '$MYDB');
  CREATE USER MAPPING FOR CURRENT_USER SERVER src OPTIONS (username 'minibar', password 'minibar');
  CREATE SERVER src_private FOREIGN DATA WRAPPER minibar_mysql OPTIONS (host '127.0.0.1', port '3307', dbname '$MYDB', connect_timeout '5');
  CREATE USER MAPPING FOR CURRENT_USER SERVER src_private OPTIONS (username 'minibar', password 'minibar');" ||
  bail "could not create the foreign servers"
source_sum=$(my 3306 "$SRC_SUM") || bail "could not checksum the source"
diag "source: $source_sum (rows|md5 movements|md5 parent), chunk_size $CHUNK"

# ------------------------------------------------------------ 1. PostgreSQL restart
(rpsql -c "SELECT count(*) FROM minibar_migrate.migrate_database('src', 'cut_pg', '$MIGRATE_OPTS')" \
  >"$WORK/pg_first.out" 2>&1
  echo "exit $?" >>"$WORK/pg_first.out") &
first=$!
mid=$(wait_mid_run cut_pg)
t0=$(now_ms)
pg_ctlcluster 15 "$CLUSTER" restart -m immediate >"$WORK/restart.log" 2>&1
restart_rc=$?
wait "$first"
is "$restart_rc" 0 "PostgreSQL restarted (-m immediate) mid-run (copy chunks done|total|rows: $mid)"
diag "restart took $(($(now_ms) - t0)) ms; the first call ended with: $(tr '\n' ' ' <"$WORK/pg_first.out" | cut -c1-200)"
is "$(tail -n 1 "$WORK/pg_first.out")" "exit 2" "the calling session lost its connection (psql exit 2)"

after=$(copy_state cut_pg)
IFS='|' read -r done_after total_after rows_done <<<"$after"
status=$(rpsql -c "SELECT status FROM minibar_migrate.runs WHERE target_schema = 'cut_pg' ORDER BY run_id DESC LIMIT 1")
is "$status" "running" "after the restart the run is still recorded as running (nobody finished it)"
have_rows=$(rpsql -c "SELECT count(*) FROM cut_pg.movements" 2>&1)
is "$have_rows" "$rows_done" "the target holds exactly the rows of the committed chunks ($done_after of $total_after chunks)"
if [ "${done_after:-0}" -ge 2 ] && [ "${done_after:-0}" -lt "${total_after:-0}" ]; then
  pass "some chunks committed, some did not ($done_after of $total_after)"
else fail "some chunks committed, some did not ($after)"; fi

refused=$(rpsql -c "SELECT count(*) FROM minibar_migrate.migrate_database('src', 'cut_pg', '{\"workers\": 2}')" 2>&1)
if [[ "$refused" == *"is unfinished"* ]]; then pass "a call without resume is refused while the run is unfinished"; else
  fail "a call without resume is refused while the run is unfinished"
  diag "got: $refused"
fi

resumed src cut_pg "the call with resume finishes: every source row reported copied" \
  "the primary key and the validated foreign key exist (no duplicate key)"

# ------------------------------------------------------------ 2. MariaDB restart
MINIBAR_PRIVATE_OWNER=$OWNER test/scripts/mariadb_private.sh start >"$WORK/private.log" 2>&1 ||
  bail "could not start the private MariaDB: $(tail -3 "$WORK/private.log")"
make_source 3307 || bail "could not create the source on the private MariaDB"
stats_rows=$(my 3307 "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$MYDB' AND TABLE_NAME = 'movements'")
is "$(my 3307 "$SRC_SUM")" "$source_sum" "the private MariaDB holds the same source"

(rpsql -c "SELECT count(*) FROM minibar_migrate.migrate_database('src_private', 'cut_my', '$MIGRATE_OPTS')" \
  >"$WORK/my_first.out" 2>&1
  echo "exit $?" >>"$WORK/my_first.out") &
first=$!
mid=$(wait_mid_run cut_my)
killed=$(test/scripts/mariadb_private.sh kill 2>&1)
t0=$(now_ms)
wait "$first"
diag "MariaDB killed ($killed) at copy chunks done|total|rows $mid; the call ended $(($(now_ms) - t0)) ms later"
first_out=$(tr '\n' ' ' <"$WORK/my_first.out")
# 2013 lost during a read, 2006 gone away at the next query, 2002 no server at reconnect
if [[ "$first_out" =~ MySQL\ error\ (2002|2006|2013) ]] && [[ "$first_out" == *"exit 1"* ]]; then
  pass "the call fails with the lost source connection"
else fail "the call fails with the lost source connection"; fi
diag "first call: $(echo "$first_out" | cut -c1-300)"
if [[ "$first_out" == *"resume"* ]]; then pass "its error says how to continue (resume)"; else
  fail "its error says how to continue (resume)"
fi

after=$(copy_state cut_my)
IFS='|' read -r done_after total_after rows_done <<<"$after"
is "$total_after" "$((ROWS / CHUNK + 1))" \
  "movements was split into $((ROWS / CHUNK)) chunks (+1 for parent) whatever MariaDB's fresh statistics said ($stats_rows rows)"
is "$(rpsql -c "SELECT status FROM minibar_migrate.runs WHERE target_schema = 'cut_my' ORDER BY run_id DESC LIMIT 1")" \
  "failed" "the run is marked failed and kept"
is "$(rpsql -c "SELECT count(*) FROM cut_my.movements" 2>&1)" "$rows_done" \
  "the target holds exactly the rows of the committed chunks ($done_after of $total_after chunks)"

MINIBAR_PRIVATE_OWNER=$OWNER test/scripts/mariadb_private.sh start >"$WORK/private2.log" 2>&1 ||
  bail "could not restart the private MariaDB: $(tail -3 "$WORK/private2.log")"
resumed src_private cut_my "after MariaDB is back, resume finishes: every source row reported copied" \
  "the primary key and the validated foreign key exist"

if [ "$tests" != 20 ]; then
  echo "# planned 20 tests, ran $tests"
  exit 1
fi
[ "$failures" = 0 ]

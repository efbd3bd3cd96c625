#!/usr/bin/env bash
# Full-scan benchmark: minibar_mysql vs mysql_fdw vs the plain mariadb client.
#
# A benchmark, not a test: timings never make it fail. It exits non-zero only
# when it cannot set up, or when an engine errored / returned the wrong number
# of rows (after printing the table). See bench/README.md.
#
# Environment (all optional):
#   ROWS=3000000        rows in minibar_bench.big (regenerated when it differs)
#   REPEAT=3            measurements per engine and query; the median is shown
#   ENGINES="minibar_mysql mysql_fdw mariadb"   which engines to measure
#   MYSQLFDW_FETCH_SIZE=100   mysql_fdw server option fetch_size (its default)
#   MINIBAR_FETCH_SIZE=       minibar_mysql server option fetch_size (unset:
#                             the wrapper's default)
#   WARMUP=1            one untimed mariadb-client scan first (buffer pool)
#   MY_BUFFER_POOL=     e.g. 2G: raise MariaDB's innodb_buffer_pool_size (as
#                       root over the unix socket) for the run so the table is
#                       scanned from memory; restored on exit. Unset: untouched.
#   TIMEOUT=1800        seconds allowed per measurement (statement_timeout)
#   MY_HOST=127.0.0.1 MY_PORT=3306 MY_USER=minibar MY_PASSWORD=minibar
#   PG_DB=minibar_bench, plus the usual libpq variables (PGHOST, PGUSER, ...)
set -euo pipefail

ROWS=${ROWS:-3000000}
REPEAT=${REPEAT:-3}
ENGINES=${ENGINES:-minibar_mysql mysql_fdw mariadb}
MYSQLFDW_FETCH_SIZE=${MYSQLFDW_FETCH_SIZE:-100}
MINIBAR_FETCH_SIZE=${MINIBAR_FETCH_SIZE:-}
WARMUP=${WARMUP:-1}
MY_BUFFER_POOL=${MY_BUFFER_POOL:-}
TIMEOUT=${TIMEOUT:-1800}
MY_HOST=${MY_HOST:-127.0.0.1}
MY_PORT=${MY_PORT:-3306}
MY_USER=${MY_USER:-minibar}
MY_PASSWORD=${MY_PASSWORD:-minibar}
MY_DB=minibar_bench
PG_DB=${PG_DB:-minibar_bench}
SCHEMA_TAG='minibar_bench big v1'

# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_positive_ints mysql_scan.sh ROWS REPEAT TIMEOUT
bench_engines mysql_scan.sh "minibar_mysql mysql_fdw mariadb"

log() { printf '# %s\n' "$*" >&2; }
die() {
  printf 'mysql_scan.sh: %s\n' "$*" >&2
  exit 1
}

# Escape a value for a single-quoted SQL literal.
sql_lit() { printf "'%s'" "${1//\'/\'\'}"; }

my() {
  MYSQL_PWD=$MY_PASSWORD mariadb --protocol=TCP -h"$MY_HOST" -P"$MY_PORT" \
    -u"$MY_USER" --default-character-set=utf8mb4 "$@"
}

pg() { psql -X -v ON_ERROR_STOP=1 "$@"; }

now_ns() { date +%s%N; }

OLD_POOL=""
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  if [[ -n $OLD_POOL ]]; then
    mariadb -e "SET GLOBAL innodb_buffer_pool_size = $OLD_POOL" ||
      echo "mysql_scan.sh: could not restore innodb_buffer_pool_size=$OLD_POOL" >&2
  fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- 1. install
install_deps() {
  if dpkg-query -W -f='${Status}' postgresql-15-mysql-fdw 2>/dev/null |
    grep -q 'install ok installed'; then
    return
  fi
  log "installing postgresql-15-mysql-fdw"
  [[ $(id -u) -eq 0 ]] || die "postgresql-15-mysql-fdw is missing and installing it needs root"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql-15-mysql-fdw >&2
}

# ----------------------------------------------------------- 2. MariaDB data
generate_data() {
  my -e "CREATE DATABASE IF NOT EXISTS $MY_DB CHARACTER SET utf8mb4" ||
    die "cannot reach MariaDB as $MY_USER@$MY_HOST:$MY_PORT"
  local have tag
  tag=$(my -N -B -e "SELECT table_comment FROM information_schema.tables
                     WHERE table_schema = '$MY_DB' AND table_name = 'big'")
  if [[ $tag == "$SCHEMA_TAG" ]]; then
    have=$(my -N -B -e "SELECT COUNT(*) FROM $MY_DB.big")
    if [[ $have == "$ROWS" ]]; then
      log "MariaDB $MY_DB.big already has $ROWS rows: not regenerating"
      return
    fi
    log "MariaDB $MY_DB.big has $have rows, want $ROWS: regenerating"
  else
    log "generating MariaDB $MY_DB.big with $ROWS rows"
  fi
  local t0
  t0=$(now_ns)
  # An INSERT into an empty InnoDB table is bulk-loaded (no undo log) by 10.6+.
  my "$MY_DB" >&2 <<SQL
DROP TABLE IF EXISTS big;
CREATE TABLE big (
  id         BIGINT        NOT NULL PRIMARY KEY,
  qty        INT           NOT NULL,
  price      DECIMAL(12,2) NOT NULL,
  score      DOUBLE        NULL,
  name       VARCHAR(40)   NOT NULL,
  created_at DATETIME(6)   NOT NULL,
  note       TEXT          NOT NULL,
  payload    BLOB          NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='$SCHEMA_TAG';
SET SESSION unique_checks = 0, SESSION foreign_key_checks = 0;
INSERT INTO big
SELECT seq,
       CAST((seq * 7919) % 1000003 AS SIGNED) - 500000,
       ROUND((seq % 1000000) * 12.34 / 7, 2),
       IF(seq % 10 = 0, NULL, seq / 7e0),
       CONCAT('café-guest-', seq, '-room-', seq % 997),
       TIMESTAMP'2020-01-01 00:00:00' + INTERVAL seq SECOND
         + INTERVAL (seq * 37) % 1000000 MICROSECOND,
       CONCAT(MD5(seq), ' ', MD5(seq + 1), ' minibar note ', LPAD(seq, 20, '0')),
       UNHEX(SHA2(seq, 512))
FROM seq_1_to_$ROWS;
ANALYZE TABLE big;
SQL
  local t1
  t1=$(now_ns)
  have=$(my -N -B -e "SELECT COUNT(*) FROM $MY_DB.big")
  [[ $have == "$ROWS" ]] || die "generated $have rows, expected $ROWS"
  log "generated $ROWS rows in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", (b-a)/1e9}') s"
}

# Optionally give InnoDB a buffer pool that holds the whole table: MariaDB
# reads with O_DIRECT, so with the default 128 MB pool every scan is disk I/O.
resize_pool() {
  [[ -n $MY_BUFFER_POOL ]] || return 0
  local want cur i
  want=$(numfmt --from=iec "$MY_BUFFER_POOL") || die "bad MY_BUFFER_POOL '$MY_BUFFER_POOL'"
  cur=$(mariadb -N -B -e "SELECT @@innodb_buffer_pool_size") ||
    die "MY_BUFFER_POOL needs root access to MariaDB over the unix socket"
  ((cur < want)) || return 0
  log "raising innodb_buffer_pool_size from $cur to $want for this run"
  OLD_POOL=$cur
  mariadb -e "SET GLOBAL innodb_buffer_pool_size = $want"
  # The resize runs in the background; its status is empty or "Completed…"
  # once done.
  local status
  for ((i = 0; i < 120; i++)); do
    status=$(mariadb -N -B -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_resize_status'" | cut -f2)
    [[ -z $status || $status == Completed* ]] && return 0
    sleep 1
  done
  log "buffer pool resize still not done after 120 s; continuing"
}

# ------------------------------------------------------- 3. PostgreSQL side
declare -A UNAVAILABLE=()
declare -A TABLE=([minibar_mysql]=bench_minibar.big [mysql_fdw]=bench_mysqlfdw.big)

# setup_engine ENGINE WRAPPER FETCH_SIZE RESET [OPTIONS]: when ENGINES names
# ENGINE, runs RESET (SQL leaving the wrapper's extension installed and no
# schema or server named after ENGINE's schema in TABLE), then makes that schema
# with big imported through a server of WRAPPER of that name (host, port,
# OPTIONS and fetch_size when FETCH_SIZE is set). A failure makes the engine
# unavailable, with the error.
setup_engine() {
  local engine=$1 wrapper=$2 fetch="" schema=${TABLE[$1]%.big} out
  [[ " $ENGINES " == *" $engine "* ]] || return 0
  [[ -n $3 ]] && fetch=", fetch_size $(sql_lit "$3")"
  if ! out=$(pg -d "$PG_DB" -q 2>&1 <<SQL
SET client_min_messages = warning;
$4
CREATE SCHEMA $schema;
CREATE SERVER $schema FOREIGN DATA WRAPPER $wrapper
  OPTIONS (host $(sql_lit "$MY_HOST"), port $(sql_lit "$MY_PORT")${5:-}$fetch);
CREATE USER MAPPING FOR CURRENT_USER SERVER $schema OPTIONS (username $(sql_lit "$MY_USER"), password $(sql_lit "$MY_PASSWORD"));
IMPORT FOREIGN SCHEMA $MY_DB LIMIT TO (big) FROM SERVER $schema INTO $schema;
SQL
  ); then
    UNAVAILABLE[$engine]="setup failed: $(tr '\n' ' ' <<<"$out")"
  fi
}

setup_pg() {
  if [[ $(pg -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = $(sql_lit "$PG_DB")") != 1 ]]; then
    log "creating PostgreSQL database $PG_DB"
    pg -d postgres -qc "CREATE DATABASE \"$PG_DB\""
  fi
  local out
  setup_engine mysql_fdw mysql_fdw "$MYSQLFDW_FETCH_SIZE" "CREATE EXTENSION IF NOT EXISTS mysql_fdw;
DROP SERVER IF EXISTS bench_mysqlfdw CASCADE;
DROP SCHEMA IF EXISTS bench_mysqlfdw CASCADE;"
  # Dropped and re-created so that the installed extension script is the
  # current one (the wrapper is under development; same version number).
  setup_engine minibar_mysql minibar_mysql "$MINIBAR_FETCH_SIZE" "DROP SCHEMA IF EXISTS bench_minibar CASCADE;
DROP EXTENSION IF EXISTS minibar_migrate CASCADE;
CREATE EXTENSION IF NOT EXISTS minibar_migrate;" ", dbname '$MY_DB'"

  local e
  for e in minibar_mysql mysql_fdw; do
    [[ " $ENGINES " == *" $e "* ]] || continue
    if [[ -n ${UNAVAILABLE[$e]:-} ]]; then
      log "$e: ${UNAVAILABLE[$e]}"
      continue
    fi
    log "$e columns: $(pg -d "$PG_DB" -Atc "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
      FROM pg_attribute WHERE attrelid = '${TABLE[$e]}'::regclass AND attnum > 0 AND NOT attisdropped")"
    if ! out=$(pg -d "$PG_DB" -Atc "SELECT * FROM ${TABLE[$e]} WHERE id = 10" 2>&1); then
      UNAVAILABLE[$e]="sample query failed: $(tr '\n' ' ' <<<"$out")"
      log "$e: ${UNAVAILABLE[$e]}"
    else
      log "$e row 10: $out"
    fi
  done
  if [[ " $ENGINES " == *" mariadb "* ]]; then
    log "mariadb row 10: $(my -N -B -r -e "SELECT id, qty, price, score, name, created_at, note, CONCAT('\\\\x', LOWER(HEX(payload)))
                               FROM $MY_DB.big WHERE id = 10" | tr '\t' '|')"
  fi
}

# ------------------------------------------------------------ 4. measuring
# Each measurement prints "seconds rss_kb result" on success; on failure the
# error text, with status 1.

# One fresh backend (new psql) runs the statement under \timing, then reads its
# own peak resident set size (VmHWM) from /proc.
pg_measure() {
  local stmt=$1 out secs hwm result
  if ! out=$(PGOPTIONS="${PGOPTIONS:-} -c statement_timeout=${TIMEOUT}s" \
    timeout $((TIMEOUT + 60)) psql -X -At -v ON_ERROR_STOP=1 -d "$PG_DB" 2>&1 <<SQL
\timing on
$stmt
\timing off
SELECT 'hwm_kb=' || (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\s+(\d+)'))[1];
SQL
  ); then
    grep -v -E '^(Timing is|Time: )' <<<"$out" || true
    return 1
  fi
  secs=$(awk '/^Time: /{printf "%.3f", $2 / 1000; exit}' <<<"$out")
  hwm=$(sed -n 's/^hwm_kb=//p' <<<"$out")
  result=$(grep -v -E '^(Timing is|Time: |hwm_kb=)' <<<"$out" | head -n1)
  result=${result#COPY }
  if [[ -z $secs || -z $hwm ]]; then
    printf 'could not parse psql output: %s\n' "$out"
    return 1
  fi
  printf '%s %s %s\n' "$secs" "$hwm" "$result"
}

# The mariadb client: wall time of the whole client process (connect included).
my_measure() {
  local kind=$1 t0 t1 out result
  t0=$(now_ns)
  if [[ $kind == scan ]]; then
    if ! out=$(timeout "$TIMEOUT" env MYSQL_PWD="$MY_PASSWORD" mariadb --quick --protocol=TCP \
      -h"$MY_HOST" -P"$MY_PORT" -u"$MY_USER" -e "SELECT * FROM $MY_DB.big" 2>&1 >/dev/null); then
      printf '%s\n' "$out"
      return 1
    fi
    result=- # output discarded, as a user would run it: rows not counted
  else
    if ! out=$(timeout "$TIMEOUT" env MYSQL_PWD="$MY_PASSWORD" mariadb --protocol=TCP \
      -h"$MY_HOST" -P"$MY_PORT" -u"$MY_USER" -N -B -e "SELECT count(*) FROM $MY_DB.big" 2>&1); then
      printf '%s\n' "$out"
      return 1
    fi
    result=$out
  fi
  t1=$(now_ns)
  printf '%s - %s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}')" "$result"
}

measure() { # engine kind
  local engine=$1 kind=$2
  if [[ $engine == mariadb ]]; then
    my_measure "$kind"
  elif [[ $kind == scan ]]; then
    # COPY ... TO '/dev/null': the server builds every row and runs every
    # column's output function, but nothing crosses the client connection.
    pg_measure "COPY (SELECT * FROM ${TABLE[$engine]}) TO '/dev/null';"
  else
    pg_measure "SELECT count(*) FROM ${TABLE[$engine]};"
  fi
}

median() { # numbers as arguments; prints the median or "-"
  (($# > 0)) || {
    echo -
    return
  }
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{
    if (NR % 2) printf "%.3f", v[(NR+1)/2]; else printf "%.3f", (v[NR/2]+v[NR/2+1])/2 }'
}

declare -A TIMES=() RSS=() ERRS=()
FAILED=0

run_all() {
  local rep engine kind res secs hwm rows
  if [[ $WARMUP == 1 ]]; then
    log "warm-up: one untimed mariadb client scan"
    my_measure scan >/dev/null || true
  fi
  for ((rep = 1; rep <= REPEAT; rep++)); do
    for engine in $ENGINES; do
      [[ -z ${UNAVAILABLE[$engine]:-} ]] || continue
      for kind in scan count; do
        if res=$(measure "$engine" "$kind"); then
          read -r secs hwm rows <<<"$res"
          log "run $rep/$REPEAT $engine $kind: ${secs}s rows=$rows peak_rss_kb=$hwm"
          TIMES[$engine.$kind]+="$secs "
          [[ $hwm == - ]] || RSS[$engine.$kind]+="$hwm "
          if [[ $rows != - && $rows != "$ROWS" ]]; then
            ERRS[$engine.$kind]="returned $rows rows, expected $ROWS"
            FAILED=1
          fi
        else
          log "run $rep/$REPEAT $engine $kind FAILED: $(head -c 2000 <<<"$res" | tr '\n' ' ')"
          ERRS[$engine.$kind]=$(head -n 3 <<<"$res" | tr '\n' ' ')
          FAILED=1
        fi
      done
    done
  done
}

# ------------------------------------------------------------- 5. reporting
report() {
  local engine kind base_scan base_count base_rss pgv myv baseline
  pgv=$(pg -d "$PG_DB" -Atc "SHOW server_version")
  myv=$(my -N -B -e "SELECT VERSION()")
  baseline=$(pg_measure "SELECT 1;" | awk '{printf "%.1f", $2 / 1024}') || baseline='?'
  printf '\nminibar_bench.big: %s rows; median of %s; PostgreSQL %s; MariaDB %s; mysql_fdw fetch_size=%s; minibar_mysql fetch_size=%s\n' \
    "$ROWS" "$REPEAT" "$pgv" "$myv" "${MYSQLFDW_FETCH_SIZE:-default}" "${MINIBAR_FETCH_SIZE:-default}"
  local pool_mb table_mb fits
  read -r pool_mb table_mb < <(my -N -B -e "SELECT @@innodb_buffer_pool_size DIV 1048576,
      (data_length + index_length) DIV 1048576 FROM information_schema.tables
      WHERE table_schema = '$MY_DB' AND table_name = 'big'")
  fits='fits: scans are served from memory after the warm-up'
  ((pool_mb > table_mb + table_mb / 4)) ||
    fits='does NOT fit: every scan reads the table from disk (O_DIRECT), see MY_BUFFER_POOL'
  printf 'InnoDB table %s MB, buffer pool %s MB (%s); load average at end: %s\n' \
    "$table_mb" "$pool_mb" "$fits" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'scan = COPY (SELECT * FROM t) TO '\''/dev/null'\'' (mariadb: client --quick > /dev/null); peak RSS = backend VmHWM over scan and count (fresh backend: %s MB)\n\n' "$baseline"
  printf '%-16s %10s %10s %14s\n' engine 'scan s' 'count s' 'peak RSS MB'
  printf '%-16s %10s %10s %14s\n' ---------------- ---------- ---------- --------------
  declare -A MED_SCAN=() MED_COUNT=() MED_RSS=()
  for engine in $ENGINES; do
    local label=$engine
    [[ $engine == mariadb ]] && label='mariadb client'
    if [[ -n ${UNAVAILABLE[$engine]:-} ]]; then
      printf '%-16s %10s %10s %14s\n' "$label" n/a n/a n/a
      continue
    fi
    # shellcheck disable=SC2086 # the lists are space-separated numbers
    MED_SCAN[$engine]=$(median ${TIMES[$engine.scan]:-})
    # shellcheck disable=SC2086
    MED_COUNT[$engine]=$(median ${TIMES[$engine.count]:-})
    local rss='-'
    if [[ -n ${RSS[$engine.scan]:-}${RSS[$engine.count]:-} ]]; then
      # shellcheck disable=SC2086
      rss=$(printf '%s\n' ${RSS[$engine.scan]:-} ${RSS[$engine.count]:-} |
        sort -g | tail -n1 | awk '{printf "%.1f", $1 / 1024}')
    fi
    MED_RSS[$engine]=$rss
    printf '%-16s %10s %10s %14s\n' "$label" "${MED_SCAN[$engine]}" "${MED_COUNT[$engine]}" "$rss"
  done

  printf '\nper run (seconds):\n'
  for engine in $ENGINES; do
    [[ -z ${UNAVAILABLE[$engine]:-} ]] || continue
    for kind in scan count; do
      printf '  %-14s %-5s %s\n' "$engine" "$kind" "$(xargs <<<"${TIMES[$engine.$kind]:-none}")"
    done
  done

  base_scan=${MED_SCAN[minibar_mysql]:-}
  base_count=${MED_COUNT[minibar_mysql]:-}
  base_rss=${MED_RSS[minibar_mysql]:-}
  printf '\nratios vs minibar_mysql (> 1: minibar_mysql is faster / smaller):\n'
  if [[ -z $base_scan || $base_scan == - ]]; then
    printf '  none: minibar_mysql was not measured\n'
  else
    for engine in $ENGINES; do
      [[ $engine != minibar_mysql && -z ${UNAVAILABLE[$engine]:-} ]] || continue
      printf '  %s / minibar scan: %s   count: %s   peak RSS: %s\n' "$engine" \
        "$(ratio "${MED_SCAN[$engine]}" "$base_scan")" \
        "$(ratio "${MED_COUNT[$engine]}" "$base_count")" \
        "$(ratio "${MED_RSS[$engine]}" "$base_rss")"
    done
  fi

  printf '\nratios vs the mariadb client (a reference with no PostgreSQL in the path, not a floor):\n'
  if [[ -z ${MED_SCAN[mariadb]:-} || ${MED_SCAN[mariadb]} == - ]]; then
    printf '  none: the mariadb client was not measured\n'
  elif [[ $ENGINES == mariadb ]]; then
    printf '  none: no other engine was measured\n'
  else
    for engine in $ENGINES; do
      [[ $engine != mariadb && -z ${UNAVAILABLE[$engine]:-} ]] || continue
      printf '  %s / mariadb scan: %s   count: %s\n' "$engine" \
        "$(ratio "${MED_SCAN[$engine]}" "${MED_SCAN[mariadb]}")" \
        "$(ratio "${MED_COUNT[$engine]}" "${MED_COUNT[mariadb]}")"
    done
  fi

  local any=0
  for engine in $ENGINES; do
    if [[ -n ${UNAVAILABLE[$engine]:-} ]]; then
      ((any++)) || printf '\nproblems:\n'
      printf '  %s: %s\n' "$engine" "${UNAVAILABLE[$engine]}"
    fi
    for kind in scan count; do
      if [[ -n ${ERRS[$engine.$kind]:-} ]]; then
        ((any++)) || printf '\nproblems:\n'
        printf '  %s %s: %s\n' "$engine" "$kind" "${ERRS[$engine.$kind]}"
      fi
    done
  done
}

ratio() { # a b -> "a/b x" or "-"
  awk -v a="$1" -v b="$2" 'BEGIN{
    if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-";
    else printf "%.2fx", a / b }'
}

install_deps
generate_data
resize_pool
setup_pg
run_all
report
if [[ ${#UNAVAILABLE[@]} -gt 0 ]]; then FAILED=1; fi
exit "$FAILED"

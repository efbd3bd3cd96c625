#!/usr/bin/env bash
# What measuring SQLite values costs migrate_table: the same rows copied from
# a table whose declared types decide the target types (nothing measured) and
# from tables whose types are chosen from the stored values (measured).
#
#   bash bench/sqlite_measure.sh                    # 1 M rows, median of 5
#   ROWS=200000 RUNS=3 bash bench/sqlite_measure.sh # quicker
#   PGPORT=5503 bash bench/sqlite_measure.sh        # a private cluster
#
# A benchmark, not a test: timings never make it fail. It exits non-zero only
# when it cannot set up, or when a call errored or copied the wrong number of
# rows. See bench/README.md.
#
# Tables in the SQLite file (same id, price and label values in each):
#   plain    id INTEGER PRIMARY KEY, price REAL,          label TEXT  (nothing measured)
#   measured id INTEGER PRIMARY KEY, price DECIMAL(10,2), label       (two columns measured)
#   wide     as measured, but every 100th price has a third decimal, so
#            numeric(10,2) would not hold it and the scale is measured too
#
# Environment (all optional):
#   ROWS=1000000 RUNS=5 PG_DB=bench_sqlite_measure
#   DATA_DIR=/var/lib/minibar_migrate/bench   where the SQLite file is written
#   TABLES="plain measured wide"
set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

ROWS=${ROWS:-1000000}
RUNS=${RUNS:-5}
PG_DB=${PG_DB:-bench_sqlite_measure}
DATA_DIR=${DATA_DIR:-/var/lib/minibar_migrate/bench}
TABLES=${TABLES:-plain measured wide}
TAG=1 # PRAGMA user_version; bump when the generated data changes

die() {
  echo "sqlite_measure.sh: $*" >&2
  exit 1
}
[[ $ROWS =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer, got '$ROWS'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
for t in $TABLES; do
  case $t in plain | measured | wide) ;; *) die "unknown table '$t' in TABLES" ;; esac
done
command -v sqlite3 >/dev/null || die "sqlite3 is not installed"
command -v psql >/dev/null || die "psql is not installed"

FILE=$DATA_DIR/sqlite_measure_$ROWS.sqlite
install -d -m 755 "$DATA_DIR"

# ------------------------------------------------------------------ data
if [[ -f $FILE && $(sqlite3 "$FILE" 'PRAGMA user_version' 2>/dev/null || true) == "$TAG" ]]; then
  echo "# SQLite file $FILE exists (tag $TAG)" >&2
else
  echo "# writing $ROWS rows per table into $FILE" >&2
  tmp=$FILE.tmp
  rm -f "$tmp"
  sqlite3 -bail "$tmp" >/dev/null <<SQL
PRAGMA journal_mode = off;
PRAGMA synchronous = off;
CREATE TABLE plain (id INTEGER PRIMARY KEY, price REAL, label TEXT);
CREATE TABLE measured (id INTEGER PRIMARY KEY, price DECIMAL(10,2), label);
CREATE TABLE wide (id INTEGER PRIMARY KEY, price DECIMAL(10,2), label);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS)
INSERT INTO plain SELECT i, ((i * 7919) % 10000000) / 100.0, 'item ' || i FROM n;
INSERT INTO measured SELECT id, price, label FROM plain;
INSERT INTO wide SELECT id, CASE WHEN id % 100 = 0 THEN price + 0.005 ELSE price END, label FROM plain;
PRAGMA user_version = $TAG;
SQL
  chmod 644 "$tmp"
  mv "$tmp" "$FILE"
fi
for t in plain measured wide; do
  n=$(sqlite3 "$FILE" "SELECT count(*) FROM $t")
  [[ $n == "$ROWS" ]] || die "table $t has $n rows, expected $ROWS"
done

# ------------------------------------------------------------------ database
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$PG_DB" >/dev/null <<SQL
CREATE EXTENSION minibar_migrate;
CREATE SERVER bench_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '$FILE');
CREATE SCHEMA bench;
SQL

# One migrate_table in a fresh backend, timed by psql's \timing; prints ms.
run_one() {
  local t=$1 out ms copied
  psql -X -q -v ON_ERROR_STOP=1 -d "$PG_DB" -c "DROP TABLE IF EXISTS bench.$t" >/dev/null
  out=$(PGOPTIONS="-c client_min_messages=warning" psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$PG_DB" -c '\timing on' \
    -c "SELECT rows_copied FROM minibar_migrate.migrate_table('bench_lite', '$t', 'bench.$t')" 2>&1) ||
    die "migrate_table of $t failed: $out"
  copied=$(sed -n 1p <<<"$out")
  [[ $copied == "$ROWS" ]] || die "migrate_table of $t copied '$copied' rows, expected $ROWS: $out"
  ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$out")
  [[ -n $ms ]] || die "no timing in: $out"
  echo "$ms"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A TIMES
echo "# warm-up: one untimed copy of each table" >&2
for t in $TABLES; do run_one "$t" >/dev/null; done
for ((r = 1; r <= RUNS; r++)); do
  for t in $TABLES; do # interleaved, so machine load hits every table alike
    ms=$(run_one "$t")
    TIMES[$t]+="$ms "
    echo "# run $r $t: $ms ms" >&2
  done
done

echo "# column types created:" >&2
psql -X -q -A -t -d "$PG_DB" -c "SELECT table_name || '.' || column_name || ' ' || data_type ||
  coalesce('(' || numeric_precision || ',' || numeric_scale || ')', '')
  FROM information_schema.columns WHERE table_schema = 'bench' ORDER BY table_name, ordinal_position" |
  sed 's/^/#   /' >&2

printf '%-10s %12s %8s  %s\n' table median_s ratio "runs (s), $ROWS rows"
base=
for t in $TABLES; do
  med=$(tr ' ' '\n' <<<"${TIMES[$t]}" | grep . | median)
  [[ $t == plain ]] && base=$med
  ratio=n/a
  [[ -n $base ]] && ratio=$(awk -v a="$med" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
  printf '%-10s %12.3f %8s  %s\n' "$t" "$(awk -v m="$med" 'BEGIN { print m / 1000 }')" "$ratio" \
    "$(tr ' ' '\n' <<<"${TIMES[$t]}" | grep . | awk '{ printf "%s%.2f", (NR > 1 ? " " : ""), $1 / 1000 }')"
done

#!/usr/bin/env bash
# SQLite catch-up benchmark: sync_table upsert rate and the backend's memory.
#
#   bash bench/sync_table.sh                  # ROWS=1000000
#   ROWS=200000 bash bench/sync_table.sh
#
# A benchmark, not a test: it fails only when it cannot set up or when the
# target ends up different from the source (validate_checksums).
#
# What it does: a SQLite file with ROWS rows (id INTEGER PRIMARY KEY, text,
# real, integer, updated_at DATETIME text, indexed) is migrated into the
# PostgreSQL database $PG_DB (dropped and re-created). Then, per step, the
# source changes and one sync_table call catches the target up:
#   insert  ROWS new rows
#   update  every row (qty + 1, updated_at one year later)
#   update  the first ROWS/5 rows again
#   idle    nothing changed
# For each step it prints rows upserted, seconds, rows/s, and the backend's
# peak anonymous memory (RssAnon, sampled every 50 ms from /proc) against its
# value before the call.
set -euo pipefail

ROWS=${ROWS:-1000000}
PG_DB=${PG_DB:-minibar_bench_sync_table}
DIR=/var/lib/minibar_migrate/bench
DB=$DIR/sync_table.sqlite
OUT=$(mktemp -d /tmp/minibar_bench_sync_table.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

install -d -m 755 "$DIR"
rm -f "$DB"
sqlite3 "$DB" "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount REAL,
  qty INTEGER, updated_at DATETIME NOT NULL); CREATE INDEX orders_updated ON orders (updated_at);
  INSERT INTO orders VALUES (1, 'c1', 1.5, 1, '2024-01-01 00:00:00');"
chmod 644 "$DB"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB"
psql -X -q -d "$PG_DB" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION minibar_migrate" \
  -c "CREATE SERVER lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '$DB')" \
  -c "SELECT count(*) FROM minibar_migrate.migrate_database('lite', 'public', '{\"workers\": 0}')" >/dev/null

# One sync_table call, measured; prints "rows seconds peak_kB before_kB".
measure() {
  local out="$OUT/call" pid before peak=0 v
  : >"$out"
  psql -X -q -At -d "$PG_DB" -v ON_ERROR_STOP=1 -c "SELECT pg_backend_pid()" \
    -c "SELECT pg_sleep(0.3)" -c "\\timing on" \
    -c "SELECT rows_upserted FROM minibar_migrate.sync_table('lite', 'orders', 'orders', '{\"watermark\": \"updated_at\"}')" \
    >"$out" 2>&1 &
  local psql_pid=$!
  until [ -s "$out" ]; do sleep 0.01; done
  pid=$(head -n 1 "$out")
  before=$(awk '/RssAnon/{print $2}' "/proc/$pid/status")
  while kill -0 "$psql_pid" 2>/dev/null; do
    v=$(awk '/RssAnon/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
    if [ -n "$v" ] && [ "$v" -gt "$peak" ]; then peak=$v; fi
    sleep 0.05
  done
  wait "$psql_pid" || { cat "$out" >&2; exit 1; }
  local rows ms
  rows=$(grep -E '^[0-9]+$' "$out" | tail -n 1)
  ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$out" | tail -n 1)
  echo "$rows $ms $peak $before"
}

row() {  # step rows ms peak before
  awk -v s="$1" -v r="$2" -v ms="$3" -v p="$4" -v b="$5" 'BEGIN {
    printf "| %-28s | %9d | %7.2f | %9.0f | %6.1f MB (idle %.1f MB) |\n", s, r, ms / 1000,
      (ms > 0 ? r / (ms / 1000) : 0), p / 1024, b / 1024 }'
}

echo "| step | rows upserted | seconds | rows/s | backend RssAnon peak |"
echo "|---|---:|---:|---:|---|"
sqlite3 "$DB" "WITH RECURSIVE s(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM s WHERE i < $ROWS + 1)
  INSERT INTO orders SELECT i, 'c' || i || printf('%.100c', 'x'), i * 1.5, i % 7,
  datetime('2024-02-01', '+' || i || ' seconds') FROM s;"
read -r r ms p b < <(measure)
row "insert $ROWS" "$r" "$ms" "$p" "$b"
sqlite3 "$DB" "UPDATE orders SET qty = qty + 1, updated_at = datetime(updated_at, '+1 year');"
read -r r ms p b < <(measure)
row "update every row" "$r" "$ms" "$p" "$b"
sqlite3 "$DB" "UPDATE orders SET qty = qty + 1, updated_at = datetime(updated_at, '+2 years') WHERE id <= $ROWS / 5;"
read -r r ms p b < <(measure)
row "update $((ROWS / 5)) rows" "$r" "$ms" "$p" "$b"
read -r r ms p b < <(measure)
row "idle" "$r" "$ms" "$p" "$b"

bad=$(psql -X -q -At -d "$PG_DB" -c "SELECT count(*) FROM minibar_migrate.validate_checksums('lite', 'orders', 'orders') WHERE NOT ok")
echo
echo "validate_checksums: $([ "$bad" = 0 ] && echo "every chunk matches" || echo "$bad chunk(s) differ")"
[ "$bad" = 0 ]

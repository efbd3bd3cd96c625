#!/bin/bash
# TAP test (run by scripts/test.sh with prove): ALTER EXTENSION
# minibar_migrate UPDATE from every earlier release whose install script is
# kept in versions/. For each: install that release, make state with the
# library being tested (a run, a rejected row, a rolled-back run, a
# validation, a sync_table watermark), update, and check that
#  - the database then has exactly the objects of a fresh install
#    (test/ops/include/ext_catalog.sql: members, columns, constraints, policies,
#    privileges, comments, functions, pg_dump settings),
#  - every state row is kept (test/ops/include/state_rows.sql, OIDs as names),
#  - the kept state still works: rollback of an earlier run, sync_table
#    going on from its watermark, new runs and validations numbered after
#    the old ones.
# Uses its own databases on the shared cluster (PGPORT), made and dropped here.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=test/ops/include/lib.sh
. test/ops/include/lib.sh
DIR=/var/lib/minibar_migrate/ops
OLD=minibar_ops_upgrade
FRESH=minibar_ops_fresh
CURRENT=$(sed -n "s/^default_version = '\(.*\)'/\1/p" minibar_migrate.control)
cleanup() { dropdb --if-exists "$OLD" 2>/dev/null; dropdb --if-exists "$FRESH" 2>/dev/null; }
trap cleanup EXIT
out=$(mktemp -d)

mapfile -t releases < <(ls versions | sed -n 's/^minibar_migrate--\([0-9.]*\)\.sql$/\1/p' | sort -V)
[ "${#releases[@]}" -ge 1 ] || bail "no earlier release in versions/"
echo "1..$((3 + 10 * ${#releases[@]}))"

meta=$(python3 -c 'import json; m = json.load(open("META.json")); print(m["version"], m["provides"]["minibar_migrate"]["version"])')
is "$meta $(grep -c "^## $CURRENT " CHANGELOG.md)" "$CURRENT.0 $CURRENT.0 1" \
  "META.json (release and extension) and CHANGELOG.md name version $CURRENT"
cleanup
createdb "$FRESH" || bail "createdb $FRESH failed"
qdb "$FRESH" -c "CREATE EXTENSION minibar_migrate" || bail "CREATE EXTENSION failed"
is "$(qdb "$FRESH" -c "SELECT extversion FROM pg_extension WHERE extname = 'minibar_migrate'")" "$CURRENT" \
  "a fresh install is version $CURRENT (the control file's default)"
psql -X -q -d "$FRESH" -f test/ops/include/ext_catalog.sql >"$out/fresh.cat" 2>&1 || bail "ext_catalog.sql failed: $(tail -3 "$out/fresh.cat")"
# The comparison must be able to fail: a changed comment is seen.
qdb "$FRESH" -c "COMMENT ON FUNCTION minibar_migrate.health() IS 'changed'"
psql -X -q -d "$FRESH" -f test/ops/include/ext_catalog.sql >"$out/changed.cat" 2>&1
if diff -q "$out/fresh.cat" "$out/changed.cat" >/dev/null; then fail "self-check: the catalog comparison sees a changed comment"; else
  pass "self-check: the catalog comparison sees a changed comment"
fi

for v in "${releases[@]}"; do
  diag "from release $v"
  make_source "$DIR/upgrade.sqlite" || bail "sqlite3 failed"
  dropdb --if-exists "$OLD" 2>/dev/null
  createdb "$OLD" || bail "createdb $OLD failed"
  qdb "$OLD" -c "CREATE EXTENSION minibar_migrate VERSION '$v'" || bail "CREATE EXTENSION VERSION '$v' failed"
  is "$(qdb "$OLD" -c "SELECT extversion FROM pg_extension WHERE extname = 'minibar_migrate'")" "$v" "$v: installed"
  if make_state "$OLD" "$DIR/upgrade.sqlite" >"$out/state.log" 2>&1; then pass "$v: state made with this library (2 runs, a reject, a validation, a watermark)"; else
    fail "$v: state made with this library"
    sed 's/^/#   /' "$out/state.log"
  fi
  # A third run, rolled back while the tables are still the old release's.
  is "$(qdb "$OLD" -c "SET client_min_messages = warning" \
    -c "SELECT count(*) FROM minibar_migrate.migrate_database('ops_lite', 'ops_c', '{\"workers\": 0}')" \
    -c "SELECT count(*) FROM minibar_migrate.rollback(3)" \
    -c "SELECT to_regnamespace('ops_c') IS NULL" 2>&1 | tr "\n" " ")" "5 5 t " \
    "$v: the library rolls a run back on $v's tables (schema and 4 tables dropped)"
  psql -X -q -d "$OLD" -f test/ops/include/state_rows.sql >"$out/before.txt" 2>&1

  if qdb "$OLD" -c "ALTER EXTENSION minibar_migrate UPDATE" >"$out/update.log" 2>&1; then
    pass "$v: ALTER EXTENSION minibar_migrate UPDATE"
  else
    fail "$v: ALTER EXTENSION minibar_migrate UPDATE"
    sed 's/^/#   /' "$out/update.log"
  fi
  is "$(qdb "$OLD" -c "SELECT extversion FROM pg_extension WHERE extname = 'minibar_migrate'")" "$CURRENT" "$v: now $CURRENT"
  psql -X -q -d "$OLD" -f test/ops/include/ext_catalog.sql >"$out/updated.cat" 2>&1
  if diff "$out/fresh.cat" "$out/updated.cat" >"$out/cat.diff"; then
    pass "$v: the updated database has exactly the objects of a fresh $CURRENT install ($(wc -l <"$out/fresh.cat") facts)"
  else
    fail "$v: the updated database has exactly the objects of a fresh $CURRENT install"
    head -40 "$out/cat.diff" | sed 's/^/#   /'
  fi
  psql -X -q -d "$OLD" -f test/ops/include/state_rows.sql >"$out/after.txt" 2>&1
  if [ "$(grep -c . "$out/before.txt")" -gt 40 ] && diff "$out/before.txt" "$out/after.txt" >"$out/state.diff"; then
    pass "$v: every state row is kept ($(grep -c . "$out/before.txt") rows and sequences)"
  else
    fail "$v: every state row is kept"
    head -40 "$out/state.diff" | sed 's/^/#   /'
    head -5 "$out/before.txt" | sed 's/^/#   before: /'
  fi

  # The kept state works.
  is "$(qdb "$OLD" -c "SET client_min_messages = warning" \
    -c "SELECT string_agg(kind || ' ' || object, ', ' ORDER BY kind, object) FROM minibar_migrate.rollback(2)" \
    -c "SELECT to_regnamespace('ops_b') IS NULL" 2>&1 | tr '\n' ' ')" \
    'schema "ops_b", table "ops_b"."child", table "ops_b"."items", table "ops_b"."odd", table "ops_b"."parent" t ' \
    "$v: rollback of a run made before the update drops what it created"
  sqlite3 "$DIR/upgrade.sqlite" "INSERT INTO items VALUES (201, 'new', '2024-02-01 00:00:00'), (202, 'new', '2024-02-01 00:00:01');"
  is "$(qdb "$OLD" -c "SELECT rows_upserted || ' ' || watermark_from || ' -> ' || watermark_to FROM minibar_migrate.sync_table('ops_lite', 'items', 'ops.items', '{\"watermark\": \"updated_at\"}')")" \
    "3 2024-01-01 03:20:00 -> 2024-02-01 00:00:01" \
    "$v: sync_table goes on from the watermark kept by the update (the row at it and the 2 new ones)"
  is "$(qdb "$OLD" -c "SET client_min_messages = error" \
    -c "SELECT DISTINCT run_id FROM minibar_migrate.migrate_database('ops_lite', 'ops_d', '{\"workers\": 0}')" \
    -c "SELECT DISTINCT validation_id FROM minibar_migrate.validate_database('ops_lite', 'ops_d')" 2>&1 | tr '\n' ' ')" \
    "4 2 " "$v: a new run and a new validation are numbered after the old ones"
done
[ "$failures" = 0 ]

# Shared by the operations tests (sourced): a SQLite source and the state
# every kind of call leaves in the extension's tables.
#   make_source FILE              a SQLite file: items (with a watermark
#                                 column), odd (one row to reject), parent/child,
#                                 a view (noted, not migrated)
#   make_state DB FILE            in DB (the extension installed): a server on
#                                 FILE, two migrate_database runs (schemas
#                                 ops and ops_b), a validate_database, a
#                                 sync_table watermark
# state_rows.sql prints the state; ext_catalog.sql the extension's objects.
# shellcheck source=test/scripts/tap.sh
. test/scripts/tap.sh

make_source() {
  install -d -m 755 "$(dirname "$1")" && rm -f "$1" && sqlite3 "$1" "
    CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, updated_at TEXT NOT NULL);
    WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 200)
      INSERT INTO items SELECT i, 'item ' || i, datetime('2024-01-01', '+' || i || ' minutes') FROM s;
    CREATE TABLE odd (k TEXT PRIMARY KEY, v INTEGER);
    INSERT INTO odd VALUES (NULL, 1), ('a', 2), ('b', 3);
    CREATE TABLE parent (id INTEGER PRIMARY KEY, label TEXT);
    INSERT INTO parent VALUES (1, 'one'), (2, 'two');
    CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), note TEXT);
    INSERT INTO child VALUES (1, 1, 'x'), (2, 2, 'y'), (3, 1, 'z');
    CREATE VIEW named_items AS SELECT id, name FROM items;" && chmod 644 "$1"
}

# psql in database $1, stop on the first error, unaligned tuples.
qdb() {
  local db=$1
  shift
  psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"
}

make_state() {
  qdb "$1" -c "SET client_min_messages = warning" \
    -c "CREATE SERVER ops_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '$2')" \
    -c "SELECT count(*) FROM minibar_migrate.migrate_database('ops_lite', 'ops', '{\"workers\": 0}')" \
    -c "SELECT count(*) FROM minibar_migrate.migrate_database('ops_lite', 'ops_b', '{\"workers\": 0}')" \
    -c "SELECT count(*) FROM minibar_migrate.validate_database('ops_lite', 'ops')" \
    -c "SELECT rows_upserted FROM minibar_migrate.sync_table('ops_lite', 'items', 'ops.items', '{\"watermark\": \"updated_at\"}')"
}

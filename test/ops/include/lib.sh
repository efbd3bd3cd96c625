# Shared by the operations tests (sourced): a SQLite source and the state
# every kind of call leaves in the extension's tables.
#   make_source FILE              a SQLite file: items (with a watermark
#                                 column), odd (one row to reject), parent/child,
#                                 a view (noted, not migrated)
#   make_state DB FILE            in DB (the extension installed): a server on
#                                 FILE, two migrate_database runs (schemas
#                                 ops and ops_b), a validate_database, a
#                                 sync_table watermark
#   install_release V             puts release V's install script (rebuilt
#                                 from its commit, versions/RELEASES) into
#                                 the extension directory until the test ends
# state_rows.sql prints the state; ext_catalog.sql the extension's objects.
# shellcheck source=test/scripts/tap.sh
. test/scripts/tap.sh
# The SQLite files (read by the server) and this run's scratch folder.
OPS_DIR=/var/lib/minibar_migrate/ops
out=$(mktemp -d)

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

# Releases, oldest first: "version commit" lines of versions/RELEASES.
releases() { grep -v '^#' versions/RELEASES | grep . | sort -V; }

install_release() {
  local v=$1 commit tree
  commit=$(releases | awk -v v="$v" '$1 == v { print $2 }')
  [ -n "$commit" ] || return 1
  git cat-file -e "$commit^{commit}" 2>/dev/null || {
    echo "commit $commit of release $v is not in this clone (a full git clone is needed)" >&2
    return 1
  }
  tree="$out/release-$v"
  mkdir -p "$tree" && git archive "$commit" | tar -x -C "$tree" &&
    make -s -C "$tree" "minibar_migrate--$v.sql" >/dev/null &&
    install -m 644 "$tree/minibar_migrate--$v.sql" "$(pg_config --sharedir)/extension/" &&
    installed_releases="${installed_releases:-} $(pg_config --sharedir)/extension/minibar_migrate--$v.sql"
}

# Removes what install_release put into the extension directory.
remove_releases() {
  local f
  for f in ${installed_releases:-}; do rm -f "$f"; done
  installed_releases=""
}

#!/bin/bash
# TAP test (run by scripts/test.sh with prove): the Debian package.
#
# 1. Copies the files git tracks, as they are in the working tree (so a change
#    not yet committed is tested, a file not yet added is not: as in a clone),
#    without build products (CI's working tree has objects from the earlier
#    steps), builds the copy with `dpkg-buildpackage -b -us -uc`, and checks
#    that `debian/rules clean` takes it back to those files.
# 2. Checks the .deb: the library, the control file, every install/upgrade
#    script the repository has (the one for default_version included), every
#    docs/*.md, and Depends on postgresql-15, libmariadb3 and libsqlite3-0.
# 3. `dpkg -i` it, and in a fresh private cluster 15/minibar_deb (port
#    PKG_PGPORT, default 5496; no shared_preload_libraries, made and dropped
#    here) runs CREATE EXTENSION and a small real SQLite migration with
#    migrate_database (background workers load the packaged library too) and
#    migrate_table, checking the rows that arrived; and updates from each
#    earlier release (versions/RELEASES; its install script rebuilt from its
#    commit for the test) with the packaged upgrade scripts.
#
# The package is left installed. Its files are the same paths `make install`
# writes (pg_config --pkglibdir and --sharedir), built from the same tree, so
# the shared cluster 15/main, which preloads minibar_migrate, keeps working;
# removing the package (`dpkg -r`) would delete the library that 15/main loads
# at its next restart. A later `make install` (scripts/provision.sh) simply
# writes over the package's files again. On a machine shared with others, run
# it inside the install lock (see docs/development.md).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
PORT=${PKG_PGPORT:-5496}
CLUSTER=minibar_deb
PKG=postgresql-15-minibar-migrate
# shellcheck source=test/ops/include/lib.sh
. test/ops/include/lib.sh
WORK=$(mktemp -d /tmp/minibar_deb.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  pg_dropcluster 15 "$CLUSTER" --stop >/dev/null 2>&1 || true
  remove_releases
  rm -rf "$WORK" "$out"
}
trap cleanup EXIT
q() { psql -X -q -At -v ON_ERROR_STOP=1 -p "$PORT" -d debtest "$@"; }

echo "1..16"
[ "$(id -u)" = 0 ] || bail "must run as root (dpkg -i, pg_createcluster)"
for tool in dpkg-buildpackage dh pg_buildext sqlite3 git; do
  command -v "$tool" >/dev/null || bail "$tool is missing (scripts/provision.sh installs it)"
done
pg_dropcluster 15 "$CLUSTER" --stop >/dev/null 2>&1 || true
if pg_lsclusters -h | awk -v p="$PORT" '$3 == p' | grep -q .; then
  bail "port $PORT is used by another cluster (set PKG_PGPORT)"
fi

# 1. Build from a tree without build products.
SRC=$WORK/src/minibar-migrate
mkdir -p "$SRC"
git ls-files -z --cached |
  tar --null --no-recursion --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$SRC" ||
  bail "could not copy the checkout"
start=$(now_ms)
if (cd "$SRC" && dpkg-buildpackage -b -us -uc) >"$WORK/build.log" 2>&1; then
  pass "dpkg-buildpackage -b -us -uc in a tree without build products"
else
  fail "dpkg-buildpackage -b -us -uc in a tree without build products"
  sed 's/^/#   /' "$WORK/build.log" | tail -40
  bail "no package to test"
fi
build_s=$(( ($(now_ms) - start) / 1000 ))
DEB=$(find "$WORK/src" -maxdepth 1 -name "${PKG}_*.deb" | head -1)
[ -n "$DEB" ] || bail "no ${PKG}_*.deb next to the tree"
diag "build took $build_s s; $(basename "$DEB"): $(stat -c %s "$DEB") bytes"
# debian/rules clean must take the tree back to the files it was built from.
git ls-files | while read -r f; do [ -e "$f" ] && echo "$f"; done | sort >"$WORK/tracked"
(cd "$SRC" && debian/rules clean) >"$WORK/clean.log" 2>&1
clean_rc=$?
left=$(cd "$SRC" && find . -type f -o -type l | sed 's|^\./||' | sort | comm -23 - "$WORK/tracked" | paste -sd ' ')
is "exit $clean_rc, left: ${left:-none}" "exit 0, left: none" \
  "debian/rules clean leaves only the files the build started from"
[ "$clean_rc" = 0 ] || sed 's/^/#   /' "$WORK/clean.log" | tail -20

# 2. What the package holds.
dpkg-deb -c "$DEB" | awk '{print $NF}' | sed 's|^\./|/|' >"$WORK/contents"
has() { grep -qxF "$1" "$WORK/contents"; }
LIBDIR=$(pg_config --pkglibdir)
EXTDIR=$(pg_config --sharedir)/extension
DOCDIR=/usr/share/doc/$PKG
if has "$LIBDIR/minibar_migrate.so"; then pass "has $LIBDIR/minibar_migrate.so"; else
  fail "has $LIBDIR/minibar_migrate.so"
fi
if has "$EXTDIR/minibar_migrate.control"; then pass "has $EXTDIR/minibar_migrate.control"; else
  fail "has $EXTDIR/minibar_migrate.control"
fi
default_version=$(sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" minibar_migrate.control)
want_sql=$( (echo "minibar_migrate--$default_version.sql"
  git ls-files 'minibar_migrate--*.sql' 'versions/minibar_migrate--*.sql' | xargs -r -n1 basename) | sort -u)
missing=""
for f in $want_sql; do has "$EXTDIR/$f" || missing="$missing $f"; done
is "${missing:-none}" "none" "has the install script for default_version $default_version and every committed script ($(echo "$want_sql" | paste -sd ' '))"
missing=""
for f in README.md docs/*.md; do has "$DOCDIR/$(basename "$f")" || missing="$missing $(basename "$f")"; done
is "${missing:-none}" "none" "has README.md and all $(find docs -maxdepth 1 -name '*.md' | wc -l) docs/*.md in $DOCDIR"
depends=$(dpkg-deb -f "$DEB" Depends)
missing=""
for p in postgresql-15 libmariadb3 libsqlite3-0; do
  echo "$depends" | tr ',' '\n' | grep -qE "^ *$p( |$)" || missing="$missing $p"
done
is "${missing:-none}" "none" "Depends names postgresql-15, libmariadb3 and libsqlite3-0 ($depends)"

# 3. Install it, and use it in a fresh cluster. Not a package that lacks
# files: upgrading to it would delete the shared cluster's library.
[ "$failures" = 0 ] || bail "the package lacks files: not installing it"
if dpkg -i "$DEB" >"$WORK/dpkg.log" 2>&1; then pass "dpkg -i $(basename "$DEB")"; else
  fail "dpkg -i $(basename "$DEB")"
  sed 's/^/#   /' "$WORK/dpkg.log"
  bail "not installed"
fi
is "$(dpkg -V "$PKG" 2>&1)" "" "dpkg -V: the installed files are the package's"

log=$WORK/createcluster.log
pg_createcluster 15 "$CLUSTER" -p "$PORT" --start-conf=manual -- --auth-local=trust >"$log" 2>&1 ||
  bail "pg_createcluster failed: $(tail -3 "$log")"
pg_ctlcluster 15 "$CLUSTER" start || bail "could not start $CLUSTER"
su postgres -c "psql -X -q -p $PORT -c 'CREATE ROLE root SUPERUSER LOGIN'" || bail "no role root"
createdb -p "$PORT" debtest || bail "createdb failed"
is "$(q -c "SHOW shared_preload_libraries")" "" "the fresh cluster preloads nothing"
is "$(q -c "CREATE EXTENSION minibar_migrate" -c "SELECT extversion FROM pg_extension WHERE extname = 'minibar_migrate'" 2>&1)" \
  "$default_version" "CREATE EXTENSION minibar_migrate installs version $default_version"

db=$WORK/source.sqlite
sqlite3 "$db" "CREATE TABLE rooms (id INTEGER PRIMARY KEY, code TEXT NOT NULL, floor INTEGER);
  INSERT INTO rooms (code, floor) VALUES ('101', 1), ('102', 1), ('201', 2);
  CREATE TABLE items (sku TEXT PRIMARY KEY, price NUMERIC(6,2), room_id INTEGER REFERENCES rooms(id));
  INSERT INTO items VALUES ('cola', 2.50, 1), ('nuts', 4.25, 3);" || bail "sqlite3 could not make $db"
chmod 644 "$db"
q -c "CREATE SERVER legacy FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '$db')" || bail "CREATE SERVER failed"
is "$(PGOPTIONS="-c client_min_messages=warning" q -c "SELECT string_agg(source_name || ':' || rows_copied || '/' || rows_source, ' ' ORDER BY source_name)
              FROM minibar_migrate.migrate_database('legacy', 'app') WHERE kind = 'table'" 2>&1)" \
  "items:2/2 rooms:3/3" "migrate_database copies every row of both SQLite tables"
is "$(q -c "SELECT string_agg(conrelid::regclass::text || ' ' || contype::text, ', '
                                ORDER BY conrelid::regclass::text, contype::text)
              FROM pg_constraint WHERE connamespace = 'app'::regnamespace AND contype IN ('p', 'f')" 2>&1)" \
  "app.items f, app.items p, app.rooms p" "keys and the foreign key are built after the load"
is "$(q -c "SELECT string_agg(r.code || '@' || r.floor || '=' || coalesce(i.sku || ' ' || i.price, '-'), ', ' ORDER BY r.id)
              FROM app.rooms r LEFT JOIN app.items i ON i.room_id = r.id" 2>&1)" \
  "101@1=cola 2.50, 102@1=-, 201@2=nuts 4.25" "the migrated rows hold the source's values"
is "$(PGOPTIONS="-c client_min_messages=warning" q -c "SELECT target::text || ' ' || rows_copied || ' ' || rows_rejected
              FROM minibar_migrate.migrate_table('legacy', 'rooms', 'public.rooms_copy')" 2>&1)" \
  "rooms_copy 3 0" "migrate_table copies a table into a named target"
# Every earlier release updates to default_version with the packaged upgrade
# scripts.
earlier=$(releases | awk '{ print $1 }' | paste -sd ' ')
updated=""
for v in $earlier; do
  install_release "$v" || bail "could not rebuild release $v's install script"
  createdb -p "$PORT" "debtest_$v" || bail "createdb failed"
  updated="$updated $v->$(psql -X -q -At -v ON_ERROR_STOP=1 -p "$PORT" -d "debtest_$v" \
    -c "CREATE EXTENSION minibar_migrate VERSION '$v'" -c "ALTER EXTENSION minibar_migrate UPDATE" \
    -c "SELECT extversion FROM pg_extension WHERE extname = 'minibar_migrate'" 2>&1)"
done
want=""
for v in $earlier; do want="$want $v->$default_version"; done
is "${updated:-none}" "${want:-none}" "CREATE EXTENSION VERSION, then ALTER EXTENSION UPDATE, from each earlier release (${earlier:-none})"
[ "$tests" = 16 ] && [ "$failures" = 0 ]

#!/bin/bash
# Runs every test: unit tests (plain and under ASan/UBSan), pg_regress
# (make installcheck), pgTAP (pg_prove), the restart tests and the Debian
# package (test/package), after provisioning the machine.
# Fails when any test fails or the PostgreSQL log shows a crashed backend.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PGLOG=/var/log/postgresql/postgresql-15-main.log

WERROR=1 bash scripts/provision.sh
log_start=$(stat -c %s "$PGLOG" 2>/dev/null || echo 0)

echo "== unit tests (GoogleTest, warnings as errors)"
cmake -S . -B build/unit -DMINIBAR_WERROR=ON >/dev/null
cmake --build build/unit -j"$(nproc)"
ctest --test-dir build/unit --output-on-failure

echo "== unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build/asan -DMINIBAR_WERROR=ON -DMINIBAR_SANITIZE=ON >/dev/null
cmake --build build/asan -j"$(nproc)"
ctest --test-dir build/asan --output-on-failure

echo "== pg_regress"
if ! make -s installcheck; then
  cat regression.diffs 2>/dev/null || true
  exit 1
fi

echo "== pgTAP"
psql -d postgres -qc "DROP DATABASE IF EXISTS minibar_tap" -qc "CREATE DATABASE minibar_tap"
pg_prove -d minibar_tap test/pgtap/*.sql

echo "== public corpus (test/corpus: migrate, then compare every value with mariadb / sqlite3)"
prove -v -e python3 test/corpus/corpus_check.py

echo "== operations (test/ops: update from every earlier release, pg_dump / pg_restore of the state)"
prove -v -e bash test/ops/*.sh

echo "== README quick use (the block in README.md, run as written against the bundled sample)"
prove -v -e bash test/docs/readme_quickuse.sh

echo "== restart tests (a private PostgreSQL cluster and a private MariaDB are restarted)"
prove -v -e bash test/restart/*.sh

echo "== Debian package (built from a copy without build products, dpkg -i, used in a fresh cluster)"
prove -v -e bash test/package/*.sh

echo "== server log"
if tail -c +"$((log_start + 1))" "$PGLOG" | grep -E "terminated by signal|server process .* was terminated|PANIC"; then
  echo "a PostgreSQL backend crashed during the tests (see $PGLOG)" >&2
  exit 1
fi
echo "no crashed backend in $PGLOG"
echo "== all tests passed ($ROOT)"

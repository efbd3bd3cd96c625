#!/bin/bash
# A real run over the bundled sample: builds the hotel minibar SQLite database
# from test/fixtures/minibar_sample.sql, imports it into PostgreSQL database
# minibar_demo through minibar_sqlite, runs the demo queries over the live
# source, then migrates the whole database into schema minibar with
# minibar_migrate.migrate_database and checks the copy. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=/var/lib/minibar_migrate/demo
DB=$DIR/minibar_sample.sqlite

install -d -m 755 "$DIR"
rm -f "$DB"
sqlite3 "$DB" < test/fixtures/minibar_sample.sql
chmod 644 "$DB"

psql -d postgres -qAt -c "SELECT 1 FROM pg_database WHERE datname = 'minibar_demo'" | grep -q 1 \
  || psql -d postgres -qc "CREATE DATABASE minibar_demo"
psql -d minibar_demo -v ON_ERROR_STOP=1 -q -v db="$DB" <<'SQL'
-- The extension is recreated so the demo always runs the installed version.
DROP EXTENSION IF EXISTS minibar_migrate CASCADE;
CREATE EXTENSION minibar_migrate;
DROP SCHEMA IF EXISTS minibar_sample CASCADE;
DROP SERVER IF EXISTS minibar_sample_sqlite CASCADE;
CREATE SERVER minibar_sample_sqlite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'db');
CREATE SCHEMA minibar_sample;
IMPORT FOREIGN SCHEMA main FROM SERVER minibar_sample_sqlite INTO minibar_sample;
ANALYZE minibar_sample.stock_movements;
SQL
echo "== imported $DB into minibar_demo.minibar_sample"
psql -d minibar_demo -v ON_ERROR_STOP=1 -f scripts/demo_queries.sql
echo "== migrating it into real tables (schema minibar) with migrate_database"
psql -X -d minibar_demo -v ON_ERROR_STOP=1 -f scripts/demo_migrate.sql

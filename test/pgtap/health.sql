-- health(): every area reports, the biggest table comes first, the last
-- migration run and validation are the caller's latest, and the
-- pg_stat_statements row explains what is missing (not installed; installed
-- but not preloaded, as in this cluster).
\ir include/helpers.sql
\set lite_db /var/lib/minibar_migrate/tap/health.sqlite
\set lite_load `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/health.sqlite "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b');"`
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS pg_stat_statements;
DROP SCHEMA IF EXISTS tap_health CASCADE;
DROP SERVER IF EXISTS tap_health CASCADE;
CREATE SCHEMA tap_health;
CREATE TABLE tap_health.biggest AS SELECT g AS id, repeat('x', 500) AS pad FROM generate_series(1, 200000) g;
ANALYZE tap_health.biggest;
CREATE SERVER tap_health FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');

SELECT plan(10);
SELECT is(:'lite_load'::text, 'ok', 'SQLite fixture written');
SELECT is((SELECT string_agg(DISTINCT area, ',' ORDER BY area) FROM minibar_migrate.health()),
          'cache,connections,migration,size,statements,validation', 'every area has a row');
SELECT is((SELECT item FROM minibar_migrate.health() WHERE area = 'size' AND item LIKE 'table %' LIMIT 1),
          'table tap_health.biggest', 'the biggest table is listed first');
SELECT matches((SELECT detail FROM minibar_migrate.health() WHERE item = 'table tap_health.biggest'),
               '^[0-9]+ bytes with indexes and TOAST; about 200000 rows$', 'with its size in bytes and its rows');
SELECT matches((SELECT value FROM minibar_migrate.health() WHERE area = 'cache'), '^[0-9.]+ %$', 'a cache hit ratio in %');
SELECT ok((SELECT sum(value::int) >= 1 FROM minibar_migrate.health() WHERE area = 'connections'),
          'connections by state (this one at least)');
SELECT matches((SELECT detail FROM minibar_migrate.health() WHERE area = 'statements'),
               '^pg_stat_statements is not installed', 'without pg_stat_statements: a clear note');
CREATE EXTENSION pg_stat_statements;
SELECT matches((SELECT detail FROM minibar_migrate.health() WHERE area = 'statements'),
               'installed but not loaded', 'installed but not preloaded: says so instead of failing');
DROP EXTENSION pg_stat_statements;
SELECT minibar_migrate.migrate_table('tap_health', 't', 'tap_health.t', '{"workers": 0}') \g /dev/null
SELECT count(*) FROM minibar_migrate.validate_database('tap_health', 'tap_health') \g /dev/null
SELECT matches((SELECT value || ' ' || detail FROM minibar_migrate.health() WHERE area = 'migration'),
               '^done run [0-9]+: table of server tap_health into tap_health', 'the last migration run');
SELECT matches((SELECT value || ' ' || detail FROM minibar_migrate.health() WHERE area = 'validation'),
               '^ok validation [0-9]+ of server tap_health into tap_health at .*: 1 table\(s\), 0 differing, 0 orphan',
               'the last validation');

SELECT * FROM finish();
DROP SCHEMA tap_health CASCADE;
DROP SERVER tap_health CASCADE;

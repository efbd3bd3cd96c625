-- A migration that fails in the middle of a batch, caught by a PL/pgSQL
-- exception block: the block rolls back exactly its own work (nothing of the
-- run stays, nothing of the block stays), and the caller's search_path is the
-- caller's again. The failure is deterministic: a SQLite table whose virtual
-- generated column overflows at row 15,000, so the scan fails there (count(*)
-- does not compute the column, so planning passes) while the loader is inside
-- its per-batch subtransaction.
\ir include/helpers.sql
\set bad_db /var/lib/minibar_migrate/tap/unwind.sqlite
\set fixture_load `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/unwind.sqlite "CREATE TABLE big (id INTEGER PRIMARY KEY, pad TEXT NOT NULL); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO big SELECT i, printf('%.200c', 'x') FROM n; ALTER TABLE big ADD COLUMN g INTEGER GENERATED ALWAYS AS (CASE WHEN id = 15000 THEN abs(-9223372036854775807 - 1) ELSE id END) VIRTUAL; CREATE TABLE small (id INTEGER PRIMARY KEY, label TEXT); INSERT INTO small VALUES (1, 'one');"`
\set source_count `sqlite3 /var/lib/minibar_migrate/tap/unwind.sqlite "SELECT count(*) FROM big" 2>&1`
\set source_fault `sqlite3 /var/lib/minibar_migrate/tap/unwind.sqlite "SELECT count(g) FROM big" 2>&1`
SET client_min_messages = warning;
DROP SERVER IF EXISTS tap_unwind CASCADE;
DROP SCHEMA IF EXISTS tap_unwind_db CASCADE;
CREATE SERVER tap_unwind FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'bad_db');
CREATE SCHEMA IF NOT EXISTS tap_unwind_path;
SET search_path = tap_unwind_path, public;

SELECT plan(21);
SELECT is(:'fixture_load'::text, 'ok', 'SQLite fixture written');
SELECT is(:'source_count'::text, '20000', 'the sqlite3 CLI counts big''s 20,000 rows');
SELECT matches(:'source_fault'::text, 'integer overflow', 'the sqlite3 CLI fails reading g (the fault is in the file)');

-- How the block ended, and what it did before the call.
CREATE TEMP TABLE outcome (label text PRIMARY KEY, code text, message text);
CREATE TEMP TABLE marker (label text);
-- Inserts a marker row, runs q, and records how q ended; all inside one
-- exception block, so the marker must vanish when q fails.
CREATE FUNCTION pg_temp.attempt(label text, q text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    INSERT INTO marker VALUES (label);
    EXECUTE q;
    INSERT INTO outcome VALUES (label, 'no error', NULL);
  EXCEPTION WHEN OTHERS THEN
    INSERT INTO outcome VALUES (label, SQLSTATE, SQLERRM);
  END;
END $$;
SELECT count(*) AS runs_before FROM minibar_migrate.runs \gset

-- 1. migrate_table in the caller's transaction.
SELECT pg_temp.attempt('table', $$SELECT * FROM minibar_migrate.migrate_table('tap_unwind', 'big', 'unwind_big', '{"workers": 0}')$$);
-- (read before anything else runs: with a wrong search_path pgTAP is not found)
SELECT current_setting('search_path') AS path_after \gset
SET search_path = tap_unwind_path, public;
SELECT is((SELECT code FROM outcome WHERE label = 'table'), 'HV000',
          'migrate_table of the failing table fails with fdw_error');
SELECT matches((SELECT message FROM outcome WHERE label = 'table'), 'integer overflow',
               'the error is SQLite''s integer overflow');
SELECT is(:'path_after'::text, 'tap_unwind_path, public',
          'the caller''s search_path is back after the failed migrate_table');
SELECT is((SELECT count(*) FROM marker WHERE label = 'table'), 0::bigint,
          'the exception block rolled back its own work (marker row gone)');
SELECT is(to_regclass('tap_unwind_path.unwind_big'), NULL, 'no target table is left');
SELECT is((SELECT count(*) FROM minibar_migrate.runs), :runs_before::bigint, 'no run is left');

-- 2. migrate_database: big fails after small was copied.
SELECT pg_temp.attempt('database', $$SELECT * FROM minibar_migrate.migrate_database('tap_unwind', 'tap_unwind_db', '{"workers": 0}')$$);
SELECT current_setting('search_path') AS path_after \gset
SET search_path = tap_unwind_path, public;
SELECT is((SELECT code FROM outcome WHERE label = 'database'), 'HV000',
          'migrate_database fails with fdw_error');
SELECT is(:'path_after'::text, 'tap_unwind_path, public',
          'search_path is back after the failed migrate_database');
SELECT is((SELECT count(*) FROM marker WHERE label = 'database'), 0::bigint,
          'the block''s marker row is gone');
SELECT is(to_regnamespace('tap_unwind_db'), NULL, 'the schema the run created is gone');
SELECT is((SELECT count(*) FROM minibar_migrate.runs), :runs_before::bigint, 'no run is left');

-- 3. The same failure twice in one transaction block, with a savepoint
-- around each: every level unwinds to its own savepoint.
BEGIN;
INSERT INTO marker VALUES ('outer');
SAVEPOINT a;
SELECT pg_temp.attempt('nested 1', $$SELECT * FROM minibar_migrate.migrate_table('tap_unwind', 'big', 'unwind_big')$$);
SELECT pg_temp.attempt('nested 2', $$SELECT * FROM minibar_migrate.migrate_table('tap_unwind', 'big', 'unwind_big')$$);
RELEASE SAVEPOINT a;
SELECT current_setting('search_path') AS path_after \gset
SET search_path = tap_unwind_path, public;
SELECT is((SELECT string_agg(label, ',' ORDER BY label) FROM marker), 'outer',
          'inside a transaction block: only the outer marker stays');
SELECT is((SELECT string_agg(code, ',' ORDER BY label) FROM outcome WHERE label LIKE 'nested%'),
          'HV000,HV000', 'both nested attempts failed with fdw_error');
COMMIT;
SELECT is((SELECT count(*) FROM marker WHERE label = 'outer'), 1::bigint,
          'the outer work committed with the transaction');
SELECT is(current_setting('search_path'), 'tap_unwind_path, public',
          'search_path is the caller''s after the transaction');

-- 4. The backend goes on: a good table from the same file migrates.
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_unwind', 'small', 'unwind_small', '{"workers": 0}')),
          1::bigint, 'the same session then migrates the intact table');
SELECT is((SELECT label FROM tap_unwind_path.unwind_small), 'one', 'with its row');
SELECT is((SELECT count(*) FROM minibar_migrate.runs), :runs_before::bigint + 1, 'one run recorded: the good one');

SELECT * FROM finish();
DROP TABLE tap_unwind_path.unwind_small;
DELETE FROM minibar_migrate.runs WHERE server = 'tap_unwind';
DROP SCHEMA tap_unwind_path CASCADE;
DROP SERVER tap_unwind CASCADE;

-- The extension's state from the security side: only the extension's code
-- writes its tables (no role, PUBLIC included, holds INSERT, UPDATE, DELETE
-- or TRUNCATE); reads go through row-level security; a run is rolled back or
-- resumed only by the role that started it; tasks carry data, never SQL
-- text; the progress view shows each role its own runs; the functions are
-- safe under a hostile search_path; worker requests are capped. See
-- docs/security.md.
--
-- Roles (created here, dropped at the end): tap_state_alice and tap_state_bob,
-- plain login roles that migrate with their own rights; tap_state_mallory, a
-- plain role that plants rows and operators. Source: a SQLite file made here
-- with the sqlite3 CLI: items (5 rows, an index on n).
\ir include/helpers.sql
\set lite_db /tmp/minibar_tap_state/security_state.sqlite
\set fixture_load `test/pgtap/include/sqlite_fixture.sh /tmp/minibar_tap_state/security_state.sqlite "CREATE TABLE items (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, label TEXT); CREATE INDEX items_n ON items (n); INSERT INTO items VALUES (1, 1, 'one'), (2, 2, 'two'), (3, 3, 'three'), (4, 4, 'four'), (5, 5, 'five');"`
SET client_min_messages = warning;

CALL pg_temp.drop_leftovers('{tap_state_a,tap_state_b,tap_state_root,tap_state_evil}', '{tap_state_lite}', roles => '{tap_state_alice,tap_state_bob,tap_state_mallory}');
CREATE ROLE tap_state_alice LOGIN;
CREATE ROLE tap_state_bob LOGIN;
CREATE ROLE tap_state_mallory LOGIN;
CREATE SERVER tap_state_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');
GRANT USAGE ON FOREIGN SERVER tap_state_lite TO tap_state_alice, tap_state_bob, tap_state_mallory;
CREATE SCHEMA tap_state_a AUTHORIZATION tap_state_alice;
CREATE SCHEMA tap_state_b AUTHORIZATION tap_state_bob;
CREATE SCHEMA tap_state_root;
CREATE SCHEMA tap_state_evil AUTHORIZATION tap_state_mallory;

CREATE FUNCTION pg_temp.code(q text) RETURNS text LANGUAGE sql AS $$
  SELECT pg_temp.try_sql(q) ->> 'code'
$$;
CREATE FUNCTION pg_temp.mallory_is_superuser() RETURNS boolean LANGUAGE sql AS $$
  SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'tap_state_mallory'
$$;

SELECT plan(36);
SELECT is(:'fixture_load'::text, 'ok', 'SQLite fixture written');

-- ======================================================= 1. nobody writes the state tables
SELECT is((SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
                 unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p
            WHERE n.nspname = 'minibar_migrate' AND c.relkind = 'r'
              AND (has_table_privilege('tap_state_mallory', c.oid, p)
                   OR has_table_privilege('tap_state_alice', c.oid, p))),
          0::bigint, 'no state table grants INSERT, UPDATE, DELETE or TRUNCATE to a plain role');
SELECT is((SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'minibar_migrate' AND c.relkind = 'r' AND NOT c.relrowsecurity),
          0::bigint, 'every state table has row-level security');
SET ROLE tap_state_mallory;
SELECT is(pg_temp.code($$INSERT INTO minibar_migrate.runs (kind, server, target_schema, status, started_by, resumable, workers) VALUES ('database', 'tap_state_lite', 'tap_state_root', 'failed', 'root', true, 2)$$),
          '42501', 'a plain role cannot plant a failed resumable run');
SELECT is(pg_temp.code($$INSERT INTO minibar_migrate.validations (server, target_schema, ok, finished_at, run_by) VALUES ('tap_state_lite', 'tap_state_root', true, now(), 'root')$$),
          '42501', 'nor a validation');
SELECT is(pg_temp.code($$INSERT INTO minibar_migrate.table_syncs (server, remote_table, target, watermark_column, watermark_kind, watermark_value, owner) VALUES ('tap_state_lite', 'items', 1, 'id', 'integer', '999', 'root')$$),
          '42501', 'nor a sync_table watermark');
SELECT is(pg_temp.code($$UPDATE minibar_migrate.runs SET status = 'failed'$$), '42501',
          'nor update runs');
SELECT is(pg_temp.code($$DELETE FROM minibar_migrate.rejects$$), '42501', 'nor delete rejects');
RESET ROLE;

-- ======================================================= 2. each role's runs are its own
SET ROLE tap_state_alice;
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_state_lite', 'items', 'tap_state_a.items', '{"workers": 0}')),
          5::bigint, 'alice migrates into her schema with her own rights');
SELECT is((SELECT started_by::text FROM minibar_migrate.runs ORDER BY run_id DESC LIMIT 1), 'tap_state_alice',
          'her run records her as its owner (not the tables'' owner)');
RESET ROLE;
SELECT max(run_id) AS alice_run FROM minibar_migrate.runs WHERE started_by = 'tap_state_alice' \gset
-- The progress view lists unfinished runs only: for its checks her run is
-- made failed (as a superuser), and that is rolled back afterwards.
BEGIN;
UPDATE minibar_migrate.runs SET status = 'failed' WHERE run_id = :alice_run;
SET ROLE tap_state_alice;
SELECT is((SELECT count(*) FROM minibar_migrate.progress WHERE target_table LIKE '"tap_state_a".%'), 1::bigint,
          'she sees her (unfinished) run in the progress view');
RESET ROLE;
SET ROLE tap_state_bob;
SELECT is((SELECT count(*) FROM minibar_migrate.progress), 0::bigint,
          'bob does not see it in the progress view (security_invoker)');
RESET ROLE;
ROLLBACK;
SET ROLE tap_state_bob;
SELECT is((SELECT count(*) FROM minibar_migrate.runs), 0::bigint, 'bob sees no run of alice''s');
SELECT is((SELECT count(*) FROM minibar_migrate.run_tasks), 0::bigint, 'nor her tasks');
SELECT is(pg_temp.code(format('SELECT * FROM minibar_migrate.rollback(%s)', :alice_run)), '42704',
          'bob cannot roll back alice''s run: for him it does not exist');
SELECT is(pg_temp.code(format('SELECT * FROM minibar_migrate.rollback(%s, %L)', :alice_run, 'because')), '42704',
          'nor with a reason');
RESET ROLE;
SELECT is(pg_temp.code(format('SELECT * FROM minibar_migrate.rollback(%s)', :alice_run)), '42501',
          'a superuser who did not start the run cannot roll it back either (42501)');
SELECT ok(to_regclass('tap_state_a.items') IS NOT NULL, 'alice''s table is still there');

-- ======================================================= 3. tasks are data, never SQL text
SELECT is((SELECT count(*) FROM information_schema.columns
            WHERE table_schema = 'minibar_migrate' AND table_name = 'run_tasks' AND column_name = 'sql'),
          0::bigint, 'run_tasks has no SQL column');
SELECT is((SELECT count(*) FROM minibar_migrate.run_tasks
            WHERE run_id = :alice_run AND kind = 'index'
              AND detail ?& ARRAY['kind', 'name', 'columns', 'order']
              AND detail::text !~* '(create|alter|drop) '), 2::bigint,
          'her index and key tasks carry names and columns as data');
SELECT is((SELECT count(*) FROM minibar_migrate.run_objects
            WHERE run_id = :alice_run AND kind = 'table'
              AND relation = 'tap_state_a.items'::regclass),
          1::bigint, 'the table the run created is recorded by its OID');

-- ======================================================= 4. rollback: by the owner, by OID
SET ROLE tap_state_alice;
SELECT is((SELECT array_agg(kind || ' ' || object) FROM minibar_migrate.rollback(:alice_run)),
          ARRAY['table "tap_state_a"."items"'], 'alice rolls her run back');
SELECT ok(to_regclass('tap_state_a.items') IS NULL, 'its table is gone');
SELECT is((SELECT status FROM minibar_migrate.runs WHERE run_id = :alice_run), 'rolled back',
          'the run says rolled back');
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_state_lite', 'items', 'tap_state_a.items', '{"workers": 0}')),
          5::bigint, 'alice migrates again');
RESET ROLE;
SELECT max(run_id) AS alice_run2 FROM minibar_migrate.runs WHERE started_by = 'tap_state_alice' \gset
-- The table the run created is replaced by another object of the same name.
SET ROLE tap_state_alice;
ALTER TABLE tap_state_a.items RENAME TO items_kept;
CREATE TABLE tap_state_a.items (x int);
SELECT is((SELECT array_agg(object) FROM minibar_migrate.rollback(:alice_run2)),
          ARRAY['"tap_state_a"."items" (not dropped: it is now "tap_state_a"."items_kept" owned by tap_state_alice, not what the run created)'],
          'rollback drops no object that is not the one the run created (renamed since): it says so');
SELECT ok(to_regclass('tap_state_a.items') IS NOT NULL AND to_regclass('tap_state_a.items_kept') IS NOT NULL,
          'both tables are still there');
RESET ROLE;

-- ======================================================= 5. a hostile search_path
-- Mallory's operator = (bigint, bigint) would make her superuser if anything
-- the superuser runs resolved = through her schema.
SET ROLE tap_state_mallory;
CREATE FUNCTION tap_state_evil.eq(a bigint, b bigint) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    EXECUTE 'ALTER ROLE tap_state_mallory SUPERUSER';
  EXCEPTION WHEN insufficient_privilege THEN NULL;
  END;
  RETURN a OPERATOR(pg_catalog.=) b;
END $$;
CREATE OPERATOR tap_state_evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = tap_state_evil.eq);
CREATE FUNCTION tap_state_evil.clock_timestamp() RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    EXECUTE 'ALTER ROLE tap_state_mallory SUPERUSER';
  EXCEPTION WHEN insufficient_privilege THEN NULL;
  END;
  RETURN pg_catalog.now();
END $$;
GRANT USAGE ON SCHEMA tap_state_evil TO PUBLIC;
RESET ROLE;
-- (pgTAP's own functions resolve operators by search_path too: the result is
-- kept in a variable and checked once search_path is back.)
SET search_path = tap_state_evil, pg_catalog, public;
SELECT string_agg(kind, ',') AS evil_path_run FROM minibar_migrate.migrate_database('tap_state_lite', 'tap_state_root', '{"workers": 0}') \gset
RESET search_path;
SELECT is(:'evil_path_run'::text, 'table', 'the superuser migrates with mallory''s schema first in search_path');
SELECT ok(NOT pg_temp.mallory_is_superuser(), 'mallory''s operator and function never ran as the superuser');
SELECT is((SELECT count(*) FROM tap_state_root.items), 5::bigint, 'the rows arrived');

-- ======================================================= 6. worker caps
SET minibar_migrate.max_workers = 0;
SELECT is(pg_temp.code($$SELECT * FROM minibar_migrate.migrate_table('tap_state_lite', 'items', 'tap_state_root.items_w', '{"workers": 2}')$$),
          '53000', 'with minibar_migrate.max_workers = 0 no run gets a worker (53000)');
SET minibar_migrate.max_workers = 8;
SET minibar_migrate.max_workers_per_user = 1;
SET ROLE tap_state_bob;
SET client_min_messages = notice;
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_state_lite', 'items', 'tap_state_b.items', '{"workers": 6}')),
          5::bigint, 'bob asks for 6 workers and his run completes');
SET client_min_messages = warning;
SELECT is((SELECT workers FROM minibar_migrate.runs ORDER BY run_id DESC LIMIT 1), 1,
          'with 1 worker: his request was lowered to minibar_migrate.max_workers_per_user');
SELECT is(pg_temp.code($$SET minibar_migrate.max_workers = 64$$), '42501',
          'a plain role cannot raise the cap');
RESET ROLE;
RESET minibar_migrate.max_workers;
RESET minibar_migrate.max_workers_per_user;
SELECT is(current_setting('minibar_migrate.max_workers'), '-1',
          'by default the cap is -1: half of max_worker_processes');
SELECT ok(NOT pg_temp.mallory_is_superuser(), 'at the end mallory is still not superuser');

SELECT * FROM finish();
CALL pg_temp.drop_leftovers('{tap_state_a,tap_state_b,tap_state_root,tap_state_evil}', '{tap_state_lite}', roles => '{tap_state_alice,tap_state_bob,tap_state_mallory}');

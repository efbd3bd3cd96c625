-- validate_database: every table's counts and checksums plus orphan rows per
-- foreign key, recorded in minibar_migrate.validations (+ validation_tables,
-- validation_foreign_keys, validation_latest); then the same scheduled with
-- pg_cron, whose run is seen recorded. Source: a SQLite file made here with
-- the sqlite3 CLI: parents (20 rows) and kids (300 rows, 2 of them pointing
-- to parents that do not exist: SQLite does not enforce foreign keys).
\ir include/helpers.sql
\set test_db :DBNAME
\set lite_db /var/lib/minibar_migrate/tap/validate_db.sqlite
\set lite_load `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/validate_db.sqlite "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL); CREATE TABLE kids (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id), note TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO kids SELECT i, CASE i WHEN 77 THEN 901 WHEN 78 THEN 902 ELSE 1 + i % 20 END, 'kid ' || i FROM n; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO parents SELECT i, 'parent ' || i FROM n;"`

-- pg_cron lives in the database cron.database_name (postgres); its extension
-- is created there, and the job (every minute, run in this database) is made
-- from a second session (test/scripts/cron_job.sh).
\connect postgres
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_cron;
\connect :test_db
-- A new session: its pg_temp helpers are made again.
\ir include/helpers.sql
\set unscheduled `test/scripts/cron_job.sh unschedule minibar_tap_validate 2>&1`
\set unscheduled_raise `test/scripts/cron_job.sh unschedule minibar_tap_validate_raise 2>&1`
SET client_min_messages = warning;
CALL pg_temp.drop_leftovers('{tap_vdb,tap_vdb_cron}', '{tap_vdb}');
DELETE FROM minibar_migrate.validations WHERE server = 'tap_vdb';
CREATE SERVER tap_vdb FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');
CREATE TEMP TABLE out (label text, validation_id bigint, kind text, source_table text, target_table text,
  source_rows bigint, target_rows bigint, ok boolean, chunks_differing integer, rows_differing bigint,
  seconds double precision, detail text);
CREATE FUNCTION pg_temp.vdb(label text, schema name, opts jsonb DEFAULT '{}') RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO out SELECT label, v.* FROM minibar_migrate.validate_database('tap_vdb', schema, opts) v;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ' ' || SQLERRM;
END $$;

SELECT plan(29);
SELECT is(:'lite_load'::text, 'ok', 'SQLite fixture written');
SELECT is((SELECT string_agg(source_name || ':' || rows_copied, ',' ORDER BY source_name)
             FROM minibar_migrate.migrate_database('tap_vdb', 'tap_vdb', '{"workers": 0}') WHERE kind = 'table'),
          'kids:300,parents:20', 'the fixture migrates (its foreign key with orphans becomes NOT VALID)');

-- 1. Right after the migration.
SELECT is(pg_temp.vdb('first', 'tap_vdb'), 'ok', 'validate_database runs');
SELECT results_eq($$SELECT kind, source_table, target_table, source_rows, target_rows, ok, rows_differing
                      FROM out WHERE label = 'first' ORDER BY kind DESC, source_table$$,
                  $$VALUES ('table', 'kids', 'tap_vdb.kids', 300::bigint, 300::bigint, true, 0::bigint),
                           ('table', 'parents', 'tap_vdb.parents', 20, 20, true, 0),
                           ('foreign_key', 'kids_parent_id_fkey', 'tap_vdb.kids', NULL, NULL, false, 2)$$,
                  'both tables equal; the foreign key has the 2 orphan rows the source had');
SELECT matches((SELECT detail FROM out WHERE label = 'first' AND kind = 'foreign_key'),
               '^2 orphan row\(s\), e\.g\. \{"parent_id" : 90[12]\}$', 'the orphans are shown by example');
SELECT results_eq($$SELECT ok, tables, tables_differing, orphans, finished_at IS NOT NULL, server::text COLLATE "default", target_schema::text COLLATE "default"
                      FROM minibar_migrate.validations WHERE validation_id = (SELECT max(validation_id) FROM out WHERE label = 'first')$$,
                  $$VALUES (false, 2, 0, 2::bigint, true, 'tap_vdb', 'tap_vdb')$$,
                  'recorded in validations: not ok (orphans), 2 tables, none differing, 2 orphans, finished');
SELECT is((SELECT count(*) FROM minibar_migrate.validation_tables
            WHERE validation_id = (SELECT max(validation_id) FROM out WHERE label = 'first')), 2::bigint,
          'a validation_tables row per table');
SELECT is((SELECT orphans || ' ' || example FROM minibar_migrate.validation_foreign_keys
            WHERE validation_id = (SELECT max(validation_id) FROM out WHERE label = 'first')),
          '2 {"parent_id" : 901}', 'a validation_foreign_keys row with the count and the first orphan');

-- 2. After damage: a parent deleted, a kid changed.
ALTER TABLE tap_vdb.kids DROP CONSTRAINT kids_parent_id_fkey;
DELETE FROM tap_vdb.parents WHERE id = 5;
ALTER TABLE tap_vdb.kids ADD CONSTRAINT kids_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES tap_vdb.parents (id) NOT VALID;
UPDATE tap_vdb.kids SET note = 'changed' WHERE id = 150;
SELECT is(pg_temp.vdb('damaged', 'tap_vdb'), 'ok', 'validate_database again');
SELECT results_eq($$SELECT kind, source_table, ok, rows_differing FROM out WHERE label = 'damaged' ORDER BY kind DESC, source_table$$,
                  $$VALUES ('table', 'kids', false, 1::bigint), ('table', 'parents', false, 1),
                           ('foreign_key', 'kids_parent_id_fkey', false, 17)$$,
                  'kids: 1 row differs, parents: 1 row missing, orphans: 2 + the 15 kids of parent 5');
SELECT matches((SELECT detail FROM out WHERE label = 'damaged' AND source_table = 'parents'),
               '^1 of 1 chunk\(s\) differ; chunk 1: 1 row\(s\) differ$', 'the table''s detail says how much differs');
SELECT results_eq($$SELECT source_table, ok, validation_id FROM minibar_migrate.validation_latest
                     WHERE server = 'tap_vdb' ORDER BY source_table$$,
                  $$SELECT source_table, ok, validation_id FROM out WHERE label = 'damaged' AND kind = 'table' ORDER BY source_table$$,
                  'validation_latest shows the latest verdict per table');

-- 3. Options and a missing target table.
SELECT is(pg_temp.vdb('only kids', 'tap_vdb', '{"tables": ["kids"]}'), 'ok', '"tables": ["kids"]');
SELECT is((SELECT string_agg(source_table, ',') FROM out WHERE label = 'only kids' AND kind = 'table'), 'kids',
          'only kids is validated');
SELECT is(pg_temp.vdb('no kids', 'tap_vdb', '{"exclude": ["kids"]}'), 'ok', '"exclude": ["kids"]');
SELECT is((SELECT string_agg(source_table, ',') FROM out WHERE label = 'no kids' AND kind = 'table'), 'parents',
          'kids is left out');
SELECT matches(pg_temp.vdb('bad opt', 'tap_vdb', '{"tabels": []}'), '^22023 invalid validation option "tabels"',
               'an unknown option is 22023');
CREATE SCHEMA tap_vdb_cron;
CREATE TABLE tap_vdb_cron.parents (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO tap_vdb_cron.parents SELECT id, name FROM tap_vdb.parents;
INSERT INTO tap_vdb_cron.parents VALUES (5, 'parent 5');
SELECT is(pg_temp.vdb('partial', 'tap_vdb_cron'), 'ok', 'a schema that lacks a table');
SELECT results_eq($$SELECT source_table, ok, detail FROM out WHERE label = 'partial' ORDER BY source_table$$,
                  $$VALUES ('kids', false, 'no table "kids" in schema "tap_vdb_cron"'), ('parents', true, NULL)$$,
                  'the missing table fails, the other still validates (equal)');

-- raise_on_mismatch: the verdict as an ERROR naming what differs.
SELECT is(pg_temp.vdb('raise', 'tap_vdb', '{"raise_on_mismatch": true}'),
          '22000 validation ' || (SELECT max(validation_id) + 1 FROM minibar_migrate.validations) ||
          ' found differences: 2 table(s) differ (kids, parents); 1 foreign key(s) have orphans (kids_parent_id_fkey on tap_vdb.kids)',
          'raise_on_mismatch: 22000 naming the differing tables and the foreign key with orphans');
SELECT is((SELECT count(*) FROM out WHERE label = 'raise'), 0::bigint, 'and no rows are returned');
SELECT is(pg_temp.vdb('raise equal', 'tap_vdb_cron', '{"tables": ["parents"], "raise_on_mismatch": true}'), 'ok',
          'raise_on_mismatch with everything equal: no error');
SELECT matches(pg_temp.vdb('raise bad', 'tap_vdb', '{"raise_on_mismatch": 1}'), '^22023 invalid validation option "raise_on_mismatch"',
               'raise_on_mismatch must be a boolean');

-- 4. Each user sees their own validations.
DROP ROLE IF EXISTS tap_vdb_other;
CREATE ROLE tap_vdb_other;
SET ROLE tap_vdb_other;
SELECT is((SELECT count(*) FROM minibar_migrate.validations), 0::bigint, 'another user sees none of them');
SELECT is((SELECT count(*) FROM minibar_migrate.validation_latest), 0::bigint, 'nor their latest verdicts');
RESET ROLE;
DROP ROLE tap_vdb_other;

-- 5. Nightly with pg_cron (here: every minute), into tap_vdb_cron.
CREATE TABLE tap_vdb_cron.kids (id int PRIMARY KEY, parent_id int, note text);
INSERT INTO tap_vdb_cron.kids SELECT * FROM tap_vdb.kids;
UPDATE tap_vdb_cron.kids SET note = 'kid 150' WHERE id = 150;
SELECT max(validation_id) AS before_cron FROM minibar_migrate.validations \gset
-- (scheduled from another session: \connect would end this pgTAP session)
\set jobid `test/scripts/cron_job.sh schedule minibar_tap_validate :'test_db' "SELECT count(*) FROM minibar_migrate.validate_database('tap_vdb', 'tap_vdb_cron')" 2>&1`
-- and one that alerts: tap_vdb differs, so its job must be seen failing
\set jobid_raise `test/scripts/cron_job.sh schedule minibar_tap_validate_raise :'test_db' "SELECT count(*) FROM minibar_migrate.validate_database('tap_vdb', 'tap_vdb', '{\"raise_on_mismatch\": true}')" 2>&1`
-- Polls (each statement a new snapshot) until the job's validation is recorded, up to 75 s.
CREATE FUNCTION pg_temp.wait_cron(after bigint) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  LOOP
    EXIT WHEN EXISTS (SELECT 1 FROM minibar_migrate.validations WHERE validation_id > after
                       AND target_schema = 'tap_vdb_cron' AND finished_at IS NOT NULL)
           OR clock_timestamp() > t0 + interval '75 seconds';
    PERFORM pg_sleep(0.5);
  END LOOP;
  RETURN round(extract(epoch FROM clock_timestamp() - t0), 1);
END $$;
SELECT ok(:'jobid' ~ '^[0-9]+$', 'the pg_cron job is scheduled (job ' || :'jobid' || ')');
SELECT pg_temp.wait_cron(:before_cron) AS waited \gset
SELECT results_eq($$SELECT ok, tables, tables_differing, orphans, run_by::text COLLATE "default" FROM minibar_migrate.validations
                     WHERE validation_id > $$ || :before_cron || $$ AND target_schema = 'tap_vdb_cron'$$,
                  $$VALUES (true, 2, 0, 0::bigint, current_user::text COLLATE "default")$$,
                  'pg_cron ran validate_database: recorded as the scheduling user, both tables equal, no orphans');
SELECT is((SELECT count(*) FROM minibar_migrate.validation_latest WHERE target_schema = 'tap_vdb_cron' AND ok), 2::bigint,
          'validation_latest shows both tables of the scheduled validation as equal');
SELECT diag('the pg_cron job''s validation appeared after ' || :'waited' || ' s');
\set raise_run `for i in $(seq 1 150); do r=$(test/scripts/cron_job.sh last minibar_tap_validate_raise 2>&1); [ -n "$r" ] && break; sleep 0.5; done; echo "$r"`
SELECT matches(:'raise_run'::text, '^failed\|ERROR: +validation [0-9]+ found differences: 2 table\(s\) differ \(kids, parents\)',
               'the pg_cron job with raise_on_mismatch is recorded as failed, with the message (cron.job_run_details)');

SELECT * FROM finish();
\set unscheduled `test/scripts/cron_job.sh unschedule minibar_tap_validate 2>&1`
\set unscheduled_raise `test/scripts/cron_job.sh unschedule minibar_tap_validate_raise 2>&1`
DROP SCHEMA tap_vdb CASCADE;
DROP SCHEMA tap_vdb_cron CASCADE;
DROP SERVER tap_vdb CASCADE;

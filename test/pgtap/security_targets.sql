-- Targets that existed before the run, from the security side: the role that
-- runs migrate_table / migrate_database (often a superuser) is the only
-- trusted party. Code of other roles that a load would run with the caller's
-- rights (a trigger, a table or a schema another role owns) and row-level
-- security (which the heap-writing bulk path would bypass) make the run stop
-- with 42501 unless the caller passes {"trust_target": true}; with it, rows
-- of a table whose policies apply to the caller go through INSERT, and a row
-- a policy refuses is a reject. See docs/migration.md (Loading into an
-- existing table).
--
-- Roles (created here, dropped at the end): tap_target_mallory, a plain login
-- role that sets traps (a trigger function that makes it superuser when a
-- superuser fires it, and records who fired it); tap_target_alice, a plain
-- login role that migrates with its own rights; tap_target_team, a group
-- alice belongs to. Source: a SQLite file made here with the sqlite3 CLI:
-- items (6 rows, n = id) and res (3 rows, the second not an integer).
\ir include/helpers.sql
\set lite_db /tmp/minibar_tap_target/security_targets.sqlite
\set fixture_load `test/pgtap/include/sqlite_fixture.sh /tmp/minibar_tap_target/security_targets.sqlite "CREATE TABLE items (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, label TEXT); INSERT INTO items VALUES (1, 1, 'one'), (2, 2, 'two'), (3, 3, 'three'), (4, 4, 'four'), (5, 5, 'five'), (6, 6, 'six'); CREATE TABLE res (id INTEGER PRIMARY KEY, n); INSERT INTO res VALUES (1, 1), (2, 'abc'), (3, 3);"`
SET client_min_messages = warning;

CALL pg_temp.drop_leftovers('{tap_target_s,tap_target_m}', '{tap_target_lite}', roles => '{tap_target_mallory,tap_target_alice,tap_target_team}');
CREATE ROLE tap_target_mallory LOGIN;
CREATE ROLE tap_target_alice LOGIN;
CREATE ROLE tap_target_team NOLOGIN;
GRANT tap_target_team TO tap_target_alice;

-- The superuser makes the server (a plain role may not name a file) and lets alice use it.
CREATE SERVER tap_target_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');
GRANT USAGE ON FOREIGN SERVER tap_target_lite TO tap_target_alice;
CREATE SCHEMA tap_target_s;
GRANT USAGE, CREATE ON SCHEMA tap_target_s TO tap_target_alice, tap_target_mallory;

-- Who fired a harmless trigger (the superuser's own function).
CREATE TABLE tap_target_s.who_log (who text, tbl text);
CREATE FUNCTION tap_target_s.note_who() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tap_target_s.who_log VALUES (current_user, TG_TABLE_NAME);
  RETURN NEW;
END $$;

-- Mallory's trap: a trigger function that records who fired it and makes
-- mallory superuser when that someone is one.
SET ROLE tap_target_mallory;
CREATE TABLE tap_target_s.mallory_log (who text, tbl text);
GRANT SELECT, INSERT ON tap_target_s.mallory_log TO PUBLIC;
CREATE FUNCTION tap_target_s.mallory_escalate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tap_target_s.mallory_log VALUES (current_user, TG_TABLE_NAME);
  BEGIN
    EXECUTE 'ALTER ROLE tap_target_mallory SUPERUSER';
  EXCEPTION WHEN insufficient_privilege THEN NULL;
  END;
  RETURN NEW;
END $$;
CREATE TABLE tap_target_s.items (id int, n int, label text);
CREATE TRIGGER escalate BEFORE INSERT ON tap_target_s.items
  FOR EACH ROW EXECUTE FUNCTION tap_target_s.mallory_escalate();
RESET ROLE;

-- 'code | message' of a statement, for one-line comparisons.
CREATE FUNCTION pg_temp.outcome(q text) RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws(' | ', r ->> 'code', r ->> 'message') FROM pg_temp.try_sql(q) r
$$;
-- Two tests: q's outcome is want (SQLSTATE | message), and its hint names the opt-in.
CREATE FUNCTION pg_temp.refused_with_hint(q text, want text, descr text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE outcome_test text;
BEGIN
  outcome_test := is(pg_temp.outcome(q), want, descr);
  RETURN outcome_test || E'\n' || matches(pg_temp.try_sql(q) ->> 'hint', '\{"trust_target": true\}', 'the hint names the opt-in');
END $f$;
CREATE FUNCTION pg_temp.mallory_is_superuser() RETURNS boolean LANGUAGE sql AS $$
  SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'tap_target_mallory'
$$;

SELECT plan(50);
SELECT is(:'fixture_load'::text, 'ok', 'SQLite fixture written');
SELECT ok(NOT pg_temp.mallory_is_superuser(), 'mallory starts as a plain role');

-- ======================================================= 1. a table another role made, with a trap
SELECT pg_temp.refused_with_hint($$SELECT * FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.items', '{"if_exists": "append", "workers": 0}')$$,
          '42501 | refusing to load into table "tap_target_s"."items": it is owned by role "tap_target_mallory", not by "' || current_user || '" or a superuser',
          'migrate_table into mallory''s table with a trigger: refused with 42501, naming the table and its owner');
SELECT is(pg_temp.try_sql($$SELECT * FROM minibar_migrate.migrate_database('tap_target_lite', 'tap_target_s', '{"tables": ["items"], "workers": 0}')$$) ->> 'code',
          '42501', 'migrate_database onto the same table: refused');
SELECT matches(pg_temp.outcome($$SELECT * FROM minibar_migrate.migrate_database('tap_target_lite', 'tap_target_s', '{"tables": ["items"], "workers": 2}')$$),
               '^42501 \| refusing to load into table "tap_target_s"\."items": it is owned by role "tap_target_mallory"',
               'migrate_database with 2 workers: the planning worker refuses it too');
SELECT ok(NOT pg_temp.mallory_is_superuser(), 'mallory is still not superuser');
SELECT is((SELECT count(*) FROM tap_target_s.mallory_log), 0::bigint, 'the trap never fired');
SELECT is((SELECT count(*) FROM tap_target_s.items), 0::bigint, 'and mallory''s table got no row');

-- ======================================================= 2. another role's table without triggers
SET ROLE tap_target_alice;
CREATE TABLE tap_target_s.alice_items (id int, n int, label text);
RESET ROLE;
SELECT is(pg_temp.outcome($$SELECT * FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.alice_items', '{"if_exists": "append", "workers": 0}')$$),
          '42501 | refusing to load into table "tap_target_s"."alice_items": it is owned by role "tap_target_alice", not by "' || current_user || '" or a superuser',
          'a table owned by a plain role, no trigger: refused without the opt-in');
SELECT results_eq($$SELECT rows_copied, rows_rejected FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.alice_items', '{"if_exists": "append", "workers": 0, "trust_target": true}')$$,
                  $$VALUES (6::bigint, 0::bigint)$$, 'with {"trust_target": true}: loaded');
SELECT is((SELECT string_agg(id::text, ',' ORDER BY id) FROM tap_target_s.alice_items), '1,2,3,4,5,6',
          'the table holds the six rows');
SELECT results_eq($$SELECT rows_copied FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.alice_items', '{"if_exists": "append", "workers": 2, "trust_target": true, "resume": true}')$$,
                  $$VALUES (6::bigint)$$, 'and with 2 workers (the copy step checks it again, trusted)');

-- A group's table: trusted by its members, not by a superuser who is no member.
CREATE TABLE tap_target_s.team_items (id int, n int, label text);
ALTER TABLE tap_target_s.team_items OWNER TO tap_target_team;
SELECT matches(pg_temp.outcome($$SELECT * FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.team_items', '{"if_exists": "append", "workers": 0}')$$),
               '^42501 \| refusing to load into table "tap_target_s"\."team_items": it is owned by role "tap_target_team"',
               'a superuser is not taken for a member of every role: the group''s table is refused');
SET ROLE tap_target_alice;
SELECT results_eq($$SELECT rows_copied FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.team_items', '{"if_exists": "append", "workers": 0}')$$,
                  $$VALUES (6::bigint)$$, 'alice, a member of the group, loads the group''s table without the opt-in');
RESET ROLE;

-- ======================================================= 3. row-level security, for a role with INSERT only
CREATE FUNCTION pg_temp.guarded(t text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TABLE tap_target_s.%I (id int, n int, label text)', t);
  EXECUTE format('ALTER TABLE tap_target_s.%I ENABLE ROW LEVEL SECURITY', t);
  EXECUTE format('CREATE POLICY even_only ON tap_target_s.%I FOR INSERT TO tap_target_alice WITH CHECK (n %% 2 = 0)', t);
  EXECUTE format('GRANT INSERT ON tap_target_s.%I TO tap_target_alice', t);
END $$;
SELECT pg_temp.guarded('guarded');
SELECT pg_temp.guarded('guarded_w');
SET ROLE tap_target_alice;
SELECT is(pg_temp.outcome($$SELECT * FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.guarded', '{"if_exists": "append", "workers": 0}')$$),
          '42501 | refusing to load into table "tap_target_s"."guarded" (owner "' || (SELECT tableowner FROM pg_tables WHERE tablename = 'guarded') || '"): it has row-level security enabled',
          'a table with row-level security: refused without the opt-in');
SELECT results_eq($$SELECT rows_copied, rows_rejected FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.guarded', '{"if_exists": "append", "workers": 0, "trust_target": true}')$$,
                  $$VALUES (3::bigint, 3::bigint)$$, 'with the opt-in: the 3 rows the policy allows are copied, the 3 it refuses rejected');
SELECT results_eq($$SELECT rows_copied, rows_rejected FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.guarded_w', '{"if_exists": "append", "workers": 1, "trust_target": true, "resume": true}')$$,
                  $$VALUES (3::bigint, 3::bigint)$$, 'the same in a background worker');
SELECT throws_ok($$SELECT count(*) FROM tap_target_s.guarded$$, '42501', NULL,
                 '(alice may not even read the table: the run did not count it)');
RESET ROLE;
SELECT is((SELECT string_agg(id::text, ',' ORDER BY id) FROM tap_target_s.guarded), '2,4,6',
          'only the rows the policy allows are in the table');
SELECT is((SELECT string_agg(id::text, ',' ORDER BY id) FROM tap_target_s.guarded_w), '2,4,6',
          'the same with a worker');
SELECT results_eq(
  $$SELECT j.row_data ->> 'id', j.sqlstate, j.reason ~ '^new row violates row-level security policy' FROM minibar_migrate.rejects j
      JOIN minibar_migrate.runs r USING (run_id)
     WHERE r.started_by = 'tap_target_alice' AND j.target_table = '"tap_target_s"."guarded"' ORDER BY 1$$,
  $$VALUES ('1', '42501', true), ('3', '42501', true), ('5', '42501', true)$$,
  'each refused row is in rejects with SQLSTATE 42501 and the policy''s message');
SELECT is((SELECT count(*) FROM minibar_migrate.run_notes n JOIN minibar_migrate.runs r USING (run_id)
            WHERE r.started_by = 'tap_target_alice' AND n.kind = 'row_security'), 2::bigint,
          'each of these runs notes that the policies applied');

-- ======================================================= 4. one's own table loads as before
SET SESSION AUTHORIZATION tap_target_alice;
CREATE TABLE tap_target_s.alice_own (id int, n int, label text);
SELECT results_eq($$SELECT rows_copied, rows_rejected FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.alice_own', '{"if_exists": "append", "workers": 0}')$$,
                  $$VALUES (6::bigint, 0::bigint)$$, 'alice loads her own table without the opt-in');
SELECT results_eq($$SELECT target::text, rows_copied FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.alice_new', '{"if_exists": "append", "workers": 0}')$$,
                  $$VALUES ('tap_target_s.alice_new', 6::bigint)$$, 'and a table the run creates in the superuser''s schema');
SELECT results_eq($$SELECT rows_copied FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.alice_own', '{"if_exists": "append", "workers": 2, "resume": true}')$$,
                  $$VALUES (6::bigint)$$, 'her own table with 2 workers');
RESET SESSION AUTHORIZATION;
CREATE TABLE tap_target_s.root_own (id int, n int, label text);
SELECT results_eq($$SELECT rows_copied FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.root_own', '{"if_exists": "append", "workers": 0}')$$,
                  $$VALUES (6::bigint)$$, 'the superuser loads its own table without the opt-in');
CREATE TABLE tap_target_s.parted (id int, n int, label text) PARTITION BY RANGE (id);
CREATE TABLE tap_target_s.parted_lo PARTITION OF tap_target_s.parted FOR VALUES FROM (MINVALUE) TO (4);
CREATE TABLE tap_target_s.parted_hi PARTITION OF tap_target_s.parted FOR VALUES FROM (4) TO (MAXVALUE);
SELECT results_eq($$SELECT rows_copied FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.parted', '{"if_exists": "append", "workers": 0}')$$,
                  $$VALUES (6::bigint)$$, 'and its partitioned table without triggers');

-- ======================================================= 5. triggers on tables the caller trusts
-- The superuser's own table, with a trigger on a function mallory owns (and may replace).
CREATE TABLE tap_target_s.root_trig (id int, n int, label text);
CREATE TRIGGER escalate BEFORE INSERT ON tap_target_s.root_trig
  FOR EACH ROW EXECUTE FUNCTION tap_target_s.mallory_escalate();
SELECT is(pg_temp.outcome($$SELECT * FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.root_trig', '{"if_exists": "append", "workers": 0}')$$),
          '42501 | refusing to load into table "tap_target_s"."root_trig" (owner "' || current_user || '"): it has trigger "escalate"',
          'a trigger on the caller''s own table: refused, naming the trigger');
-- A trigger on one partition of a table of the caller.
DROP TABLE tap_target_s.parted;
CREATE TABLE tap_target_s.parted (id int, n int, label text) PARTITION BY RANGE (id);
CREATE TABLE tap_target_s.parted_lo PARTITION OF tap_target_s.parted FOR VALUES FROM (MINVALUE) TO (4);
CREATE TABLE tap_target_s.parted_hi PARTITION OF tap_target_s.parted FOR VALUES FROM (4) TO (MAXVALUE);
CREATE TRIGGER note_who BEFORE INSERT ON tap_target_s.parted_hi FOR EACH ROW EXECUTE FUNCTION tap_target_s.note_who();
SELECT is(pg_temp.outcome($$SELECT * FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.parted', '{"if_exists": "append", "workers": 0}')$$),
          '42501 | refusing to load into partition "tap_target_s"."parted_hi" of partitioned table "tap_target_s"."parted" (owner "' || current_user || '"): it has trigger "note_who"',
          'a trigger on a partition: refused, naming the partition');
SELECT results_eq($$SELECT rows_copied FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.parted', '{"if_exists": "append", "workers": 0, "trust_target": true}')$$,
                  $$VALUES (6::bigint)$$, 'with the opt-in: loaded');
SELECT is((SELECT string_agg(concat_ws(':', who, tbl, n), ',') FROM (SELECT who, tbl, count(*) AS n FROM tap_target_s.who_log GROUP BY 1, 2) w),
          current_user || ':parted_hi:3',
                  'and the trigger fired for its 3 rows with the caller''s rights: what the opt-in vouches for');

-- Checked again where the copy step opens the table: a run planned while the
-- table had no trigger fails (54000, resumable); mallory, granted TRIGGER on it,
-- adds one; resuming runs no planner (only the copy step left) and is refused.
CREATE TABLE tap_target_s.res_t (id int, n int);
SELECT matches(pg_temp.outcome($$SELECT * FROM minibar_migrate.migrate_table('tap_target_lite', 'res', 'tap_target_s.res_t', '{"if_exists": "append", "workers": 1, "resume": true, "max_rejects": 0}')$$),
               '^54000 \| ', 'a resumable run into a trusted table fails on its reject (max_rejects 0)');
SELECT max(run_id) AS res_run FROM minibar_migrate.runs WHERE status = 'failed' \gset
SELECT is((SELECT count(*) FROM minibar_migrate.run_tasks WHERE run_id = :res_run AND kind = 'copy' AND state = 'pending'),
          1::bigint, 'its copy step is left to do');
GRANT TRIGGER ON tap_target_s.res_t TO tap_target_mallory;
SET ROLE tap_target_mallory;
CREATE TRIGGER escalate BEFORE INSERT ON tap_target_s.res_t FOR EACH ROW EXECUTE FUNCTION tap_target_s.mallory_escalate();
RESET ROLE;
SELECT matches(pg_temp.outcome($$SELECT * FROM minibar_migrate.migrate_table('tap_target_lite', 'res', 'tap_target_s.res_t', '{"if_exists": "append", "workers": 1, "resume": true, "max_rejects": 0}')$$),
               '^42501 \| refusing to load into table "tap_target_s"\."res_t" \(owner "[^"]+"\): it has trigger "escalate"',
               'resuming it: the copy step refuses the table that gained a trigger');
SELECT results_eq($$SELECT count(*) FILTER (WHERE run_id > $$ || :res_run || $$), min(status) FILTER (WHERE run_id = $$ || :res_run || $$) FROM minibar_migrate.runs$$,
                  $$VALUES (0::bigint, 'failed'::text)$$, '(the same run was resumed, no new one planned; it failed again)');
SELECT ok(NOT pg_temp.mallory_is_superuser(), 'mallory is still not superuser');
SELECT is((SELECT count(*) FROM tap_target_s.res_t), 0::bigint, 'and the table got no row');
SELECT is((SELECT count(*) FROM minibar_migrate.rollback(:res_run)), 0::bigint, 'the run is rolled back (it created nothing)');

-- ======================================================= 6. a schema another role owns
CREATE SCHEMA tap_target_m AUTHORIZATION tap_target_mallory;
SELECT pg_temp.refused_with_hint($$SELECT * FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_m.items', '{"if_exists": "append", "workers": 0}')$$,
          '42501 | refusing to migrate into schema "tap_target_m": it is owned by role "tap_target_mallory", not by "' || current_user || '" or a superuser',
          'migrate_table into mallory''s schema (a new table): refused');
SELECT is(pg_temp.try_sql($$SELECT * FROM minibar_migrate.migrate_database('tap_target_lite', 'tap_target_m', '{"if_exists": "append", "workers": 0}')$$) ->> 'code',
          '42501', 'migrate_database into it: refused');
SELECT is(pg_temp.try_sql($$SELECT * FROM minibar_migrate.migrate_database('tap_target_lite', 'tap_target_m', '{"if_exists": "append", "workers": 2}')$$) ->> 'code',
          '42501', 'also with 2 workers');
SELECT is((SELECT count(*) FROM pg_class WHERE relnamespace = 'tap_target_m'::regnamespace), 0::bigint,
          'nothing was created in it');
SELECT results_eq($$SELECT rows_copied FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_m.items', '{"if_exists": "append", "workers": 0, "trust_target": true}')$$,
                  $$VALUES (6::bigint)$$, 'with the opt-in: the table is created and loaded');
-- public is owned by pg_database_owner: the database's owner.
SELECT pg_catalog.pg_get_userbyid(datdba) AS db_owner FROM pg_database WHERE datname = current_database() \gset
SELECT results_eq($$SELECT rows_copied FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'public.tap_target_pub', '{"if_exists": "append", "workers": 0}')$$,
                  $$VALUES (6::bigint)$$, 'public of a database a superuser owns: loaded');
ALTER DATABASE :"DBNAME" OWNER TO tap_target_mallory;
SELECT is(pg_temp.outcome($$SELECT * FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'public.tap_target_pub', '{"if_exists": "append", "workers": 0}')$$),
          '42501 | refusing to migrate into schema "public": it is owned by role "tap_target_mallory", not by "' || current_user || '" or a superuser',
          'public of a database a plain role owns: refused, naming that role');
ALTER DATABASE :"DBNAME" OWNER TO :"db_owner";

-- ======================================================= the option itself
SELECT is(pg_temp.try_sql($$SELECT * FROM minibar_migrate.migrate_table('tap_target_lite', 'items', 'tap_target_s.root_own', '{"trust_target": "yes"}')$$) ->> 'code',
          '22023', 'trust_target must be a boolean (22023)');
SELECT ok(NOT pg_temp.mallory_is_superuser(), 'at the end mallory is still not superuser');
SELECT is((SELECT count(*) FROM tap_target_s.mallory_log), 0::bigint, 'and her trap never fired');

SELECT * FROM finish();
DROP TABLE public.tap_target_pub;
CALL pg_temp.drop_leftovers('{tap_target_s,tap_target_m}', '{tap_target_lite}', roles => '{tap_target_mallory,tap_target_alice,tap_target_team}');

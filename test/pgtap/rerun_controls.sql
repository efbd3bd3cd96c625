-- Running a migration again into tables that exist (option "if_exists":
-- error by default when a target holds rows, append, truncate, recreate) and
-- the split runs "schema_only" / "data_only", on a MariaDB and a SQLite
-- source with the same two tables: parents (3 rows) and kids (4 rows, a
-- foreign key to parents, an index on qty). Half-way, the sources' kids gain
-- a column (note, default 'n'), which "recreate" must bring over. Expected
-- rows are read from each source with its own client. See docs/migration.md
-- (Running again: if_exists, schema_only, data_only).
\ir include/helpers.sql
\set my_load `mariadb -uroot -e "DROP DATABASE IF EXISTS minibar_tap_ifx; CREATE DATABASE minibar_tap_ifx; CREATE TABLE minibar_tap_ifx.parents (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL) ENGINE=InnoDB; CREATE TABLE minibar_tap_ifx.kids (id INT AUTO_INCREMENT PRIMARY KEY, parent_id INT NOT NULL, qty INT NOT NULL, KEY ix_kids_qty (qty), CONSTRAINT kids_parent_fk FOREIGN KEY (parent_id) REFERENCES minibar_tap_ifx.parents (id)) ENGINE=InnoDB; INSERT INTO minibar_tap_ifx.parents VALUES (1, 'a'), (2, 'b'), (3, 'c'); INSERT INTO minibar_tap_ifx.kids VALUES (1, 1, 5), (2, 1, 6), (3, 2, 7), (4, 3, 8)" 2>&1 && echo loaded`
\set lite_db /var/lib/minibar_migrate/tap/rerun_controls.sqlite
\set lite_load `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/rerun_controls.sqlite "CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL); CREATE TABLE kids (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parents (id), qty INTEGER NOT NULL); CREATE INDEX ix_kids_qty ON kids (qty); INSERT INTO parents VALUES (1, 'a'), (2, 'b'), (3, 'c'); INSERT INTO kids VALUES (1, 1, 5), (2, 1, 6), (3, 2, 7), (4, 3, 8);"`
-- The sources' rows as "id:parent_id:qty" and "id:name", in id order.
\set my_kids `mariadb -uroot -N -B -e "SELECT GROUP_CONCAT(CONCAT_WS(':', id, parent_id, qty) ORDER BY id) FROM minibar_tap_ifx.kids"`
\set my_parents `mariadb -uroot -N -B -e "SELECT GROUP_CONCAT(CONCAT_WS(':', id, name) ORDER BY id) FROM minibar_tap_ifx.parents"`
\set lite_kids `sqlite3 /var/lib/minibar_migrate/tap/rerun_controls.sqlite "SELECT group_concat(id || ':' || parent_id || ':' || qty, ',') FROM (SELECT * FROM kids ORDER BY id)"`
\set lite_parents `sqlite3 /var/lib/minibar_migrate/tap/rerun_controls.sqlite "SELECT group_concat(id || ':' || name, ',') FROM (SELECT * FROM parents ORDER BY id)"`
SET client_min_messages = warning;
CALL pg_temp.drop_leftovers('{tap_ifx_my,tap_ifx_lite,tap_ifx_my_s,tap_ifx_lite_s}', '{tap_ifx_my,tap_ifx_lite}', runs => true, roles => '{tap_ifx_other}');
CALL pg_temp.mysql_server('tap_ifx_my', 'minibar_tap_ifx');
CREATE SERVER tap_ifx_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');

-- A target's rows in the sources' format.
CREATE FUNCTION pg_temp.rows_of(sch text, tbl text, cols text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE r text;
BEGIN
  EXECUTE format('SELECT string_agg(concat_ws(%L, %s), %L ORDER BY id) FROM %I.%I', ':', cols, ',', sch, tbl) INTO r;
  RETURN r;
END $f$;
CREATE FUNCTION pg_temp.kids(sch text) RETURNS text LANGUAGE sql AS $$ SELECT pg_temp.rows_of(sch, 'kids', 'id, parent_id, qty') $$;
CREATE FUNCTION pg_temp.parents(sch text) RETURNS text LANGUAGE sql AS $$ SELECT pg_temp.rows_of(sch, 'parents', 'id, name') $$;
CREATE FUNCTION pg_temp.last_run() RETURNS bigint LANGUAGE sql AS $$ SELECT max(run_id) FROM minibar_migrate.runs $$;
CREATE FUNCTION pg_temp.mdb(srv text, sch text, opts text) RETURNS text LANGUAGE sql AS $$
  SELECT format('SELECT * FROM minibar_migrate.migrate_database(%L, %L, %L)', srv, sch, opts)
$$;

-- Before the sources change: error (the default), append, truncate, bad values.
CREATE FUNCTION pg_temp.first_part(srv text, sch text, src_parents text, src_kids text) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
DECLARE r jsonb; runs bigint; fk_before text;
BEGIN
  PERFORM * FROM minibar_migrate.migrate_database(srv, sch, '{"workers": 0}');
  RETURN NEXT is(pg_temp.parents(sch) || ' / ' || pg_temp.kids(sch), src_parents || ' / ' || src_kids,
                 srv || ': the first run copies the source');

  -- error, the default: nothing happens, the message names the tables and the choices.
  SELECT count(*) INTO runs FROM minibar_migrate.runs;
  r := pg_temp.try_sql(pg_temp.mdb(srv, sch, '{"workers": 0}'));
  RETURN NEXT is(r ->> 'code', '42P07', srv || ': a second run fails with 42P07');
  RETURN NEXT is(r ->> 'message', format('target table(s) "%s"."kids", "%s"."parents" already hold rows', sch, sch),
                 srv || ': the message names the tables that hold rows');
  RETURN NEXT matches(r ->> 'hint', '"append".*"truncate".*"recreate"', srv || ': the hint names the choices');
  RETURN NEXT is((SELECT count(*) FROM minibar_migrate.runs), runs, srv || ': no run was recorded');
  RETURN NEXT is(pg_temp.parents(sch) || ' / ' || pg_temp.kids(sch), src_parents || ' / ' || src_kids,
                 srv || ': the tables are as they were');
  r := pg_temp.try_sql(format('SELECT * FROM minibar_migrate.migrate_table(%L, %L, %L, %L)', srv, 'kids',
                              sch || '.kids', '{"workers": 0}'));
  RETURN NEXT is(r ->> 'code', '42P07', srv || ': migrate_table into a table with rows fails too');

  -- append: today's behaviour (every row is a duplicate key, rejected).
  RETURN NEXT is((SELECT format('%s/%s', rows_copied, rows_rejected) FROM minibar_migrate.migrate_table(
                    srv, 'parents', sch || '.parents', '{"workers": 0, "if_exists": "append"}')),
                 '0/3', srv || ': append loads into the table, rejecting the 3 duplicate keys');
  RETURN NEXT is((SELECT string_agg(DISTINCT sqlstate, ',') FROM minibar_migrate.rejects WHERE run_id = pg_temp.last_run()),
                 '23505', srv || ': as duplicates (23505)');

  -- truncate: the tables end up equal to the source.
  EXECUTE format('DELETE FROM %I.kids WHERE id = 4; INSERT INTO %I.kids VALUES (99, 2, 1); UPDATE %I.parents SET name = %L WHERE id = 1',
                 sch, sch, sch, 'zz');
  PERFORM * FROM minibar_migrate.migrate_database(srv, sch, '{"workers": 0, "if_exists": "truncate"}');
  RETURN NEXT is(pg_temp.parents(sch) || ' / ' || pg_temp.kids(sch), src_parents || ' / ' || src_kids,
                 srv || ': after truncate the tables hold the source''s rows');
  RETURN NEXT is((SELECT string_agg(format('%s %s/%s/%s', source_table, rows_source, rows_copied, rows_rejected), ', ' ORDER BY source_table)
                    FROM minibar_migrate.run_report(pg_temp.last_run()) WHERE line = 'table'),
                 'kids 4/4/0, parents 3/3/0', srv || ': run_report counts the rows copied');
  RETURN NEXT ok((SELECT notes FROM minibar_migrate.run_report(pg_temp.last_run()) WHERE source_table = 'kids')
                   @> ARRAY[format('if_exists "%s"."kids": truncate: 4 row(s) the table held were deleted before the load', sch)],
                 srv || ': and says how many rows the truncate deleted');

  -- Bad values: 22023 naming the key.
  RETURN NEXT is(pg_temp.try_text(pg_temp.mdb(srv, sch, '{"if_exists": "replace"}')),
                 '22023 invalid migration option "if_exists": "replace" is not one of "error", "append", "truncate", "recreate"',
                 srv || ': an unknown if_exists value is 22023');
  RETURN NEXT matches(pg_temp.try_text(pg_temp.mdb(srv, sch, '{"if_exists": true}')),
                      '^22023 invalid migration option "if_exists"', srv || ': a non-string if_exists is 22023');
  RETURN NEXT matches(pg_temp.try_text(pg_temp.mdb(srv, sch, '{"schema_only": true, "data_only": true}')),
                      '^22023 invalid migration option "data_only": schema_only and data_only together',
                      srv || ': schema_only with data_only is 22023');
  RETURN NEXT matches(pg_temp.try_text(pg_temp.mdb(srv, sch, '{"schema_only": "yes"}')),
                      '^22023 invalid migration option "schema_only"', srv || ': a non-boolean schema_only is 22023');
  RETURN NEXT matches(pg_temp.try_text(pg_temp.mdb(srv, sch, '{"data_only": true, "if_exists": "recreate"}')),
                      '^22023 invalid migration option "if_exists": "recreate" creates tables',
                      srv || ': data_only with recreate is 22023');
END $f$;

-- After the sources' kids gained a column: recreate, schema_only, data_only.
CREATE FUNCTION pg_temp.second_part(srv text, sch text, src_parents text, src_kids text) RETURNS SETOF text
LANGUAGE plpgsql AS $f$
DECLARE r jsonb; v text; sch_s text := sch || '_s'; run bigint;
BEGIN
  -- recreate: the new column appears; the tables are the run's own.
  PERFORM * FROM minibar_migrate.migrate_database(srv, sch, '{"workers": 0, "if_exists": "recreate"}');
  run := pg_temp.last_run();
  RETURN NEXT is((SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
                   WHERE attrelid = format('%I.kids', sch)::regclass AND attnum > 0 AND NOT attisdropped),
                 'id,parent_id,qty,note', srv || ': recreate brings the source''s new column');
  EXECUTE format('SELECT string_agg(note, %L) FROM %I.kids', ',', sch) INTO v;
  RETURN NEXT is(v, 'n,n,n,n', srv || ': with its values');
  RETURN NEXT is(pg_temp.parents(sch) || ' / ' || pg_temp.kids(sch), src_parents || ' / ' || src_kids,
                 srv || ': and the rows');
  RETURN NEXT is((SELECT string_agg(identity, ',' ORDER BY identity) FROM minibar_migrate.run_objects
                   WHERE run_id = run AND kind = 'table'),
                 format('"%s"."kids","%s"."parents"', sch, sch), srv || ': run_objects lists both tables as the run''s');
  RETURN NEXT is((SELECT count(*) FROM pg_temp.fks(sch) WHERE child = 'kids' AND parent = 'parents' AND validated), 1::bigint,
                 srv || ': the foreign key is back, validated');

  -- A view on kids: recreate stops (workers 0: nothing lost).
  EXECUTE format('CREATE VIEW %I.v_kids AS SELECT id, qty FROM %I.kids', sch, sch);
  r := pg_temp.try_sql(pg_temp.mdb(srv, sch, '{"workers": 0, "if_exists": "recreate"}'));
  RETURN NEXT is(concat(r ->> 'code', ' ', r ->> 'message'),
                 format('2BP01 if_exists "recreate" cannot drop "%s"."kids", "%s"."parents": other objects depend on it', sch, sch),
                 srv || ': a dependent view stops recreate with 2BP01');
  RETURN NEXT matches(r ->> 'detail', format('view %I\.v_kids depends on table %I\.kids', sch, sch),
                      srv || ': the detail names the view');
  RETURN NEXT is(pg_temp.kids(sch) || ' ' || (to_regclass(format('%I.v_kids', sch)) IS NOT NULL), src_kids || ' true',
                 srv || ': the table and the view are as they were');

  -- schema_only: tables, keys, index, foreign key; no rows.
  RETURN NEXT is((SELECT string_agg(format('%s %s', source_name, rows_copied), ', ' ORDER BY source_name)
                    FROM minibar_migrate.migrate_database(srv, sch_s, '{"workers": 0, "schema_only": true}') WHERE kind = 'table'),
                 'kids 0, parents 0', srv || ': schema_only copies no rows');
  RETURN NEXT ok((SELECT notes FROM minibar_migrate.run_report(pg_temp.last_run()) WHERE source_table = 'kids')
                   @> ARRAY['schema_only kids: no rows copied (schema_only)'], srv || ': and run_report says so');
  RETURN NEXT ok((SELECT array_agg(format('%s(%s)%s', tbl, cols, CASE WHEN is_primary THEN ' pk' ELSE '' END))
                    FROM pg_temp.indexes(sch_s)) @> '{kids(id) pk,kids(qty),parents(id) pk}',
                 srv || ': with the primary keys and the index');
  RETURN NEXT is((SELECT count(*) FROM pg_temp.fks(sch_s) WHERE child = 'kids' AND parent = 'parents'), 1::bigint,
                 srv || ': and the foreign key');
  RETURN NEXT is(pg_temp.count_rows(sch_s, 'parents') + pg_temp.count_rows(sch_s, 'kids'), 0::bigint, srv || ': empty');

  -- data_only into them (empty, so the default if_exists loads): rows arrive, the key holds.
  RETURN NEXT is((SELECT string_agg(format('%s %s', source_name, rows_copied), ', ' ORDER BY source_name)
                    FROM minibar_migrate.migrate_database(srv, sch_s, '{"workers": 0, "data_only": true}') WHERE kind = 'table'),
                 'kids 4, parents 3', srv || ': data_only loads the tables schema_only made');
  RETURN NEXT is((SELECT count(*) FROM minibar_migrate.run_tables WHERE run_id = pg_temp.last_run() AND created), 0::bigint,
                 srv || ': and creates none');
  RETURN NEXT is(pg_temp.parents(sch_s) || ' / ' || pg_temp.kids(sch_s), src_parents || ' / ' || src_kids,
                 srv || ': the rows are the source''s');
  RETURN NEXT is((SELECT count(*) FROM pg_temp.fks(sch_s) WHERE child = 'kids' AND parent = 'parents' AND validated), 1::bigint,
                 srv || ': the foreign key is still there and valid');
  EXECUTE format('SELECT count(*) FROM %I.kids k WHERE NOT EXISTS (SELECT FROM %I.parents p WHERE p.id = k.parent_id)', sch_s, sch_s) INTO v;
  RETURN NEXT is(v, '0', srv || ': no kid lacks its parent');

  -- data_only: a missing table is an error naming it, and nothing is made.
  r := pg_temp.try_sql(format('SELECT * FROM minibar_migrate.migrate_table(%L, %L, %L, %L)', srv, 'kids',
                              sch_s || '.no_kids', '{"workers": 0, "data_only": true}'));
  RETURN NEXT is(concat(r ->> 'code', ' ', r ->> 'message'),
                 format('42P01 data_only: target table(s) "%s"."no_kids" do not exist', sch_s),
                 srv || ': data_only into a missing table is 42P01 naming it');
  RETURN NEXT ok(to_regclass(format('%I.no_kids', sch_s)) IS NULL, srv || ': it was not created');
END $f$;

SELECT plan(93);
SELECT is(:'my_load' || ' ' || :'lite_load', 'loaded ok', 'fixtures loaded');
SELECT * FROM pg_temp.first_part('tap_ifx_my', 'tap_ifx_my', :'my_parents', :'my_kids');
SELECT * FROM pg_temp.first_part('tap_ifx_lite', 'tap_ifx_lite', :'lite_parents', :'lite_kids');

-- With background workers and no resume, truncate is refused before anything
-- changes (outside a function: the workers need the caller's transaction to hold no lock).
SELECT is(pg_temp.try_text(pg_temp.mdb('tap_ifx_my', 'tap_ifx_my', '{"workers": 1, "if_exists": "truncate"}')),
          '0A000 if_exists "truncate" with background workers needs {"resume": true} (background worker 0)',
          'tap_ifx_my: truncate with workers needs resume');
SELECT is(pg_temp.kids('tap_ifx_my'), :'my_kids', 'tap_ifx_my: and nothing was truncated');
SELECT is(pg_temp.try_text(pg_temp.mdb('tap_ifx_lite', 'tap_ifx_lite', '{"workers": 1, "if_exists": "recreate"}')),
          '0A000 if_exists "recreate" with background workers needs {"resume": true} (background worker 0)',
          'tap_ifx_lite: recreate with workers needs resume');
SELECT is(pg_temp.kids('tap_ifx_lite'), :'lite_kids', 'tap_ifx_lite: and nothing was dropped');
-- With resume, the planning step truncates (and commits), the workers load.
UPDATE tap_ifx_my.kids SET qty = 0;
SELECT is((SELECT string_agg(format('%s %s', source_name, rows_copied), ', ' ORDER BY source_name)
             FROM minibar_migrate.migrate_database('tap_ifx_my', 'tap_ifx_my', '{"workers": 1, "resume": true, "if_exists": "truncate"}')
            WHERE kind = 'table'),
          'kids 4, parents 3', 'tap_ifx_my: truncate with a worker and resume copies every row');
SELECT is(pg_temp.parents('tap_ifx_my') || ' / ' || pg_temp.kids('tap_ifx_my'), :'my_parents' || ' / ' || :'my_kids',
          'tap_ifx_my: and the tables are the source''s');

-- The sources' kids gain a column.
\set my_alter `mariadb -uroot -e "ALTER TABLE minibar_tap_ifx.kids ADD COLUMN note VARCHAR(20) NOT NULL DEFAULT 'n'" 2>&1 && echo altered`
\set lite_alter `sqlite3 /var/lib/minibar_migrate/tap/rerun_controls.sqlite "ALTER TABLE kids ADD COLUMN note TEXT NOT NULL DEFAULT 'n'" 2>&1 && echo altered`
SELECT is(:'my_alter' || ' ' || :'lite_alter', 'altered altered', 'the sources'' kids gained a column');
SELECT * FROM pg_temp.second_part('tap_ifx_my', 'tap_ifx_my', :'my_parents', :'my_kids');
SELECT * FROM pg_temp.second_part('tap_ifx_lite', 'tap_ifx_lite', :'lite_parents', :'lite_kids');

-- recreate never drops another role's table: not with trust_target, not for a superuser.
CREATE ROLE tap_ifx_other;
ALTER TABLE tap_ifx_lite_s.kids OWNER TO tap_ifx_other;
SELECT is(pg_temp.try_text(pg_temp.mdb('tap_ifx_lite', 'tap_ifx_lite_s', '{"workers": 0, "if_exists": "recreate", "trust_target": true}')),
          '42501 if_exists "recreate" drops only tables the caller owns: "tap_ifx_lite_s"."kids" is owned by role tap_ifx_other',
          'recreate refuses a table of another role with 42501');
SELECT is(pg_temp.parents('tap_ifx_lite_s') || ' / ' || pg_temp.kids('tap_ifx_lite_s'), :'lite_parents' || ' / ' || :'lite_kids',
          'and both tables are still there with their rows');
ALTER TABLE tap_ifx_lite_s.kids OWNER TO CURRENT_USER;

-- data_only: a source row whose parent is missing (SQLite does not enforce
-- the key) meets the target's foreign key: a reject, 23503.
\set lite_orphan `sqlite3 /var/lib/minibar_migrate/tap/rerun_controls.sqlite "INSERT INTO kids VALUES (5, 9, 1, 'n')" 2>&1 && echo added`
SELECT is((SELECT format('%s %s/%s', :'lite_orphan', rows_copied, rows_rejected)
             FROM minibar_migrate.migrate_database('tap_ifx_lite', 'tap_ifx_lite_s', '{"workers": 0, "data_only": true, "if_exists": "truncate"}')
            WHERE source_name = 'kids'),
          'added 4/1', 'data_only: the kid without a parent is rejected, the others load');
SELECT is((SELECT string_agg(sqlstate || ' ' || (row_data ->> 'id'), ',') FROM minibar_migrate.rejects WHERE run_id = pg_temp.last_run()),
          '23503 5', 'as a foreign-key violation (23503), with its key');

-- A resumed run does not truncate again. A worker run with resume truncates
-- in its committed planning step (TRUNCATE gives the table a new
-- relfilenode), then fails on that reject (max_rejects 0); the resume keeps
-- the file.
SELECT pg_relation_filenode('tap_ifx_lite_s.kids') AS node0 \gset
SELECT is(pg_temp.try_sql(pg_temp.mdb('tap_ifx_lite', 'tap_ifx_lite_s',
            '{"workers": 1, "resume": true, "data_only": true, "if_exists": "truncate", "max_rejects": 0}')) ->> 'code',
          '54000', 'a resumable truncate run fails on the reject');
SELECT pg_relation_filenode('tap_ifx_lite_s.kids') AS node1 \gset
SELECT ok(:node1 <> :node0 AND pg_temp.kids('tap_ifx_lite_s') IS NULL, 'its truncate was committed: kids is empty, in a new file');
\set lite_fixed `sqlite3 /var/lib/minibar_migrate/tap/rerun_controls.sqlite "DELETE FROM kids WHERE id = 5" 2>&1 && echo fixed`
SELECT is((SELECT :'lite_fixed' || ' ' || string_agg(format('%s %s', source_name, rows_copied), ', ' ORDER BY source_name)
             FROM minibar_migrate.migrate_database('tap_ifx_lite', 'tap_ifx_lite_s', '{"workers": 1, "resume": true}')
            WHERE kind = 'table'),
          'fixed kids 4, parents 3', 'the resumed run finishes');
SELECT is(pg_relation_filenode('tap_ifx_lite_s.kids'), :node1::oid, 'without truncating again (same file)');
SELECT is(pg_temp.parents('tap_ifx_lite_s') || ' / ' || pg_temp.kids('tap_ifx_lite_s'), :'lite_parents' || ' / ' || :'lite_kids',
          'and the tables are the source''s');

-- recreate with a worker and resume: the drop commits with the plan, the
-- tables are the run's (rollback would drop them).
SELECT is((SELECT string_agg(format('%s %s', source_name, rows_copied), ', ' ORDER BY source_name)
             FROM minibar_migrate.migrate_database('tap_ifx_lite', 'tap_ifx_lite_s', '{"workers": 1, "resume": true, "if_exists": "recreate"}')
            WHERE kind = 'table'),
          'kids 4, parents 3', 'recreate with a worker and resume copies every row');
SELECT is((SELECT string_agg(source_table || ' ' || created, ', ' ORDER BY source_table) FROM minibar_migrate.run_tables
            WHERE run_id = pg_temp.last_run()),
          'kids true, parents true', 'and records both tables as created by the run');

SELECT * FROM finish();
CALL pg_temp.drop_leftovers('{tap_ifx_my,tap_ifx_lite,tap_ifx_my_s,tap_ifx_lite_s}', '{tap_ifx_my,tap_ifx_lite}', runs => true, roles => '{tap_ifx_other}');
\set my_drop `mariadb -uroot -e "DROP DATABASE IF EXISTS minibar_tap_ifx" 2>&1`

-- Loading into a table that existed before (made by Alembic, say) with its
-- unique indexes in place: a row that breaks a unique index, or on which an
-- index expression fails, is rejected with the reason; the other rows of its
-- batch still load. Source: a SQLite file made here with the sqlite3 CLI
-- (20,000 rows; codes repeat at ids 5000 and 15000; id 20000 repeats a code
-- the target already holds; qty is 0 at id 12345).
\ir include/helpers.sql
\set lite_db /var/lib/minibar_migrate/tap/existing_unique.sqlite
\set fixture_load `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/existing_unique.sqlite "CREATE TABLE items (id INTEGER PRIMARY KEY, code TEXT NOT NULL, qty INTEGER NOT NULL); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO items SELECT i, CASE i WHEN 5000 THEN 'c1' WHEN 15000 THEN 'c7' WHEN 20000 THEN 'old' ELSE 'c' || i END, CASE WHEN i = 12345 THEN 0 ELSE 1 + i % 9 END FROM n;"`
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS tap_exu CASCADE;
DROP SERVER IF EXISTS tap_exu CASCADE;
CREATE SERVER tap_exu FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');
CREATE SCHEMA tap_exu;
-- The same target, made fresh for each case: a primary key, a unique code, an
-- expression index that fails on qty = 0, and one row already there.
CREATE FUNCTION pg_temp.fresh(t text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('DROP TABLE IF EXISTS tap_exu.%I', t);
  EXECUTE format('CREATE TABLE tap_exu.%I (id int PRIMARY KEY, code text NOT NULL UNIQUE, qty int NOT NULL)', t);
  EXECUTE format('CREATE INDEX ON tap_exu.%I ((100 / qty))', t);
  EXECUTE format('INSERT INTO tap_exu.%I VALUES (0, %L, 1)', t, 'old');
END $$;

SELECT plan(16);
SELECT is(:'fixture_load'::text, 'ok', 'SQLite fixture written');

-- 1. In the caller (workers 0).
SELECT pg_temp.fresh('items0');
SELECT is((SELECT format('%s/%s', rows_copied, rows_rejected)
             FROM minibar_migrate.migrate_table('tap_exu', 'items', 'tap_exu.items0', '{"if_exists": "append", "workers": 0}')),
          '19996/4', 'workers 0: 19,996 rows copied, 4 rejected');
SELECT is((SELECT count(*) FROM tap_exu.items0), 19997::bigint, 'the target holds its old row and the copied rows');
SELECT results_eq(
  $$SELECT (row_data ->> 'id')::int, sqlstate, reason ~ '^duplicate key value violates unique constraint'
      FROM minibar_migrate.rejects WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.runs) AND sqlstate = '23505'
     ORDER BY 1$$,
  $$VALUES (5000, '23505', true), (15000, '23505', true), (20000, '23505', true)$$,
  'the three duplicate codes are rejected as 23505, each with its key');
SELECT is((SELECT reason FROM minibar_migrate.rejects
            WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.runs) AND (row_data ->> 'id')::int = 20000),
          'duplicate key value violates unique constraint "items0_code_key" (Key (code)=(old) already exists.)',
          'the reason names the index and the key');
SELECT is((SELECT sqlstate || ' ' || reason FROM minibar_migrate.rejects
            WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.runs) AND (row_data ->> 'id')::int = 12345),
          '22012 division by zero', 'the row the expression index fails on is rejected as 22012');
SELECT is((SELECT count(*) FROM tap_exu.items0 WHERE id IN (1, 4999, 5001, 12344, 12346, 19999)), 6::bigint,
          'the other rows of the failing batches were loaded');
SELECT is((SELECT code FROM tap_exu.items0 WHERE id = 1), 'c1', 'the first row with a code keeps it');

-- 2. In background workers, the table cut into chunks.
SELECT pg_temp.fresh('items2');
SELECT is((SELECT format('%s/%s', rows_copied, rows_rejected)
             FROM minibar_migrate.migrate_table('tap_exu', 'items', 'tap_exu.items2', '{"if_exists": "append", "workers": 2, "chunk_size": 5000, "resume": true}')),
          '19996/4', 'workers 2, chunks of 5,000: the same counts');
SELECT is((SELECT chunks FROM minibar_migrate.run_tables WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.runs)),
          4, 'it was copied in 4 chunks');
SELECT is((SELECT count(*) FROM tap_exu.items2), 19997::bigint, 'the target holds its old row and the copied rows');
SELECT is((SELECT string_agg(row_data ->> 'id', ',' ORDER BY (row_data ->> 'id')::int) FROM minibar_migrate.rejects
            WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.runs)),
          '5000,12345,15000,20000', 'the same four rows rejected');
SELECT bag_eq($$SELECT * FROM tap_exu.items2$$, $$SELECT * FROM tap_exu.items0$$,
              'the same rows as with workers 0');

-- 3. max_rejects still caps it, and the call keeps nothing.
SELECT pg_temp.fresh('items_cap');
SELECT matches(pg_temp.try_text($$SELECT * FROM minibar_migrate.migrate_table('tap_exu', 'items', 'tap_exu.items_cap', '{"if_exists": "append", "workers": 0, "max_rejects": 1}')$$),
               '^54000 more than 1 rows rejected', 'max_rejects 1: fails with 54000');
SELECT is((SELECT count(*) FROM tap_exu.items_cap), 1::bigint, 'and the target has only its old row');

-- 4. The session goes on normally (no subtransaction or buffer pin left over).
SELECT is(pg_temp.try_text($$SELECT count(*) FROM tap_exu.items0$$), 'ok', 'the session still works');

SELECT * FROM finish();
DROP SCHEMA tap_exu CASCADE;
DROP SERVER tap_exu CASCADE;

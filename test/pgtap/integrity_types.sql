-- Integrity of options and types: a bad option value is 22023 naming the key
-- and the reason (before anything is created); SQLite columns get a type that
-- holds every stored value; values are never changed silently. The SQLite
-- fixture is made here with the sqlite3 CLI and values are compared with what
-- sqlite3 itself reads back.
\ir include/helpers.sql
\set lite_db /var/lib/minibar_migrate/tap/integrity_types.sqlite
\set lite_load `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/integrity_types.sqlite "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER); INSERT INTO items VALUES (1, 'a', 1), (2, 'b', 2); CREATE TABLE other (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO other VALUES (1, 'x'); CREATE TABLE flags (id INTEGER PRIMARY KEY, f BOOLEAN); INSERT INTO flags VALUES (1, 'Y'), (2, 'y'), (3, 'n'), (4, 'yes'), (5, 'off'), (6, ' true '), (7, 1), (8, 'of'); CREATE TABLE stamps (id INTEGER PRIMARY KEY, at DATETIME); INSERT INTO stamps VALUES (1, 1700000000), (2, 1700000000123), (3, '2024-02-30 10:00:00'), (4, '2024-02-29 10:00:00'); CREATE TABLE ids (id INTEGER PRIMARY KEY, u uuid); INSERT INTO ids VALUES (1, '0e3c3ad2-6d5b-4ec1-9e2b-6a1f2d4c9b10'), (2, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'), (3, NULL); CREATE TABLE ids_blob (id INTEGER PRIMARY KEY, u uuid); INSERT INTO ids_blob VALUES (1, x'0e3c3ad26d5b4ec19e2b6a1f2d4c9b10'), (2, '0e3c3ad2-6d5b-4ec1-9e2b-6a1f2d4c9b10'); CREATE TABLE loose (id INTEGER PRIMARY KEY, anything, label STRING); INSERT INTO loose VALUES (1, x'00ff10', 'abc'), (2, 'text', '12'), (3, 42, 'x-y'); CREATE TABLE plain_untyped (id INTEGER PRIMARY KEY, v); INSERT INTO plain_untyped VALUES (1, 'one'), (2, 2), (3, 2.5); CREATE TABLE money (id INTEGER PRIMARY KEY, frac NUMERIC(4,4), amt DECIMAL(6,2)); INSERT INTO money VALUES (1, 0.99994, 1.25), (2, 0.5, 12345.678), (3, '0.1234', '99.5'); CREATE TABLE dec (id INTEGER PRIMARY KEY, d DECIMAL(10,2)); INSERT INTO dec VALUES (1, 1.5), (2, 'abc'); CREATE TABLE zd (id INTEGER PRIMARY KEY, d DATE); INSERT INTO zd VALUES (1, '0000-00-00'), (2, '2024-01-31');"`
\set src_flags `sqlite3 /var/lib/minibar_migrate/tap/integrity_types.sqlite "SELECT group_concat(id || ':' || quote(f), ' ') FROM flags"`
\set src_ids `sqlite3 /var/lib/minibar_migrate/tap/integrity_types.sqlite "SELECT group_concat(lower(u), ',') FROM (SELECT u FROM ids WHERE u IS NOT NULL ORDER BY id)"`
\set src_ids_blob `sqlite3 /var/lib/minibar_migrate/tap/integrity_types.sqlite "SELECT group_concat(lower(hex(u)), ',') FROM (SELECT u FROM ids_blob ORDER BY id)"`
\set src_loose `sqlite3 /var/lib/minibar_migrate/tap/integrity_types.sqlite "SELECT group_concat(lower(hex(anything)), ',') FROM (SELECT anything FROM loose ORDER BY id)"`
\set src_label `sqlite3 /var/lib/minibar_migrate/tap/integrity_types.sqlite "SELECT group_concat(label, ',') FROM (SELECT label FROM loose ORDER BY id)"`
\set src_untyped `sqlite3 /var/lib/minibar_migrate/tap/integrity_types.sqlite "SELECT group_concat(v, ',') FROM (SELECT v FROM plain_untyped ORDER BY id)"`
\set src_money `sqlite3 /var/lib/minibar_migrate/tap/integrity_types.sqlite "SELECT group_concat(frac || '/' || amt, ',') FROM (SELECT frac, amt FROM money ORDER BY id)"`
SET client_min_messages = warning;
DROP SERVER IF EXISTS tap_it_lite CASCADE;
CREATE SERVER tap_it_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');
CALL pg_temp.drop_leftovers('{it_opt,it_types,it_types2}');

SELECT plan(42);
SELECT is(:'lite_load'::text, 'ok', 'SQLite fixture written');

-- 7. Option values: each refused option is 22023 with its message (kind like:
-- the message matched as a LIKE pattern).
CREATE TEMP TABLE option_case (n int PRIMARY KEY, kind text, call text, msg text, descr text);
INSERT INTO option_case VALUES
  (1, 'is', $$migrate_database('tap_it_lite', 'it_opt', '{"tables": []}')$$, 'invalid migration option "tables": the array is empty; name at least one table, or leave the option out', '"tables": [] is 22023, not every table'),
  (2, 'is', $$migrate_database('tap_it_lite', 'it_opt', '{"tables": ["items", 1]}')$$, 'invalid migration option "tables": element 2 is a JSON number, not a table name (a string)', 'a number in "tables" is 22023'),
  (3, 'is', $$migrate_database('tap_it_lite', 'it_opt', '{"tables": ["items", null]}')$$, 'invalid migration option "tables": element 2 is null, not a table name (a string)', 'null in "tables" is 22023'),
  (4, 'like', $$migrate_database('tap_it_lite', 'it_opt', '{"tables": ["items", "nosuch"]}')$$, 'invalid migration option "tables": %SQLite table "nosuch" does not exist', '"tables" naming a table the source lacks is an error naming the key'),
  (5, 'is', $$migrate_database('tap_it_lite', 'it_opt', '{"tables": ["items", "nosuch"]}')$$, NULL, '... with SQLSTATE 22023'),
  (6, 'is', $$migrate_database('tap_it_lite', 'it_opt', '{"exclude": ["nosuch"]}')$$, 'invalid migration option "exclude": the source has no table "nosuch" (among the tables this call reads)', '"exclude" naming a table the source lacks is 22023'),
  (7, 'is', $$migrate_database('tap_it_lite', 'it_opt', '{"columns": {"items.nmae": "varchar(10)"}}')$$, 'invalid migration option "columns": rule "items.nmae": table "items" has no such column', 'a cast rule for a misspelled column is 22023, not ignored'),
  (8, 'is', $$migrate_table('tap_it_lite', 'items', NULL, '{"columns": {"itmes.name": "varchar(10)"}}')$$, 'invalid migration option "columns": rule "itmes.name" names a table the source does not have (among the tables this call reads)', 'migrate_table: a rule for a table the call does not read is 22023'),
  (9, 'is', $$migrate_database('tap_it_lite', 'it_opt', '{"exclude": ["items"], "columns": {"items.name": "varchar(10)"}}')$$, 'invalid migration option "columns": rule "items.name" names table "items", which "exclude" leaves out', 'a rule for an excluded table is 22023'),
  (10, 'is', $$migrate_database('tap_it_lite', 'it_opt', '{"types": {"integr": "smallint"}}')$$, 'invalid migration option "types": rule "integr" matches the declared type of no column of the tables this call migrates', 'a "types" rule matching no column is 22023'),
  (11, 'is', $$preflight('tap_it_lite', '{"tables": []}')$$, 'invalid preflight option "tables": the array is empty; name at least one table, or leave the option out', 'preflight: "tables": [] is 22023'),
  (12, 'is', $$preflight('tap_it_lite', '{"exclude": ["nosuch"]}')$$, 'invalid preflight option "exclude": the source has no table "nosuch" (among the tables this call reads)', 'preflight: "exclude" of a missing table is 22023'),
  (13, 'is', $$validate_database('tap_it_lite', 'it_opt', '{"tables": [true]}')$$, 'invalid validation option "tables": element 1 is a JSON boolean, not a table name (a string)', 'validate_database: a boolean in "tables" is 22023'),
  (14, 'is', $$validate_database('tap_it_lite', 'it_opt', '{"exclude": ["nosuch"]}')$$, 'invalid validation option "exclude": the source has no table "nosuch" (among the tables this call reads)', 'validate_database: "exclude" of a missing table is 22023');
-- The checks of cases lo..hi, in order.
CREATE FUNCTION pg_temp.option_cases(lo int, hi int) RETURNS SETOF text LANGUAGE sql AS $$
  SELECT CASE kind WHEN 'like' THEN throws_like('SELECT * FROM minibar_migrate.' || call, msg, descr)
              ELSE throws_ok('SELECT * FROM minibar_migrate.' || call, '22023', msg, descr) END
    FROM option_case WHERE n BETWEEN lo AND hi ORDER BY n
$$;
SELECT pg_temp.option_cases(1, 10);
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'it_opt'), 'nothing was created by the refused calls');
SELECT pg_temp.option_cases(11, 12);
SELECT lives_ok($$SELECT * FROM minibar_migrate.migrate_database('tap_it_lite', 'it_opt', '{"tables": ["items", "other"], "exclude": ["other"], "columns": {"items.name": "varchar(10)"}, "types": {"integer": "bigint"}}')$$,
  'good options still work');
SELECT is((SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'it_opt'),
  'items', 'only the selected table moved');
SELECT is((SELECT data_type || coalesce('(' || character_maximum_length || ')', '') FROM information_schema.columns
            WHERE table_schema = 'it_opt' AND table_name = 'items' AND column_name = 'name'),
  'character varying(10)', 'the column rule applied');
SELECT pg_temp.option_cases(13, 14);

-- 8. SQLite type choices by what the columns store; values compared with sqlite3's own reading.
CREATE TEMP TABLE it_run AS
  SELECT * FROM minibar_migrate.migrate_database('tap_it_lite', 'it_types',
    '{"tables": ["flags", "stamps", "ids", "ids_blob", "loose", "plain_untyped", "money"]}');
SELECT results_eq(
  $$SELECT c.relname::text COLLATE "default", a.attname::text COLLATE "default", format_type(a.atttypid, a.atttypmod)
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'it_types'::regnamespace AND c.relkind = 'r' AND a.attnum > 0
       AND NOT a.attisdropped AND a.attname <> 'id' ORDER BY 1, 2$$,
  $$VALUES ('flags', 'f', 'boolean'), ('ids', 'u', 'uuid'), ('ids_blob', 'u', 'bytea'),
           ('loose', 'anything', 'bytea'), ('loose', 'label', 'text'),
           ('money', 'amt', 'numeric(8,3)'), ('money', 'frac', 'numeric(5,5)'),
           ('plain_untyped', 'v', 'text'), ('stamps', 'at', 'timestamp with time zone')$$,
  'each column gets a type that holds every stored value');
SELECT is((SELECT sum(rows_source) - sum(rows_copied) FROM it_run WHERE kind = 'table'), 2::numeric,
  'only the two bad timestamps are not copied');
SELECT results_eq($$SELECT row_data->>'id', column_name, sqlstate FROM minibar_migrate.rejects r JOIN it_run USING (run_id) WHERE it_run.source_name = 'stamps' AND r.source_table = 'stamps' ORDER BY 1$$,
  $$VALUES ('2', 'at', '22008'), ('3', 'at', '22008')$$,
  'epoch milliseconds and 2024-02-30 are rejected with a reason, not the year 55840');
SELECT ok((SELECT reason FROM minibar_migrate.rejects r JOIN it_run USING (run_id) WHERE it_run.source_name = 'stamps' AND r.source_table = 'stamps' AND row_data->>'id' = '2') LIKE '%milliseconds%',
  'the reject says the number looks like milliseconds');
SELECT is((SELECT string_agg(id || ':' || f, ' ' ORDER BY id) FROM it_types.flags),
  '1:true 2:true 3:false 4:true 5:false 6:true 7:true 8:false',
  'booleans as boolin reads them (source: ' || :'src_flags' || ')');
SELECT is((SELECT string_agg(u::text, ',' ORDER BY id) FROM it_types.ids),
  :'src_ids', 'uuid values equal sqlite3''s text (lower case)');
SELECT is((SELECT string_agg(encode(u, 'hex'), ',' ORDER BY id) FROM it_types.ids_blob),
  :'src_ids_blob', 'a uuid column holding blobs keeps every value''s bytes');
SELECT is((SELECT string_agg(encode(anything, 'hex'), ',' ORDER BY id) FROM it_types.loose),
  :'src_loose', 'an untyped column holding a blob is bytea with every value''s bytes');
SELECT is((SELECT string_agg(label, ',' ORDER BY id) FROM it_types.loose), :'src_label',
  'a STRING column (NUMERIC affinity) holding text is text');
SELECT is((SELECT string_agg(v, ',' ORDER BY id) FROM it_types.plain_untyped), :'src_untyped',
  'an untyped column mixing text and numbers is text');
SELECT is((SELECT string_agg(trim_scale(frac)::text || '/' || trim_scale(amt)::text, ',' ORDER BY id) FROM it_types.money), :'src_money',
  'NUMERIC(4,4) holding 0.99994 and DECIMAL(6,2) holding 12345.678 are widened: no value rounded');
SELECT ok((SELECT notes FROM it_run WHERE source_name = 'money')::text LIKE '%created as numeric(5,5)%no value is rounded%',
  'a note says why the type was widened');
SELECT ok((SELECT notes FROM it_run WHERE source_name = 'ids')::text LIKE '%created as uuid: every value is UUID text%',
  'a note says why uuid');

-- No silent rounding into an existing numeric(p,s): the row is rejected with the reason.
DROP SCHEMA IF EXISTS it_exist CASCADE;
CREATE SCHEMA it_exist;
CREATE TABLE it_exist.money (id bigint PRIMARY KEY, frac numeric(4,4), amt numeric(7,2));
SELECT results_eq($$SELECT rows_copied, rows_rejected FROM minibar_migrate.migrate_table('tap_it_lite', 'money', 'it_exist.money')$$,
  $$VALUES (1::bigint, 2::bigint)$$, 'existing numeric(4,4) / numeric(7,2): the two rows that would be rounded are rejected');
SELECT results_eq($$SELECT row_data->>'id', column_name, sqlstate, reason FROM minibar_migrate.rejects WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.rejects WHERE target_table LIKE '%it_exist%') ORDER BY 1$$,
  $$VALUES ('1', 'frac', '22003', 'value 0.99994 has more decimal places than numeric(4,4) holds; it would be rounded to 0.9999'),
           ('2', 'amt', '22003', 'value 12345.678 has more decimal places than numeric(7,2) holds; it would be rounded to 12345.68')$$,
  'each reject names the value and what it would have become');
SELECT is((SELECT trim_scale(frac)::text || '/' || trim_scale(amt)::text FROM it_exist.money), '0.1234/99.5', 'the row that fits is exact');

-- 10. preflight uses the migration's converters and says what the migration will do.
CREATE TEMP TABLE pf AS SELECT * FROM minibar_migrate.preflight('tap_it_lite');
SELECT results_eq($$SELECT severity, count, example, action FROM pf WHERE table_name = 'stamps' AND check_name = 'invalid_value'$$,
  $$VALUES ('error', 2::bigint, 'id=2, id=3', 'reject')$$,
  'preflight: epoch milliseconds and 2024-02-30 in a DATETIME column are errors the migration rejects (2 rows, as it did)');
SELECT ok((SELECT advice FROM pf WHERE table_name = 'stamps' AND check_name = 'invalid_value') LIKE '%milliseconds%',
  'with the converter''s reason');
SELECT results_eq($$SELECT severity, action FROM pf WHERE table_name = 'zd' AND check_name = 'invalid_value'$$,
  $$VALUES ('error', 'reject')$$, 'a zero date in a nullable SQLite column is an error (the converter refuses it): the migration rejects the row');
SELECT results_eq($$SELECT check_name, action, advice FROM pf WHERE table_name = 'dec' AND column_name = 'd'$$,
  $$VALUES ('type_from_values', 'note', 'declared DECIMAL(10,2), created as text: 1 text value(s) are not numbers; numbers keep their text')$$,
  '''abc'' in a DECIMAL column: preflight says the column becomes text (the migration notes the same)');
SELECT ok(NOT EXISTS (SELECT 1 FROM pf WHERE table_name = 'flags' AND severity = 'error'), 'booleans boolin accepts are no finding');
SELECT ok((SELECT bool_and(action IS NOT NULL) AND bool_and(severity <> 'error' OR action = 'reject') FROM pf),
  'every finding says what the migration will do; every error is a reject');
CREATE TEMP TABLE it_run2 AS SELECT * FROM minibar_migrate.migrate_database('tap_it_lite', 'it_types2', '{"tables": ["dec", "zd"]}');
SELECT results_eq($$SELECT source_name, rows_copied, rows_rejected FROM it_run2 WHERE kind = 'table' ORDER BY 1$$,
  $$VALUES ('dec', 2::bigint, 0::bigint), ('zd', 1, 1)$$, 'the migration does what preflight said');

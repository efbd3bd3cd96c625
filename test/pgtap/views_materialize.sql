-- migrate_database {"views": "materialize"}: a source view's rows copied into a
-- table of the same name, typed from the view's columns; the default
-- ("skip") still only reports views. MariaDB (minibar_views, made here with
-- the mariadb CLI) and SQLite (views.sqlite). Expected rows are what the
-- source itself returns for each view (mariadb / sqlite3 CLI, read at the
-- top of this file), never what the extension produced.
\ir include/helpers.sql
\set my_load `mariadb -e "DROP DATABASE IF EXISTS minibar_views; CREATE DATABASE minibar_views CHARACTER SET utf8mb4; USE minibar_views; CREATE TABLE rooms (id INT PRIMARY KEY, room_no VARCHAR(10) NOT NULL DEFAULT 'x', kind ENUM('std','suite') NOT NULL); CREATE TABLE sales (id INT AUTO_INCREMENT PRIMARY KEY, room_id INT NOT NULL, amount DECIMAL(8,2) NOT NULL, FOREIGN KEY (room_id) REFERENCES rooms (id)); INSERT INTO rooms VALUES (1, '101', 'std'), (2, '102', 'suite'), (3, '201', 'std'); INSERT INTO sales (room_id, amount) VALUES (1, 12.50), (1, 3.25), (2, 99.99), (2, 0.01), (2, 7.00); CREATE VIEW v_room_sales AS SELECT r.id AS room_id, r.room_no, r.kind, s.amount FROM rooms r LEFT JOIN sales s ON s.room_id = r.id; CREATE VIEW v_totals AS SELECT room_id, SUM(amount) AS total, COUNT(*) AS n FROM sales GROUP BY room_id; CREATE TABLE gone (x INT); CREATE VIEW v_broken AS SELECT x FROM gone; DROP TABLE gone;" 2>&1 && echo loaded`
\set my_room_sales `mariadb -N -B -r -e "SELECT JSON_ARRAYAGG(JSON_OBJECT('room_id', room_id, 'room_no', room_no, 'kind', kind, 'amount', amount)) FROM minibar_views.v_room_sales"`
\set my_totals `mariadb -N -B -r -e "SELECT JSON_ARRAYAGG(JSON_OBJECT('room_id', room_id, 'total', total, 'n', n)) FROM minibar_views.v_totals"`
\set lite_load `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/views.sqlite "CREATE TABLE product (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price DECIMAL(8,2)); CREATE TABLE moves (id INTEGER PRIMARY KEY, product_id INTEGER REFERENCES product, qty INTEGER NOT NULL); INSERT INTO product VALUES (1, 'Kola', 2.50), (2, 'Su', 1.00), (3, 'Cips', NULL); INSERT INTO moves (product_id, qty) VALUES (1, 4), (1, 6), (2, 3), (2, 2), (2, 10); CREATE VIEW v_moves AS SELECT m.id, p.name, p.price, m.qty FROM moves m JOIN product p ON p.id = m.product_id; CREATE VIEW v_stock AS SELECT product_id, sum(qty) AS total, avg(qty) AS mean, group_concat(qty, '+') AS parts FROM moves GROUP BY product_id; CREATE TABLE gone (x); CREATE VIEW v_broken AS SELECT x FROM gone; DROP TABLE gone;"`
\set lite_moves `sqlite3 /var/lib/minibar_migrate/tap/views.sqlite "SELECT json_group_array(json_object('id', id, 'name', name, 'price', price, 'qty', qty)) FROM v_moves"`
\set lite_stock `sqlite3 /var/lib/minibar_migrate/tap/views.sqlite "SELECT json_group_array(json_object('product_id', product_id, 'total', total, 'mean', mean, 'parts', parts)) FROM v_stock"`

SET client_min_messages = warning;
SET TimeZone = 'UTC';
CALL pg_temp.drop_leftovers('{tap_views_my,tap_views_w2,tap_views_skip,tap_views_skip2,tap_views_sel,tap_views_ex,tap_views_x,tap_views_tbl,tap_views_lite}',
                            '{tap_views_my,tap_views_lite}', true);
CALL pg_temp.mysql_server('tap_views_my', 'minibar_views');
CREATE SERVER tap_views_lite FOREIGN DATA WRAPPER minibar_sqlite
  OPTIONS (database '/var/lib/minibar_migrate/tap/views.sqlite');
CREATE SCHEMA tap_views_tbl;

CREATE TEMP TABLE src_room_sales AS SELECT * FROM jsonb_to_recordset(:'my_room_sales'::jsonb)
  AS x(room_id int, room_no text, kind text, amount numeric);
CREATE TEMP TABLE src_totals AS SELECT * FROM jsonb_to_recordset(:'my_totals'::jsonb)
  AS x(room_id int, total numeric, n bigint);
CREATE TEMP TABLE src_moves AS SELECT * FROM jsonb_to_recordset(:'lite_moves'::jsonb)
  AS x(id bigint, name text, price numeric, qty bigint);
CREATE TEMP TABLE src_stock AS SELECT * FROM jsonb_to_recordset(:'lite_stock'::jsonb)
  AS x(product_id bigint, total bigint, mean float8, parts text);
CREATE TEMP TABLE res (label text, run_id bigint, kind text, source_name text, target regclass,
  rows_source bigint, rows_copied bigint, rows_rejected bigint, notes text[]);
CREATE FUNCTION pg_temp.run(label text, srv text, sch text, opts jsonb) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO res SELECT label, m.run_id, m.kind, m.source_name, m.target, m.rows_source, m.rows_copied,
                         m.rows_rejected, m.notes
    FROM minibar_migrate.migrate_database(srv, sch, opts) m;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ' ' || SQLERRM;
END $f$;
-- Columns of a table: name, type, NOT NULL, has a default.
CREATE FUNCTION pg_temp.cols(rel regclass) RETURNS TABLE (col text, typ text, notnull boolean, has_default boolean)
LANGUAGE sql AS $f$
  SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.atthasdef
    FROM pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
$f$;

SELECT plan(44);
SELECT is(:'my_load'::text, 'loaded', 'MariaDB fixture minibar_views loaded');
SELECT is(:'lite_load'::text, 'ok', 'SQLite fixture views.sqlite made');
SELECT is((SELECT count(*) FROM src_room_sales), 6::bigint, 'the source returns 6 rows for v_room_sales');

-- 1. Default ("skip"): views are reported, not copied.
SELECT is(pg_temp.run('skip', 'tap_views_my', 'tap_views_skip', '{}'), 'ok', 'default run succeeds');
SELECT bag_eq(
  $$SELECT kind, source_name, target IS NULL, notes FROM res WHERE label = 'skip' AND kind <> 'table'$$,
  $$VALUES ('view', 'v_broken', true, '{"views are not migrated; recreate it by hand"}'::text[]),
           ('view', 'v_room_sales', true, '{"views are not migrated; recreate it by hand"}'),
           ('view', 'v_totals', true, '{"views are not migrated; recreate it by hand"}')$$,
  'default: each view is a note, none copied');
SELECT is((SELECT count(*) FROM pg_class WHERE relnamespace = 'tap_views_skip'::regnamespace AND relname LIKE 'v\_%'),
          0::bigint, 'default: no table for any view');

-- 2. "materialize" (MariaDB): the join view and the aggregate view.
SELECT is(pg_temp.run('my', 'tap_views_my', 'tap_views_my', '{"views": "materialize"}'), 'ok',
          'materialize run succeeds with a broken view in the source');
SELECT bag_eq(
  $$SELECT kind, source_name, target::text, rows_source, rows_copied, rows_rejected FROM res
     WHERE label = 'my' AND target IS NOT NULL$$,
  $$VALUES ('table', 'rooms', 'tap_views_my.rooms', 3::bigint, 3::bigint, 0::bigint),
           ('table', 'sales', 'tap_views_my.sales', 5, 5, 0),
           ('view', 'v_room_sales', 'tap_views_my.v_room_sales', 6, 6, 0),
           ('view', 'v_totals', 'tap_views_my.v_totals', 2, 2, 0)$$,
  'materialize: both views are rows of kind view with a target and counts');
SELECT pg_temp.bag($$SELECT room_id, room_no, kind::text, amount FROM tap_views_my.v_room_sales$$,
                   $$SELECT room_id, room_no, kind, amount FROM src_room_sales$$,
                   'join view: exactly the rows MariaDB returns for it');
SELECT pg_temp.bag($$SELECT room_id, total, n FROM tap_views_my.v_totals$$,
                   $$SELECT room_id, total, n FROM src_totals$$,
                   'aggregate view: exactly the rows MariaDB returns for it');
SELECT results_eq($$SELECT * FROM pg_temp.cols('tap_views_my.v_room_sales')$$,
  $$VALUES ('room_id', 'integer', false, false), ('room_no', 'character varying(10)', false, false),
           ('kind', 'tap_views_my.v_room_sales_kind', false, false), ('amount', 'numeric(8,2)', false, false)$$,
  'join view: types from information_schema (INT, VARCHAR(10), ENUM, DECIMAL(8,2)); no NOT NULL, no default');
SELECT results_eq($$SELECT * FROM pg_temp.cols('tap_views_my.v_totals')$$,
  $$VALUES ('room_id', 'integer', false, false), ('total', 'numeric(30,2)', false, false),
           ('n', 'bigint', false, false)$$,
  'aggregate view: SUM(DECIMAL(8,2)) numeric(30,2), COUNT(*) bigint');
SELECT is((SELECT enum_range(NULL::tap_views_my.v_room_sales_kind)::text), '{std,suite}',
          'the view''s ENUM column gets an enum type with the labels');
SELECT is((SELECT count(*) FROM pg_index WHERE indrelid IN ('tap_views_my.v_room_sales'::regclass,
                                                            'tap_views_my.v_totals'::regclass)),
          0::bigint, 'no key or index on a materialized view');
SELECT is((SELECT count(*) FROM pg_index WHERE indrelid = 'tap_views_my.sales'::regclass AND indisprimary),
          1::bigint, 'tables still get their primary key');
SELECT is((SELECT count(*) FROM res WHERE label = 'my' AND kind = 'view' AND target IS NULL AND source_name = 'v_broken'
              AND notes[1] ~ '^not materialized: the source cannot read it \(View ''minibar_views.v_broken'' references invalid table'),
          1::bigint, 'the broken view is a note saying why it was not materialized');
SELECT is((SELECT notes[1] FROM res WHERE label = 'my' AND source_name = 'v_totals'),
          'view v_totals: materialized: a snapshot of the rows the view returned, in one copy; the table has no keys, indexes, NOT NULL or defaults',
          'a materialized view carries a view note');
SELECT bag_eq(
  $$SELECT line, source_table, to_regclass(target_table)::text, rows_copied
      FROM minibar_migrate.run_report((SELECT max(run_id) FROM res WHERE label = 'my'))
     WHERE source_table LIKE 'v\_%'$$,
  $$VALUES ('table', 'v_room_sales', 'tap_views_my.v_room_sales', 6::bigint),
           ('table', 'v_totals', 'tap_views_my.v_totals', 2::bigint),
           ('view', 'v_broken', NULL, NULL)$$,
  'run_report lists both materialized views with their counts, and the broken one as a note');
SET client_min_messages = error;  -- validation warns that a view has no key to chunk on
SELECT bag_eq(
  $$SELECT source_table, ok, source_rows, target_rows FROM minibar_migrate.validate_database(
      'tap_views_my', 'tap_views_my', '{"views": "materialize"}') WHERE kind = 'table'$$,
  $$VALUES ('rooms', true, 3::bigint, 3::bigint), ('sales', true, 5, 5),
           ('v_room_sales', true, 6, 6), ('v_totals', true, 2, 2)$$,
  'validate_database {"views": "materialize"} checks the views against their tables: equal');
UPDATE tap_views_my.v_totals SET n = n + 1 WHERE room_id = 1;
SELECT is((SELECT ok FROM minibar_migrate.validate_database('tap_views_my', 'tap_views_my',
             '{"views": "materialize", "tables": ["v_totals"]}') WHERE kind = 'table'),
          false, 'validate_database finds a changed row of a materialized view');
SELECT throws_ok($$SELECT * FROM minibar_migrate.validate_database('tap_views_my', 'tap_views_my',
                    '{"views": "materialize", "tables": ["v_totals", "rooms"], "raise_on_mismatch": true}')$$,
                 '22000', NULL, 'MariaDB source: raise_on_mismatch turns the differing verdict into an ERROR (22000)');
SELECT throws_like($$SELECT * FROM minibar_migrate.validate_database('tap_views_my', 'tap_views_my',
                      '{"views": "materialize", "tables": ["v_totals", "rooms"], "raise_on_mismatch": true}')$$,
                   'validation % found differences: 1 table(s) differ (v_totals)', 'and names only the table that differs');
SET client_min_messages = warning;
CREATE TEMP TABLE rolled AS SELECT * FROM minibar_migrate.rollback((SELECT max(run_id) FROM res WHERE label = 'my'));
SELECT bag_eq($$SELECT kind, replace(object, '"', '') FROM rolled WHERE object ~ 'v_'$$,
              $$VALUES ('table', 'tap_views_my.v_room_sales'), ('table', 'tap_views_my.v_totals'),
                       ('type', 'tap_views_my.v_room_sales_kind')$$,
              'rollback drops the materialized views'' tables and enum type with the rest');
SELECT is(to_regclass('tap_views_my.v_totals'), NULL, 'rolled back: no v_totals');

-- The run above ran in the caller's transaction (workers 0, inside a
-- function); the same with 2 background workers.
SELECT is(pg_temp.run('w2', 'tap_views_my', 'tap_views_w2', '{"views": "materialize", "workers": 2}'), 'ok',
          'materialize with "workers": 2 succeeds');
SELECT cmp_ok((SELECT workers FROM minibar_migrate.runs WHERE run_id = (SELECT max(run_id) FROM res WHERE label = 'w2')),
              '>', 0, 'that run used background workers');
SELECT pg_temp.bag($$SELECT room_id, room_no, kind::text, amount FROM tap_views_w2.v_room_sales$$,
                   $$SELECT room_id, room_no, kind, amount FROM src_room_sales$$,
                   'workers 2: the join view''s rows');

-- 3. Selecting views by name.
SELECT is(pg_temp.run('sel', 'tap_views_my', 'tap_views_sel', '{"views": "materialize", "tables": ["v_totals", "sales"]}'),
          'ok', '"tables" names a view and a table');
SELECT bag_eq($$SELECT kind, source_name FROM res WHERE label = 'sel'$$,
              $$VALUES ('view', 'v_totals'), ('table', 'sales')$$, '"tables": only the named view and table');
SELECT is(pg_temp.run('ex', 'tap_views_my', 'tap_views_ex', '{"views": "materialize", "exclude": ["v_room_sales", "v_broken"]}'),
          'ok', '"exclude" names two views');
SELECT bag_eq($$SELECT kind, source_name FROM res WHERE label = 'ex'$$,
              $$VALUES ('table', 'rooms'), ('table', 'sales'), ('view', 'v_totals')$$,
              '"exclude": the excluded views are neither copied nor noted');
SELECT alike(pg_temp.run('x', 'tap_views_my', 'tap_views_x', '{"tables": ["v_totals"]}'),
            '22023 invalid migration option "tables": "v_totals" is a view, not a table; views are copied only with {"views": "materialize"}%',
            'without "views": "materialize", "tables" naming a view is an error');
SELECT is(pg_temp.run('ex2', 'tap_views_my', 'tap_views_skip2', '{"exclude": ["v_totals"]}'), 'ok',
          'without it, "exclude" may name a view (it is only reported anyway)');
SELECT alike(pg_temp.run('x', 'tap_views_my', 'tap_views_x', '{"views": "copy"}'),
            '22023 invalid migration option "views": expected "skip" or "materialize"%', 'a bad "views" value is an error');
SELECT alike(pg_temp.run('x', 'tap_views_my', 'tap_views_x', '{"views": "materialize", "tables": ["v_broken"]}'),
            'HV000 %MySQL view `minibar_views`.`v_broken` cannot be copied: the source cannot read it (View ''minibar_views.v_broken'' references invalid table%',
            'a broken view named in "tables" is an error naming it');
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_views_my', 'v_totals', 'tap_views_tbl.v_totals')),
          2::bigint, 'migrate_table materializes a view named on its own');
SELECT pg_temp.bag($$SELECT room_id, total, n FROM tap_views_tbl.v_totals$$,
                   $$SELECT room_id, total, n FROM src_totals$$, 'migrate_table: the view''s rows');
SET client_min_messages = error;
SELECT results_eq($$SELECT kind, source_rows, target_rows, ok FROM minibar_migrate.validate_checksums(
                      'tap_views_my', 'v_totals', 'tap_views_tbl.v_totals')$$,
                  $$VALUES ('chunk', 2::bigint, 2::bigint, true)$$,
                  'validate_checksums compares a view with its table: one chunk, equal');
SET client_min_messages = warning;

-- 4. SQLite: declared types where the view takes a table's column, measured
-- types for expressions (sum of integers, avg, group_concat).
SELECT is(pg_temp.run('lite', 'tap_views_lite', 'tap_views_lite', '{"views": "materialize"}'), 'ok',
          'SQLite materialize run succeeds');
SELECT bag_eq(
  $$SELECT kind, source_name, rows_copied FROM res WHERE label = 'lite' AND target IS NOT NULL$$,
  $$VALUES ('table', 'product', 3::bigint), ('table', 'moves', 5), ('view', 'v_moves', 5), ('view', 'v_stock', 2)$$,
  'SQLite: both views copied');
SELECT pg_temp.bag($$SELECT id, name, price, qty FROM tap_views_lite.v_moves$$,
                   $$SELECT id, name, price, qty FROM src_moves$$, 'SQLite join view: exactly the rows SQLite returns');
SELECT pg_temp.bag($$SELECT product_id, total, mean, parts FROM tap_views_lite.v_stock$$,
                   $$SELECT product_id, total, mean, parts FROM src_stock$$, 'SQLite aggregate view: exactly the rows SQLite returns');
SELECT results_eq($$SELECT col, typ FROM pg_temp.cols('tap_views_lite.v_moves') UNION ALL
                    SELECT col, typ FROM pg_temp.cols('tap_views_lite.v_stock')$$,
  $$VALUES ('id', 'bigint'), ('name', 'text'), ('price', 'numeric(8,2)'), ('qty', 'bigint'),
           ('product_id', 'bigint'), ('total', 'bigint'), ('mean', 'double precision'), ('parts', 'text')$$,
  'SQLite view column types: declared ones kept, untyped expressions typed by their values');
SELECT is((SELECT count(*) FROM res WHERE label = 'lite' AND kind = 'view' AND source_name = 'v_broken' AND target IS NULL
              AND notes[1] ~ '^not materialized: the source cannot read it \(.*no such table: main\.gone'),
          1::bigint, 'SQLite: the broken view is a note');

SELECT * FROM finish();

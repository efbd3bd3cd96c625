-- Values decoded straight into Datums (no text round trip) give exactly what
-- the type's input function gives: DECIMAL into numeric with the same typmod,
-- a different one (rounded, or out of range), none; ENUM labels; VARCHAR(n);
-- SQLite REALs into numeric (the digits of their shortest round-trip text).
-- Every expectation is computed by PostgreSQL's own input function from the
-- same text, so a difference in value or display scale fails.
\ir include/helpers.sql
\set fixture_load `mariadb -e "DROP DATABASE IF EXISTS minibar_datums; CREATE DATABASE minibar_datums CHARACTER SET utf8mb4; USE minibar_datums; SET sql_mode = 'STRICT_ALL_TABLES'; CREATE TABLE vals (id INT PRIMARY KEY, amount DECIMAL(10,2) NOT NULL, fine DECIMAL(18,6), kind ENUM('refill','consume','adjust') NOT NULL, code VARCHAR(6)); INSERT INTO vals VALUES (1, 1234.55, 0.000001, 'refill', 'abc'), (2, -1234.55, -999999999999.999999, 'consume', 'äöü'), (3, 0.00, 0, 'adjust', 'abcdef'), (4, -0.05, NULL, 'refill', NULL), (5, 99999999.99, 123456789012.345678, 'consume', 'ab'), (6, 12.34, 1.5, 'adjust', 'şğ'), (7, 0.5, -0.5, 'refill', '');" 2>&1 && echo loaded`
SET client_min_messages = warning;
\set lite_load `install -d -m 755 /var/lib/minibar_migrate/tap && rm -f /var/lib/minibar_migrate/tap/datums.sqlite && sqlite3 /var/lib/minibar_migrate/tap/datums.sqlite "CREATE TABLE prices (id INTEGER PRIMARY KEY, price DECIMAL(10,2) NOT NULL, exact NUMERIC); INSERT INTO prices VALUES (1, 1.37, 1.37), (2, 4.35, 0.1), (3, 2.675, 2.675), (4, -0.005, 0.00001234), (5, 99999999.99, 0.1 + 0.2), (6, 0.5, 1e20), (7, 12, 123456789012345.6);" 2>&1 && chmod 644 /var/lib/minibar_migrate/tap/datums.sqlite && echo loaded`
DROP SCHEMA IF EXISTS tap_datums CASCADE;
DROP SERVER IF EXISTS tap_datums CASCADE;
CALL pg_temp.mysql_server('tap_datums', 'minibar_datums');
CREATE SCHEMA tap_datums;

SELECT plan(26);
SELECT is(:'fixture_load'::text, 'loaded', 'MariaDB fixture minibar_datums loaded');

-- The source's own text, through the wrapper's text columns.
CREATE FOREIGN TABLE tap_datums.src (id int, amount text, fine text, kind text, code text)
  SERVER tap_datums OPTIONS (table_name 'vals');
CREATE TEMP TABLE src AS SELECT * FROM tap_datums.src;

-- 1. A table the migration creates: numeric(10,2), numeric(18,6), an enum, varchar(6).
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_datums', 'vals', 'tap_datums.created')),
          7::bigint, 'created target: 7 rows copied');
SELECT results_eq(
  $$SELECT id, amount::text, scale(amount), fine::text, kind::text, code::text FROM tap_datums.created ORDER BY id$$,
  $$SELECT id, amount::numeric(10,2)::text, scale(amount::numeric(10,2)), fine::numeric(18,6)::text, kind, code
      FROM src ORDER BY id$$,
  'created target: values and display scales equal numeric_in / enum_in / varchar_in on the source text');
SELECT is((SELECT count(*) FROM tap_datums.created c JOIN src s ON s.id = c.id
            WHERE c.kind = s.kind::tap_datums.created_kind),
          7::bigint, 'enum values equal (as OIDs) the labels enum_in gives');

-- 2. An existing target whose types differ from the source's.
CREATE TYPE tap_datums.kinds AS ENUM ('adjust', 'consume', 'refill');
CREATE TABLE tap_datums.existing (
  id int PRIMARY KEY,
  amount numeric(7,2),     -- 99999999.99 overflows
  fine numeric,            -- unconstrained: the source's scale
  kind tap_datums.kinds,   -- same labels, another order
  code varchar(3));        -- 'abcdef' does not fit
SELECT results_eq(
  $$SELECT rows_copied, rows_rejected FROM minibar_migrate.migrate_table('tap_datums', 'vals', 'tap_datums.existing')$$,
  $$VALUES (5::bigint, 2::bigint)$$,
  'existing target: 5 copied, 2 rejected');
SELECT results_eq(
  $$SELECT id, amount::text, fine::text, kind::text, code::text FROM tap_datums.existing ORDER BY id$$,
  $$SELECT id, amount::numeric(7,2)::text, fine::numeric::text, kind, code FROM src
     WHERE id NOT IN (3, 5) ORDER BY id$$,
  'existing target: numeric(7,2) as numeric() gives it, plain numeric keeps the source scale');
SELECT is((SELECT amount::text FROM tap_datums.existing WHERE id = 1), '1234.55', '1234.55 -> numeric(7,2) 1234.55');
SELECT is((SELECT amount::text FROM tap_datums.existing WHERE id = 4), '-0.05', '-0.05 -> numeric(7,2) -0.05');
SELECT is((SELECT fine::text FROM tap_datums.existing WHERE id = 2), '-999999999999.999999', 'plain numeric keeps -999999999999.999999');
SELECT is((SELECT code::text FROM tap_datums.existing WHERE id = 2), 'äöü', 'varchar(3) takes 3 characters in 6 bytes');
SELECT results_eq(
  $$SELECT row_data->>'id', column_name, sqlstate, value FROM minibar_migrate.rejects
     WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.rejects WHERE target_table = '"tap_datums"."existing"')
     ORDER BY 1$$,
  $$VALUES ('3', 'code', '22001', '''abcdef'''), ('5', 'amount', '22003', '''99999999.99''')$$,
  'rejects: varchar(3) too long (22001), numeric(7,2) overflow (22003)');
-- A value that numeric(7,1) would round is rejected (22003) with the value and what it would become.
CREATE TABLE tap_datums.rounded (id int PRIMARY KEY, amount numeric(7,1));
SELECT results_eq(
  $$SELECT rows_copied, rows_rejected FROM minibar_migrate.migrate_table('tap_datums', 'vals', 'tap_datums.rounded', '{"ignore_extra_columns": true}')$$,
  $$VALUES (2::bigint, 5::bigint)$$, 'numeric(7,1): 0.00 and 0.5 copied; four values that would be rounded and one overflow rejected');
SELECT results_eq(
  $$SELECT row_data->>'id', sqlstate, reason FROM minibar_migrate.rejects
     WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.rejects WHERE target_table = '"tap_datums"."rounded"') AND row_data->>'id' IN ('1', '4') ORDER BY 1$$,
  $$VALUES ('1', '22003', 'value 1234.55 has more decimal places than numeric(7,1) holds; it would be rounded to 1234.6'),
           ('4', '22003', 'value -0.05 has more decimal places than numeric(7,1) holds; it would be rounded to -0.1')$$,
  'never rounded silently: the reject names the value and what it would have become');

-- A row with several values that do not fit: the reject lists every one.
CREATE TABLE tap_datums.narrow (id int PRIMARY KEY, amount numeric(4,1), code varchar(2));
SELECT results_eq(
  $$SELECT rows_copied, rows_rejected FROM minibar_migrate.migrate_table('tap_datums', 'vals', 'tap_datums.narrow', '{"ignore_extra_columns": true}')$$,
  $$VALUES (1::bigint, 6::bigint)$$, 'numeric(4,1) and varchar(2): only row 7 fits');
SELECT results_eq(
  $$SELECT row_data->>'id', (SELECT string_agg((p->>'column') || ' ' || (p->>'sqlstate') || ' ' || (p->>'value'), ', ' ORDER BY n)
                               FROM jsonb_array_elements(problems) WITH ORDINALITY e(p, n))
      FROM minibar_migrate.rejects
     WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.rejects WHERE target_table = '"tap_datums"."narrow"') ORDER BY 1$$,
  $$VALUES ('1', 'amount 22003 ''1234.55'', code 22001 ''abc'''), ('2', 'amount 22003 ''-1234.55'', code 22001 ''äöü'''),
           ('3', 'code 22001 ''abcdef'''), ('4', 'amount 22003 ''-0.05'''), ('5', 'amount 22003 ''99999999.99'''),
           ('6', 'amount 22003 ''12.34''')$$,
  'a rejected row records every column that does not fit, with its SQLSTATE and value');
SELECT is((SELECT count(*) FROM minibar_migrate.rejects
            WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.rejects WHERE target_table = '"tap_datums"."narrow"')
              AND column_name = problems->0->>'column' AND reason = problems->0->>'reason'
              AND sqlstate = problems->0->>'sqlstate' AND value = problems->0->>'value'), 6::bigint,
          'column_name, reason, sqlstate and value are the first of them');

-- 3. The same conversions through a foreign table scan (same Datum builder).
CREATE FOREIGN TABLE tap_datums.typed (id int, amount numeric(5,3), fine numeric(18,6), kind tap_datums.kinds, code varchar(6))
  SERVER tap_datums OPTIONS (table_name 'vals');
SELECT results_eq(
  $$SELECT id, fine::text, kind::text, code::text FROM tap_datums.typed ORDER BY id$$,
  $$SELECT id, fine::numeric(18,6)::text, kind, code FROM src ORDER BY id$$,
  'scan: numeric(18,6), enum and varchar(6) equal their input functions');
SELECT throws_ok($$SELECT amount FROM tap_datums.typed WHERE id = 1$$, '22003', NULL,
                 'scan: 1234.55 does not fit numeric(5,3): numeric field overflow');
SELECT is((SELECT amount::text FROM tap_datums.typed WHERE id = 4), '-0.050', 'scan: -0.05 as numeric(5,3) is -0.050');
-- A label the enum does not have fails as enum_in fails, also after other labels were seen.
CREATE TYPE tap_datums.two AS ENUM ('refill', 'consume');
CREATE FOREIGN TABLE tap_datums.two_kinds (id int, kind tap_datums.two)
  SERVER tap_datums OPTIONS (table_name 'vals');
SELECT throws_ok($$SELECT id, kind FROM tap_datums.two_kinds ORDER BY id$$, '22P02', NULL,
                 'scan: ''adjust'' is not a label of the enum: 22P02 (as enum_in)');
SELECT results_eq($$SELECT id, kind::text FROM tap_datums.two_kinds WHERE id IN (1, 2, 4, 5) ORDER BY id$$,
                  $$VALUES (1, 'refill'), (2, 'consume'), (4, 'refill'), (5, 'consume')$$,
                  'scan: the labels it has convert');

-- 4. SQLite REALs into numeric: the value numeric_in gives for the REAL's
-- shortest round-trip text (float8out's, extra_float_digits 1), rounded to the
-- column's typmod where it has one.
SELECT is(:'lite_load'::text, 'loaded', 'SQLite fixture datums.sqlite loaded');
DROP SERVER IF EXISTS tap_datums_lite CASCADE;
CREATE SERVER tap_datums_lite FOREIGN DATA WRAPPER minibar_sqlite
  OPTIONS (database '/var/lib/minibar_migrate/tap/datums.sqlite');
CREATE FOREIGN TABLE tap_datums.lite_src (id bigint, price float8, exact float8)
  SERVER tap_datums_lite OPTIONS (table_name 'prices');
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_datums_lite', 'prices', 'tap_datums.prices')),
          7::bigint, 'SQLite prices: 7 rows copied');
SET extra_float_digits = 1;
SELECT results_eq(
  $$SELECT id, price::text, exact::text FROM tap_datums.prices ORDER BY id$$,
  $$SELECT id, price::text::numeric(11,3)::text, exact::text::numeric::text FROM tap_datums.lite_src ORDER BY id$$,
  'REAL -> numeric and numeric(11,3) (DECIMAL(10,2) widened: 2.675 and -0.005 are stored, so nothing is rounded): as numeric_in reads the shortest text (1.37, 0.30000000000000004, 1e20, 0.00001234)');
-- SQLite: every value of a row that does not fit (the pure C++ conversion) is in the reject.
CREATE TABLE tap_datums.lite_small (id int PRIMARY KEY, price smallint, exact smallint);
SELECT results_eq(
  $$SELECT rows_copied, rows_rejected FROM minibar_migrate.migrate_table('tap_datums_lite', 'prices', 'tap_datums.lite_small', '{"if_exists": "append"}')$$,
  $$VALUES (0::bigint, 7::bigint)$$, 'SQLite REALs into smallint: every row rejected');
SELECT results_eq(
  $$SELECT row_data->>'id', (SELECT string_agg(p->>'column', ',' ORDER BY n) FROM jsonb_array_elements(problems) WITH ORDINALITY e(p, n)),
           column_name = problems->0->>'column' AND reason = problems->0->>'reason'
      FROM minibar_migrate.rejects
     WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.rejects WHERE target_table = '"tap_datums"."lite_small"') ORDER BY 1$$,
  $$VALUES ('1', 'price,exact', true), ('2', 'price,exact', true), ('3', 'price,exact', true), ('4', 'price,exact', true),
           ('5', 'price,exact', true), ('6', 'price,exact', true), ('7', 'exact', true)$$,
  'SQLite: each reject lists every column that does not fit (12 fits smallint), the first also in column_name / reason');

SELECT * FROM finish();
DROP SCHEMA tap_datums CASCADE;
DROP SERVER tap_datums CASCADE;
DROP SERVER tap_datums_lite CASCADE;

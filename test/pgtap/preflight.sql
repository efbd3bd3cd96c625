-- preflight: every kind of finding from fixtures made to trigger it, on
-- MariaDB and on SQLite, and a clean fixture of each that yields nothing but
-- the tables' sizes. Fixtures are made here (mariadb and sqlite3 CLIs).
\ir include/helpers.sql
\set my_load `mariadb -e "DROP DATABASE IF EXISTS minibar_tap_preflight; CREATE DATABASE minibar_tap_preflight CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; USE minibar_tap_preflight; SET SESSION sql_mode = ''; SET SESSION check_constraint_checks = 0; SET SESSION foreign_key_checks = 0; CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO parent VALUES (1), (2); CREATE TABLE kid (id INT PRIMARY KEY, parent_id INT, born DATE NOT NULL, seen DATETIME NULL, name VARCHAR(20), doc JSON, mood ENUM('a', 'b'), big BIGINT UNSIGNED, span TIME, yr YEAR, FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB; INSERT INTO kid VALUES (1, 1, '2024-01-01', '2024-01-01 10:00:00', 'ok', '{}', 'a', 1, '10:00:00', 2024), (2, 9, '0000-00-00', NULL, 'ok', NULL, 'a', 18446744073709551615, '30:00:00', 0), (3, 8, '2024-02-01', '2024-00-10 00:00:00', 'fine', NULL, 'b', 2, '-01:00:00', 2000), (4, 1, '2024-02-01', NULL, CONCAT('a', CHAR(0), 'b'), NULL, 'a', 2, '10:00:00', 2000), (5, 1, '2024-02-01', NULL, 'x', '{bad', 'a', 2, '10:00:00', 2000), (6, 1, '2024-02-01', NULL, 'x', NULL, 'zzz', 2, '10:00:00', 2000); CREATE TABLE nokey (a INT); INSERT INTO nokey VALUES (1); CREATE TABLE codes (id INT PRIMARY KEY, code VARCHAR(10) COLLATE utf8mb4_bin UNIQUE) ENGINE=InnoDB; INSERT INTO codes VALUES (1, 'Ab'), (2, 'ab'), (3, 'x'); CREATE VIEW v_kid AS SELECT id FROM kid; CREATE TRIGGER trg_kid BEFORE INSERT ON kid FOR EACH ROW SET NEW.name = UPPER(NEW.name); DROP DATABASE IF EXISTS minibar_tap_preflight_clean; CREATE DATABASE minibar_tap_preflight_clean CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; USE minibar_tap_preflight_clean; CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(10)) ENGINE=InnoDB; CREATE TABLE kid (id INT PRIMARY KEY, parent_id INT, born DATE, doc JSON, FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB; INSERT INTO parent VALUES (1, 'p'); INSERT INTO kid VALUES (1, 1, '2024-01-01', '[1]'), (2, NULL, NULL, NULL);" 2>&1 && echo ok`
\set lite_db /var/lib/minibar_migrate/tap/preflight.sqlite
\set lite_clean /var/lib/minibar_migrate/tap/preflight_clean.sqlite
\set lite_load `install -d -m 755 /var/lib/minibar_migrate/tap && f=/var/lib/minibar_migrate/tap/preflight.sqlite && rm -f $f && sqlite3 $f "CREATE TABLE t (id INTEGER PRIMARY KEY, n INT, r REAL, code UNIQUE, d DATETIME, j JSON, txt TEXT); INSERT INTO t VALUES (1, 5, 1.5, '1', '2024-01-05', '{}', 'ok'), (2, 'abc', 1, 1, NULL, NULL, 'ok'), (3, 1.5, 2, 'c', NULL, NULL, 'ok'), (4, 5, 'x', 'd', NULL, NULL, 'ok'), (5, 5, 1, 'e', '2024-00-05', NULL, 'ok'), (6, 5, 1, 'f', '0000-00-00 00:00:00', NULL, 'ok'), (7, 5, 1, 'g', NULL, '{bad', 'ok'), (8, 5, 1, 'h', NULL, NULL, CAST(x'61ff62' AS TEXT)), (9, 5, 1, 'i', NULL, NULL, CAST(x'610062' AS TEXT)); CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT UNIQUE); INSERT INTO tags VALUES (1, 'Red'), (2, 'RED'), (3, 'blue'); CREATE TABLE kids (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id)); INSERT INTO kids VALUES (1, 1), (2, 77); CREATE TABLE nopk (a TEXT); CREATE VIEW v AS SELECT id FROM t;" 2>&1 && g=/var/lib/minibar_migrate/tap/preflight_clean.sqlite && rm -f $g && sqlite3 $g "CREATE TABLE t (id INTEGER PRIMARY KEY, n INT, r REAL, code TEXT UNIQUE, d DATETIME, j JSON); INSERT INTO t VALUES (1, 5, 1.5, 'a', '2024-01-05 10:00:00', '{}'), (2, NULL, 2, 'b', NULL, '[1, 2]'); CREATE TABLE kids (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id)); INSERT INTO kids VALUES (1, 1), (2, NULL);" 2>&1 && chmod 644 $f $g && echo ok`
SET client_min_messages = warning;
CALL pg_temp.drop_leftovers('{}', '{tap_pf_my,tap_pf_my_clean,tap_pf_lite,tap_pf_lite_clean}');
CALL pg_temp.mysql_server('tap_pf_my', 'minibar_tap_preflight');
CALL pg_temp.mysql_server('tap_pf_my_clean', 'minibar_tap_preflight_clean');
CREATE SERVER tap_pf_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');
CREATE SERVER tap_pf_lite_clean FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_clean');
CREATE TEMP TABLE my AS SELECT * FROM minibar_migrate.preflight('tap_pf_my');
CREATE TEMP TABLE lite AS SELECT * FROM minibar_migrate.preflight('tap_pf_lite');

SELECT plan(16);
SELECT is(:'my_load'::text, 'ok', 'MariaDB fixtures loaded');
SELECT is(:'lite_load'::text, 'ok', 'SQLite fixtures written');

-- MariaDB
SELECT results_eq(
  $$SELECT severity, table_name, column_name, check_name, count, example FROM my
     WHERE check_name NOT IN ('size', 'case_insensitive_collation', 'not_migrated') ORDER BY table_name, check_name, column_name$$,
  $$VALUES ('info', 'codes', 'code', 'case_duplicates', 1::bigint, 'ab'),
           ('error', 'kid', 'mood', 'enum_error_value', 1, 'id=6'),
           ('error', 'kid', 'doc', 'invalid_json', 1, 'id=5'),
           ('error', 'kid', 'name', 'nul_byte', 1, 'id=4'),
           ('warning', 'kid', 'parent_id', 'orphan_rows', 2, 'parent_id=8'),
           ('info', 'kid', 'span', 'time_beyond_day', 2, 'id=2'),
           ('info', 'kid', 'big', 'unsigned_beyond_bigint', 1, 'id=2'),
           ('error', 'kid', 'born', 'zero_date', 1, 'id=2'),
           ('warning', 'kid', 'seen', 'zero_date', 1, 'id=3'),
           ('warning', 'kid', 'yr', 'zero_year', 1, 'id=2'),
           ('warning', 'nokey', NULL, 'no_primary_key', NULL, NULL)$$,
  'MariaDB: each planted problem is found by the migration''s reader, counted, with an example key; NOT NULL zero date is an error, nullable a warning');
SELECT results_eq($$SELECT table_name, column_name, count FROM my WHERE check_name = 'case_insensitive_collation' ORDER BY 1$$,
                  $$VALUES ('kid', 'name, mood', 2::bigint)$$,
                  'MariaDB: the case-insensitive columns are listed per table (JSON is utf8mb4_bin in MariaDB)');
SELECT results_eq($$SELECT example FROM my WHERE check_name = 'not_migrated' ORDER BY 1$$,
                  $$VALUES ('trigger trg_kid'), ('view v_kid')$$, 'MariaDB: the view and the trigger will not move');
SELECT results_eq($$SELECT table_name, count FROM my WHERE check_name = 'size' ORDER BY 1$$,
                  $$VALUES ('codes', 3::bigint), ('kid', 6), ('nokey', 1), ('parent', 2)$$, 'MariaDB: every table''s rows');
SELECT ok((SELECT bool_and(example ~ '^[0-9]+ bytes$') FROM my WHERE check_name = 'size'), 'and its bytes on disk');
SELECT is((SELECT string_agg(severity, '' ORDER BY ord) FROM (SELECT severity, row_number() OVER () AS ord FROM my) s),
          (SELECT string_agg(severity, '' ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, ord)
             FROM (SELECT severity, row_number() OVER () AS ord FROM my) s),
          'errors come first, then warnings, then information');
SELECT results_eq($$SELECT check_name, table_name FROM minibar_migrate.preflight('tap_pf_my_clean') ORDER BY 2$$,
                  $$VALUES ('size', 'kid'), ('size', 'parent')$$,
                  'MariaDB, clean fixture (binary collation, keys, valid data): nothing but sizes');
SELECT results_eq($$SELECT DISTINCT table_name FROM minibar_migrate.preflight('tap_pf_my', '{"tables": ["nokey"]}')$$,
                  $$VALUES ('nokey')$$, '"tables" limits the checks');

-- SQLite
SELECT results_eq(
  $$SELECT severity, table_name, column_name, check_name, count, example FROM lite
     WHERE check_name NOT IN ('size', 'not_migrated') ORDER BY table_name, check_name, column_name, example$$,
  $$VALUES ('warning', 'kids', 't_id', 'orphan_rows', 1::bigint, 't_id=77'),
           ('warning', 'nopk', NULL, 'no_primary_key', NULL, NULL),
           ('error', 't', 'j', 'invalid_json', 1, 'id=7'),
           ('error', 't', 'txt', 'invalid_utf8', 1, 'id=8'),
           ('error', 't', 'd', 'invalid_value', 2, 'id=5, id=6'),
           ('error', 't', 'n', 'invalid_value', 2, 'id=2, id=3'),
           ('error', 't', 'r', 'invalid_value', 1, 'id=4'),
           ('error', 't', 'txt', 'nul_byte', 1, 'id=9'),
           ('info', 't', 'code', 'type_from_values', NULL, NULL),
           ('error', 't', 'code', 'unique_duplicates', 1, '1'),
           ('info', 'tags', 'name', 'case_duplicates', 1, 'red')$$,
  'SQLite: each planted problem is found by the migration''s reader (storage classes, invalid UTF-8, NUL, JSON, impossible and zero dates), plus 1 vs ''1'' in a unique column and orphans; the untyped column mixing text and numbers becomes text (a note); zero dates are rejected even when nullable, as the migration rejects them');
SELECT results_eq($$SELECT example FROM lite WHERE check_name = 'not_migrated'$$, $$VALUES ('view v')$$,
                  'SQLite: the view will not move');
SELECT results_eq($$SELECT table_name, count FROM lite WHERE check_name = 'size' ORDER BY 1$$,
                  $$VALUES ('kids', 2::bigint), ('nopk', 0), ('t', 9), ('tags', 3)$$, 'SQLite: every table''s rows');
SELECT results_eq($$SELECT check_name, table_name FROM minibar_migrate.preflight('tap_pf_lite_clean') ORDER BY 2$$,
                  $$VALUES ('size', 'kids'), ('size', 't')$$,
                  'SQLite, clean fixture: nothing but sizes');
SELECT throws_ok($$SELECT * FROM minibar_migrate.preflight('tap_pf_lite', '{"tabels": []}')$$, '22023',
                 'invalid preflight option "tabels": unknown option', 'an unknown option is 22023');
SELECT is((SELECT count(*) FROM minibar_migrate.preflight('tap_pf_lite', '{"exclude": ["t", "kids", "nopk", "tags"]}')),
          1::bigint, '"exclude" leaves the tables out (the view is still reported)');

SELECT * FROM finish();
DROP SERVER tap_pf_my CASCADE;
DROP SERVER tap_pf_my_clean CASCADE;
DROP SERVER tap_pf_lite CASCADE;
DROP SERVER tap_pf_lite_clean CASCADE;

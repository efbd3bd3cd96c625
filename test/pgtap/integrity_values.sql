-- Integrity of values: sequences at their maximum stay exhausted with a note
-- (reset_sequences, migrate_database from SQLite and MariaDB), a MySQL
-- AUTO_INCREMENT counter beyond int64 (unsigned) matters only for the tables
-- being migrated, and is a note / a preflight warning, never an error.
-- Expected values are read from the sources by their own clients (mariadb,
-- sqlite3) at the top of this file.
\ir include/helpers.sql
\set my_load `mariadb -uroot -e "DROP DATABASE IF EXISTS minibar_tap_integ_values_ai; CREATE DATABASE minibar_tap_integ_values_ai; USE minibar_tap_integ_values_ai; CREATE TABLE big (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, v INT) AUTO_INCREMENT = 10000000000000000000; INSERT INTO big (id, v) VALUES (1, 1); ALTER TABLE big AUTO_INCREMENT = 10000000000000000000; CREATE TABLE other (id INT AUTO_INCREMENT PRIMARY KEY, v INT); INSERT INTO other (v) VALUES (1), (2); CREATE TABLE maxed (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT); INSERT INTO maxed VALUES (9223372036854775807, 1);" 2>&1 && echo loaded`
\set my_counter `mariadb -uroot -N -B -e "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'minibar_tap_integ_values_ai' AND TABLE_NAME = 'big'"`
\set my_maxed `mariadb -uroot -N -B -e "SELECT MAX(id) FROM minibar_tap_integ_values_ai.maxed"`
\set lite_db '/var/lib/minibar_migrate/tap/integ_values.sqlite'
\set lite_load `install -d -m 755 /var/lib/minibar_migrate/tap && rm -f /var/lib/minibar_migrate/tap/integ_values.sqlite && sqlite3 /var/lib/minibar_migrate/tap/integ_values.sqlite "CREATE TABLE top (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT); INSERT INTO top VALUES (9223372036854775807, 'last'); CREATE TABLE plain (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO plain VALUES (9223372036854775807, 'x');" 2>&1 && chmod 644 /var/lib/minibar_migrate/tap/integ_values.sqlite && echo ok`
\set my_defaults `mariadb -uroot -N -B -e "DROP DATABASE IF EXISTS minibar_tap_integ_values_d; CREATE DATABASE minibar_tap_integ_values_d; CREATE TABLE minibar_tap_integ_values_d.t (id INT PRIMARY KEY, a INT DEFAULT '0', b TEXT DEFAULT '', c VARCHAR(5) DEFAULT '', d BIT(3) DEFAULT b'0', h BIT(8) DEFAULT b'101'); INSERT INTO minibar_tap_integ_values_d.t (id) VALUES (1); SELECT JSON_OBJECT('a', a, 'b', b, 'c', c, 'd', LPAD(BIN(d), 3, '0'), 'h', LPAD(BIN(h), 8, '0')) FROM minibar_tap_integ_values_d.t; DELETE FROM minibar_tap_integ_values_d.t"`
\set lite_defaults `sqlite3 /var/lib/minibar_migrate/tap/integ_values.sqlite "CREATE TABLE d (id INTEGER PRIMARY KEY, a INTEGER DEFAULT '0', b TEXT DEFAULT \"\", c DATETIME DEFAULT current_date, e DATETIME DEFAULT (strftime('%Y-%m-%d %H:%M:%S','now')), f INTEGER DEFAULT (strftime('%s','now')), g DATETIME DEFAULT (strftime('%s','now'))); INSERT INTO d (id) VALUES (1); SELECT json_object('a', a, 'b', b, 'c', c, 'e_len', length(e), 'f_type', typeof(f)) FROM d; DELETE FROM d;"`
\set my_dst `mariadb -uroot -N -B -e "DROP DATABASE IF EXISTS minibar_tap_integ_values_tz; CREATE DATABASE minibar_tap_integ_values_tz; CREATE TABLE minibar_tap_integ_values_tz.t (id INT PRIMARY KEY, at DATETIME); INSERT INTO minibar_tap_integ_values_tz.t VALUES (1, '2024-03-10 02:30:00'), (2, '2024-03-10 03:30:00'), (3, '2024-11-03 01:30:00'), (4, '2024-07-01 12:00:00'); SELECT JSON_OBJECTAGG(id, at) FROM minibar_tap_integ_values_tz.t"`
-- A keyless table: a bad value (a NUL byte in text) next to a 24 MB LONGBLOB.
\set my_big_packet `mariadb -uroot -N -B -e "SELECT @@global.max_allowed_packet; SET GLOBAL max_allowed_packet = GREATEST(@@global.max_allowed_packet, 67108864)"`
\set my_big `mariadb -uroot -N -B -e "DROP DATABASE IF EXISTS minibar_tap_integ_values_big; CREATE DATABASE minibar_tap_integ_values_big; CREATE TABLE minibar_tap_integ_values_big.t (note VARCHAR(20), big LONGBLOB); INSERT INTO minibar_tap_integ_values_big.t VALUES ('fine', 'small'); INSERT INTO minibar_tap_integ_values_big.t SELECT CONCAT('bad', CHAR(0)), REPEAT('x', 25165824); SELECT JSON_OBJECT('len', LENGTH(big), 'md5', MD5(big)) FROM minibar_tap_integ_values_big.t WHERE note <> 'fine'"`
\set lite_max `sqlite3 /var/lib/minibar_migrate/tap/integ_values.sqlite "SELECT seq FROM sqlite_sequence WHERE name = 'top'"`

SET client_min_messages = warning;
SET TimeZone = 'UTC';
CALL pg_temp.drop_leftovers('{tap_iv_seq,tap_iv_lite,tap_iv_my_one,tap_iv_my}', '{tap_iv_lite,tap_iv_my}');
CREATE SERVER tap_iv_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');
CALL pg_temp.mysql_server('tap_iv_my', 'minibar_tap_integ_values_ai');

-- A check that errors is reported as a failed test (with the error).
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE sql AS $$ SELECT pg_temp.try_text(q, ': ') $$;
CREATE FUNCTION pg_temp.nextval_error(seq regclass) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval(seq);
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
CREATE TEMP TABLE runs (label text, run_id bigint);

SELECT plan(32);
SELECT is(:'my_load'::text, 'loaded', 'MariaDB fixture loaded');
SELECT is(:'lite_load'::text, 'ok', 'SQLite fixture loaded');

-- ---------------------------------------------------------- reset_sequences
CREATE SCHEMA tap_iv_seq;
CREATE TABLE tap_iv_seq.up (id bigint GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE tap_iv_seq.down (id bigint GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY -1 MINVALUE -9223372036854775808 MAXVALUE -1 START WITH -1));
INSERT INTO tap_iv_seq.up VALUES (9223372036854775807);
INSERT INTO tap_iv_seq.down VALUES (-9223372036854775808);
SELECT results_eq($$SELECT table_name::text, new_value, note ~ 'exhausted' FROM minibar_migrate.reset_sequences('tap_iv_seq') ORDER BY 1$$,
  $$VALUES ('tap_iv_seq.down', NULL::bigint, true), ('tap_iv_seq.up', NULL::bigint, true)$$,
  'reset_sequences: a column at the bigint bounds leaves its sequence exhausted with a note, no overflow');
SELECT is(pg_temp.nextval_error('tap_iv_seq.up_id_seq'), '2200H', 'the exhausted sequence stays exhausted (nextval fails, never reuses)');
SELECT results_eq($$SELECT old_value, new_value, note ~ 'exhausted' FROM minibar_migrate.reset_sequences('tap_iv_seq') ORDER BY table_name::text$$,
  $$VALUES (NULL::bigint, NULL::bigint, true), (NULL::bigint, NULL::bigint, true)$$,
  'a second run: still exhausted, still no error');

-- ---------------------------------------------------------- SQLite largest rowid
SELECT is(pg_temp.try($$INSERT INTO runs SELECT 'lite', run_id FROM minibar_migrate.migrate_database('tap_iv_lite', 'tap_iv_lite') LIMIT 1$$),
  'ok', 'migrate_database of SQLite tables holding rowid 9223372036854775807 does not fail');
SELECT is((SELECT id::text FROM tap_iv_lite.top), :'lite_max'::text, 'the largest rowid arrives exact');
SELECT bag_eq($$SELECT source_table, kind FROM minibar_migrate.run_notes WHERE run_id = (SELECT run_id FROM runs WHERE label = 'lite') AND kind = 'sequence'$$,
  $$VALUES ('plain', 'sequence'), ('top', 'sequence')$$,
  'a note per exhausted sequence, naming the table');
SELECT is(pg_temp.nextval_error(pg_get_serial_sequence('tap_iv_lite.top', 'id')::regclass), '2200H', 'SQLite: the sequence is exhausted');

-- ---------------------------------------------------------- MySQL counter beyond int64
SELECT is(pg_temp.try($$INSERT INTO runs SELECT 'my_one', run_id FROM minibar_migrate.migrate_database('tap_iv_my', 'tap_iv_my_one', '{"tables": ["other"]}') LIMIT 1$$),
  'ok', 'a counter beyond int64 on another table does not matter for {"tables": ["other"]}');
SELECT is(pg_temp.try($$INSERT INTO runs SELECT 'my', run_id FROM minibar_migrate.migrate_database('tap_iv_my', 'tap_iv_my') LIMIT 1$$),
  'ok', 'the whole database migrates: the counter ' || :'my_counter' || ' is parsed as unsigned');
SELECT is((SELECT status FROM minibar_migrate.runs WHERE run_id = (SELECT run_id FROM runs WHERE label = 'my')), 'done', 'the run is done');
SELECT bag_eq($$SELECT source_table, detail ~ 'beyond|exhausted' FROM minibar_migrate.run_notes WHERE run_id = (SELECT run_id FROM runs WHERE label = 'my') AND kind = 'sequence'$$,
  $$VALUES ('big', true), ('maxed', true)$$,
  'notes name the table whose counter is beyond bigint and the one at the maximum');
SELECT is((SELECT id::text FROM tap_iv_my.maxed), :'my_maxed'::text, 'the maximum id arrives exact');
SELECT is((SELECT count(*) FROM minibar_migrate.preflight('tap_iv_my') WHERE check_name = 'auto_increment_beyond_bigint' AND table_name = 'big' AND example = :'my_counter'), 1::bigint,
  'preflight warns about the counter and what the migration will do');

-- ---------------------------------------------------------- obvious defaults
-- A row inserted with DEFAULT VALUES holds what the source's own DEFAULT VALUES row held.
INSERT INTO tap_iv_lite.d (id) VALUES (1);
SELECT results_eq($$SELECT a::text, b, c::text, to_char(e, 'YYYY-MM-DD HH24:MI:SS.US') ~ '\.000000$', f BETWEEN extract(epoch FROM now()) - 60 AND extract(epoch FROM now()) + 60 FROM tap_iv_lite.d$$,
  format($$VALUES (%L, %L, %L, true, true)$$, :'lite_defaults'::jsonb->>'a', :'lite_defaults'::jsonb->>'b',
         (:'lite_defaults'::jsonb->>'c')::timestamptz::text),
  'SQLite: ''0'' on INTEGER, "" on TEXT, current_date and strftime(..., ''now'') on DATETIME, strftime(''%s'', ''now'') on INTEGER keep their meaning');
SELECT is((SELECT g FROM tap_iv_lite.d), NULL, 'SQLite: strftime(''%s'', ''now'') on DATETIME (epoch seconds, not a time) has no default');
SELECT is((SELECT count(*) FROM minibar_migrate.run_notes WHERE run_id = (SELECT run_id FROM runs WHERE label = 'lite') AND kind = 'default' AND object = 'g'), 1::bigint,
  'and that is a note');
DROP SERVER IF EXISTS tap_iv_my_d CASCADE;
CALL pg_temp.mysql_server('tap_iv_my_d', 'minibar_tap_integ_values_d');
DROP SCHEMA IF EXISTS tap_iv_my_d CASCADE;
SELECT is(pg_temp.try($$INSERT INTO runs SELECT 'my_d', run_id FROM minibar_migrate.migrate_database('tap_iv_my_d', 'tap_iv_my_d') LIMIT 1$$), 'ok', 'MariaDB defaults database migrates');
INSERT INTO tap_iv_my_d.t (id) VALUES (1);
SELECT results_eq($$SELECT a::text, b, c, d::text, h::text FROM tap_iv_my_d.t$$,
  format($$VALUES (%L, %L, %L::varchar, %L, %L)$$, :'my_defaults'::jsonb->>'a', :'my_defaults'::jsonb->>'b', :'my_defaults'::jsonb->>'c',
         :'my_defaults'::jsonb->>'d', :'my_defaults'::jsonb->>'h'),
  'MariaDB: ''0'' on INT, '''' on TEXT/VARCHAR, b''0'' / b''101'' on BIT(n) keep their value');
SELECT is((SELECT count(*) FROM minibar_migrate.run_notes WHERE run_id = (SELECT run_id FROM runs WHERE label = 'my_d') AND kind = 'default'), 0::bigint,
  'no default dropped');

-- ---------------------------------------------------------- DATETIME in a daylight-saving gap / fold
DROP SERVER IF EXISTS tap_iv_my_tz CASCADE;
CALL pg_temp.mysql_server('tap_iv_my_tz', 'minibar_tap_integ_values_tz', '{"source_timezone": "America/New_York"}');
DROP TABLE IF EXISTS public.tap_iv_tz;
SELECT is(pg_temp.try($$INSERT INTO runs SELECT 'tz', (minibar_migrate.migrate_table('tap_iv_my_tz', 't', 'public.tap_iv_tz')).rows_copied$$), 'ok',
  'migrate_table of DATETIME values in America/New_York');
SELECT results_eq($$SELECT id, at FROM public.tap_iv_tz ORDER BY id$$,
  format($$VALUES (2, %L::timestamptz), (3, %L::timestamptz), (4, %L::timestamptz)$$,
         (:'my_dst'::jsonb->>'2') || '-04', (:'my_dst'::jsonb->>'3') || '-04', (:'my_dst'::jsonb->>'4') || '-04'),
  'existing local times arrive exact; the ambiguous 01:30 of the fall-back day is its first occurrence (EDT), as MySQL/MariaDB read it');
SELECT results_eq($$SELECT row_data->>'id', sqlstate, value ~ '02:30' FROM minibar_migrate.rejects WHERE target_table = 'public.tap_iv_tz'::regclass::text OR target_table ~ 'tap_iv_tz' ORDER BY reject_id DESC LIMIT 1$$,
  $$VALUES ('1', '22008', true)$$,
  'the local time in the spring-forward gap (02:30) is rejected with 22008, not shifted to 03:30');
SELECT is((SELECT count(*) FROM public.tap_iv_tz), 3::bigint, 'three rows copied, none silently changed');
SELECT ok((SELECT bool_or(NOT ok) FROM minibar_migrate.validate_checksums('tap_iv_my_tz', 't', 'public.tap_iv_tz')),
  'validate_checksums counts the gap row as a difference (it does not exist in the target)');
INSERT INTO public.tap_iv_tz VALUES (1, '2024-03-10 03:30:00-04');
SELECT ok((SELECT bool_or(NOT ok) FROM minibar_migrate.validate_checksums('tap_iv_my_tz', 't', 'public.tap_iv_tz')),
  'nor is the shifted value 03:30 taken as equal to the source''s 02:30');

-- ---------------------------------------------------------- a reject next to a big value
DROP SERVER IF EXISTS tap_iv_my_big CASCADE;
CALL pg_temp.mysql_server('tap_iv_my_big', 'minibar_tap_integ_values_big');
DROP TABLE IF EXISTS public.tap_iv_big;
\set big_run `bash test/scripts/peak_anon.sh :DBNAME "SET jit = off; SELECT rows_copied || '|' || rows_rejected FROM minibar_migrate.migrate_table('tap_iv_my_big', 't', 'public.tap_iv_big')"`
\echo '# reject next to a 24 MB LONGBLOB: peak RssAnon of the backend (kB) and rows copied|rejected:' :big_run
SELECT is(split_part(:'big_run', ' ', 2), '1|1', 'the row with the bad value is rejected, the other copied (the migration does not fail)');
SELECT ok(split_part(:'big_run', ' ', 1)::bigint < 120000,
  'backend memory stays bounded (peak RssAnon ' || split_part(:'big_run', ' ', 1) || ' kB for a 24 MB value; the whole row as JSON was 48 MB of hex, more as jsonb)');
CREATE TEMP TABLE big_reject AS
  SELECT * FROM minibar_migrate.rejects WHERE target_table ~ 'tap_iv_big' ORDER BY reject_id DESC LIMIT 1;
SELECT ok((SELECT length(row_data::text) < 2000 FROM big_reject), 'row_data is bounded: each value cut to a few hundred bytes');
SELECT results_eq($$SELECT (row_data->'big'->>'bytes')::bigint, row_data->'big'->>'md5', sqlstate FROM big_reject$$,
  format($$VALUES (%s::bigint, %L, '22P05')$$, :'my_big'::jsonb->>'len', :'my_big'::jsonb->>'md5'),
  'the cut value keeps its full length and the MD5 of the whole value (as MariaDB computes it)');
SELECT ok((SELECT row_data->'big'->>'excerpt' ~ '^\\x(78)+$' AND length(value) < 1000 FROM big_reject),
  'and an excerpt of it; the value column stays an excerpt too');

SELECT * FROM finish();
DROP SCHEMA tap_iv_seq CASCADE;
CALL pg_temp.drop_leftovers('{tap_iv_lite,tap_iv_my_one,tap_iv_my}');
DROP SERVER tap_iv_lite CASCADE;
DROP SERVER tap_iv_my CASCADE;
DROP SCHEMA IF EXISTS tap_iv_my_d CASCADE;
DROP SERVER tap_iv_my_d CASCADE;
DROP TABLE IF EXISTS public.tap_iv_tz;
DROP SERVER tap_iv_my_tz CASCADE;
DROP TABLE IF EXISTS public.tap_iv_big;
DROP SERVER tap_iv_my_big CASCADE;
\set my_drop `mariadb -uroot -e "DROP DATABASE IF EXISTS minibar_tap_integ_values_ai; DROP DATABASE IF EXISTS minibar_tap_integ_values_d; DROP DATABASE IF EXISTS minibar_tap_integ_values_tz; DROP DATABASE IF EXISTS minibar_tap_integ_values_big"`
\set my_packet_back `mariadb -uroot -e "SET GLOBAL max_allowed_packet = :my_big_packet"`

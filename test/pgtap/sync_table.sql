-- sync_table: catching a migrated SQLite table up by a watermark column
-- (updated_at text, a unix-time integer, or the INTEGER PRIMARY KEY), with
-- upserts by the target's primary key. Inserts and updates made on the source
-- after the copy arrive; deletes do not (the note says so); a value that does
-- not convert fails the call and keeps the watermark; wrong calls are refused
-- with the reason. Expected values come from the SQLite file (sqlite3 CLI).
\ir include/helpers.sql
\set db /var/lib/minibar_migrate/tap/sync_table.sqlite
\set fixture `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/sync_table.sqlite "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount REAL, qty INTEGER, updated_at DATETIME NOT NULL); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20000) INSERT INTO orders SELECT i, 'c' || i, i * 1.5, i % 7, datetime('2024-01-01', '+' || i || ' seconds') FROM s; CREATE INDEX orders_updated ON orders (updated_at); CREATE TABLE pings (id INTEGER PRIMARY KEY, host TEXT, seen DATETIME NOT NULL); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100) INSERT INTO pings SELECT i, 'h' || i, 1700000000 + i FROM s; CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO events VALUES (1, 'a'), (2, 'b'), (3, 'c'); CREATE TABLE keyless (v INTEGER, t TEXT); INSERT INTO keyless VALUES (1, 'x');"`
SET client_min_messages = warning;
CALL pg_temp.drop_leftovers('{tap_st}', '{tap_st_lite,tap_st_my}');
DELETE FROM minibar_migrate.table_syncs WHERE server = 'tap_st_lite';
CREATE SCHEMA tap_st;
CREATE SERVER tap_st_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'db');
CREATE SERVER tap_st_my FOREIGN DATA WRAPPER minibar_mysql OPTIONS (host '127.0.0.1', port '3306', dbname 'minibar_nothing');
CREATE USER MAPPING FOR CURRENT_USER SERVER tap_st_my OPTIONS (username 'minibar', password 'minibar');
-- validate_checksums of one table: the rows that differ, as "key:what".
CREATE FUNCTION pg_temp.differences(t text) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(row_key || ':' || detail, ',' ORDER BY row_key), '')
    FROM minibar_migrate.validate_checksums('tap_st_lite', t, ('tap_st.' || t)::regclass) WHERE kind = 'row'
$$;

SELECT plan(34);
SELECT is(:'fixture'::text, 'ok', 'fixture: orders (20,000 rows, updated_at text), pings (unix-time DATETIME), events, keyless');
SELECT is((SELECT count(*) FROM minibar_migrate.migrate_database('tap_st_lite', 'tap_st', '{"workers": 0}') WHERE kind = 'table'),
          4::bigint, 'migrate_database copies the four tables');

-- 1. Inserts, updates and a delete on the source after the copy.
\set changes `sqlite3 :'db' "INSERT INTO orders VALUES (20001, 'new1', 1.25, 1, '2024-06-01 00:00:00'), (20002, 'new2', NULL, NULL, '2024-06-01 00:00:00.5'); UPDATE orders SET amount = -1, qty = 99, updated_at = '2024-06-01 00:00:01' WHERE id IN (5, 500, 5000); DELETE FROM orders WHERE id = 7;" 2>&1 && echo ok`
SELECT is(:'changes'::text, 'ok', 'source: 2 inserts, 3 updates, 1 delete');
SELECT is(pg_temp.differences('orders'), '20001:missing in target,20002:missing in target,5:different values,500:different values,5000:different values,7:extra in target',
          'before sync_table the target lacks them (validate_checksums)');
SELECT results_eq(
  $$SELECT rows_upserted, watermark_from, watermark_to, source_rows, target_rows FROM minibar_migrate.sync_table('tap_st_lite', 'orders', 'tap_st.orders', '{"watermark": "updated_at"}')$$,
  $$VALUES (7::bigint, '2024-01-01 05:33:19', '2024-06-01 00:00:01', 20001::bigint, 20002::bigint)$$,
  'first call: starts one second before the target''s largest updated_at; upserts the 2 rows of that last second, 2 inserts, 3 updates');
SELECT is(pg_temp.differences('orders'), '7:extra in target', 'every insert and update arrived; the delete did not');
SELECT is((SELECT note FROM minibar_migrate.sync_table('tap_st_lite', 'orders', 'tap_st.orders', '{"watermark": "updated_at"}')),
          '1 row(s) more in the target than in the source: rows deleted on the source are not seen by sync_table',
          'the note says the target has a row the source deleted');
SELECT results_eq(
  $$SELECT watermark_column, watermark_kind, watermark_value, calls, rows_upserted FROM minibar_migrate.table_syncs WHERE server = 'tap_st_lite' AND remote_table = 'orders'$$,
  $$VALUES ('updated_at', 'text', '2024-06-01 00:00:01', 2::bigint, 10::bigint)$$,
  'table_syncs keeps the watermark as SQLite stored it; the second call read the 3 rows at the watermark again');
SELECT is((SELECT (amount, qty, customer) FROM tap_st.orders WHERE id = 20002), (NULL::float8, NULL::bigint, 'new2'::text),
          'NULLs arrive as NULL');

-- 2. Idempotent: a call with nothing new changes nothing.
SELECT md5(string_agg(o::text, ',' ORDER BY id)) AS before FROM tap_st.orders o \gset
SELECT is((SELECT rows_upserted FROM minibar_migrate.sync_table('tap_st_lite', 'orders', 'tap_st.orders', '{"watermark": "updated_at"}')),
          3::bigint, 'nothing new: only the rows at the watermark are read again');
SELECT is((SELECT md5(string_agg(o::text, ',' ORDER BY id)) FROM tap_st.orders o), :'before', 'and the target is unchanged');

-- 3. A rolled-back call keeps the old watermark.
\set more `sqlite3 :'db' "UPDATE orders SET customer = 'late' WHERE id = 10; UPDATE orders SET updated_at = '2024-07-01 00:00:00' WHERE id = 10;" 2>&1 && echo ok`
BEGIN;
SELECT is((SELECT watermark_to FROM minibar_migrate.sync_table('tap_st_lite', 'orders', 'tap_st.orders', '{"watermark": "updated_at"}')),
          '2024-07-01 00:00:00', 'in a transaction: the watermark moves on');
ROLLBACK;
SELECT is((SELECT watermark_value FROM minibar_migrate.table_syncs WHERE remote_table = 'orders'), '2024-06-01 00:00:01',
          'rolled back: the stored watermark did not move');
SELECT is((SELECT customer FROM tap_st.orders WHERE id = 10), 'c10', 'nor the row');
SELECT is((SELECT rows_upserted FROM minibar_migrate.sync_table('tap_st_lite', 'orders', 'tap_st.orders', '{"watermark": "updated_at"}')),
          4::bigint, 'the next call reads it again');
SELECT is((SELECT customer FROM tap_st.orders WHERE id = 10), 'late', 'and applies it');

-- 4. A value that does not convert fails the call; nothing moves.
\set bad `sqlite3 :'db' "UPDATE orders SET qty = 'many', updated_at = '2024-08-01 00:00:00' WHERE id = 11;" 2>&1 && echo ok`
SELECT throws_like($$SELECT * FROM minibar_migrate.sync_table('tap_st_lite', 'orders', 'tap_st.orders', '{"watermark": "updated_at"}')$$,
                   '%column "qty"%not an integer%', 'a value that does not fit its column fails the call, naming the column');
SELECT is((SELECT watermark_value FROM minibar_migrate.table_syncs WHERE remote_table = 'orders'), '2024-07-01 00:00:00',
          'the watermark stays where it was');
\set fixed `sqlite3 :'db' "UPDATE orders SET qty = 11 WHERE id = 11;" 2>&1 && echo ok`
SELECT is((SELECT rows_upserted FROM minibar_migrate.sync_table('tap_st_lite', 'orders', 'tap_st.orders', '{"watermark": "updated_at"}')),
          2::bigint, 'once fixed at the source, the next call takes it');
SELECT is(pg_temp.differences('orders'), '7:extra in target', 'orders matches the source except the deleted row');

-- 5. A unix-time DATETIME (integer storage) as the watermark.
\set pings `sqlite3 :'db' "UPDATE pings SET host = 'moved', seen = 1700000500 WHERE id = 3; INSERT INTO pings VALUES (101, 'h101', 1700000600);" 2>&1 && echo ok`
SELECT results_eq(
  $$SELECT rows_upserted, watermark_from, watermark_to FROM minibar_migrate.sync_table('tap_st_lite', 'pings', 'tap_st.pings', '{"watermark": "seen"}')$$,
  $$VALUES (4::bigint, '1700000099', '1700000600')$$,
  'integer-stored date-times: the start is a unix time one second early; boundary rows, the update and the insert');
SELECT is(pg_temp.differences('pings'), '', 'pings matches the source');

-- 6. No watermark given: the INTEGER PRIMARY KEY, new rows only.
\set events `sqlite3 :'db' "INSERT INTO events VALUES (4, 'd'), (5, 'e'); UPDATE events SET body = 'A' WHERE id = 1;" 2>&1 && echo ok`
SELECT results_eq(
  $$SELECT rows_upserted, watermark_from, watermark_to FROM minibar_migrate.sync_table('tap_st_lite', 'events', 'tap_st.events')$$,
  $$VALUES (3::bigint, '3', '5')$$, 'without a watermark option the INTEGER PRIMARY KEY is followed: new rows arrive');
SELECT is(pg_temp.differences('events'), '1:different values', 'an update of an old row is not seen by a key watermark');

-- 7. Refused, with the reason.
SELECT throws_ok($$SELECT * FROM minibar_migrate.sync_table('tap_st_lite', 'keyless', 'tap_st.keyless')$$,
                 '22023', 'sync_table of keyless needs a watermark column', 'no INTEGER PRIMARY KEY and no watermark option');
SELECT throws_ok($$SELECT * FROM minibar_migrate.sync_table('tap_st_lite', 'keyless', 'tap_st.keyless', '{"watermark": "v"}')$$,
                 '55000', 'sync_table needs a primary key on "tap_st"."keyless"', 'a target without a primary key');
SELECT throws_ok($$SELECT * FROM minibar_migrate.sync_table('tap_st_lite', 'orders', 'tap_st.orders', '{"watermark": "nope"}')$$,
                 'HV005', 'watermark column "nope" is not a column of orders', 'an unknown watermark column');
SELECT throws_ok($$SELECT * FROM minibar_migrate.sync_table('tap_st_lite', 'orders', 'tap_st.orders', '{"watermark": "qty"}')$$,
                 '55000', 'sync_table of orders follows watermark column "updated_at", not "qty"', 'another column than the one followed');
SELECT throws_ok($$SELECT * FROM minibar_migrate.sync_table('tap_st_lite', 'orders', 'tap_st.orders', '{"watermrk": "qty"}')$$,
                 '22023', NULL, 'an unknown option');
SELECT throws_ok($$SELECT * FROM minibar_migrate.sync_table('tap_st_my', 'orders', 'tap_st.orders')$$,
                 '42809', NULL, 'a MySQL server (it has sync_start)');
SELECT throws_ok($$SELECT * FROM minibar_migrate.sync_table('tap_st_lite', 'missing', 'tap_st.orders')$$,
                 'HV00R', 'minibar_sqlite server "tap_st_lite": SQLite table "missing" does not exist', 'a missing SQLite table');

-- 8. A user without superuser rights: USAGE on the server, rights on the target.
\set ev2 `sqlite3 :'db' "INSERT INTO events VALUES (6, 'f');" 2>&1 && echo ok`
DROP ROLE IF EXISTS tap_st_user;
CREATE ROLE tap_st_user;
CREATE TABLE tap_st.events2 (LIKE tap_st.events INCLUDING ALL);
GRANT USAGE ON FOREIGN SERVER tap_st_lite TO tap_st_user;
GRANT USAGE ON SCHEMA tap_st TO tap_st_user;
GRANT SELECT, INSERT, UPDATE ON tap_st.events2 TO tap_st_user;
SET ROLE tap_st_user;
SELECT results_eq($$SELECT rows_upserted, watermark_from, watermark_to FROM minibar_migrate.sync_table('tap_st_lite', 'events', 'tap_st.events2')$$,
                  $$VALUES (6::bigint, NULL::text, '6')$$, 'a plain user catches an empty target up: every row');
SELECT is((SELECT string_agg(concat_ws('|', remote_table, target::regclass, owner), ',') FROM minibar_migrate.table_syncs),
          'events|tap_st.events2|tap_st_user', 'and sees only its own table_syncs row');
SELECT throws_ok($$SELECT * FROM minibar_migrate.sync_table('tap_st_lite', 'events', 'tap_st.events')$$,
                 '42501', NULL, 'a target it may not write to is refused');
RESET ROLE;

SELECT * FROM finish();
DELETE FROM minibar_migrate.table_syncs WHERE server = 'tap_st_lite';
DROP SCHEMA tap_st CASCADE;
REVOKE ALL ON FOREIGN SERVER tap_st_lite FROM tap_st_user;
DROP SERVER tap_st_lite CASCADE;
DROP SERVER tap_st_my CASCADE;
DROP ROLE tap_st_user;

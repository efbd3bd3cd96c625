-- Change data capture (sync_start / sync_stop / sync_status / cutover) on a
-- private MariaDB with a ROW binlog and full row metadata (127.0.0.1:3308,
-- test/scripts/mariadb_private.sh with MINIBAR_PRIVATE_BINLOG=1): writes
-- during the copy, updates, deletes, key changes and multi-row transactions
-- applied in order; a restart of the sync worker and of MariaDB mid-stream
-- lose nothing, nor does a dropped connection; a table without a primary key
-- is refused; DDL pauses its table; the cutover verdict; validate_checksums
-- matches at the end.
\ir include/helpers.sql
\set env 'MINIBAR_PRIVATE_OWNER=$PPID MINIBAR_PRIVATE_BASE=/tmp/minibar_mariadb_binlog MINIBAR_PRIVATE_PORT=3308 MINIBAR_PRIVATE_BINLOG=1'
\set private_start `MINIBAR_PRIVATE_OWNER=$PPID MINIBAR_PRIVATE_BASE=/tmp/minibar_mariadb_binlog MINIBAR_PRIVATE_PORT=3308 MINIBAR_PRIVATE_BINLOG=1 test/scripts/mariadb_private.sh start 2>&1 | tail -n 1 | cut -d' ' -f1`
\set watchdog `( while kill -0 $PPID 2>/dev/null; do sleep 0.2; done; MINIBAR_PRIVATE_OWNER=$PPID MINIBAR_PRIVATE_BASE=/tmp/minibar_mariadb_binlog MINIBAR_PRIVATE_PORT=3308 test/scripts/mariadb_private.sh stop ) </dev/null >/dev/null 2>&1 & echo started`
\set fixture `mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock --delimiter=// -e "DROP DATABASE IF EXISTS minibar_tap_sync// CREATE DATABASE minibar_tap_sync// USE minibar_tap_sync// CREATE TABLE big (id INT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL)// INSERT INTO big (v) SELECT seq FROM seq_1_to_200000// CREATE PROCEDURE writer(n INT) BEGIN DECLARE i INT DEFAULT 0; WHILE i < n DO INSERT INTO big (v) VALUES (-i); IF i % 3 = 0 THEN UPDATE big SET v = v + 1 WHERE id = 1 + i * 7; END IF; IF i % 5 = 0 THEN DELETE FROM big WHERE id = 2 + i * 11; END IF; DO SLEEP(0.002); SET i = i + 1; END WHILE; END// CREATE TABLE items (id INT PRIMARY KEY, ti TINYINT, si SMALLINT, bu BIGINT UNSIGNED, d DECIMAL(12,3), f FLOAT, dd DOUBLE, dt DATE, dtm DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME(2), y YEAR, b BIT(10), c CHAR(5), vc VARCHAR(50), tx TEXT, bl BLOB, e ENUM('a','b','c'), st SET('x','y','z'), j JSON, flag TINYINT(1)) CHARSET utf8mb4// INSERT INTO items (id, vc) VALUES (1, 'one'), (2, 'two'), (3, 'three')// CREATE TABLE orders (id INT PRIMARY KEY, item_id INT NOT NULL, qty INT NOT NULL)// INSERT INTO orders SELECT seq, 1 + seq % 3, seq FROM seq_1_to_10// CREATE TABLE nopk (v INT)// CREATE TABLE ddl_t (id INT PRIMARY KEY, v INT)// INSERT INTO ddl_t VALUES (1, 1)//" 2>&1 && echo ok`
SET client_min_messages = warning;
SELECT minibar_migrate.sync_stop(server) FROM minibar_migrate.syncs WHERE server = 'tap_sync' \g /dev/null
DELETE FROM minibar_migrate.syncs WHERE server = 'tap_sync';
DROP SCHEMA IF EXISTS tap_sync CASCADE;
DROP SERVER IF EXISTS tap_sync CASCADE;
CREATE SCHEMA tap_sync;
CALL pg_temp.mysql_server('tap_sync', 'minibar_tap_sync', '{"connect_timeout": "5"}', port => 3308);

-- Waits until the sync has applied everything up to the source's head now.
\set fn_schema pg_temp
\ir ../scripts/sync_waits.sql
CREATE FUNCTION pg_temp.caught_up(timeout double precision DEFAULT 90) RETURNS boolean LANGUAGE sql AS $$
  SELECT pg_temp.caught_up('tap_sync', timeout, 0.05) IS NOT NULL
$$;
-- validate_checksums of one table: every chunk ok.
CREATE FUNCTION pg_temp.same(t text) RETURNS boolean LANGUAGE sql AS $$
  SELECT bool_and(ok) FROM minibar_migrate.validate_checksums('tap_sync', t, ('tap_sync.' || t)::regclass)
$$;
-- Waits until the sync worker runs again under a new pid (or any pid).
CREATE FUNCTION pg_temp.worker_back(old int, timeout double precision DEFAULT 30) RETURNS boolean LANGUAGE sql AS $$
  SELECT pg_temp.streaming('tap_sync', timeout, old)
$$;

SELECT plan(39);
SELECT is(:'private_start'::text, 'running', 'private MariaDB with a ROW binlog on 127.0.0.1:3308');
SELECT is(:'fixture'::text, 'ok', 'fixture: 200,000 rows, a writer, every type family, a table without a key');

-- 1. The copy runs while a writer inserts, updates and deletes.
\set writer `( mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock minibar_tap_sync -e "CALL writer(1500)" >/dev/null 2>&1 & ) ; n=0; for i in $(seq 1 200); do n=$(mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock -N -B -e "SELECT COUNT(*) - 200000 FROM minibar_tap_sync.big"); [ "$n" -ge 50 ] && break; sleep 0.02; done; echo $n`
SELECT is((SELECT count(*) FROM minibar_migrate.migrate_database('tap_sync', 'tap_sync', '{"workers": 2, "chunk_size": 50000}')),
          6::bigint, 'migrate_database (2 workers, big in 4 chunks) while the writer runs: five tables and the summary');
SELECT isnt((SELECT source_binlog_file FROM minibar_migrate.runs ORDER BY run_id DESC LIMIT 1), NULL,
            'the run recorded the binlog position its workers'' snapshots share');
SELECT results_eq(
  $$SELECT source_table, state, coalesce(reason, '') FROM minibar_migrate.sync_start('tap_sync', 'tap_sync') ORDER BY 1$$,
  $$VALUES ('big', 'syncing', ''), ('ddl_t', 'syncing', ''),
           ('items', 'syncing', ''), ('nopk', 'refused', 'it has no primary key on the source (changes could not be matched to rows)'),
           ('orders', 'syncing', '')$$,
  'sync_start: every table with a primary key syncs; nopk is refused with the reason');
SELECT ok(pg_temp.worker_back(NULL), 'the sync worker streams');
SELECT throws_ok($$SELECT * FROM minibar_migrate.sync_start('tap_sync', 'tap_sync')$$, '55000', NULL,
                 'a second sync_start of a running sync is refused');
\set writer_done `for i in $(seq 1 900); do n=$(mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock -N -B -e "SELECT COUNT(*) FROM minibar_tap_sync.big WHERE v <= 0 OR id > 200000"); [ "$n" -ge 1500 ] && break; sleep 0.05; done; echo $n`
SELECT cmp_ok(:'writer_done'::int, '>=', 1500, 'the writer finished');
SELECT ok(pg_temp.caught_up(), 'the sync caught up with the source');
SELECT ok(pg_temp.same('big'), 'big: every write made during and after the copy is in the target (validate_checksums)');
SELECT is((SELECT count(*) FROM tap_sync.big), (SELECT count(*) FROM minibar_migrate.validate_checksums('tap_sync', 'big', 'tap_sync.big') WHERE false) + (SELECT sum(source_rows) FROM minibar_migrate.validate_checksums('tap_sync', 'big', 'tap_sync.big'))::bigint,
          'big: as many rows as the source');

-- 2. Every type family, updates, deletes, a key change, order within and
-- across transactions, a 20,000-row transaction.
\set changes `mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock minibar_tap_sync -e "SET time_zone = '+00:00'; BEGIN; INSERT INTO items VALUES (10, -5, -300, 18000000000000000000, -1234.5, 1.5, -2.25, '2024-02-29', '2024-02-29 23:59:58.123456', '2021-06-01 12:00:00.5', '12:34:56.78', 2024, b'1010101010', 'ab', 'héllo', 'text ü', 'bin', 'b', 'x,z', '{\"k\": [1, 2]}', 1), (11, 127, 32767, 0, 0.001, -0.0, 1e300, '1000-01-01', '9999-12-31 23:59:59', '2038-01-19 03:14:07', '23:59:59', 1901, b'0', '', '', '', '', 'a', '', '[]', 0), (12, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL); UPDATE items SET vc = 'uno', d = 99.999, e = 'c' WHERE id = 1; DELETE FROM items WHERE id = 2; INSERT INTO orders VALUES (11, 10, 1), (12, 11, 2); COMMIT; UPDATE items SET vc = 'first' WHERE id = 3; UPDATE items SET vc = 'second' WHERE id = 3; UPDATE orders SET id = id + 1000 WHERE id <= 5; DELETE FROM orders WHERE id = 1002; BEGIN; INSERT INTO orders SELECT 100000 + seq, 1, seq FROM seq_1_to_20000; UPDATE orders SET qty = -qty WHERE id BETWEEN 100001 AND 100100; COMMIT;" 2>&1 && echo ok`
SELECT is(:'changes'::text, 'ok', 'source: a multi-row transaction over every type, updates, deletes, a key change, 20,000 rows in one transaction');
SELECT ok(pg_temp.caught_up(), 'caught up');
SELECT ok(pg_temp.same('items'), 'items: every type family converted like the copy (validate_checksums)');
SELECT ok(pg_temp.same('orders'), 'orders: key changes, deletes and the big transaction (validate_checksums)');
SELECT is((SELECT vc FROM tap_sync.items WHERE id = 3), 'second', 'two updates of one row apply in source order');
SELECT is((SELECT count(*) FROM tap_sync.orders WHERE id > 1000 AND id < 1006), 4::bigint, 'the key change moved the rows, the delete removed one');
SELECT is((SELECT count(*) FROM tap_sync.orders WHERE qty < 0), 100::bigint, 'the update inside the big transaction applied after its inserts');
SELECT ok((SELECT (tables->'orders'->>'inserted')::int >= 20002 AND (tables->'items'->>'deleted')::int = 1
             FROM minibar_migrate.sync_status WHERE server = 'tap_sync'), 'sync_status counts rows per table');
SELECT is((SELECT lag_bytes FROM minibar_migrate.sync_status WHERE server = 'tap_sync'), 0::bigint,
          'sync_status: no lag once caught up');

-- 3. The worker restarts mid-stream (pg_cancel_backend asks for a restart).
SELECT pid AS old_pid FROM minibar_migrate.syncs WHERE server = 'tap_sync' \gset
\set writer2 `( mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock minibar_tap_sync -e "CALL writer(800)" >/dev/null 2>&1 & ) ; sleep 0.3; echo started`
SELECT ok(pg_cancel_backend(:old_pid), 'the sync worker is interrupted while the writer runs');
SELECT ok(pg_temp.worker_back(:old_pid), 'the postmaster starts it again and it streams');
\set writer2_done `for i in $(seq 1 900); do n=$(mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock -N -B -e "SELECT COUNT(*) FROM minibar_tap_sync.big WHERE v <= 0 OR id > 200000"); [ "$n" -ge 2300 ] && break; sleep 0.05; done; echo $n`
SELECT ok(pg_temp.caught_up(), 'caught up after the restart');
SELECT ok(pg_temp.same('big'), 'big: nothing lost and nothing applied twice across the worker restart');

-- 4. MariaDB restarts mid-stream: the worker retries until it is back.
\set bounce `mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock minibar_tap_sync -e "INSERT INTO orders VALUES (500, 1, 1)" && MINIBAR_PRIVATE_OWNER=$PPID MINIBAR_PRIVATE_BASE=/tmp/minibar_mariadb_binlog MINIBAR_PRIVATE_PORT=3308 MINIBAR_PRIVATE_BINLOG=1 test/scripts/mariadb_private.sh stop >/dev/null && sleep 1.5 && MINIBAR_PRIVATE_OWNER=$PPID MINIBAR_PRIVATE_BASE=/tmp/minibar_mariadb_binlog MINIBAR_PRIVATE_PORT=3308 MINIBAR_PRIVATE_BINLOG=1 test/scripts/mariadb_private.sh start >/dev/null && mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock minibar_tap_sync -e "INSERT INTO orders VALUES (501, 2, 2); UPDATE orders SET qty = 7 WHERE id = 500" && echo ok`
SELECT is(:'bounce'::text, 'ok', 'MariaDB stopped and started again between writes');
SELECT ok(pg_temp.caught_up(), 'caught up after the source restart (a new binlog file)');
SELECT ok(pg_temp.same('orders'), 'orders: the writes before and after the source restart are applied');
SELECT isnt((SELECT last_error FROM minibar_migrate.sync_status WHERE server = 'tap_sync'), NULL,
            'sync_status kept the error of the lost connection: ' || (SELECT last_error FROM minibar_migrate.syncs WHERE server = 'tap_sync'));

-- 4b. The network drops: the server cuts the worker's binlog connection
-- (KILL of its Binlog Dump thread) between two writes.
SELECT pid AS pid_before_drop FROM minibar_migrate.syncs WHERE server = 'tap_sync' \gset
\set netdrop `M="mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock"; $M minibar_tap_sync -e "INSERT INTO orders VALUES (502, 1, 1)" && ids=$($M -N -B -e "SELECT GROUP_CONCAT(ID) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'") && [ -n "$ids" ] && [ "$ids" != NULL ] && for i in $(echo "$ids" | tr ',' ' '); do $M -e "KILL $i"; done && $M minibar_tap_sync -e "INSERT INTO orders VALUES (503, 2, 3); UPDATE orders SET qty = 8 WHERE id = 502" && echo ok`
SELECT is(:'netdrop'::text, 'ok', 'the server cut the worker''s binlog connection between writes');
SELECT ok(pg_temp.worker_back(:pid_before_drop), 'the worker noticed, exited and came back under a new pid');
SELECT ok(pg_temp.caught_up(), 'caught up after the dropped connection');
SELECT ok(pg_temp.same('orders'), 'orders: the writes before and after the drop are applied once');

-- 5. Cutover: caught up, stopped, sequences, validation, verdict.
SELECT results_eq($$SELECT step, ok FROM minibar_migrate.cutover('tap_sync', 'tap_sync', '{"validate": {"tables": ["big", "items", "orders", "ddl_t"]}}')$$,
  $$VALUES ('source head', true), ('caught up', true), ('sync stopped', true), ('sequences reset', true),
           ('validated', true), ('verdict', false)$$,
  'cutover: caught up, stopped, sequences reset, every table validated; the refused table keeps the verdict from ready');
SELECT is((SELECT state || '/' || wanted FROM minibar_migrate.syncs WHERE server = 'tap_sync'), 'stopped/stopped',
          'after cutover the sync is stopped');

-- 6. DDL on a synced table pauses it; the others go on.
SELECT ok((SELECT count(*) FROM minibar_migrate.sync_start('tap_sync', 'tap_sync')) = 5, 'sync_start again resumes from the applied position');
\set ddl `mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock minibar_tap_sync -e "ALTER TABLE ddl_t ADD COLUMN w INT; INSERT INTO ddl_t VALUES (2, 2, 2); INSERT INTO items (id, vc) VALUES (20, 'after ddl')" && echo ok`
SELECT ok(pg_temp.caught_up(), 'caught up after the DDL');
SELECT is((SELECT state || ': ' || split_part(reason, ' (binlog', 1) FROM minibar_migrate.sync_tables WHERE server = 'tap_sync' AND source_table = 'ddl_t'),
          'paused: ALTER TABLE on the source: ALTER TABLE ddl_t ADD COLUMN w INT', 'ALTER TABLE pauses its table, with the statement');
SELECT is((SELECT vc FROM tap_sync.items WHERE id = 20), 'after ddl', 'the other tables are still applied');

SELECT matches(minibar_migrate.sync_stop('tap_sync'), '^stopped at binlog\.[0-9]+:[0-9]+$', 'sync_stop');
SELECT * FROM finish();
DROP SCHEMA tap_sync CASCADE;
DROP SERVER tap_sync CASCADE;

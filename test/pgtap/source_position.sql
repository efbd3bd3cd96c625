-- The source position a migration records (the start for change data
-- capture): on a private MariaDB with a ROW binlog (127.0.0.1:3308,
-- test/scripts/mariadb_private.sh with MINIBAR_PRIVATE_BINLOG=1), the binlog
-- position of the snapshot the rows were copied from. Proof: while a writer
-- inserts rows during the copy, the rows copied plus the row events the
-- binlog holds after the recorded position equal the rows at the end. With
-- workers, the same proof: the planner holds the source's commits while every
-- worker opens its snapshot, and the position is recorded only when all the
-- snapshots read the same one. Without a binlog, and for SQLite: no position,
-- and why.
\ir include/helpers.sql
\set base /tmp/minibar_mariadb_binlog
\set private_start `MINIBAR_PRIVATE_OWNER=$PPID MINIBAR_PRIVATE_BASE=/tmp/minibar_mariadb_binlog MINIBAR_PRIVATE_PORT=3308 MINIBAR_PRIVATE_BINLOG=1 test/scripts/mariadb_private.sh start 2>&1 | tail -n 1 | cut -d' ' -f1`
\set watchdog `( while kill -0 $PPID 2>/dev/null; do sleep 0.2; done; MINIBAR_PRIVATE_OWNER=$PPID MINIBAR_PRIVATE_BASE=/tmp/minibar_mariadb_binlog MINIBAR_PRIVATE_PORT=3308 test/scripts/mariadb_private.sh stop ) </dev/null >/dev/null 2>&1 & echo started`
\set fixture `mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock --delimiter=// -e "DROP DATABASE IF EXISTS minibar_tap_pos// CREATE DATABASE minibar_tap_pos// USE minibar_tap_pos// CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL)// INSERT INTO t (v) SELECT seq FROM seq_1_to_200000// CREATE PROCEDURE writer(n INT) BEGIN DECLARE i INT DEFAULT 0; WHILE i < n DO INSERT INTO t (v) VALUES (-i); DO SLEEP(0.002); SET i = i + 1; END WHILE; END//" 2>&1 && echo ok`
\set master_before `mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock -N -B -e "SHOW MASTER STATUS" 2>&1 | cut -f1,2 | tr '\t' '|'`
SET client_min_messages = warning;
CALL pg_temp.drop_leftovers('{tap_pos}', '{tap_pos,tap_pos_nobin,tap_pos_lite,tap_pos_norel}');
CREATE SCHEMA tap_pos;
CALL pg_temp.mysql_server('tap_pos', 'minibar_tap_pos', '{"connect_timeout": "5"}', port => 3308);
CALL pg_temp.mysql_server('tap_pos_nobin', 'minibar_tap_pos_nobin');
\set nobin_fixture `mariadb -e "DROP DATABASE IF EXISTS minibar_tap_pos_nobin; CREATE DATABASE minibar_tap_pos_nobin; CREATE TABLE minibar_tap_pos_nobin.t (id INT PRIMARY KEY); INSERT INTO minibar_tap_pos_nobin.t VALUES (1);" 2>&1 && echo ok`
\set lite_load `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/position.sqlite "CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);"`
CREATE SERVER tap_pos_norel FOREIGN DATA WRAPPER minibar_mysql
  OPTIONS (host '127.0.0.1', port '3308', dbname 'minibar_tap_pos', connect_timeout '5');
CREATE USER MAPPING FOR CURRENT_USER SERVER tap_pos_norel OPTIONS (username 'minibar_norel', password 'norel');
CREATE SERVER tap_pos_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '/var/lib/minibar_migrate/tap/position.sqlite');
-- The position the latest run recorded, as "file|pos".
CREATE FUNCTION pg_temp.last_position() RETURNS text LANGUAGE sql AS $$
  SELECT concat_ws('|', r.source_binlog_file, r.source_binlog_pos) FROM minibar_migrate.runs r
   ORDER BY r.run_id DESC LIMIT 1
$$;

SELECT plan(19);
SELECT is(:'private_start'::text, 'running', 'private MariaDB with a binlog on 127.0.0.1:3308');
SELECT is(:'fixture'::text, 'ok', 'fixture: 200,000 rows and a writer procedure');

-- 1. Quiet source: the position is the binlog's end.
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_pos', 't', 'tap_pos.quiet', '{"workers": 0}')),
          200000::bigint, 'migrate_table of t (workers 0)');
SELECT is(pg_temp.last_position(), :'master_before'::text,
          'with no writes the recorded position is SHOW MASTER STATUS');
SELECT matches((SELECT source_gtid FROM minibar_migrate.runs ORDER BY run_id DESC LIMIT 1), '^[0-9]+-2-[0-9]+$',
               'and its GTID (domain-server-sequence, server id 2)');

-- 2. A writer inserts during the copy: copied + binlog events after the
-- position = rows at the end.
\set writer `( mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock minibar_tap_pos -e "CALL writer(1500)" >/dev/null 2>&1 & ) ; n=0; for i in $(seq 1 200); do n=$(mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock -N -B -e "SELECT COUNT(*) - 200000 FROM minibar_tap_pos.t"); [ "$n" -ge 100 ] && break; sleep 0.02; done; echo $n`
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_pos', 't', 'tap_pos.busy', '{"workers": 0}')) > 200000,
          true, 'migrate_table while the writer runs copies more than the initial rows');
\set writer_done `for i in $(seq 1 600); do n=$(mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock -N -B -e "SELECT COUNT(*) FROM minibar_tap_pos.t"); [ "$n" = 201500 ] && break; sleep 0.05; done; echo $n`
SELECT split_part(pg_temp.last_position(), '|', 1) AS pos_file, split_part(pg_temp.last_position(), '|', 2) AS pos \gset
\set events `mariadb-binlog --no-defaults --base64-output=decode-rows -v --start-position=:pos /tmp/minibar_mariadb_binlog/:pos_file 2>/dev/null | grep -c '^### INSERT INTO .minibar_tap_pos.\..t.'`
SELECT cmp_ok(:'events'::int, '>', 0, 'the writer also inserted after the snapshot (' || :'events' || ' row events after the position)');
SELECT cmp_ok((SELECT count(*) FROM tap_pos.busy)::int, '>', 200000 + 100, 'and before it: the copy holds the writer''s first rows');
SELECT is(:'writer_done'::bigint, 201500::bigint, 'the writer finished: 1,500 rows inserted one by one');
SELECT diag(format('recorded %s:%s; copied %s rows (200,000 + %s of the writer''s), %s row events after the position, %s rows at the end',
                   :'pos_file', :'pos', (SELECT count(*) FROM tap_pos.busy), (SELECT count(*) - 200000 FROM tap_pos.busy),
                   :'events', :'writer_done'));
SELECT is((SELECT count(*) FROM tap_pos.busy) + :'events'::bigint, :'writer_done'::bigint,
          'rows copied + row events after the recorded position = rows at the end: the position is the copy''s snapshot');

-- 3. Two workers copy four chunks while the writer runs: the same proof.
\set writer2 `( mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock minibar_tap_pos -e "CALL writer(1500)" >/dev/null 2>&1 & ) ; n=0; for i in $(seq 1 200); do n=$(mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock -N -B -e "SELECT COUNT(*) - 201500 FROM minibar_tap_pos.t"); [ "$n" -ge 100 ] && break; sleep 0.02; done; echo $n`
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_pos', 't', 'tap_pos.workers', '{"workers": 2, "chunk_size": 60000}')) > 201500,
          true, 'migrate_table with 2 workers and 4 chunks while the writer runs');
\set writer2_done `for i in $(seq 1 600); do n=$(mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock -N -B -e "SELECT COUNT(*) FROM minibar_tap_pos.t"); [ "$n" = 203000 ] && break; sleep 0.05; done; echo $n`
SELECT split_part(pg_temp.last_position(), '|', 1) AS pos_file, split_part(pg_temp.last_position(), '|', 2) AS pos \gset
SELECT is((SELECT (workers, source_position_note) FROM minibar_migrate.runs ORDER BY run_id DESC LIMIT 1),
          (2, NULL::text), 'the run had 2 workers and recorded a position (no note)');
\set events2 `mariadb-binlog --no-defaults --base64-output=decode-rows -v --start-position=:pos /tmp/minibar_mariadb_binlog/:pos_file 2>/dev/null | grep -c '^### INSERT INTO .minibar_tap_pos.\..t.'`
SELECT is(:'writer2_done'::bigint, 203000::bigint, 'the writer finished');
SELECT diag(format('workers 2: recorded %s:%s; copied %s rows, %s row events after the position, %s rows at the end',
                   :'pos_file', :'pos', (SELECT count(*) FROM tap_pos.workers), :'events2', :'writer2_done'));
SELECT cmp_ok(:'events2'::int, '>', 0, 'the writer also inserted after the workers'' snapshots');
SELECT is((SELECT count(*) FROM tap_pos.workers) + :'events2'::bigint, :'writer2_done'::bigint,
          'rows copied by both workers + row events after the recorded position = rows at the end: every worker read that position');

-- 4. A user without RELOAD cannot hold the source's commits; on a quiet
-- source the workers' snapshots still read one position, which is recorded.
\set norel_user `mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock -e "DROP USER IF EXISTS 'minibar_norel'@'127.0.0.1'; CREATE USER 'minibar_norel'@'127.0.0.1' IDENTIFIED BY 'norel'; GRANT SELECT ON minibar_tap_pos.* TO 'minibar_norel'@'127.0.0.1';" 2>&1 && echo ok`
SELECT is(:'norel_user'::text, 'ok', 'a MariaDB user without the RELOAD privilege');
\set master_quiet `mariadb --no-defaults --user=root --socket=/tmp/minibar_mariadb_binlog/mysqld.sock -N -B -e "SHOW MASTER STATUS" 2>&1 | cut -f1,2 | tr '\t' '|'`
SELECT minibar_migrate.migrate_table('tap_pos_norel', 't', 'tap_pos.norel', '{"workers": 2, "chunk_size": 60000}') \g /dev/null
SELECT is(pg_temp.last_position(), :'master_quiet'::text,
          'without RELOAD, on a quiet source: the snapshots agree and their position is recorded');

-- 5. No position, and why.
SELECT minibar_migrate.migrate_table('tap_pos_nobin', 't', 'tap_pos.nobin', '{"workers": 0}') \g /dev/null
SELECT is((SELECT coalesce(source_binlog_file, '-') || ' ' || source_position_note FROM minibar_migrate.runs ORDER BY run_id DESC LIMIT 1),
          '- the source writes no binlog (log_bin is OFF): no position for change data capture',
          'a MariaDB without a binlog: nothing recorded, and why');
SELECT minibar_migrate.migrate_table('tap_pos_lite', 't', 'tap_pos.lite', '{"workers": 0}') \g /dev/null
SELECT is((SELECT coalesce(source_binlog_file, '-') || ' ' || source_position_note FROM minibar_migrate.runs ORDER BY run_id DESC LIMIT 1),
          '- SQLite has no binlog', 'SQLite: nothing recorded, and why');

SELECT * FROM finish();
DROP SCHEMA tap_pos CASCADE;
DROP SERVER tap_pos CASCADE;
DROP SERVER tap_pos_nobin CASCADE;
DROP SERVER tap_pos_lite CASCADE;

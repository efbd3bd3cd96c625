-- minibar_mysql under faults: bad credentials, unknown database, nothing
-- listening, a table dropped after IMPORT, connection-cache invalidation by
-- ALTER SERVER / ALTER USER MAPPING, a server restarted under an idle cached
-- connection, and MariaDB killed (-9) in the middle of a scan.
-- Uses a PRIVATE MariaDB on 127.0.0.1:3307 (test/scripts/mariadb_private.sh),
-- started here and stopped by the last statements; a watchdog stops it too when
-- psql ends early (ON_ERROR_STOP). The system MariaDB on 3306 is only read
-- (plus a one-view database minibar_tap_faults, for the port switch).
\ir include/helpers.sql
-- In backquotes and \! the shell's $PPID is this psql: it owns the private server.
\set private_start `MINIBAR_PRIVATE_OWNER=$PPID test/scripts/mariadb_private.sh start 2>&1 | tail -n 1 | cut -d' ' -f1`
\set watchdog `( while kill -0 $PPID 2>/dev/null; do sleep 0.2; done; MINIBAR_PRIVATE_OWNER=$PPID test/scripts/mariadb_private.sh stop ) </dev/null >/dev/null 2>&1 & echo started`
SET client_min_messages = warning;
SET jit = off;
SELECT pg_backend_pid() AS mypid \gset

-- How each statement ended, and MariaDB's view.
\ir include/mysql_probe.sql
CREATE FUNCTION pg_temp.ended(l text) RETURNS text LANGUAGE sql AS $$
  SELECT code || ': ' || coalesce(message, '') FROM outcome WHERE label = l
$$;
-- Whether MySQL connection id tid still exists on the server at port ('0' or '1').
CREATE FUNCTION pg_temp.thread_exists_sql(tid bigint) RETURNS text LANGUAGE sql AS $$
  SELECT format('SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %s', tid)
$$;
-- This backend's cached connections to server srv.
CREATE FUNCTION pg_temp.cached(srv text) RETURNS TABLE (thread_id bigint, valid boolean) LANGUAGE sql AS $$
  SELECT thread_id, valid FROM minibar_migrate.mysql_connections() WHERE server_name = srv
$$;

SELECT plan(41);

SELECT is(:'private_start'::text, 'running', 'the private MariaDB on port 3307 is up');
SELECT is(:'watchdog'::text, 'started', 'a watchdog stops it if this file ends early');
SELECT is(pg_temp.mysql_value(3307, $$
  CREATE DATABASE IF NOT EXISTS minibar_tap_faults;
  CREATE OR REPLACE TABLE minibar_tap_faults.victim (id INT PRIMARY KEY, v VARCHAR(10));
  INSERT INTO minibar_tap_faults.victim VALUES (1, 'a'), (2, 'b');
  CREATE OR REPLACE VIEW minibar_tap_faults.endless AS SELECT seq AS n FROM minibar_tap_faults.seq_1_to_1000000000;
  CREATE OR REPLACE TABLE minibar_tap_faults.server_port (port INT);
  INSERT INTO minibar_tap_faults.server_port VALUES (3307);
  CREATE OR REPLACE VIEW minibar_tap_faults.whoami AS SELECT CONNECTION_ID() AS id, port FROM minibar_tap_faults.server_port;
$$), '', 'fixture database minibar_tap_faults loaded on the private server');
SELECT is(pg_temp.mysql_value(3306, $$
  CREATE DATABASE IF NOT EXISTS minibar_tap_faults;
  CREATE OR REPLACE TABLE minibar_tap_faults.server_port (port INT);
  INSERT INTO minibar_tap_faults.server_port VALUES (3306);
  CREATE OR REPLACE VIEW minibar_tap_faults.whoami AS SELECT CONNECTION_ID() AS id, port FROM minibar_tap_faults.server_port;
$$), '', 'fixture database minibar_tap_faults loaded on the system server');

CALL pg_temp.drop_leftovers('{tap_mysql_faults}', '{tap_mysql_faults,tap_mysql_faults_pw,tap_mysql_faults_nodb,tap_mysql_faults_down}');
CALL pg_temp.mysql_server('tap_mysql_faults', 'minibar_tap_faults', '{"connect_timeout": "5"}', port => 3307);
CALL pg_temp.mysql_server('tap_mysql_faults_pw', 'minibar_tap_faults', '{"connect_timeout": "5"}', port => 3307, pw => 'Wr0ngPa55-zq81');
CALL pg_temp.mysql_server('tap_mysql_faults_nodb', 'minibar_nope', '{"connect_timeout": "5"}', port => 3307);
CALL pg_temp.mysql_server('tap_mysql_faults_down', 'minibar_tap_faults', '{"connect_timeout": "5"}', port => 3399);
CREATE SCHEMA tap_mysql_faults;
IMPORT FOREIGN SCHEMA minibar_tap_faults FROM SERVER tap_mysql_faults INTO tap_mysql_faults;
SET search_path = tap_mysql_faults, public;
CREATE FOREIGN TABLE victim_pw (id int, v text) SERVER tap_mysql_faults_pw OPTIONS (table_name 'victim');
CREATE FOREIGN TABLE victim_nodb (id int, v text) SERVER tap_mysql_faults_nodb OPTIONS (table_name 'victim');
CREATE FOREIGN TABLE victim_down (id int, v text) SERVER tap_mysql_faults_down OPTIONS (table_name 'victim');

SELECT is((SELECT string_agg(v, ',' ORDER BY id) FROM victim), 'a,b', 'the private server answers through the wrapper');

-- Wrong password: 28P01, and the password appears nowhere in the error.
SELECT pg_temp.run_capture('wrong password', 'SELECT * FROM victim_pw');
SELECT is((SELECT code FROM outcome WHERE label = 'wrong password'), '28P01',
          'wrong password: SQLSTATE 28P01 (invalid_password)');
SELECT ok((SELECT message LIKE '%tap_mysql_faults_pw%' FROM outcome WHERE label = 'wrong password'),
          'the message names the server');
SELECT is((SELECT strpos(concat_ws(' ', message, detail, hint, context), 'Wr0ngPa55') FROM outcome
            WHERE label = 'wrong password'), 0,
          'the password text is in none of message, detail, hint, context');
SELECT diag('wrong password: ' || pg_temp.ended('wrong password'));

-- Unknown database.
SELECT pg_temp.run_capture('unknown database', 'SELECT * FROM victim_nodb');
SELECT is((SELECT code FROM outcome WHERE label = 'unknown database'), '3D000',
          'dbname minibar_nope: SQLSTATE 3D000 (invalid_catalog_name)');
SELECT diag('unknown database: ' || pg_temp.ended('unknown database'));

-- Nothing listening.
SELECT pg_temp.run_capture('nothing listening', 'SELECT * FROM victim_down');
SELECT is((SELECT code FROM outcome WHERE label = 'nothing listening'), '08001',
          'port 3399 with nothing listening: SQLSTATE 08001');
SELECT cmp_ok(pg_temp.seconds('nothing listening'), '<', 2.0, 'the refused connection is reported within 2 s');
SELECT diag('nothing listening: ' || pg_temp.ended('nothing listening'));

-- A table dropped on MySQL after IMPORT FOREIGN SCHEMA.
SELECT is(pg_temp.mysql_value(3307, 'DROP TABLE minibar_tap_faults.victim'), '', 'victim dropped on MariaDB');
SELECT pg_temp.run_capture('dropped table', 'SELECT * FROM victim');
SELECT is((SELECT code FROM outcome WHERE label = 'dropped table'), 'HV00R',
          'a table dropped after IMPORT: SQLSTATE HV00R (fdw_table_not_found)');
SELECT ok((SELECT message LIKE '%victim%' FROM outcome WHERE label = 'dropped table'),
          'the message names the missing table');
SELECT diag('dropped table: ' || pg_temp.ended('dropped table'));
SELECT is((SELECT port FROM whoami)::int, 3307, 'the connection still works after the missing-table error');

-- ALTER SERVER ... SET port drops the cached connection: the next query runs on
-- a new connection to the new port, and the old connection is closed.
SELECT id AS tid_a FROM whoami \gset
SELECT is((SELECT thread_id FROM pg_temp.cached('tap_mysql_faults')), :tid_a::bigint,
          'mysql_connections shows the connection whoami ran on');
ALTER SERVER tap_mysql_faults OPTIONS (SET port '3306');
SELECT is((SELECT count(*) FROM pg_temp.cached('tap_mysql_faults') WHERE valid), 0::bigint,
          'after ALTER SERVER the cached connection is no longer valid');
SELECT id AS tid_b, port AS port_b FROM whoami \gset
SELECT is(:port_b::int, 3306, 'after ALTER SERVER SET port the query goes to the new port');
SELECT is((SELECT array_agg(thread_id) FROM pg_temp.cached('tap_mysql_faults') WHERE valid), ARRAY[:tid_b::bigint],
          'mysql_connections lists only the new connection');
SELECT is(pg_temp.wait_mysql(3307, pg_temp.thread_exists_sql(:tid_a), '0', 5), '0',
          'the old connection is closed on the old server');
ALTER SERVER tap_mysql_faults OPTIONS (SET port '3307');
SELECT id AS tid_c, port AS port_c FROM whoami \gset
SELECT is(:port_c::int, 3307, 'after switching back the query goes to port 3307 again');
SELECT is(pg_temp.wait_mysql(3306, pg_temp.thread_exists_sql(:tid_b), '0', 5), '0',
          'the connection to port 3306 is closed');

-- ALTER USER MAPPING drops the cached connection as well.
ALTER USER MAPPING FOR CURRENT_USER SERVER tap_mysql_faults OPTIONS (SET password 'minibar');
SELECT is((SELECT count(*) FROM pg_temp.cached('tap_mysql_faults') WHERE valid), 0::bigint,
          'after ALTER USER MAPPING the cached connection is no longer valid');
SELECT id AS tid_d FROM whoami \gset
SELECT isnt(:tid_d::bigint, :tid_c::bigint, 'after ALTER USER MAPPING the query runs on a new connection');
SELECT is(pg_temp.wait_mysql(3307, pg_temp.thread_exists_sql(:tid_c), '0', 5), '0',
          'the connection from before ALTER USER MAPPING is closed');

-- The server restarts while the cached connection is idle for more than 1 s: the
-- ping before reuse notices, and the next query just reconnects.
SELECT id AS tid_e, clock_timestamp() AS last_use FROM whoami \gset
\set restart `MINIBAR_PRIVATE_OWNER=$PPID test/scripts/mariadb_private.sh stop >/dev/null 2>&1; MINIBAR_PRIVATE_OWNER=$PPID test/scripts/mariadb_private.sh start 2>&1 | tail -n 1 | cut -d' ' -f1`
SELECT is(:'restart'::text, 'running', 'private server restarted under an idle cached connection');
-- The documented idle threshold is 1 s; make sure it has passed.
SELECT pg_sleep(greatest(0, 1.2 - extract(epoch FROM clock_timestamp() - :'last_use'::timestamptz))) \g /dev/null
SELECT pg_temp.run_capture('after idle restart', 'CREATE TEMP TABLE idle_restart AS SELECT id, port FROM whoami');
SELECT is(pg_temp.ended('after idle restart'), 'no error: ',
          'the first query after the restart succeeds (idle connection pinged and replaced)');

-- MariaDB killed (-9) in the middle of a scan. A background job waits until the
-- scan's query runs on the private server, then kills mariadbd and reports when.
SELECT count(*) FROM whoami \g /dev/null
\set killer_out /tmp/minibar_migrate_tap/mysql_faults_:mypid.out
\set killer `rm -f :'killer_out'; ( end=$(($(date +%s) + 20)); seen=no; while [ "$(date +%s)" -lt "$end" ]; do a=$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE pid = :mypid AND state = 'active' AND query LIKE '%tap_kill_mid_scan%'" 2>&1); r=$(MYSQL_PWD=minibar mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P 3307 -u minibar -N -B -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'minibar' AND ID <> CONNECTION_ID() AND COMMAND <> 'Sleep' AND INFO LIKE '%minibar_tap_faults%endless%'" 2>&1); if [ "$a" = 1 ] && [ "$r" = 1 ]; then seen=yes; break; fi; sleep 0.05; done; if [ "$seen" = yes ]; then t=$(date +%s.%N); k=$(test/scripts/mariadb_private.sh kill 2>&1); echo "$k|$t"; else echo "not seen: pg_stat_activity=$a processlist=$r|"; fi ) </dev/null >:'killer_out' 2>&1 & echo started`
SET statement_timeout = '60s';  -- a safety net only
SELECT pg_temp.run_capture('killed mid-scan', 'SELECT count(*) FROM endless /* tap_kill_mid_scan */');
RESET statement_timeout;
SELECT count(*) AS valid_after_kill FROM pg_temp.cached('tap_mysql_faults') WHERE valid \gset
-- At once (the ping before reuse only happens after 1 s idle, counted from the
-- scan's start): the next query must not reuse the broken connection but try a
-- fresh one, which fails while the server is down.
SELECT pg_temp.run_capture('while down', 'SELECT count(*) FROM whoami');
SELECT pg_temp.read_report(:'killer_out', 10) AS killer_report \gset
SELECT is(:'killer'::text, 'started', 'the killer job started');
SELECT matches(split_part(:'killer_report', '|', 1), '^killed [0-9]+$',
               'the scan ran on the private server when mariadbd was killed -9');
SELECT matches((SELECT code FROM outcome WHERE label = 'killed mid-scan'), '^(08006|HV...)$',
               'the scan fails with SQLSTATE 08006 (or an HV000-class FDW error)');
SELECT ok((SELECT message LIKE '%"tap_mysql_faults"%' FROM outcome WHERE label = 'killed mid-scan'),
          'the message names the server');
SELECT matches((SELECT message FROM outcome WHERE label = 'killed mid-scan'), 'MySQL error [1-9][0-9]*: \S',
               'the message carries the MySQL error (a real error number and its text, e.g. 2013 Lost connection)');
SELECT diag(format('killed mid-scan: %s (the scan ran %s s)', pg_temp.ended('killed mid-scan'),
                   round(pg_temp.seconds('killed mid-scan'), 3)));
SELECT cmp_ok((SELECT extract(epoch FROM finished - to_timestamp(nullif(split_part(:'killer_report', '|', 2), '')::float8))
                 FROM outcome WHERE label = 'killed mid-scan'),
              '<', 3.0, 'the error came within 3 s of the kill');
SELECT is((SELECT 1), 1, 'the backend is alive: SELECT 1 works');
SELECT is(pg_backend_pid(), :mypid, 'still the same backend (no reconnect)');
SELECT is(:valid_after_kill::bigint, 0::bigint,
          'right after the error, mysql_connections no longer lists the broken connection as valid');
SELECT is((SELECT code FROM outcome WHERE label = 'while down'), '08001',
          'the query right after reports 08001: it tried a new connection, not the broken one');
SELECT diag(format('while down: %s (%s s after the scan started)', pg_temp.ended('while down'),
                   round((SELECT extract(epoch FROM d.started - k.started) FROM outcome d, outcome k
                           WHERE d.label = 'while down' AND k.label = 'killed mid-scan'), 3)));
\set restart `MINIBAR_PRIVATE_OWNER=$PPID test/scripts/mariadb_private.sh start 2>&1 | tail -n 1 | cut -d' ' -f1`
SELECT is(:'restart'::text, 'running', 'private server restarted after the kill');
SELECT pg_temp.run_capture('after kill restart', 'CREATE TEMP TABLE kill_restart AS SELECT id, port FROM whoami');
SELECT is(pg_temp.ended('after kill restart'), 'no error: ', 'the next query through the wrapper works');
SELECT is((SELECT array_agg(c.thread_id) FROM pg_temp.cached('tap_mysql_faults') c WHERE c.valid),
          (SELECT array_agg(id::bigint) FROM kill_restart),
          'and runs on a new, valid cached connection');

-- Stop the private server (the watchdog then has nothing to do).
\set private_stop `MINIBAR_PRIVATE_OWNER=$PPID test/scripts/mariadb_private.sh stop 2>&1 | tail -n 1`
SELECT is(:'private_stop'::text, 'stopped', 'the private MariaDB is stopped');
SELECT * FROM finish();
\! rm -f /tmp/minibar_migrate_tap/mysql_faults_*.out
DROP SCHEMA tap_mysql_faults CASCADE;
DROP SERVER tap_mysql_faults CASCADE;
DROP SERVER tap_mysql_faults_pw CASCADE;
DROP SERVER tap_mysql_faults_nodb CASCADE;
DROP SERVER tap_mysql_faults_down CASCADE;

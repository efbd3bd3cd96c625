-- Cancel and statement_timeout stop a running minibar_mysql scan promptly, the
-- query is stopped on the MariaDB side too (KILL QUERY), and the backend keeps
-- working through the wrapper afterwards. Runs against the system MariaDB on
-- 127.0.0.1:3306 (user minibar), database minibar_tap_cancel, which is created
-- here (the 2,000,000-row table only when it is not already complete).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
\! mkdir -p /tmp/minibar_migrate_tap && chmod 755 /tmp/minibar_migrate_tap
\set fixture_load `mariadb -e "CREATE DATABASE IF NOT EXISTS minibar_tap_cancel; CREATE OR REPLACE VIEW minibar_tap_cancel.sleeper AS SELECT SLEEP(30) AS s; CREATE OR REPLACE VIEW minibar_tap_cancel.stall AS SELECT seq AS n, REPEAT('x', 1000) AS pad, IF(seq = 200, SLEEP(30), 0) AS z FROM minibar_tap_cancel.seq_1_to_300; CREATE TABLE IF NOT EXISTS minibar_tap_cancel.small (id INT PRIMARY KEY, label VARCHAR(20)); INSERT IGNORE INTO minibar_tap_cancel.small VALUES (1, 'one'), (2, 'two'), (3, 'three');" 2>&1 && n=$(mariadb -N -B -e "SELECT COUNT(*) FROM minibar_tap_cancel.big" 2>/dev/null); if [ "$n" != 2000000 ]; then mariadb -e "DROP TABLE IF EXISTS minibar_tap_cancel.big; CREATE TABLE minibar_tap_cancel.big (id INT PRIMARY KEY, pad VARCHAR(200) NOT NULL) ENGINE=InnoDB; INSERT INTO minibar_tap_cancel.big SELECT seq, REPEAT(CHAR(65 + seq % 26), 150) FROM minibar_tap_cancel.seq_1_to_2000000;" 2>&1; fi && echo loaded`
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS minibar_migrate;
SET jit = off;  -- no compile time inside the measured windows
DROP SCHEMA IF EXISTS tap_mysql_cancel CASCADE;
DROP SERVER IF EXISTS tap_mysql_cancel CASCADE;
CREATE SERVER tap_mysql_cancel FOREIGN DATA WRAPPER minibar_mysql
  OPTIONS (host '127.0.0.1', port '3306', dbname 'minibar_tap_cancel', connect_timeout '5');
CREATE USER MAPPING FOR CURRENT_USER SERVER tap_mysql_cancel OPTIONS (username 'minibar', password 'minibar');
CREATE SCHEMA tap_mysql_cancel;
IMPORT FOREIGN SCHEMA minibar_tap_cancel FROM SERVER tap_mysql_cancel INTO tap_mysql_cancel;
SET search_path = tap_mysql_cancel, public;

-- How each interrupted statement ended (pgTAP's throws_ok cannot record it:
-- WHEN OTHERS does not catch query_canceled).
CREATE TEMP TABLE outcome (label text PRIMARY KEY, started timestamptz, finished timestamptz,
                           code text, message text);
-- Runs q (the caller sets statement_timeout at top level) and records how it ended.
CREATE FUNCTION pg_temp.run_capture(label text, q text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome VALUES (label, clock_timestamp(), NULL, 'no error', NULL);
  BEGIN
    EXECUTE q;
  EXCEPTION
    WHEN query_canceled THEN
      UPDATE outcome SET code = SQLSTATE, message = SQLERRM WHERE outcome.label = run_capture.label;
    WHEN OTHERS THEN
      UPDATE outcome SET code = SQLSTATE, message = SQLERRM WHERE outcome.label = run_capture.label;
  END;
  UPDATE outcome SET finished = clock_timestamp() WHERE outcome.label = run_capture.label;
END $$;
CREATE FUNCTION pg_temp.seconds(l text) RETURNS numeric LANGUAGE sql AS $$
  SELECT extract(epoch FROM finished - started) FROM outcome WHERE label = l
$$;
-- A one-value query on the MariaDB server at 127.0.0.1:port, run by the mariadb
-- command-line client (independent of the wrapper); its output, or its error text.
CREATE TEMP TABLE mysql_out (line text);
CREATE FUNCTION pg_temp.mysql_value(port int, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  result text;
BEGIN
  TRUNCATE mysql_out;
  EXECUTE format('COPY mysql_out FROM PROGRAM %L WITH (FORMAT csv, DELIMITER %L, QUOTE %L)',
                 format('MYSQL_PWD=minibar mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P %s -u minibar -N -B -e %s 2>&1; exit 0',
                        port, '''' || replace(q, '''', '''"''"''') || ''''),
                 E'\x01', E'\x02');
  SELECT string_agg(line, E'\n') INTO result FROM mysql_out;
  RETURN coalesce(result, '');
END $$;
-- Polls mysql_value until it returns want or timeout_s has passed; the last value.
CREATE TEMP TABLE waited (label text PRIMARY KEY, seconds numeric, value text);
CREATE FUNCTION pg_temp.wait_mysql(label text, port int, q text, want text, timeout_s numeric)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
  v text;
BEGIN
  LOOP
    v := pg_temp.mysql_value(port, q);
    EXIT WHEN v = want OR clock_timestamp() > t0 + timeout_s * interval '1 second';
    PERFORM pg_sleep(0.05);
  END LOOP;
  INSERT INTO waited VALUES (label, extract(epoch FROM clock_timestamp() - t0), v);
  RETURN v;
END $$;
-- The MySQL connection id of this backend's cached connection to the server.
CREATE FUNCTION pg_temp.cached_thread() RETURNS bigint LANGUAGE sql AS $$
  SELECT thread_id FROM minibar_migrate.mysql_connections() WHERE server_name = 'tap_mysql_cancel'
$$;
-- Statements of connection tid still running a query on the named remote object.
CREATE FUNCTION pg_temp.running_sql(tid bigint, object text) RETURNS text LANGUAGE sql AS $$
  SELECT format('SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %s AND COMMAND <> ''Sleep'' AND INFO LIKE ''%%minibar_tap_cancel%%%s%%''',
                tid, object)
$$;
SELECT pg_backend_pid() AS mypid \gset

SELECT plan(27);

SELECT is(:'fixture_load'::text, 'loaded', 'fixture database minibar_tap_cancel is ready on MariaDB');

-- 1. statement_timeout stops a remote statement that sleeps without returning a row.
SELECT count(*) FROM small \g /dev/null
SELECT pg_temp.cached_thread() AS tid \gset
SET statement_timeout = '500ms';
SELECT pg_temp.run_capture('sleeper timeout', 'SELECT s FROM sleeper');
RESET statement_timeout;
SELECT is((SELECT code || ' ' || coalesce(message, '') FROM outcome WHERE label = 'sleeper timeout'),
          '57014 canceling statement due to statement timeout',
          'statement_timeout stops a scan of a MySQL view running SLEEP(30)');
SELECT cmp_ok(pg_temp.seconds('sleeper timeout'), '<', 3.0, 'it stopped within 3 s of starting (timeout 500 ms)');
SELECT is(pg_temp.wait_mysql('sleeper gone', 3306, pg_temp.running_sql(:tid, 'sleeper'), '0', 5), '0',
          'the SLEEP query is gone from the MariaDB process list');
SELECT is((SELECT string_agg(label, ',' ORDER BY id) FROM small), 'one,two,three',
          'the same backend queries through the wrapper after the timeout');
SELECT diag(format('sleeper: stopped after %s s; MariaDB thread %s idle again after %s s of polling; cached connection %s',
                   round(pg_temp.seconds('sleeper timeout'), 3), :tid,
                   round((SELECT seconds FROM waited WHERE label = 'sleeper gone'), 3),
                   CASE WHEN pg_temp.cached_thread() = :tid THEN 'kept' ELSE 'replaced' END));

-- 2. statement_timeout stops a scan that is streaming rows of a 2,000,000-row table.
SELECT count(*) FROM small \g /dev/null
SELECT pg_temp.cached_thread() AS tid \gset
SET statement_timeout = '500ms';
SELECT pg_temp.run_capture('big timeout', 'SELECT sum(length(pad)) FROM big');
RESET statement_timeout;
SELECT is((SELECT code || ' ' || coalesce(message, '') FROM outcome WHERE label = 'big timeout'),
          '57014 canceling statement due to statement timeout',
          'statement_timeout stops a streaming scan of a 2M-row table');
SELECT cmp_ok(pg_temp.seconds('big timeout'), '<', 3.0, 'the streaming scan stopped within 3 s');
SELECT is(pg_temp.wait_mysql('big gone', 3306, pg_temp.running_sql(:tid, 'big'), '0', 5), '0',
          'the streaming query is gone from the MariaDB process list');
SELECT is((SELECT string_agg(label, ',' ORDER BY id) FROM small), 'one,two,three',
          'the same backend queries through the wrapper after the streaming scan was stopped');
SELECT diag(format('big: stopped after %s s; MariaDB thread %s idle again after %s s of polling; cached connection %s',
                   round(pg_temp.seconds('big timeout'), 3), :tid,
                   round((SELECT seconds FROM waited WHERE label = 'big gone'), 3),
                   CASE WHEN pg_temp.cached_thread() = :tid THEN 'kept' ELSE 'replaced' END));
-- The whole table still streams to the end on the same backend.
SELECT is((SELECT count(*) FROM big), 2000000::bigint, 'a full scan of the big table completes afterwards');

-- 3. statement_timeout while the scan waits for the next row: the view sends 199
-- rows of 1 kB at once, then sleeps 30 s before row 200.
SELECT count(*) FROM small \g /dev/null
SELECT pg_temp.cached_thread() AS tid \gset
SET statement_timeout = '500ms';
SELECT pg_temp.run_capture('stall timeout', 'SELECT sum(z), sum(length(pad)) FROM stall');
RESET statement_timeout;
SELECT is((SELECT code || ' ' || coalesce(message, '') FROM outcome WHERE label = 'stall timeout'),
          '57014 canceling statement due to statement timeout',
          'statement_timeout stops a scan waiting for its next row');
SELECT cmp_ok(pg_temp.seconds('stall timeout'), '<', 3.0, 'the stalled scan stopped within 3 s');
SELECT is(pg_temp.wait_mysql('stall gone', 3306, pg_temp.running_sql(:tid, 'stall'), '0', 5), '0',
          'the stalled query is gone from the MariaDB process list');
SELECT is((SELECT string_agg(label, ',' ORDER BY id) FROM small), 'one,two,three',
          'the same backend queries through the wrapper after the stalled scan was stopped');
SELECT diag(format('stall: stopped after %s s; MariaDB thread %s idle again after %s s of polling; cached connection %s',
                   round(pg_temp.seconds('stall timeout'), 3), :tid,
                   round((SELECT seconds FROM waited WHERE label = 'stall gone'), 3),
                   CASE WHEN pg_temp.cached_thread() = :tid THEN 'kept' ELSE 'replaced' END));

-- 4. pg_cancel_backend from a second session. A background job waits until this
-- backend is active on the marked statement and MariaDB runs its remote query,
-- then cancels (only that statement) and records when.
SELECT count(*) FROM small \g /dev/null
SELECT pg_temp.cached_thread() AS tid \gset
\set canceller_out /tmp/minibar_migrate_tap/mysql_cancel_:mypid.out
\set canceller `rm -f :'canceller_out'; ( end=$(($(date +%s) + 15)); seen=no; while [ "$(date +%s)" -lt "$end" ]; do a=$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE pid = :mypid AND state = 'active' AND query LIKE '%tap_second_session%'" 2>&1); r=$(MYSQL_PWD=minibar mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P 3306 -u minibar -N -B -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = :tid AND INFO LIKE '%sleeper%'" 2>&1); if [ "$a" = 1 ] && [ "$r" = 1 ]; then seen=yes; break; fi; sleep 0.05; done; if [ "$seen" = yes ]; then psql -X -At -d postgres -c "SELECT 'sent', clock_timestamp(), pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid = :mypid AND state = 'active' AND query LIKE '%tap_second_session%'"; else echo "not seen: pg_stat_activity=$a processlist=$r"; fi ) </dev/null >:'canceller_out' 2>&1 & echo started`
SET statement_timeout = '20s';  -- a safety net only: the canceller acts long before
SELECT pg_temp.run_capture('second session', 'SELECT s FROM sleeper /* tap_second_session */');
RESET statement_timeout;
-- The canceller's report: "sent|<time>|t".
CREATE FUNCTION pg_temp.canceller_report(path text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
  r text;
BEGIN
  LOOP
    r := pg_read_file(path, 0, 10000, true);
    EXIT WHEN r LIKE '%' || E'\n' OR clock_timestamp() > t0 + interval '10 seconds';
    PERFORM pg_sleep(0.05);
  END LOOP;
  RETURN rtrim(r, E'\n');
END $$;
SELECT pg_temp.canceller_report(:'canceller_out') AS canceller_report \gset
SELECT is(:'canceller'::text, 'started', 'the canceller job started');
SELECT is(split_part(:'canceller_report', '|', 1) || '|' || split_part(:'canceller_report', '|', 3), 'sent|t',
          'the second session saw the remote query running and sent pg_cancel_backend');
SELECT is((SELECT code || ' ' || coalesce(message, '') FROM outcome WHERE label = 'second session'),
          '57014 canceling statement due to user request',
          'pg_cancel_backend from another session stops the scan');
SELECT cmp_ok((SELECT extract(epoch FROM finished - split_part(:'canceller_report', '|', 2)::timestamptz)
                 FROM outcome WHERE label = 'second session'),
              '<', 2.0, 'the scan ended within 2 s of the cancel request');
SELECT is(pg_temp.wait_mysql('second gone', 3306, pg_temp.running_sql(:tid, 'sleeper'), '0', 5), '0',
          'the canceled SLEEP query is gone from the MariaDB process list');
SELECT is((SELECT string_agg(label, ',' ORDER BY id) FROM small), 'one,two,three',
          'the same backend queries through the wrapper after the cancel');
SELECT diag(format('second session: canceled at %s, scan ended %s s later; MariaDB thread %s idle after %s s of polling; cached connection %s',
                   split_part(:'canceller_report', '|', 2),
                   round((SELECT extract(epoch FROM finished - split_part(:'canceller_report', '|', 2)::timestamptz)
                            FROM outcome WHERE label = 'second session'), 3),
                   :tid, round((SELECT seconds FROM waited WHERE label = 'second gone'), 3),
                   CASE WHEN pg_temp.cached_thread() = :tid THEN 'kept' ELSE 'replaced' END));

-- The backend survived all of it, and its cached connection is usable.
SELECT is((SELECT count(*) FROM pg_stat_activity WHERE pid = :mypid), 1::bigint, 'backend alive');
SELECT is((SELECT count(*) FROM minibar_migrate.mysql_connections()
            WHERE server_name = 'tap_mysql_cancel' AND valid AND NOT busy), 1::bigint,
          'one valid, idle cached connection to the server');

-- 5. statement_timeout stops migrate_table in the middle of its bulk load: the
-- remote query is killed, and the call leaves no table and no run behind.
SELECT count(*) FROM small \g /dev/null
SELECT pg_temp.cached_thread() AS tid \gset
DROP TABLE IF EXISTS public.tap_cancel_copy;
SET statement_timeout = '1s';
SELECT pg_temp.run_capture('migrate timeout',
  $$SELECT * FROM minibar_migrate.migrate_table('tap_mysql_cancel', 'big', 'public.tap_cancel_copy')$$);
RESET statement_timeout;
SELECT is((SELECT code || ' ' || coalesce(message, '') FROM outcome WHERE label = 'migrate timeout'),
          '57014 canceling statement due to statement timeout',
          'statement_timeout stops migrate_table of a 2M-row table');
SELECT cmp_ok(pg_temp.seconds('migrate timeout'), '<', 3.5, 'migrate_table stopped within 3.5 s (timeout 1 s)');
SELECT is(pg_temp.wait_mysql('migrate gone', 3306, pg_temp.running_sql(:tid, 'big'), '0', 5), '0',
          'the migration''s remote SELECT is gone from the MariaDB process list');
SELECT is(to_regclass('public.tap_cancel_copy'), NULL, 'no half-written target table is left behind');
SELECT is((SELECT string_agg(label, ',' ORDER BY id) FROM small), 'one,two,three',
          'the same backend queries through the wrapper after the cancelled migration');
SELECT diag(format('migrate_table: stopped after %s s; MariaDB thread %s idle again after %s s of polling',
                   round(pg_temp.seconds('migrate timeout'), 3), :tid,
                   round((SELECT seconds FROM waited WHERE label = 'migrate gone'), 3)));

SELECT * FROM finish();
\! rm -f /tmp/minibar_migrate_tap/mysql_cancel_*.out
DROP SCHEMA tap_mysql_cancel CASCADE;
DROP SERVER tap_mysql_cancel CASCADE;

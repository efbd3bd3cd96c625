-- Cancel and statement_timeout stop a running minibar_mysql scan promptly, the
-- query is stopped on the MariaDB side too (KILL QUERY), and the backend keeps
-- working through the wrapper afterwards. Runs against the system MariaDB on
-- 127.0.0.1:3306 (user minibar), database minibar_tap_cancel, which is created
-- here (the 2,000,000-row table only when it is not already complete).
\ir include/helpers.sql
\set fixture_load `mariadb -e "CREATE DATABASE IF NOT EXISTS minibar_tap_cancel; CREATE OR REPLACE VIEW minibar_tap_cancel.sleeper AS SELECT SLEEP(30) AS s; CREATE OR REPLACE VIEW minibar_tap_cancel.stall AS SELECT seq AS n, REPEAT('x', 1000) AS pad, IF(seq = 200, SLEEP(30), 0) AS z FROM minibar_tap_cancel.seq_1_to_300; CREATE TABLE IF NOT EXISTS minibar_tap_cancel.small (id INT PRIMARY KEY, label VARCHAR(20)); INSERT IGNORE INTO minibar_tap_cancel.small VALUES (1, 'one'), (2, 'two'), (3, 'three');" 2>&1 && n=$(mariadb -N -B -e "SELECT COUNT(*) FROM minibar_tap_cancel.big" 2>/dev/null); if [ "$n" != 2000000 ]; then mariadb -e "DROP TABLE IF EXISTS minibar_tap_cancel.big; CREATE TABLE minibar_tap_cancel.big (id INT PRIMARY KEY, pad VARCHAR(200) NOT NULL) ENGINE=InnoDB; INSERT INTO minibar_tap_cancel.big SELECT seq, REPEAT(CHAR(65 + seq % 26), 150) FROM minibar_tap_cancel.seq_1_to_2000000;" 2>&1; fi && echo loaded`
SET client_min_messages = warning;
SET jit = off;  -- no compile time inside the measured windows
DROP SCHEMA IF EXISTS tap_mysql_cancel CASCADE;
DROP SERVER IF EXISTS tap_mysql_cancel CASCADE;
CALL pg_temp.mysql_server('tap_mysql_cancel', 'minibar_tap_cancel', '{"connect_timeout": "5"}');
CREATE SCHEMA tap_mysql_cancel;
IMPORT FOREIGN SCHEMA minibar_tap_cancel FROM SERVER tap_mysql_cancel INTO tap_mysql_cancel;
SET search_path = tap_mysql_cancel, public;

-- How each interrupted statement ended (pgTAP's throws_ok cannot record it:
-- WHEN OTHERS does not catch query_canceled), and MariaDB's view.
\ir include/mysql_probe.sql
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

SELECT plan(31);

SELECT is(:'fixture_load'::text, 'loaded', 'fixture database minibar_tap_cancel is ready on MariaDB');

-- 1.-3. statement_timeout stops a remote statement: 1. one that sleeps without
-- returning a row; 2. a scan that is streaming rows of a 2,000,000-row table;
-- 3. a scan waiting for the next row: the view sends 199 rows of 1 kB at once,
-- then sleeps 30 s before row 200. Each case's steps run at top level (\gexec):
-- statement_timeout must be set outside the statement it stops.
CREATE TEMP TABLE timeout_case (obj text PRIMARY KEY, q text, d_stops text, d_within text, d_gone text, d_after text);
INSERT INTO timeout_case VALUES
  ('sleeper', 'SELECT s FROM sleeper',
   'statement_timeout stops a scan of a MySQL view running SLEEP(30)',
   'it stopped within 3 s of starting (timeout 500 ms)',
   'the SLEEP query is gone from the MariaDB process list',
   'the same backend queries through the wrapper after the timeout'),
  ('big', 'SELECT sum(length(pad)) FROM big',
   'statement_timeout stops a streaming scan of a 2M-row table',
   'the streaming scan stopped within 3 s',
   'the streaming query is gone from the MariaDB process list',
   'the same backend queries through the wrapper after the streaming scan was stopped'),
  ('stall', 'SELECT sum(z), sum(length(pad)) FROM stall',
   'statement_timeout stops a scan waiting for its next row',
   'the stalled scan stopped within 3 s',
   'the stalled query is gone from the MariaDB process list',
   'the same backend queries through the wrapper after the stalled scan was stopped');
-- The statements of one case, in order; tap.tid is the cached connection's MariaDB thread.
CREATE FUNCTION pg_temp.timeout_steps(o text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE c timeout_case;
BEGIN
  SELECT * INTO c FROM timeout_case WHERE obj = o;
  RETURN NEXT $s$DO $d$ BEGIN PERFORM count(*) FROM tap_mysql_cancel.small;
                          PERFORM set_config('tap.tid', pg_temp.cached_thread()::text, false); END $d$$s$;
  RETURN NEXT $s$SET statement_timeout = '500ms'$s$;
  RETURN NEXT format('SELECT pg_temp.run_capture(%L, %L)', o || ' timeout', c.q);
  RETURN NEXT 'RESET statement_timeout';
  RETURN NEXT format($s$SELECT is((SELECT code || ' ' || coalesce(message, '') FROM outcome WHERE label = %L),
                                  '57014 canceling statement due to statement timeout', %L)$s$, o || ' timeout', c.d_stops);
  RETURN NEXT format($s$SELECT cmp_ok(pg_temp.seconds(%L), '<', 3.0, %L)$s$, o || ' timeout', c.d_within);
  RETURN NEXT format($s$SELECT is(pg_temp.wait_mysql(%L, 3306, pg_temp.running_sql(current_setting('tap.tid')::bigint, %L),
                                                     '0', 5), '0', %L)$s$, o || ' gone', o, c.d_gone);
  RETURN NEXT format($s$SELECT is((SELECT string_agg(label, ',' ORDER BY id) FROM small), 'one,two,three', %L)$s$,
                     c.d_after);
  RETURN NEXT format($s$SELECT diag(format('%s: stopped after %%s s; MariaDB thread %%s idle again after %%s s of polling; cached connection %%s',
                   round(pg_temp.seconds(%L), 3), current_setting('tap.tid'),
                   round((SELECT seconds FROM waited WHERE label = %L), 3),
                   CASE WHEN pg_temp.cached_thread() = current_setting('tap.tid')::bigint THEN 'kept' ELSE 'replaced' END))$s$,
                     o, o || ' timeout', o || ' gone');
END $f$;
SELECT pg_temp.timeout_steps('sleeper') \gexec
SELECT pg_temp.timeout_steps('big') \gexec
-- The whole table still streams to the end on the same backend.
SELECT is((SELECT count(*) FROM big), 2000000::bigint, 'a full scan of the big table completes afterwards');
SELECT pg_temp.timeout_steps('stall') \gexec

-- 3b. preflight streams every row of a table through the migration's reader:
-- statement_timeout stops it in the middle of that scan, before it would
-- have finished, and the MariaDB query goes away too.
DROP SERVER IF EXISTS tap_mysql_cancel_pf CASCADE;
CALL pg_temp.mysql_server('tap_mysql_cancel_pf', 'minibar_tap_cancel', '{"connect_timeout": "5"}');
SELECT pg_temp.run_capture('preflight full', $$SELECT count(*) FROM minibar_migrate.preflight('tap_mysql_cancel_pf', '{"tables": ["big"]}')$$);
SELECT thread_id AS pf_tid FROM minibar_migrate.mysql_connections() WHERE server_name = 'tap_mysql_cancel_pf' \gset
SET statement_timeout = '1s';
SELECT pg_temp.run_capture('preflight timeout', $$SELECT count(*) FROM minibar_migrate.preflight('tap_mysql_cancel_pf', '{"tables": ["big"]}')$$);
RESET statement_timeout;
SELECT is((SELECT code || ' ' || coalesce(message, '') FROM outcome WHERE label = 'preflight timeout'),
          '57014 canceling statement due to statement timeout',
          'statement_timeout stops preflight while it streams a 2M-row table through the migration''s reader');
SELECT cmp_ok(pg_temp.seconds('preflight timeout'), '<', pg_temp.seconds('preflight full'),
              'it stopped before the whole scan would have finished');
SELECT is(pg_temp.wait_mysql('preflight gone', 3306, pg_temp.running_sql(:pf_tid, 'big'), '0', 5), '0',
          'the preflight''s read of the big table is gone from the MariaDB process list');
SELECT is((SELECT string_agg(label, ',' ORDER BY id) FROM small), 'one,two,three',
          'the same backend queries through the wrapper after preflight was stopped');
SELECT diag(format('preflight: a full run over the 2M-row table took %s s; with a 1 s timeout it stopped after %s s; MariaDB thread %s idle again after %s s of polling',
                   round(pg_temp.seconds('preflight full'), 3), round(pg_temp.seconds('preflight timeout'), 3), :pf_tid,
                   round((SELECT seconds FROM waited WHERE label = 'preflight gone'), 3)));
DROP SERVER tap_mysql_cancel_pf CASCADE;

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
CREATE FUNCTION pg_temp.canceller_report(path text) RETURNS text LANGUAGE sql AS $f$
  SELECT rtrim(pg_temp.wait_for(format('SELECT pg_read_file(%L, 0, 10000, true)', path),
                                $c$$1 LIKE '%' || E'\n'$c$, 10), E'\n')
$f$;
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

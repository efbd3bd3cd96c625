-- Run integrity: a failed run leaves a table that existed before as it was;
-- a second run into a schema while one runs gets a clear error (55006); a
-- target dropped during the copy is an error naming it; a resumed run ends
-- with the source's rows, or says which chunks are stale.
-- Source: MariaDB database minibar_tap_integ_runs made here: t (200,000 rows,
-- INT key: 200 chunks of 1,000; changed before section 5's resume), k (500,000 rows of 100 bytes, no key), s (10 rows, INT key),
-- r (400,000 rows, INT key: 20 chunks of 20,000; changed between a failed run and its resume).
-- Second sessions (a MariaDB connection killer, a concurrent run, a DROP) run
-- in the background and are waited for by polling, never for a fixed time.
\ir include/helpers.sql
\set my_load `mariadb -uroot -e "DROP DATABASE IF EXISTS minibar_tap_integ_runs; CREATE DATABASE minibar_tap_integ_runs; USE minibar_tap_integ_runs; CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL) ENGINE=InnoDB; INSERT INTO t SELECT seq, CONCAT('t-', seq) FROM seq_1_to_200000; CREATE TABLE k (v INT NOT NULL, pad VARCHAR(100) NOT NULL) ENGINE=InnoDB; INSERT INTO k SELECT seq, REPEAT('k', 100) FROM seq_1_to_500000; CREATE TABLE s (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB; INSERT INTO s SELECT seq, CONCAT('s', seq) FROM seq_1_to_10; CREATE TABLE r (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL) ENGINE=InnoDB; INSERT INTO r SELECT seq, CONCAT('r-', seq) FROM seq_1_to_400000; ANALYZE TABLE t, k, s, r" 2>&1 >/dev/null && echo loaded`
SELECT pg_backend_pid() AS mypid \gset
SELECT current_database() AS db \gset
\set out_prefix /tmp/minibar_migrate_tap/integ_runs_:mypid

SET client_min_messages = warning;
CALL pg_temp.drop_leftovers('{tap_ir,tap_ir_c,tap_ir_d,tap_ir_r,tap_ir_e}', '{tap_ir}');
CALL pg_temp.mysql_server('tap_ir', 'minibar_tap_integ_runs');
CREATE SCHEMA tap_ir;
CREATE SCHEMA tap_ir_c;
CREATE SCHEMA tap_ir_d;
CREATE SCHEMA tap_ir_r;
CREATE SCHEMA tap_ir_e;
-- Existing targets, each with rows of its own.
CREATE TABLE tap_ir.k (v int NOT NULL, pad text NOT NULL);
INSERT INTO tap_ir.k VALUES (-1, 'old'), (-2, 'old'), (-3, 'old');
CREATE TABLE tap_ir.t (id int PRIMARY KEY, v text NOT NULL);
INSERT INTO tap_ir.t VALUES (-1, 'old');
CREATE TABLE tap_ir.s (id int PRIMARY KEY, v text);
INSERT INTO tap_ir.s VALUES (0, 'old');
CREATE TABLE tap_ir_e.t (id int PRIMARY KEY, v text NOT NULL);
INSERT INTO tap_ir_e.t VALUES (-1, 'old');

CREATE TABLE pg_temp.outcome (label text PRIMARY KEY, code text, message text, hint text);
CREATE FUNCTION pg_temp.run_capture(label text, q text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE c text; m text; h text;
BEGIN
  BEGIN
    EXECUTE q;
    c := '00000';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS c = RETURNED_SQLSTATE, m = MESSAGE_TEXT, h = PG_EXCEPTION_HINT;
  END;
  INSERT INTO pg_temp.outcome VALUES (label, c, m, h);
END $$;
CREATE FUNCTION pg_temp.fingerprint(t regclass) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE format('SELECT count(*) || ''/'' || coalesce(md5(string_agg(x::text, '','' ORDER BY x::text)), '''') FROM %s x', t) INTO r;
  RETURN r;
END $$;
CREATE FUNCTION pg_temp.wait_running(schema text, timeout_s numeric) RETURNS bigint LANGUAGE sql AS $$
  SELECT pg_temp.wait_for(format($q$SELECT max(run_id) FROM minibar_migrate.runs
      WHERE target_schema = %L AND status = 'running'
        AND EXISTS (SELECT 1 FROM minibar_migrate.run_tasks k
                     WHERE k.run_id = runs.run_id AND k.kind = 'copy' AND k.state = 'done')$q$, schema),
                          '$1 IS NOT NULL', timeout_s, 0.02)::bigint
$$;

SELECT plan(46);
SELECT is(:'my_load'::text, 'loaded', 'MariaDB fixture minibar_tap_integ_runs loaded');

-- ------------------------------------------- 1. failed runs into existing tables
SELECT pg_temp.fingerprint('tap_ir.k') AS k_before \gset
SELECT pg_temp.fingerprint('tap_ir.t') AS t_before \gset

-- Workers asked for, no resume: refused before anything is loaded.
SELECT pg_temp.run_capture('workers into existing',
  $$SELECT * FROM minibar_migrate.migrate_table('tap_ir', 't', 'tap_ir.t', '{"if_exists": "append", "workers": 2, "chunk_size": 1000}')$$);
SELECT is((SELECT code FROM pg_temp.outcome WHERE label = 'workers into existing'), '0A000',
          'workers 2 into an existing table without resume: refused (0A000)');
SELECT ok((SELECT message LIKE '%"tap_ir"."t" exists%' AND hint LIKE '%"workers": 0%' AND hint LIKE '%"resume": true%'
             FROM pg_temp.outcome WHERE label = 'workers into existing'),
          'the error names the table and the hint gives both ways');
SELECT is(pg_temp.fingerprint('tap_ir.t'), :'t_before', 'the table is as it was');
SELECT is((SELECT status FROM minibar_migrate.runs WHERE target_schema = 'tap_ir' ORDER BY run_id DESC LIMIT 1),
          NULL, 'no run was recorded (the plan was refused in its transaction)');

-- Workers not asked for (the default), outside a transaction block: the run
-- goes in this session, and its MariaDB connection killed mid-copy (once 1 to
-- 150,000 of 500,000 rows are copied: the kill itself takes a while on a busy
-- machine, and must land before the copy ends) leaves the
-- keyless table exactly as it was.
\set killer_out :out_prefix.killer
\set killer `rm -f :'killer_out'; ( end=$(($(date +%s) + 30)); seen=no; while [ "$(date +%s)" -lt "$end" ]; do n=$(psql -X -At -d :'db' -c "SELECT count(*) FROM pg_stat_progress_copy WHERE pid = :mypid AND tuples_processed BETWEEN 1 AND 150000" 2>&1); if [ "$n" = 1 ]; then for id in $(mariadb -uroot -N -B -e "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'minibar' AND DB = 'minibar_tap_integ_runs'" 2>&1); do mariadb -uroot -e "KILL CONNECTION $id" 2>&1 && seen=yes; done; [ "$seen" = yes ] && break; fi; sleep 0.01; done; echo "$seen" ) </dev/null >:'killer_out' 2>&1 & echo started`
SELECT pg_temp.run_capture('killed mid-copy',
  $$SELECT * FROM minibar_migrate.migrate_table('tap_ir', 'k', 'tap_ir.k', '{"if_exists": "append"}')$$);
SELECT is(pg_temp.read_report(:'killer_out', 30), 'yes', 'the copy''s MariaDB connection was killed mid-copy');
SELECT isnt((SELECT code FROM pg_temp.outcome WHERE label = 'killed mid-copy'), '00000', 'the run failed');
SELECT is(pg_temp.fingerprint('tap_ir.k'), :'k_before', 'the existing keyless table is exactly as before the run');
SELECT is((SELECT count(*) FROM minibar_migrate.runs WHERE target_schema = 'tap_ir' AND status IN ('running', 'failed')),
          0::bigint, 'no unfinished run is left');
-- Again, with nothing killed: exactly the source's rows are added, once.
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_ir', 'k', 'tap_ir.k', '{"if_exists": "append"}')), 500000::bigint,
          'the repeated call copies the 500,000 rows');
SELECT is((SELECT count(*) || '/' || count(DISTINCT v) FROM tap_ir.k), '500003/500003',
          'the table holds its 3 rows and each source row once');

-- A resumable run into an existing table: rollback() says how many rows stay.
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_ir', 's', 'tap_ir.s', '{"if_exists": "append", "workers": 1, "resume": true}')),
          10::bigint, 'a resumable run with workers into an existing table loads it');
SELECT max(run_id) AS s_run FROM minibar_migrate.runs WHERE target_schema = 'tap_ir' \gset
SELECT results_eq(format('SELECT kind, object FROM minibar_migrate.rollback(%s)', :s_run),
                  $$VALUES ('rows'::text, '10 rows the run loaded stay in "tap_ir"."s" (the table existed before the run)'::text)$$,
                  'rollback() of it counts the rows that stay in the existing table');

-- A resumable run with workers into an existing table, stopped: the error
-- says how many rows of its committed chunks are in that table.
\set kill2_out :out_prefix.kill2
\set killer3 `test/scripts/migrate_workers.sh kill :'db' tap_ir one :'kill2_out' 30 </dev/null >/dev/null 2>&1 & echo started`
SELECT pg_temp.run_capture('resumable existing stopped',
  $$SELECT * FROM minibar_migrate.migrate_table('tap_ir', 't', 'tap_ir.t', '{"if_exists": "append", "workers": 1, "chunk_size": 1000, "resume": true}')$$);
SELECT matches(pg_temp.read_report(:'kill2_out', 30), '^killed\|', 'its worker was terminated after a committed chunk');
SELECT ok((SELECT hint ~ (' ' || (SELECT count(*) - 1 FROM tap_ir.t) || ' rows of its committed chunks are in "tap_ir"."t", which existed before the run')
             FROM pg_temp.outcome WHERE label = 'resumable existing stopped'),
          'the error''s hint counts the rows its committed chunks left in the existing table');
SELECT max(run_id) AS t_run FROM minibar_migrate.runs WHERE target_schema = 'tap_ir' \gset
SELECT is((SELECT count(*) FROM minibar_migrate.rollback(:t_run) WHERE kind = 'rows'), 1::bigint,
          'rollback() of it reports the rows that stay');

-- ------------------------------------------------- 2. one run per target schema
\set conc_out :out_prefix.conc
\set conc `rm -f :'conc_out'; ( PGOPTIONS='-c client_min_messages=warning' psql -X -At -d :'db' -c "SELECT rows_copied FROM minibar_migrate.migrate_table('tap_ir', 't', 'tap_ir_c.t', '{\"if_exists\": \"append\", \"workers\": 1, \"chunk_size\": 1000}')" > :'conc_out'.part 2>&1; echo "exit $?" >> :'conc_out'.part; mv :'conc_out'.part :'conc_out' ) </dev/null >/dev/null 2>&1 & echo started`
SELECT pg_temp.wait_running('tap_ir_c', 30) AS conc_run \gset
SELECT isnt(:'conc_run'::text, '', 'a run into tap_ir_c is running in another session');
SELECT pg_temp.run_capture('second run',
  $$SELECT * FROM minibar_migrate.migrate_table('tap_ir', 't', 'tap_ir_c.t', '{"if_exists": "append", "workers": 0}')$$);
SELECT is((SELECT code FROM pg_temp.outcome WHERE label = 'second run'), '55006',
          'a second run into the same schema: 55006');
SELECT ok((SELECT message LIKE '%"tap_ir_c"%run ' || :'conc_run' || '%' FROM pg_temp.outcome WHERE label = 'second run'),
          'the error names the schema and the running run');
SELECT is(pg_temp.read_report(:'conc_out', 60), E'200000\nexit 0', 'the first run ends well');
SELECT is((SELECT count(*) FROM tap_ir_c.t), 200000::bigint, 'its target holds the source''s rows once');

-- ------------------------------------------- 3. target dropped during the copy
\set drop_out :out_prefix.drop
\set dropper `rm -f :'drop_out'; ( end=$(($(date +%s) + 30)); seen=no; while [ "$(date +%s)" -lt "$end" ]; do n=$(psql -X -At -d :'db' -c "SELECT count(*) FROM pg_stat_progress_copy p JOIN minibar_migrate.run_tasks k ON true JOIN minibar_migrate.runs r USING (run_id) WHERE p.relid = to_regclass('tap_ir_d.t') AND r.status = 'running' AND k.kind = 'copy' AND k.state = 'done' AND r.target_schema = 'tap_ir_d'" 2>&1); if [ "$n" != "" ] && [ "$n" != 0 ]; then psql -X -d :'db' -qc "DROP TABLE tap_ir_d.t" 2>&1; seen=yes; break; fi; sleep 0.02; done; echo "$seen" ) </dev/null >:'drop_out' 2>&1 & echo started`
SELECT pg_temp.run_capture('dropped',
  $$SELECT * FROM minibar_migrate.migrate_table('tap_ir', 't', 'tap_ir_d.t', '{"if_exists": "append", "workers": 1, "chunk_size": 1000}')$$);
SELECT is(pg_temp.read_report(:'drop_out', 30), 'yes', 'the target was dropped while a chunk was being copied');
SELECT is((SELECT code FROM pg_temp.outcome WHERE label = 'dropped'), '42P01', 'the run fails with 42P01');
SELECT ok((SELECT message LIKE '%"tap_ir_d"."t"%' AND message NOT LIKE '%OID%' FROM pg_temp.outcome WHERE label = 'dropped'),
          'the error names the dropped table');
SELECT is((SELECT status FROM minibar_migrate.runs WHERE target_schema = 'tap_ir_d' ORDER BY run_id DESC LIMIT 1),
          'rolled back', 'the run was rolled back');

-- ------------------------------- 4. resume after the source changed
-- A resumable run stopped (a worker terminated after a committed chunk); then
-- rows are deleted and updated in every chunk; the resumed run must end with
-- the source's rows as they are now, and say so in its counts.
\set kill_out :out_prefix.kill
\set killer2 `test/scripts/migrate_workers.sh kill :'db' tap_ir_r one :'kill_out' 30 </dev/null >/dev/null 2>&1 & echo started`
SELECT pg_temp.run_capture('resumable stopped',
  $$SELECT * FROM minibar_migrate.migrate_table('tap_ir', 'r', 'tap_ir_r.r', '{"if_exists": "append", "workers": 2, "chunk_size": 20000, "resume": true}')$$);
SELECT matches(pg_temp.read_report(:'kill_out', 30), '^killed\|', 'a worker was terminated after a committed chunk');
SELECT is((SELECT status FROM minibar_migrate.runs WHERE target_schema = 'tap_ir_r' ORDER BY run_id DESC LIMIT 1),
          'failed', 'the resumable run failed and kept its committed chunks');
SELECT cmp_ok((SELECT count(*) FROM tap_ir_r.r), '>', 0::bigint, 'committed chunks are in the target');
-- The run's target renamed since: resume refuses to load it under its new name.
ALTER TABLE tap_ir_r.r RENAME TO r_moved;
SELECT pg_temp.run_capture('resumed renamed',
  $$SELECT * FROM minibar_migrate.migrate_table('tap_ir', 'r', 'tap_ir_r.r', '{"if_exists": "append", "workers": 2, "chunk_size": 20000, "resume": true}')$$);
SELECT ok((SELECT code = '55000' AND message LIKE '%"tap_ir_r"."r" of run % is now "tap_ir_r"."r_moved"%'
             FROM pg_temp.outcome WHERE label = 'resumed renamed'),
          'resume with the target renamed since: refused (55000), naming the table then and now');
ALTER TABLE tap_ir_r.r_moved RENAME TO r;
\set changed `mariadb -uroot minibar_tap_integ_runs -e "DELETE FROM r WHERE id % 1000 = 7; UPDATE r SET v = CONCAT('changed-', id) WHERE id % 1000 = 11" 2>&1 && echo changed`
SELECT is(:'changed'::text, 'changed', 'the source changed in every chunk: 400 rows deleted, 400 updated');
\set src_r `mariadb -uroot -N -B -r minibar_tap_integ_runs -e "SET SESSION group_concat_max_len = 67108864; SELECT CONCAT(COUNT(*), '/', MD5(GROUP_CONCAT(CONCAT(id, ':', v) ORDER BY id SEPARATOR ','))) FROM r"`
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_ir', 'r', 'tap_ir_r.r', '{"if_exists": "append", "workers": 2, "chunk_size": 20000, "resume": true}')),
          399600::bigint, 'the resumed run reports the 399,600 rows the source holds now');
SELECT is((SELECT count(*) || '/' || md5(string_agg(id || ':' || v, ',' ORDER BY id)) FROM tap_ir_r.r), :'src_r'::text,
          'the target equals the source as of the resumed run (count and md5 of every row)');
SELECT is((SELECT rows_source || '/' || rows_copied FROM minibar_migrate.run_tables
            WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.runs WHERE target_schema = 'tap_ir_r')),
          '399600/399600', 'run_tables counts are the source''s as of the resumed run');
SELECT ok((SELECT count(*) > 0 FROM minibar_migrate.run_notes
            WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.runs WHERE target_schema = 'tap_ir_r')
              AND kind = 'resume' AND detail LIKE 'changed in the source since it was copied%copied again%'),
          'a note names each chunk copied again');

-- ---------------- 5. resume into a table that existed before, after the source changed
-- A resumable run into an existing table (with a row of its own) is stopped
-- after a committed chunk; then a row changes in every chunk of the source.
-- The resumed run cannot copy the committed chunks again (their rows cannot
-- be told from the table's own), so it must not end as plain 'done': it is
-- done with exactly those chunks stale, listed by run_report, counted in
-- runs.stale_chunks and named in a WARNING to the caller.
\set kill3_out :out_prefix.kill3
\set killer4 `test/scripts/migrate_workers.sh kill :'db' tap_ir_e one :'kill3_out' 30 </dev/null >/dev/null 2>&1 & echo started`
SELECT pg_temp.run_capture('existing resumable stopped',
  $$SELECT * FROM minibar_migrate.migrate_table('tap_ir', 't', 'tap_ir_e.t', '{"if_exists": "append", "workers": 1, "chunk_size": 1000, "resume": true}')$$);
SELECT matches(pg_temp.read_report(:'kill3_out', 30), '^killed\|', 'the run into the existing table was stopped after a committed chunk');
SELECT max(run_id) AS e_run FROM minibar_migrate.runs WHERE target_schema = 'tap_ir_e' \gset
SELECT count(*) AS e_done FROM minibar_migrate.run_tasks WHERE run_id = :e_run AND kind = 'copy' AND state = 'done' \gset
SELECT is((SELECT status FROM minibar_migrate.runs WHERE run_id = :e_run), 'failed', 'it failed and kept its committed chunks');
\set changed_t `mariadb -uroot minibar_tap_integ_runs -e "UPDATE t SET v = CONCAT('changed-', id) WHERE id % 1000 = 11" 2>&1 && echo changed`
SELECT is(:'changed_t'::text, 'changed', 'the source changed in every chunk of t: 200 rows updated');
-- Resumed in another session, so that its WARNING can be read.
\set resumed `psql -X -At -d :'db' -c "SELECT rows_copied FROM minibar_migrate.migrate_table('tap_ir', 't', 'tap_ir_e.t', '{\"if_exists\": \"append\", \"workers\": 1, \"chunk_size\": 1000, \"resume\": true}')" 2>&1`
SELECT matches(:'resumed'::text, E'\\n200000$', 'the resumed run finishes (rows_copied 200000)');
SELECT is((SELECT status || ' ' || stale_chunks FROM minibar_migrate.runs WHERE run_id = :e_run),
          'done ' || :e_done, 'the run is done with one stale chunk per chunk committed before the stop');
SELECT matches(:'resumed'::text, 'WARNING:  run ' || :e_run || ' is done with ' || :e_done || ' stale chunk\(s\)',
               'the caller gets a WARNING that counts the stale chunks');
SELECT is((SELECT count(*) FROM minibar_migrate.run_report(:e_run)
            WHERE line = 'stale' AND source_table = 't' AND target_table = '"tap_ir_e"."t"'
              AND notes[1] ~ '^the chunk ([0-9]+ <= )?id( < [0-9]+)?: '),
          :e_done::bigint, 'run_report has a stale line per such chunk, with its key range');
SELECT ok(minibar_migrate.run_report_text(:e_run) LIKE '%done with ' || :e_done || ' stale chunk(s)%',
          'run_report_text says so in its first line');
-- The report is exact: the rows the target lacks are the changed rows of the
-- stale chunks, and nothing else is stale.
-- Chunks are key ranges of about chunk_size rows (their bounds follow the
-- source's row estimate), so a stale chunk may hold zero, one or two of the
-- changed rows: count the changed rows inside the stale chunks' ranges.
SELECT count(*) AS e_stale_rows FROM tap_ir_e.t x WHERE x.id % 1000 = 11 AND x.id > 0
   AND EXISTS (SELECT 1 FROM minibar_migrate.run_tasks k
                WHERE k.run_id = :e_run AND k.stale IS NOT NULL
                  AND x.id >= coalesce(k.key_lo, x.id) AND x.id < coalesce(k.key_hi, x.id + 1)) \gset
SELECT is((SELECT count(*) FROM tap_ir_e.t WHERE id % 1000 = 11 AND v NOT LIKE 'changed-%'),
          :e_stale_rows::bigint, 'the target lacks the change of exactly the changed rows of the stale chunks');
SELECT is((SELECT count(*) FROM tap_ir_e.t x WHERE x.id % 1000 = 11 AND x.v NOT LIKE 'changed-%'
              AND EXISTS (SELECT 1 FROM minibar_migrate.run_tasks k
                           WHERE k.run_id = :e_run AND k.stale IS NOT NULL
                             AND x.id >= coalesce(k.key_lo, x.id) AND x.id < coalesce(k.key_hi, x.id + 1))),
          (SELECT count(*) FROM tap_ir_e.t WHERE id % 1000 = 11 AND v NOT LIKE 'changed-%'),
          'each row without its change is in a chunk the report calls stale');
SELECT is((SELECT count(*) || '/' || count(*) FILTER (WHERE v LIKE 'changed-%') FROM tap_ir_e.t WHERE id > 0),
          '200000/' || (200 - :e_stale_rows), 'every source row is there once; the other chunks have the change');
SELECT is((SELECT v FROM tap_ir_e.t WHERE id = -1), 'old', 'the table''s own row is untouched');

SELECT * FROM finish();
\! rm -f /tmp/minibar_migrate_tap/integ_runs_*
DROP SCHEMA tap_ir CASCADE;
DROP SCHEMA tap_ir_c CASCADE;
DROP SCHEMA tap_ir_d CASCADE;
DROP SCHEMA tap_ir_r CASCADE;
DROP SCHEMA tap_ir_e CASCADE;
DROP SERVER tap_ir CASCADE;
\! mariadb -uroot -e "DROP DATABASE IF EXISTS minibar_tap_integ_runs"

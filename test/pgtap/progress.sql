-- Progress a person can trust: the caller's NOTICEs of migrate_database
-- (one per table copied, with workers 0 and with workers 2; the interval
-- NOTICE from inside a long copy), of validate_database and of preflight (one
-- per table), {"progress": false}; and the progress view: finished runs are
-- not listed, a failed run's tables are 'failed', and rates do not change
-- once a table's copies are done; a run whose caller went away is 'stopped'.
-- Each call whose NOTICEs are read runs in a second psql session (backticks,
-- client_min_messages = notice) whose output, stderr included, is parsed here.
-- The counts are compared with the source (sqlite3 client) and with what the
-- extension recorded (run_tables, validation_tables).
\ir include/helpers.sql
\set lite_db /var/lib/minibar_migrate/tap/progress.sqlite
\set lite_load `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/progress.sqlite "CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT NOT NULL); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO items SELECT i, 'item-' || i FROM n; CREATE TABLE tiny (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO tiny VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'); CREATE TABLE \"odd; name\" (id INTEGER PRIMARY KEY, d DATE); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO \"odd; name\" SELECT i, CASE WHEN i = 7 THEN '2024-02-30' ELSE '2024-01-' || printf('%02d', i % 28 + 1) END FROM n; CREATE TABLE long (id INTEGER PRIMARY KEY, v TEXT NOT NULL, d DATE, t DATETIME, r REAL); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000) INSERT INTO long SELECT i, 'long-' || i, date('2020-01-01', '+' || (i % 2000) || ' days'), datetime('2020-01-01 00:00:00', '+' || i || ' seconds'), i / 7.0 FROM n;"`
-- Source facts: rows per table, and rows with the impossible date (rejected).
\set src_rows `sqlite3 /var/lib/minibar_migrate/tap/progress.sqlite "SELECT json_object('items', (SELECT count(*) FROM items), 'tiny', (SELECT count(*) FROM tiny), 'odd; name', (SELECT count(*) FROM \"odd; name\"), 'odd; name bad', (SELECT count(*) FROM \"odd; name\" WHERE d = '2024-02-30'), 'long', (SELECT count(*) FROM long))"`
SET client_min_messages = warning;
CALL pg_temp.drop_leftovers('{tap_prog_w0,tap_prog_w2,tap_prog_quiet,tap_prog_long,tap_prog_fail,tap_prog_gone,tap_prog_my}', '{tap_prog_lite,tap_prog_my}', runs => true);
CREATE SERVER tap_prog_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');
SELECT :'src_rows'::jsonb AS src \gset

-- The NOTICEs "run N: table 'T' copied (K of M): R row(s), J rejected, S s[, X rows/s]" in out.
CREATE FUNCTION pg_temp.copied(txt text) RETURNS TABLE (at bigint, run_id bigint, tbl text, no int, of_n int, copied bigint, rejected bigint, secs numeric, rate bigint)
LANGUAGE sql AS $f$
  SELECT o, m[1]::bigint, m[2], m[3]::int, m[4]::int, m[5]::bigint, m[6]::bigint, m[7]::numeric, m[9]::bigint
    FROM regexp_split_to_table(txt, E'\n') WITH ORDINALITY AS l(line, o),
         regexp_match(line, '^NOTICE:  run ([0-9]+): table ''(.*)'' copied \(([0-9]+) of ([0-9]+)\): ([0-9]+) row\(s\), ([0-9]+) rejected, ([0-9]+\.[0-9]) s(, ([0-9]+) rows/s)?$') AS m
   WHERE m IS NOT NULL
$f$;
CREATE FUNCTION pg_temp.lines(txt text, re text) RETURNS bigint LANGUAGE sql AS $f$
  SELECT count(*) FROM regexp_split_to_table(txt, E'\n') AS l(line) WHERE line ~ re
$f$;
CREATE FUNCTION pg_temp.last_run(sch text) RETURNS bigint LANGUAGE sql AS $f$
  SELECT max(run_id) FROM minibar_migrate.runs WHERE target_schema = sch
$f$;

-- What each table's copy must say: the source's rows, less / plus the rejected.
CREATE TEMP TABLE expect_copied AS
  SELECT t AS tbl, (:'src'::jsonb ->> t)::bigint - r AS copied, r AS rejected
    FROM (VALUES ('items', 0), ('tiny', 0), ('odd; name', (:'src'::jsonb ->> 'odd; name bad')::bigint)) AS v(t, r);

SELECT plan(44);
SELECT is(:'lite_load'::text, 'ok', 'SQLite fixture written');

-- ============================================ 1. migrate_database, workers 0
\set out_w0 `PGOPTIONS='-c client_min_messages=notice' psql -X -At -d :'DBNAME' -c "SELECT count(*) FROM minibar_migrate.migrate_database('tap_prog_lite', 'tap_prog_w0', '{\"workers\": 0, \"tables\": [\"items\", \"tiny\", \"odd; name\"]}') WHERE kind = 'table'" 2>&1`
SELECT diag(:'out_w0');
CREATE TEMP TABLE w0 AS SELECT * FROM pg_temp.copied(:'out_w0');
SELECT matches(:'out_w0'::text, E'\n3$', 'workers 0: the migration of 3 tables ran in the other session');
SELECT is((SELECT string_agg(tbl, ', ' ORDER BY tbl) FROM w0), 'items, odd; name, tiny',
          'workers 0: one NOTICE "table ... copied" per table, the name quoted');
SELECT pg_temp.bag($$SELECT tbl, copied, rejected FROM w0$$,
                   $$SELECT * FROM expect_copied$$,
                   'workers 0: rows copied and rejected are the source''s (sqlite3: rows, rows with an impossible date)');
SELECT pg_temp.bag($$SELECT run_id, tbl, copied, rejected FROM w0$$,
                   $$SELECT run_id, source_table, rows_copied, rows_rejected FROM minibar_migrate.run_tables WHERE run_id = pg_temp.last_run('tap_prog_w0')$$,
                   'workers 0: each NOTICE names the run and says what run_tables recorded');
SELECT is((SELECT string_agg(no || '/' || of_n, ' ' ORDER BY at) FROM w0), '1/3 2/3 3/3',
          'workers 0: numbered 1, 2, 3 of 3 in the order they came');
SELECT is(pg_temp.lines(:'out_w0', '2024-02-30|item-'), 0::bigint, 'no NOTICE shows a row''s value');
-- {"progress": false}
\set out_quiet `PGOPTIONS='-c client_min_messages=notice' psql -X -At -d :'DBNAME' -c "SELECT count(*) FROM minibar_migrate.migrate_database('tap_prog_lite', 'tap_prog_quiet', '{\"workers\": 0, \"progress\": false, \"progress_interval\": 1, \"tables\": [\"items\", \"tiny\"]}') WHERE kind = 'table'" 2>&1`
SELECT is(:'out_quiet'::text, '2', '{"progress": false}: no NOTICE at all, only the result');

-- ============================== 2. the interval NOTICE inside a long copy, workers 0
-- One copy step of 2,000,000 rows: between steps the caller's loop has nothing
-- to say of it; a NOTICE with the copy half done comes from inside the copy.
\set out_long `PGOPTIONS='-c client_min_messages=notice' psql -X -At -d :'DBNAME' -c "SELECT count(*) FROM minibar_migrate.migrate_database('tap_prog_lite', 'tap_prog_long', '{\"workers\": 0, \"progress_interval\": 1, \"tables\": [\"long\"]}') WHERE kind = 'table'" 2>&1`
SELECT diag(:'out_long');
CREATE TEMP TABLE long_iv AS
  SELECT o AS at, m[1]::bigint AS run_id, m[2] AS state, m[3]::bigint AS done, m[4]::bigint AS estimated
    FROM regexp_split_to_table(:'out_long', E'\n') WITH ORDINALITY AS l(line, o),
         regexp_match(line, '^NOTICE:  run ([0-9]+): ''long'' ([a-z]+) ([0-9]+)/([0-9]+) rows') AS m
   WHERE m IS NOT NULL;
SELECT matches(:'out_long'::text, E'\n1$', 'the long migration ran in the other session');
SELECT cmp_ok((SELECT count(*) FROM long_iv WHERE state = 'copying' AND done > 0 AND done < (:'src'::jsonb ->> 'long')::bigint),
              '>=', 1::bigint, '{"progress_interval": 1}: NOTICEs came while the one copy step was half done');
SELECT is((SELECT count(*) FROM (SELECT done < lag(done) OVER (ORDER BY at) AS back FROM long_iv) x WHERE back), 0::bigint,
          '... their rows never go back');
SELECT is((SELECT max(estimated) FROM long_iv), (:'src'::jsonb ->> 'long')::bigint, '... and the estimate is the source''s count');
SELECT is((SELECT string_agg(line, E'\n') FROM regexp_split_to_table(:'out_long', E'\n') AS l(line)
            WHERE line ~ '^NOTICE' AND line !~ ('^NOTICE:  run ' || pg_temp.last_run('tap_prog_long') ||
              ': (''long'' (pending|copying|indexing) [0-9]+/[0-9]+ rows(, [0-9]+ rows/s)?(, ETA [0-9]+ s)?; 0 of 1 table\(s\) done'
              '|1 of 1 table\(s\) done, finishing'
              '|table ''long'' copied \(1 of 1\): [0-9]+ row\(s\), 0 rejected, [0-9]+\.[0-9] s(, [0-9]+ rows/s)?)$')),
          NULL, 'every NOTICE has the documented form');
SELECT is((SELECT copied FROM pg_temp.copied(:'out_long')), (:'src'::jsonb ->> 'long')::bigint,
          'the table''s NOTICE says 2,000,000 rows copied');

-- ============================================ 3. migrate_database, workers 2
\set out_w2 `PGOPTIONS='-c client_min_messages=notice' psql -X -At -d :'DBNAME' -c "SELECT count(*) FROM minibar_migrate.migrate_database('tap_prog_lite', 'tap_prog_w2', '{\"workers\": 2, \"chunk_size\": 1000, \"tables\": [\"items\", \"tiny\", \"odd; name\"]}') WHERE kind = 'table'" 2>&1`
SELECT diag(:'out_w2');
CREATE TEMP TABLE w2 AS SELECT * FROM pg_temp.copied(:'out_w2');
SELECT matches(:'out_w2'::text, E'\n3$', 'workers 2: the migration ran in the other session');
SELECT is((SELECT workers || '/' || (SELECT chunks FROM minibar_migrate.run_tables t WHERE t.run_id = r.run_id AND source_table = 'items')
             FROM minibar_migrate.runs r WHERE run_id = pg_temp.last_run('tap_prog_w2')), '2/3',
          'workers 2: the run had 2 workers, and items 3 chunks');
SELECT pg_temp.bag($$SELECT tbl, copied, rejected FROM w2$$,
                   $$SELECT * FROM expect_copied$$,
                   'workers 2: the caller sent one NOTICE per table, with the source''s rows (items: its 3 chunks summed)');
SELECT pg_temp.bag($$SELECT run_id, tbl, copied, rejected FROM w2$$,
                   $$SELECT run_id, source_table, rows_copied, rows_rejected FROM minibar_migrate.run_tables WHERE run_id = pg_temp.last_run('tap_prog_w2')$$,
                   'workers 2: each NOTICE names the run and says what run_tables recorded');
SELECT is((SELECT string_agg(no || '/' || of_n, ' ' ORDER BY at) FROM w2), '1/3 2/3 3/3',
          'workers 2: numbered 1, 2, 3 of 3');

-- ==================================================== 4. validate_database
-- items loses a row, tiny is dropped; "odd; name" lacks the rejected row.
DELETE FROM tap_prog_w0.items WHERE id = 1234;
DROP TABLE tap_prog_w0.tiny;
\set out_val `PGOPTIONS='-c client_min_messages=notice' psql -X -At -d :'DBNAME' -c "SELECT count(*) FROM minibar_migrate.validate_database('tap_prog_lite', 'tap_prog_w0', '{\"tables\": [\"items\", \"tiny\", \"odd; name\"]}') WHERE kind = 'table'" 2>&1`
SELECT diag(:'out_val');
CREATE TEMP TABLE val AS
  SELECT o AS at, m[1]::bigint AS validation_id, m[2] AS tbl, m[3]::int AS no, m[4] AS verdict, m[5]::bigint AS src_rows, m[6]::bigint AS tgt_rows
    FROM regexp_split_to_table(:'out_val', E'\n') WITH ORDINALITY AS l(line, o),
         regexp_match(line, '^NOTICE:  validation ([0-9]+): table ''(.*)'' \(([0-9]) of 3\): (equal|differs \([0-9]+ chunk\(s\), [0-9]+ row\(s\) found\)|not validated \([^)]*\))(?:; ([0-9]+) / ([0-9]+) rows \(source / target\))?; [0-9]+\.[0-9] s$') AS m
   WHERE m IS NOT NULL;
SELECT matches(:'out_val'::text, E'\n3$', 'validate_database ran in the other session');
SELECT results_eq($$SELECT tbl, verdict, src_rows, tgt_rows FROM val ORDER BY tbl$$,
                  format($$VALUES ('items', 'differs (1 chunk(s), 1 row(s) found)', %s::bigint, %s::bigint),
                                  ('odd; name', 'differs (1 chunk(s), 1 row(s) found)', %s, %s),
                                  ('tiny', 'not validated (no such table in the target)', NULL, NULL)$$,
                         :'src'::jsonb ->> 'items', (:'src'::jsonb ->> 'items')::int - 1,
                         :'src'::jsonb ->> 'odd; name', (:'src'::jsonb ->> 'odd; name')::int - (:'src'::jsonb ->> 'odd; name bad')::int),
                  'validate_database: a NOTICE per table with its verdict and rows (source / target)');
SELECT pg_temp.bag($$SELECT validation_id, tbl, src_rows, tgt_rows, verdict = 'equal' FROM val$$,
                   $$SELECT validation_id, source_table, source_rows, target_rows, ok FROM minibar_migrate.validation_tables
                      WHERE validation_id = (SELECT max(validation_id) FROM minibar_migrate.validations WHERE target_schema = 'tap_prog_w0')$$,
                   '... the same as validation_tables recorded, naming the validation');
SELECT is((SELECT string_agg(no::text, ' ' ORDER BY at) FROM val), '1 2 3', '... numbered 1, 2, 3 of 3');
SELECT is(pg_temp.lines(:'out_val', '2024-02-30|item-'), 0::bigint, '... and no NOTICE shows a row''s value');
\set out_val_quiet `PGOPTIONS='-c client_min_messages=notice' psql -X -At -d :'DBNAME' -c "SELECT count(*) FROM minibar_migrate.validate_database('tap_prog_lite', 'tap_prog_w2', '{\"progress\": false, \"tables\": [\"items\"]}') WHERE kind = 'table'" 2>&1`
SELECT is(:'out_val_quiet'::text, '1', 'validate_database {"progress": false}: no NOTICE');

-- ============================================================ 5. preflight
\set out_pf `PGOPTIONS='-c client_min_messages=notice' psql -X -At -d :'DBNAME' -c "SELECT count(*) >= 0 FROM minibar_migrate.preflight('tap_prog_lite', '{\"tables\": [\"items\", \"tiny\", \"odd; name\"]}')" 2>&1`
SELECT diag(:'out_pf');
CREATE TEMP TABLE pf AS
  SELECT o AS at, m[1] AS tbl, m[2]::int AS no, m[3]::bigint AS read, m[4]::bigint AS rejects
    FROM regexp_split_to_table(:'out_pf', E'\n') WITH ORDINALITY AS l(line, o),
         regexp_match(line, '^NOTICE:  preflight: table ''(.*)'' \(([0-9]) of 3\): ([0-9]+) row\(s\) read, ([0-9]+) to be rejected, [0-9]+\.[0-9] s$') AS m
   WHERE m IS NOT NULL;
SELECT bag_eq($$SELECT tbl, read, rejects FROM pf$$,
              format($$VALUES ('items', %s::bigint, 0::bigint), ('tiny', %s, 0), ('odd; name', %s, %s)$$,
                     :'src'::jsonb ->> 'items', :'src'::jsonb ->> 'tiny', :'src'::jsonb ->> 'odd; name', :'src'::jsonb ->> 'odd; name bad'),
              'preflight: a NOTICE per table scanned, with the source''s rows and the rows to be rejected');
SELECT is((SELECT sum(count) FROM minibar_migrate.preflight('tap_prog_lite', '{"tables": ["odd; name"], "progress": false}') WHERE action = 'reject'),
          (SELECT rejects FROM pf WHERE tbl = 'odd; name')::numeric, '... the rejects its findings count');
\set out_pf_quiet `PGOPTIONS='-c client_min_messages=notice' psql -X -At -d :'DBNAME' -c "SELECT count(*) >= 0 FROM minibar_migrate.preflight('tap_prog_lite', '{\"progress\": false, \"tables\": [\"tiny\"]}')" 2>&1`
SELECT is(:'out_pf_quiet'::text, 't', 'preflight {"progress": false}: no NOTICE');

-- ====================================================== 6. the progress view
SELECT is((SELECT count(*) FROM minibar_migrate.progress
            WHERE run_id IN (pg_temp.last_run('tap_prog_w0'), pg_temp.last_run('tap_prog_w2'), pg_temp.last_run('tap_prog_long'))),
          0::bigint, 'finished runs are not listed (run_report keeps them)');
-- A resumable run that fails: one worker copies items (the biggest copy comes
-- first), then "odd; name", whose impossible date is a reject beyond
-- max_rejects 0, before items' index and check steps (a later phase).
SELECT is(pg_temp.try_sql($$SELECT * FROM minibar_migrate.migrate_database('tap_prog_lite', 'tap_prog_fail',
            '{"workers": 1, "resume": true, "max_rejects": 0, "tables": ["items", "odd; name"]}')$$) ->> 'code',
          '54000', 'a resumable run with a worker fails: a row rejected beyond max_rejects 0');
SELECT is((SELECT status FROM minibar_migrate.runs WHERE run_id = pg_temp.last_run('tap_prog_fail')), 'failed', '... the run is failed');
SELECT is((SELECT string_agg(source_table || ' ' || state || ' ' || chunks_done || '/' || chunks, ', ' ORDER BY source_table)
             FROM minibar_migrate.progress WHERE run_id = pg_temp.last_run('tap_prog_fail')),
          'items failed 1/1, odd; name failed 0/1',
          'progress lists the failed run: its tables are failed (items copied, not indexed; "odd; name" not copied), not copying');
SELECT is((SELECT string_agg(source_table || ' ' || state, ', ') FROM minibar_migrate.progress
            WHERE run_id = pg_temp.last_run('tap_prog_fail') AND (state NOT IN ('done', 'failed') OR eta IS NOT NULL)),
          NULL, '... every table of it is done or failed, none with an ETA');
CREATE TEMP TABLE rate1 AS
  SELECT source_table, rows_per_second FROM minibar_migrate.progress WHERE run_id = pg_temp.last_run('tap_prog_fail') AND rows_per_second IS NOT NULL;
SELECT diag('rates: ' || string_agg(source_table || ' ' || rows_per_second, ', ')) FROM rate1;
SELECT is((SELECT string_agg(source_table, ', ') FROM rate1), 'items', 'items, whose copy is done, has a rate');
SELECT pg_sleep(1.1);
SELECT pg_temp.bag($$SELECT source_table, rows_per_second FROM minibar_migrate.progress
                     WHERE run_id = pg_temp.last_run('tap_prog_fail') AND rows_per_second IS NOT NULL$$,
                   $$SELECT * FROM rate1$$, '... its rates are the same 1.1 s later (frozen, not divided by the time now)');
SELECT is(pg_temp.try_text(format('SELECT * FROM minibar_migrate.rollback(%s)', pg_temp.last_run('tap_prog_fail'))), 'ok', 'the failed run is rolled back');
SELECT is((SELECT count(*) FROM minibar_migrate.progress WHERE run_id = pg_temp.last_run('tap_prog_fail')), 0::bigint,
          'a rolled-back run is not listed');

-- ================================== 7. a run whose calling session went away
-- Another session migrates long with one worker; once a chunk is committed,
-- that session is terminated. Its worker stops after its step, and the run
-- stays 'running' (for resume or rollback) with nobody running it.
\set gone `rm -f /tmp/minibar_migrate_tap/progress_gone.out; ( PGAPPNAME=tap_prog_gone PGOPTIONS='-c client_min_messages=warning' psql -X -At -d :'DBNAME' -c "SELECT count(*) FROM minibar_migrate.migrate_database('tap_prog_lite', 'tap_prog_gone', '{\"workers\": 1, \"chunk_size\": 250000, \"tables\": [\"long\"]}')" > /tmp/minibar_migrate_tap/progress_gone.out 2>&1 ) </dev/null >/dev/null 2>&1 & echo started`
SELECT pg_temp.wait_for($$SELECT count(*) FROM minibar_migrate.progress p JOIN minibar_migrate.runs r USING (run_id)
                           WHERE r.target_schema = 'tap_prog_gone' AND p.state = 'copying' AND p.chunks_done >= 1$$,
                        '$1::int = 1', 60) AS gone_copying \gset
SELECT is(:'gone_copying'::text, '1', 'the other session''s run is listed copying, a chunk committed');
SELECT is((SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                  WHERE application_name = 'tap_prog_gone' AND backend_type = 'client backend') x),
          1::bigint, 'its calling session is terminated');
SELECT coalesce(pg_temp.wait_for($$SELECT state FROM minibar_migrate.progress WHERE run_id = pg_temp.last_run('tap_prog_gone') AND source_table = 'long'$$,
                                 '$1 = ''stopped''', 30), 'not listed') AS gone_state \gset
SELECT is(:'gone_state'::text, 'stopped', 'progress: its table is stopped (not copying) once no session runs the run');
SELECT is((SELECT r.status || ' ' || (p.eta IS NULL) FROM minibar_migrate.runs r JOIN minibar_migrate.progress p USING (run_id)
            WHERE r.run_id = pg_temp.last_run('tap_prog_gone')), 'running true', '... the run is still running (to be resumed or rolled back), with no ETA');
SELECT is(pg_temp.try_text(format('SELECT count(*) FROM minibar_migrate.rollback(%s)', pg_temp.last_run('tap_prog_gone'))), 'ok',
          'it is rolled back');

-- ============================================ 7. a MariaDB source, workers 0
\set my_load `mariadb -e "DROP DATABASE IF EXISTS minibar_prog; CREATE DATABASE minibar_prog; USE minibar_prog; CREATE TABLE minibar_prog.orders (id INT PRIMARY KEY, amount DECIMAL(8,2) NOT NULL); INSERT INTO minibar_prog.orders SELECT seq, seq / 4 FROM seq_1_to_1500; CREATE TABLE minibar_prog.notes (id INT PRIMARY KEY, body VARCHAR(20)); INSERT INTO minibar_prog.notes VALUES (1, 'a'), (2, 'b');" 2>&1 && echo loaded`
DROP SERVER IF EXISTS tap_prog_my CASCADE;
CALL pg_temp.mysql_server('tap_prog_my', 'minibar_prog');
\set out_my `PGOPTIONS='-c client_min_messages=notice' psql -X -At -d :'DBNAME' -c "SELECT count(*) FROM minibar_migrate.migrate_database('tap_prog_my', 'tap_prog_my', '{\"workers\": 0}') WHERE kind = 'table'" 2>&1`
SELECT is(:'my_load'::text, 'loaded', 'MariaDB fixture minibar_prog: orders (1,500 rows), notes (2)');
CREATE TEMP TABLE my_copied AS SELECT * FROM pg_temp.copied(:'out_my');
SELECT pg_temp.bag($$SELECT tbl, copied, rejected, of_n FROM my_copied$$,
                   $$VALUES ('orders', 1500::bigint, 0::bigint, 2), ('notes', 2, 0, 2)$$,
                   'MariaDB source: one NOTICE per table copied, with the rows the source holds');

SELECT * FROM finish();
CALL pg_temp.drop_leftovers('{tap_prog_w0,tap_prog_w2,tap_prog_quiet,tap_prog_long,tap_prog_fail,tap_prog_gone,tap_prog_my}', '{tap_prog_lite,tap_prog_my}', runs => true);

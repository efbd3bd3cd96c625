-- migrate_database / migrate_table in background workers: the options workers,
-- chunk_size, resume and progress_interval; the progress view, run_report,
-- run_report_text and rollback().
-- Sources: the SQLite and MariaDB fixtures of migrate_sqlite.sql and
-- migrate_mysql.sql (test/fixtures/migrate_fixtures.md), and MariaDB database
-- minibar_wk made here: mid (20,000 rows, INT AUTO_INCREMENT key, remade every
-- time) and big (1,000,000 rows, INT key, two secondary indexes; made only when
-- not already complete). Expected source facts are read from the sources with
-- the mariadb / sqlite3 clients, never from what the extension produced.
--
-- Worker runs commit, so nothing here is wrapped in BEGIN/ROLLBACK except calls
-- that must not start workers. Leftovers of an earlier run of this file (schemas,
-- servers, runs of its servers) are dropped at the start, and again at the end.
-- A second session (test/scripts/migrate_workers.sh, started in the background)
-- watches runs and terminates workers, or records a run's progress NOTICEs; the
-- test polls for its report instead of sleeping fixed times.
\ir include/helpers.sql
\set lite_db /var/lib/minibar_migrate/tap/workers.sqlite
\set lite_load `install -d -m 755 /var/lib/minibar_migrate/tap && rm -f /var/lib/minibar_migrate/tap/workers.sqlite && sqlite3 /var/lib/minibar_migrate/tap/workers.sqlite < test/fixtures/migrate_sqlite.sql 2>&1 && chmod 644 /var/lib/minibar_migrate/tap/workers.sqlite && echo loaded`
\set my_load `mariadb -uroot < test/fixtures/migrate_mysql.sql 2>&1 && echo loaded`
\set wk_load `mariadb -uroot -e "CREATE DATABASE IF NOT EXISTS minibar_wk; DROP TABLE IF EXISTS minibar_wk.mid; CREATE TABLE minibar_wk.mid (id INT AUTO_INCREMENT PRIMARY KEY, grp INT NOT NULL, label VARCHAR(40) NOT NULL, amount DECIMAL(10,2)) ENGINE=InnoDB; INSERT INTO minibar_wk.mid SELECT seq, seq % 7, CONCAT('row-', seq), seq / 100 FROM minibar_wk.seq_1_to_20000; DROP TABLE IF EXISTS minibar_wk.rj; CREATE TABLE minibar_wk.rj (id INT PRIMARY KEY, val INT UNSIGNED NOT NULL, pad VARCHAR(100)) ENGINE=InnoDB; INSERT INTO minibar_wk.rj SELECT seq, IF(seq BETWEEN 90001 AND 90004 OR seq BETWEEN 190001 AND 190004, 4294967295, seq), REPEAT('p', 80) FROM minibar_wk.seq_1_to_200000; ANALYZE TABLE minibar_wk.mid, minibar_wk.rj" 2>&1 >/dev/null && n=$(mariadb -uroot -N -B -e "SELECT CONCAT(COUNT(*), '/', (SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = 'minibar_wk' AND table_name = 'big')) FROM minibar_wk.big" 2>/dev/null); if [ "$n" != 1000000/3 ]; then mariadb -uroot -e "DROP TABLE IF EXISTS minibar_wk.big; CREATE TABLE minibar_wk.big (id INT PRIMARY KEY, a VARCHAR(200) NOT NULL, b VARCHAR(200) NOT NULL) ENGINE=InnoDB; INSERT INTO minibar_wk.big SELECT seq, CONCAT(REPEAT(CHAR(65 + seq % 26), 120), seq), CONCAT(seq * 7919 % 1000003, REPEAT('x', 120)) FROM minibar_wk.seq_1_to_1000000; ALTER TABLE minibar_wk.big ADD KEY ix_big_a (a), ADD KEY ix_big_b (b); ANALYZE TABLE minibar_wk.big" 2>&1 >/dev/null; fi && echo loaded`

-- Source facts.
\set src_mid `mariadb -uroot -N -B -r -e "SET SESSION group_concat_max_len = 67108864; SELECT JSON_OBJECT('n', COUNT(*), 'lo', MIN(id), 'hi', MAX(id), 'nd', COUNT(DISTINCT id), 'md5', MD5(GROUP_CONCAT(CONCAT_WS(':', id, grp, label, amount) ORDER BY id SEPARATOR ','))) FROM minibar_wk.mid"`
\set src_big `mariadb -uroot -N -B -r -e "SELECT JSON_OBJECT('n', COUNT(*), 'lo', MIN(id), 'hi', MAX(id), 'nd', COUNT(DISTINCT id), 'sum_id', SUM(id), 'len', SUM(LENGTH(a) + LENGTH(b))) FROM minibar_wk.big"`
\set src_my `mariadb -uroot -N -B -r minibar_migtest -e "SELECT JSON_OBJECT('tables', (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'minibar_migtest' AND table_type = 'BASE TABLE'), 'names', (SELECT JSON_ARRAYAGG(table_name) FROM information_schema.tables WHERE table_schema = 'minibar_migtest' AND table_type = 'BASE TABLE'), 'rows', (SELECT COUNT(*) FROM hotels) + (SELECT COUNT(*) FROM floors) + (SELECT COUNT(*) FROM rooms) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM product_groups) + (SELECT COUNT(*) FROM products) + (SELECT COUNT(*) FROM minibar_items) + (SELECT COUNT(*) FROM stock_movements) + (SELECT COUNT(*) FROM AuditLog) + (SELECT COUNT(*) FROM minibar_count_import) + (SELECT COUNT(*) FROM reject_cases) + (SELECT COUNT(*) FROM reject_range))"`
\set src_lite_tables `sqlite3 /var/lib/minibar_migrate/tap/workers.sqlite "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"`
\set src_lite_rows `for t in $(sqlite3 /var/lib/minibar_migrate/tap/workers.sqlite "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"); do sqlite3 /var/lib/minibar_migrate/tap/workers.sqlite "SELECT count(*) FROM \"$t\""; done | awk '{ s += $1 } END { print s }'`
\set src_rj `mariadb -uroot -N -B -r -e "SELECT CONCAT(COUNT(*), '/', SUM(val > 2147483647), '/', SUM(val > 2147483647 AND id <= 100000)) FROM minibar_wk.rj"`
\set cpus `getconf _NPROCESSORS_ONLN`

SET client_min_messages = warning;
-- Not the server's default (UTC): workers are to take the caller's TimeZone.
SET TimeZone = 'Asia/Kathmandu';
SET jit = off;
SELECT pg_backend_pid() AS mypid \gset

-- ------------------------------------------------------------------ leftovers
CALL pg_temp.drop_leftovers('{tap_wk_lite0,tap_wk_lite2,tap_wk_my0,tap_wk_my2,tap_wk_my1,tap_wk_rj0,tap_wk_rj2,tap_wk_def,tap_wk_deftx,tap_wk_rr,tap_wk_chunk,tap_wk_tbl,tap_wk_views,tap_wk_rej,tap_wk_cancel,tap_wk_kill1,tap_wk_kill2,tap_wk_notice}', '{tap_wk_lite,tap_wk_my,tap_wk}', runs => true);
\! rm -f /tmp/minibar_migrate_tap/workers_*

CREATE SERVER tap_wk_lite FOREIGN DATA WRAPPER minibar_sqlite
  OPTIONS (database '/var/lib/minibar_migrate/tap/workers.sqlite', trusted_schema 'true');
CALL pg_temp.mysql_server('tap_wk_my', 'minibar_migtest');
CALL pg_temp.mysql_server('tap_wk', 'minibar_wk');
CREATE SCHEMA tap_wk_tbl;
CREATE SCHEMA tap_wk_views;

-- ------------------------------------------------------------------ helpers
-- How each call ended: 'ok', or the error's SQLSTATE, message and hint.
CREATE TEMP TABLE outcome (label text PRIMARY KEY, started timestamptz, finished timestamptz,
                           code text, message text, hint text);
-- The rows migrate_database returned, per call (target as text: it may be dropped later).
CREATE TEMP TABLE res (label text, ord bigint, run_id bigint, kind text, source_name text, target text,
                       rows_source bigint, rows_copied bigint, rows_rejected bigint, zero_dates bigint,
                       notes text[]);
CREATE FUNCTION pg_temp.migrate_db(p_label text, p_server name, p_schema name, p_options jsonb)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_code text; v_msg text; v_hint text;
BEGIN
  INSERT INTO outcome VALUES (p_label, clock_timestamp(), NULL, 'ok', NULL, NULL);
  BEGIN
    INSERT INTO res
    SELECT p_label, m.ord, m.run_id, m.kind, m.source_name, m.target::text, m.rows_source, m.rows_copied,
           m.rows_rejected, m.zero_dates, m.notes
      FROM minibar_migrate.migrate_database(p_server, p_schema, p_options) WITH ORDINALITY
           AS m(run_id, kind, source_name, target, rows_source, rows_copied, rows_rejected, zero_dates,
                seconds, rows_per_second, notes, ord);
  EXCEPTION
    WHEN query_canceled THEN
      GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT, v_hint = PG_EXCEPTION_HINT;
      UPDATE outcome o SET code = v_code, message = v_msg, hint = v_hint WHERE o.label = p_label;
    WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT, v_hint = PG_EXCEPTION_HINT;
      UPDATE outcome o SET code = v_code, message = v_msg, hint = v_hint WHERE o.label = p_label;
  END;
  UPDATE outcome o SET finished = clock_timestamp() WHERE o.label = p_label;
  RETURN (SELECT o.code FROM outcome o WHERE o.label = p_label);
END $$;
-- The run a call made (NULL when it made none).
CREATE FUNCTION pg_temp.run_of(p_label text) RETURNS bigint LANGUAGE sql AS $$
  SELECT max(run_id) FROM res WHERE label = p_label
$$;
-- The latest run into a schema (the one a failed call made).
CREATE FUNCTION pg_temp.run_into(p_schema text) RETURNS bigint LANGUAGE sql AS $$
  SELECT max(run_id) FROM minibar_migrate.runs WHERE target_schema = p_schema
$$;
-- Every table of a schema: rows and an md5 of its rows as text, in text order.
CREATE FUNCTION pg_temp.contents(sch text) RETURNS TABLE (tbl text, n bigint, digest text)
LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = sch::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1 LOOP
    tbl := r.relname;
    EXECUTE format('SELECT count(*), md5(coalesce(string_agg(x::text, E''\n'' ORDER BY x::text), ''''))
                      FROM %I.%I x', sch, r.relname) INTO n, digest;
    RETURN NEXT;
  END LOOP;
END $$;
-- A schema's definitions (columns, comments, indexes, constraints, enum types,
-- sequences), with the schema's name replaced by S.
CREATE FUNCTION pg_temp.ddl(sch text) RETURNS TABLE (what text, obj text, def text) LANGUAGE sql AS $$
  SELECT 'column', c.relname || '.' || a.attname,
         replace(concat_ws(' ', format_type(a.atttypid, a.atttypmod),
                           CASE WHEN a.attnotnull THEN 'NOT NULL' END,
                           CASE a.attidentity WHEN 'a' THEN 'IDENTITY ALWAYS' WHEN 'd' THEN 'IDENTITY BY DEFAULT' END,
                           'DEFAULT ' || pg_get_expr(d.adbin, d.adrelid),
                           'COLLATE ' || CASE WHEN a.attcollation <> 0 THEN a.attcollation::regcollation::text END,
                           'COMMENT ' || col_description(c.oid, a.attnum)), sch, 'S')
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
   WHERE c.relnamespace = sch::regnamespace AND c.relkind IN ('r', 'p')
  UNION ALL
  SELECT 'table', c.relname, c.relkind::text || ' ' || coalesce(obj_description(c.oid, 'pg_class'), '')
    FROM pg_class c WHERE c.relnamespace = sch::regnamespace AND c.relkind IN ('r', 'p')
  UNION ALL
  SELECT 'index', i.indexname, replace(i.indexdef, sch, 'S') FROM pg_indexes i WHERE i.schemaname = sch
  UNION ALL
  SELECT 'constraint', t.relname || '.' || o.conname,
         replace(o.contype::text || ' ' || pg_get_constraintdef(o.oid), sch, 'S')
    FROM pg_constraint o JOIN pg_class t ON t.oid = o.conrelid WHERE t.relnamespace = sch::regnamespace
  UNION ALL
  SELECT 'type', t.typname, (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                               FROM pg_enum e WHERE e.enumtypid = t.oid)
    FROM pg_type t WHERE t.typnamespace = sch::regnamespace AND t.typtype = 'e'
  UNION ALL
  SELECT 'sequence', s.sequencename, concat_ws(' ', s.start_value, s.increment_by, s.last_value)
    FROM pg_sequences s WHERE s.schemaname = sch
$$;
-- A call's result rows in order, without run ids and timings, schema names replaced by S.
CREATE FUNCTION pg_temp.result_of(p_label text, sch text) RETURNS TABLE (ord bigint, kind text, source_name text,
  target text, rows_source bigint, rows_copied bigint, rows_rejected bigint, zero_dates bigint, notes text)
LANGUAGE sql AS $$
  SELECT r.ord, r.kind, r.source_name, replace(r.target, sch, 'S'), r.rows_source, r.rows_copied,
         r.rows_rejected, r.zero_dates, replace(r.notes::text, sch, 'S')
    FROM res r WHERE r.label = p_label ORDER BY r.ord
$$;
-- What the runs labelled a and b (into tap_wk_<label>) made, compared: their
-- result rows in order ('results'), every table's rows ('contents'), the
-- definitions ('ddl') or the rejects ('rejects').
CREATE FUNCTION pg_temp.same(what text, a text, b text, descr text) RETURNS text LANGUAGE sql AS $$
  SELECT CASE what
    WHEN 'results' THEN pg_temp.rows_eq(format('SELECT * FROM pg_temp.result_of(%L, %L)', a, 'tap_wk_' || a),
                                        format('SELECT * FROM pg_temp.result_of(%L, %L)', b, 'tap_wk_' || b), descr)
    WHEN 'contents' THEN pg_temp.rows_eq(format('SELECT * FROM pg_temp.contents(%L)', 'tap_wk_' || a),
                                         format('SELECT * FROM pg_temp.contents(%L)', 'tap_wk_' || b), descr)
    WHEN 'ddl' THEN pg_temp.bag(format('SELECT * FROM pg_temp.ddl(%L)', 'tap_wk_' || a),
                                format('SELECT * FROM pg_temp.ddl(%L)', 'tap_wk_' || b), descr)
    WHEN 'rejects' THEN pg_temp.bag(format('SELECT * FROM pg_temp.rejects_of(pg_temp.run_of(%L), %L)', a, 'tap_wk_' || a),
                                    format('SELECT * FROM pg_temp.rejects_of(pg_temp.run_of(%L), %L)', b, 'tap_wk_' || b),
                                    descr)
  END
$$;
-- A run's rejects, schema names replaced by S.
CREATE FUNCTION pg_temp.rejects_of(run bigint, sch text) RETURNS TABLE (source_table text, target_table text,
  row_data jsonb, column_name text, reason text, sqlstate text, value text) LANGUAGE sql AS $$
  SELECT j.source_table, replace(j.target_table, sch, 'S'), j.row_data, j.column_name,
         replace(j.reason, sch, 'S'), j.sqlstate, j.value
    FROM minibar_migrate.rejects j WHERE j.run_id = run
$$;
-- Polls until no minibar_migrate worker of this database is left; how many are.
CREATE FUNCTION pg_temp.workers_left(timeout_s numeric) RETURNS bigint LANGUAGE sql AS $$
  SELECT pg_temp.wait_for($q$SELECT count(*) FROM pg_stat_activity
                             WHERE backend_type = 'minibar_migrate worker' AND datname = current_database()$q$,
                          '$1::bigint = 0', timeout_s)::bigint
$$;
-- Target facts of a big-table copy, comparable with :src_big.
CREATE FUNCTION pg_temp.big_facts(sch text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE j jsonb;
BEGIN
  EXECUTE format('SELECT jsonb_build_object(''n'', count(*), ''lo'', min(id), ''hi'', max(id), ''nd'', count(DISTINCT id),
                         ''sum_id'', sum(id), ''len'', sum(length(a) + length(b))) FROM %I.big', sch) INTO j;
  RETURN j;
EXCEPTION WHEN OTHERS THEN
  RETURN jsonb_build_object('error', SQLERRM);
END $$;
CREATE FUNCTION pg_temp.count_of(qualified text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  EXECUTE 'SELECT count(*) FROM ' || qualified INTO n;
  RETURN n;
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END $$;
-- Copy tasks of a run: done and all.
CREATE FUNCTION pg_temp.copy_tasks(run bigint) RETURNS TABLE (done bigint, total bigint, rows_done numeric)
LANGUAGE sql AS $$
  SELECT count(*) FILTER (WHERE state = 'done'), count(*), coalesce(sum(rows_copied) FILTER (WHERE state = 'done'), 0)
    FROM minibar_migrate.run_tasks WHERE run_id = run AND kind = 'copy'
$$;
CREATE TEMP TABLE src_mid AS SELECT * FROM jsonb_to_record(:'src_mid'::jsonb) AS x(n bigint, lo int, hi int, nd bigint, md5 text);
CREATE TEMP TABLE src_big AS SELECT :'src_big'::jsonb AS facts, (:'src_big'::jsonb ->> 'n')::bigint AS n;
CREATE TEMP TABLE src_my AS SELECT (:'src_my'::jsonb ->> 'tables')::bigint AS tables, (:'src_my'::jsonb ->> 'rows')::bigint AS n,
                                   ARRAY(SELECT jsonb_array_elements_text(:'src_my'::jsonb -> 'names')) AS names;
CREATE TEMP TABLE src_lite AS SELECT :'src_lite_tables'::bigint AS tables, :'src_lite_rows'::bigint AS n;
-- Run ids by label (psql variables are not expanded in dollar-quoted text).
CREATE TEMP TABLE ids (label text PRIMARY KEY, run_id bigint);
CREATE FUNCTION pg_temp.id(p_label text) RETURNS bigint LANGUAGE sql AS $$
  SELECT run_id FROM ids WHERE label = p_label
$$;
-- Field n of a second session's report line; numeric when it is a number.
CREATE FUNCTION pg_temp.field(report text, n int) RETURNS text LANGUAGE sql AS $$
  SELECT split_part(rtrim(report, E'\n'), '|', n)
$$;
CREATE FUNCTION pg_temp.num(report text, n int) RETURNS numeric LANGUAGE sql AS $$
  SELECT CASE WHEN pg_temp.field(report, n) ~ '^[0-9]+$' THEN pg_temp.field(report, n)::numeric END
$$;

SELECT plan(122);

SELECT is(:'lite_load'::text, 'loaded', 'the SQLite fixture loads');
SELECT is(:'my_load'::text, 'loaded', 'the MariaDB fixture (minibar_migtest) loads');
SELECT is(:'wk_load'::text, 'loaded', 'MariaDB database minibar_wk (mid: 20,000 rows, rj: 200,000, big: 1,000,000) is ready');
SELECT is(:'src_rj'::text, '200000/8/4', 'rj: 200,000 rows, 8 values above the integer range, 4 in each half of the keys');
SELECT pg_temp.rows_eq(
  $$SELECT (SELECT n FROM src_mid), (SELECT n FROM src_big), (SELECT tables FROM src_my), (SELECT n FROM src_my),
           (SELECT tables FROM src_lite), (SELECT n FROM src_lite)$$,
  $$VALUES (20000::bigint, 1000000::bigint, 12::bigint, 703::bigint, 11::bigint, 533::bigint)$$,
  'source facts: mid 20,000 rows, big 1,000,000, MariaDB fixture 12 tables / 703 rows, SQLite 11 tables / 533 rows');

-- =================================================== 1. workers 2 = workers 0
-- SQLite fixture.
SELECT is(pg_temp.migrate_db('lite0', 'tap_wk_lite', 'tap_wk_lite0', '{"workers": 0}'), 'ok',
          'SQLite: migrate_database with {"workers": 0} runs');
SELECT is(pg_temp.migrate_db('lite2', 'tap_wk_lite', 'tap_wk_lite2', '{"workers": 2}'), 'ok',
          'SQLite: migrate_database with {"workers": 2} runs');
SELECT pg_temp.rows_eq(
  $$SELECT target_schema::text COLLATE "default", workers, status FROM minibar_migrate.runs
     WHERE run_id IN (pg_temp.run_of('lite0'), pg_temp.run_of('lite2')) ORDER BY run_id$$,
  $$VALUES ('tap_wk_lite0', 0, 'done'), ('tap_wk_lite2', 2, 'done')$$,
  'SQLite: runs records workers 0 and 2, both done');
SELECT pg_temp.same('results', 'lite2', 'lite0',
                    'SQLite: the same result rows in the same order (names, counts, rejects, zero dates, notes)');
SELECT pg_temp.rows_eq(
  $$SELECT count(*), sum(n) FROM pg_temp.contents('tap_wk_lite0')$$,
  $$SELECT tables, (SELECT sum(rows_copied) FROM res WHERE label = 'lite0') FROM src_lite$$,
  'SQLite, workers 0: every source table was created and holds its copied rows');
SELECT pg_temp.same('contents', 'lite2', 'lite0',
                    'SQLite: every table holds the same rows (count and md5 of the rows as text)');
SELECT pg_temp.same('ddl', 'lite2', 'lite0',
                    'SQLite: the same columns, defaults, comments, indexes, constraints, types and sequences');
SELECT ok((SELECT count(*) FILTER (WHERE what = 'index') > 0 AND count(*) FILTER (WHERE def LIKE 'f %') > 0
             FROM pg_temp.ddl('tap_wk_lite0')),
          'SQLite: the compared definitions include indexes and foreign keys');
SELECT pg_temp.same('rejects', 'lite2', 'lite0',
                    'SQLite: the same rejects (row, column, reason, SQLSTATE, value)');
SELECT is((SELECT count(*) FROM minibar_migrate.rejects WHERE run_id = pg_temp.run_of('lite2')), 10::bigint,
          'SQLite: 10 rejects with workers (fixture: reject_cases 11-20)');

-- MariaDB fixture.
SELECT is(pg_temp.migrate_db('my0', 'tap_wk_my', 'tap_wk_my0', '{"workers": 0, "columns": {"reject_cases.payload": "jsonb"}}'),
          'ok', 'MariaDB: migrate_database with {"workers": 0} runs');
SELECT is(pg_temp.migrate_db('my2', 'tap_wk_my', 'tap_wk_my2', '{"workers": 2, "columns": {"reject_cases.payload": "jsonb"}}'),
          'ok', 'MariaDB: migrate_database with {"workers": 2} runs');
SELECT pg_temp.rows_eq(
  $$SELECT target_schema::text COLLATE "default", workers, status FROM minibar_migrate.runs
     WHERE run_id IN (pg_temp.run_of('my0'), pg_temp.run_of('my2')) ORDER BY run_id$$,
  $$VALUES ('tap_wk_my0', 0, 'done'), ('tap_wk_my2', 2, 'done')$$,
  'MariaDB: runs records workers 0 and 2, both done');
SELECT pg_temp.same('results', 'my2', 'my0',
                    'MariaDB: the same result rows in the same order (names, counts, rejects, zero dates, notes)');
SELECT pg_temp.rows_eq(
  $$SELECT count(*), (SELECT sum(rows_source) FROM res WHERE label = 'my0') FROM pg_temp.contents('tap_wk_my0')$$,
  $$SELECT tables, n::numeric FROM src_my$$,
  'MariaDB, workers 0: every source table was created, 703 source rows');
SELECT pg_temp.same('contents', 'my2', 'my0',
                    'MariaDB: every table holds the same rows (count and md5 of the rows as text)');
SELECT pg_temp.same('ddl', 'my2', 'my0',
                    'MariaDB: the same columns, defaults, comments, indexes, constraints, types and sequences');
SELECT ok((SELECT count(*) FILTER (WHERE what = 'index') > 0 AND count(*) FILTER (WHERE def LIKE 'f %') > 0
                  AND count(*) FILTER (WHERE what = 'type') > 0
             FROM pg_temp.ddl('tap_wk_my0')),
          'MariaDB: the compared definitions include indexes, foreign keys and enum types');
SELECT pg_temp.same('rejects', 'my2', 'my0',
                    'MariaDB: the same rejects (row, column, reason, SQLSTATE, value)');
SELECT is((SELECT count(*) FROM minibar_migrate.rejects WHERE run_id = pg_temp.run_of('my2')), 4::bigint,
          'MariaDB: 4 rejects with workers (fixture: reject_cases 11, 12, 14, 15)');

-- workers 1 = workers 2 (one worker does every step in turn).
SELECT is(pg_temp.migrate_db('my1', 'tap_wk_my', 'tap_wk_my1', '{"workers": 1, "columns": {"reject_cases.payload": "jsonb"}}'),
          'ok', 'MariaDB: migrate_database with {"workers": 1} runs');
SELECT is((SELECT count(DISTINCT worker_pid) FROM minibar_migrate.run_tasks WHERE run_id = pg_temp.run_of('my1')),
          1::bigint, 'MariaDB, workers 1: one worker did every step');
SELECT pg_temp.same('results', 'my1', 'my2',
                    'MariaDB, workers 1 vs 2: the same result rows in the same order');
SELECT pg_temp.same('contents', 'my1', 'my2',
                    'MariaDB, workers 1 vs 2: every table holds the same rows');
SELECT pg_temp.same('ddl', 'my1', 'my2',
                    'MariaDB, workers 1 vs 2: the same definitions');
SELECT pg_temp.same('rejects', 'my1', 'my2',
                    'MariaDB, workers 1 vs 2: the same rejects');

-- max_rejects caps the rejects of a table, also when its chunks are copied at once.
-- (Failed when written: a chunk's allowance is max_rejects minus the rejects of
-- the chunks already committed, so two chunks started together get 5 each.)
SELECT is(pg_temp.migrate_db('rj0', 'tap_wk', 'tap_wk_rj0',
            '{"workers": 0, "max_rejects": 5, "columns": {"rj.val": "integer"}, "tables": ["rj"]}'), '54000',
          'rj (8 rejects) with {"max_rejects": 5}, workers 0: fails with 54000');
SELECT is(pg_temp.migrate_db('rj2', 'tap_wk', 'tap_wk_rj2',
            '{"workers": 2, "chunk_size": 100000, "max_rejects": 5, "columns": {"rj.val": "integer"}, "tables": ["rj"]}'), '54000',
          '... and with 2 workers copying its 2 chunks (4 rejects each) at once: the same 54000');
SELECT diag(format('rj with 2 workers: %s chunks, %s, %s rows rejected in all', t.chunks, r.status,
                   (SELECT sum(rows_rejected) FROM minibar_migrate.run_tasks k WHERE k.run_id = r.run_id AND k.kind = 'copy')))
  FROM minibar_migrate.runs r JOIN minibar_migrate.run_tables t USING (run_id) WHERE r.run_id = pg_temp.run_into('tap_wk_rj2');

-- =================================================== 6. run_report, run_report_text
SELECT pg_temp.rows_eq(
  $$SELECT count(*) FILTER (WHERE line = 'table'), count(*) FILTER (WHERE line = 'total')
      FROM minibar_migrate.run_report(pg_temp.run_of('my2'))$$,
  $$VALUES (12::bigint, 1::bigint)$$,
  'run_report: a table line per table and one total line');
SELECT pg_temp.rows_eq(
  $$SELECT rows_source, rows_copied, rows_rejected FROM minibar_migrate.run_report(pg_temp.run_of('my2')) WHERE line = 'total'$$,
  $$SELECT sum(rows_source)::bigint, sum(rows_copied)::bigint, sum(rows_rejected)::bigint
      FROM minibar_migrate.run_report(pg_temp.run_of('my2')) WHERE line = 'table'$$,
  'run_report: the total line''s rows_source / rows_copied / rows_rejected are the sums over its tables');
SELECT pg_temp.rows_eq(
  $$SELECT rows_source, rows_copied, rows_rejected FROM minibar_migrate.run_report(pg_temp.run_of('my2')) WHERE line = 'total'$$,
  $$SELECT sum(rows_source)::bigint, sum(rows_copied)::bigint, sum(rows_rejected)::bigint FROM res
     WHERE label = 'my2' AND kind = 'table'$$,
  'run_report: the total equals the sums of what migrate_database returned (703 = 699 + 4)');
SELECT is((SELECT string_agg(t.name, ', ')
             FROM src_my, unnest(src_my.names) AS t(name)
            WHERE strpos(minibar_migrate.run_report_text(pg_temp.run_of('my2')), E'\n' || t.name || ' ') = 0),
          NULL, 'run_report_text: a line for each of the 12 source tables');
SELECT ok(minibar_migrate.run_report_text(pg_temp.run_of('my2'))
            ~ ('^run ' || pg_temp.run_of('my2') || ': migrate_database from server tap_wk_my into tap_wk_my2, done \(2 workers\)'),
          'run_report_text: its first line names the run, server, schema, status and 2 workers');

-- =================================================== 9. defaults and checks of the options
-- At top level (a PL/pgSQL block with an exception handler is a subtransaction,
-- which counts as a transaction block); an error must not end the file.
\set ON_ERROR_STOP 0
SELECT count(*) FROM minibar_migrate.migrate_database('tap_wk_lite', 'tap_wk_def', '{}') \g /dev/null
SELECT is((SELECT status FROM minibar_migrate.runs WHERE run_id = pg_temp.run_into('tap_wk_def')), 'done',
          'migrate_database without "workers" outside a transaction block runs');
SELECT is((SELECT workers FROM minibar_migrate.runs WHERE run_id = pg_temp.run_into('tap_wk_def')), least(4, :cpus),
          format('... with min(4, CPUs) = %s workers', least(4, :cpus)));
BEGIN;
SELECT pg_temp.try_sql($$SELECT count(*) FROM minibar_migrate.migrate_database('tap_wk_lite', 'tap_wk_deftx', '{}')$$) AS deftx \gset
SELECT coalesce((SELECT workers FROM minibar_migrate.runs WHERE target_schema = 'tap_wk_deftx'), -1) AS deftx_workers \gset
ROLLBACK;
SELECT is(:'deftx'::jsonb ->> 'code', 'ok', 'migrate_database without "workers" in a transaction block runs');
SELECT is(:deftx_workers, 0, '... with 0 workers (in the caller''s transaction)');
SELECT is(to_regnamespace('tap_wk_deftx')::text, NULL, '... and its ROLLBACK leaves nothing behind');
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT pg_temp.try_sql($$SELECT count(*) FROM minibar_migrate.migrate_database('tap_wk_lite', 'tap_wk_rr', '{"workers": 2}')$$) AS rr \gset
COMMIT;
SELECT is(:'rr'::jsonb ->> 'code', '25001', '{"workers": 2} in a REPEATABLE READ transaction: SQLSTATE 25001');
SELECT ok(to_regnamespace('tap_wk_rr') IS NULL AND pg_temp.run_into('tap_wk_rr') IS NULL,
          '... no run and no schema were made');
SELECT is(pg_temp.try_sql($$SELECT count(*) FROM minibar_migrate.migrate_database('tap_wk_lite', 'tap_wk_rr', '{"workers": 65}')$$) ->> 'code',
          '22023', '"workers": 65 is refused (0..64)');
SELECT is(pg_temp.try_sql($$SELECT count(*) FROM minibar_migrate.migrate_database('tap_wk_lite', 'tap_wk_rr', '{"chunk_size": 999}')$$) ->> 'code',
          '22023', '"chunk_size": 999 is refused (>= 1000)');

-- =================================================== 2. chunks
SELECT is(pg_temp.migrate_db('chunk', 'tap_wk', 'tap_wk_chunk', '{"workers": 2, "chunk_size": 1000, "tables": ["mid"]}'),
          'ok', 'migrate_database of mid (20,000 rows) with {"workers": 2, "chunk_size": 1000} runs');
SELECT pg_temp.rows_eq($$SELECT source_name, target, rows_source, rows_copied, rows_rejected FROM res WHERE label = 'chunk'$$,
                       $$SELECT 'mid', 'tap_wk_chunk.mid', n, n, 0::bigint FROM src_mid$$,
                       'result: mid, all 20,000 source rows copied, none rejected');
SELECT cmp_ok((SELECT chunks FROM minibar_migrate.run_tables WHERE run_id = pg_temp.run_of('chunk')), '>', 1,
              'run_tables.chunks > 1');
SELECT pg_temp.rows_eq(
  $$SELECT t.chunk_key, t.chunks::bigint FROM minibar_migrate.run_tables t WHERE t.run_id = pg_temp.run_of('chunk')$$,
  $$SELECT 'id', total FROM pg_temp.copy_tasks(pg_temp.run_of('chunk'))$$,
  'run_tables: chunk_key id, one copy task per chunk');
SELECT is((SELECT done FROM pg_temp.copy_tasks(pg_temp.run_of('chunk'))),
          (SELECT total FROM pg_temp.copy_tasks(pg_temp.run_of('chunk'))), 'every copy task is done');
SELECT is((SELECT count(*) FROM minibar_migrate.run_tasks WHERE run_id = pg_temp.run_of('chunk') AND state <> 'done'), 0::bigint,
          'every task of the run is done');
SELECT is((SELECT string_agg(format('%s..%s', key_lo, key_hi), ' ')
             FROM (SELECT key_lo, key_hi, lag(key_hi) OVER w AS prev_hi, row_number() OVER w AS i, count(*) OVER () AS n
                     FROM minibar_migrate.run_tasks WHERE run_id = pg_temp.run_of('chunk') AND kind = 'copy'
                   WINDOW w AS (ORDER BY key_lo NULLS FIRST)) s
            WHERE NOT coalesce(CASE WHEN i = 1 THEN key_lo IS NULL ELSE key_lo = prev_hi END, false)
               OR NOT coalesce(CASE WHEN i = n THEN key_hi IS NULL ELSE key_hi > coalesce(key_lo, key_hi - 1) END, false)),
          NULL, 'the chunks'' key ranges tile the key space: open first and last, each starts where the last ended');
SELECT is((SELECT rows_done FROM pg_temp.copy_tasks(pg_temp.run_of('chunk'))), (SELECT n FROM src_mid)::numeric,
          'the copy tasks'' rows_copied add up to the source''s 20,000 rows');
SELECT cmp_ok((SELECT count(DISTINCT worker_pid) FROM minibar_migrate.run_tasks
                WHERE run_id = pg_temp.run_of('chunk') AND kind = 'copy'), '>', 1::bigint,
              'both workers copied chunks (more than one distinct worker_pid)');
SELECT pg_temp.rows_eq($$SELECT count(*), min(id), max(id), count(DISTINCT id) FROM tap_wk_chunk.mid$$,
                       $$SELECT n, lo, hi, nd FROM src_mid$$,
                       'the target holds exactly the source keys (count, min, max, count distinct)');
SELECT is((SELECT md5(string_agg(concat_ws(':', id, grp, label, amount), ',' ORDER BY id)) FROM tap_wk_chunk.mid),
          (SELECT md5 FROM src_mid), 'the target rows equal the source rows (md5 of id:grp:label:amount)');
-- 8. the progress view once the run is over: it lists unfinished runs only
SELECT is((SELECT count(*) FROM minibar_migrate.progress WHERE run_id = pg_temp.run_of('chunk')), 0::bigint,
          'progress after the run: the finished run is not listed (run_report keeps it)');
-- migrate_table with workers and chunks.
SELECT is(pg_temp.try_sql($$CREATE TEMP TABLE tbl_res AS SELECT * FROM minibar_migrate.migrate_table('tap_wk', 'mid',
            'tap_wk_tbl.mid_copy', '{"workers": 2, "chunk_size": 1000}')$$) ->> 'code', 'ok',
          'migrate_table of mid with {"workers": 2, "chunk_size": 1000} runs');
SELECT pg_temp.rows_eq($$SELECT target::text, rows_copied, rows_rejected FROM tbl_res$$,
                       $$SELECT 'tap_wk_tbl.mid_copy', n, 0::bigint FROM src_mid$$,
                       'migrate_table result: the target, 20,000 rows copied, none rejected');
SELECT pg_temp.rows_eq(
  $$SELECT r.kind, r.workers, r.status, t.chunks > 1 FROM minibar_migrate.runs r JOIN minibar_migrate.run_tables t USING (run_id)
     WHERE r.run_id = (SELECT max(run_id) FROM minibar_migrate.runs WHERE server = 'tap_wk' AND kind = 'table')$$,
  $$VALUES ('table', 2, 'done', true)$$,
  'migrate_table run: kind table, 2 workers, done, in more than one chunk');
SELECT is((SELECT md5(string_agg(concat_ws(':', id, grp, label, amount), ',' ORDER BY id)) FROM tap_wk_tbl.mid_copy),
          (SELECT md5 FROM src_mid), 'migrate_table target rows equal the source rows');

-- =================================================== 5. rollback()
CREATE VIEW tap_wk_views.v_mid AS SELECT id, label FROM tap_wk_chunk.mid;
SELECT is(pg_temp.try_sql(format('SELECT * FROM minibar_migrate.rollback(%s)', pg_temp.run_of('chunk'))) ->> 'code',
          '2BP01', 'rollback refuses (2BP01) while a view depends on a table the run created');
SELECT pg_temp.rows_eq(
  $$SELECT pg_temp.count_of('tap_wk_chunk.mid'), (SELECT status FROM minibar_migrate.runs WHERE run_id = pg_temp.run_of('chunk'))$$,
  $$SELECT n, 'done' FROM src_mid$$,
  '... and drops nothing: the table keeps its 20,000 rows, the run stays done');
DROP VIEW tap_wk_views.v_mid;
SELECT is(pg_temp.try_sql(format('CREATE TEMP TABLE rb_res AS SELECT * FROM minibar_migrate.rollback(%s)', pg_temp.run_of('chunk'))) ->> 'code',
          'ok', 'without the view, rollback runs');
SELECT pg_temp.bag($$SELECT kind, object FROM rb_res$$,
                   $$SELECT kind, identity FROM minibar_migrate.run_objects WHERE run_id = pg_temp.run_of('chunk')$$,
                   'rollback returns what the run created (its run_objects)');
SELECT ok((SELECT count(*) FROM rb_res WHERE kind = 'schema') = 1 AND (SELECT count(*) FROM rb_res WHERE kind = 'table') = 1,
          '... the schema tap_wk_chunk and the table mid');
SELECT is(to_regclass('tap_wk_chunk.mid'), NULL, 'the table the run created is gone');
SELECT is(to_regnamespace('tap_wk_chunk')::text, NULL, 'the schema the run created is gone');
SELECT is((SELECT status FROM minibar_migrate.runs WHERE run_id = pg_temp.run_of('chunk')), 'rolled back',
          'runs.status = rolled back');
SELECT is(pg_temp.try_sql(format('SELECT * FROM minibar_migrate.rollback(%s)', pg_temp.run_of('chunk'))) ->> 'code',
          '55000', 'a second rollback: 55000');

-- =================================================== 4. a failed run without resume is rolled back
SELECT isnt(pg_temp.migrate_db('rej', 'tap_wk_my', 'tap_wk_rej',
              '{"workers": 2, "max_rejects": 0, "columns": {"reject_cases.payload": "jsonb"}}'), 'ok',
            'a worker run with {"max_rejects": 0} over a table with rejects fails');
SELECT matches((SELECT message FROM outcome WHERE label = 'rej'), 'max_rejects', '... with the max_rejects error');
SELECT pg_temp.rows_eq(
  $$SELECT status, error ~ 'max_rejects' FROM minibar_migrate.runs WHERE run_id = pg_temp.run_into('tap_wk_rej')$$,
  $$VALUES ('rolled back', true)$$,
  'the run has status rolled back, and its error');
SELECT is((SELECT string_agg(identity, ', ') FROM minibar_migrate.run_objects
            WHERE run_id = pg_temp.run_into('tap_wk_rej') AND (to_regclass(identity) IS NOT NULL OR to_regtype(identity) IS NOT NULL)),
          NULL, 'no table or type the run created is left');
SELECT ok((SELECT count(*) FROM minibar_migrate.run_objects WHERE run_id = pg_temp.run_into('tap_wk_rej') AND kind = 'table') > 1,
          '... (it had created several tables before it failed)');
SELECT is(to_regnamespace('tap_wk_rej')::text, NULL, 'the schema the run created is gone too');
-- Cancelled (statement_timeout) in the middle of the copy.
SET statement_timeout = '1s';
SELECT pg_temp.migrate_db('cancel', 'tap_wk', 'tap_wk_cancel', '{"workers": 2, "chunk_size": 50000, "tables": ["big"]}') \g /dev/null
RESET statement_timeout;
SELECT is((SELECT code FROM outcome WHERE label = 'cancel'), '57014', 'statement_timeout stops a worker run of big (57014)');
SELECT is(pg_temp.workers_left(10), 0::bigint, '... and no worker outlives the call');
SELECT is((SELECT status FROM minibar_migrate.runs WHERE run_id = pg_temp.run_into('tap_wk_cancel')), 'rolled back',
          'the cancelled run has status rolled back');
SELECT is(to_regclass('tap_wk_cancel.big'), NULL, 'its table is gone');
SELECT is(to_regnamespace('tap_wk_cancel')::text, NULL, 'the schema it created is gone');

-- =================================================== 3. a worker terminated, then resume
-- A second session waits for a committed chunk while a worker copies, records
-- what it sees, and terminates one worker (one that is copying).
\set kill1_out /tmp/minibar_migrate_tap/workers_kill1_:mypid.out
\set kill1 `bash test/scripts/migrate_workers.sh kill :DBNAME tap_wk_kill1 one :'kill1_out' 30 </dev/null >/dev/null 2>&1 & echo started`
SELECT pg_temp.migrate_db('kill1', 'tap_wk', 'tap_wk_kill1', '{"workers": 2, "chunk_size": 50000, "resume": true, "tables": ["big"]}') \g /dev/null
SELECT pg_temp.wait_file(:'kill1_out', 15) AS kill1_report \gset
SELECT diag('second session: ' || rtrim(:'kill1_report', E'\n'));
INSERT INTO ids VALUES ('kill1', pg_temp.run_into('tap_wk_kill1'));
SELECT is(pg_temp.field(:'kill1_report', 1) || '|' || pg_temp.field(:'kill1_report', 12), 'killed|1',
          'the second session saw the run copying and terminated one worker');
-- 8. the progress view while the run was going, as that session saw it.
SELECT is(pg_temp.num(:'kill1_report', 3), 2::numeric,
          'pg_stat_activity showed 2 backends of type ''minibar_migrate worker''');
SELECT cmp_ok(pg_temp.num(:'kill1_report', 4), '>=', 1::numeric, 'pg_stat_progress_copy showed a worker copying');
SELECT ok(pg_temp.field(:'kill1_report', 7) = 'copying' AND pg_temp.num(:'kill1_report', 8) > 0
          AND pg_temp.num(:'kill1_report', 9) BETWEEN 1 AND pg_temp.num(:'kill1_report', 10) - 1,
          'progress showed big copying, rows_done > 0, some but not all chunks done');
SELECT is(pg_temp.num(:'kill1_report', 11), pg_temp.num(:'kill1_report', 4),
          'progress.workers = the workers pg_stat_progress_copy showed copying');
SELECT is((SELECT code FROM outcome WHERE label = 'kill1'), '57P01', 'the call fails with 57P01');
SELECT matches((SELECT hint FROM outcome WHERE label = 'kill1'), 'resume', '... its hint says to resume');
SELECT diag(format('kill1: run %s, status %s, copy tasks %s of %s done, call took %s s', pg_temp.id('kill1'),
                   (SELECT status FROM minibar_migrate.runs WHERE run_id = pg_temp.id('kill1')),
                   c.done, c.total, round(extract(epoch FROM o.finished - o.started)::numeric, 2)))
  FROM pg_temp.copy_tasks(pg_temp.id('kill1')) c, outcome o WHERE o.label = 'kill1';
-- (Failed when written: the caller stops the workers only when one records an
-- ERROR; a terminated worker records none, so the other one finishes the run,
-- status done, while the call fails with 57P01 and says to resume; the resume
-- then starts a new run that loads the rows again: 23505.)
SELECT is((SELECT status FROM minibar_migrate.runs WHERE run_id = pg_temp.id('kill1')), 'failed',
          'the run has status failed');
SELECT ok((SELECT done BETWEEN 1 AND total - 1 FROM pg_temp.copy_tasks(pg_temp.id('kill1'))),
          'some copy tasks are done, not all');
SELECT is(pg_temp.count_of('tap_wk_kill1.big'), (SELECT rows_done::bigint FROM pg_temp.copy_tasks(pg_temp.id('kill1'))),
          'the target holds the rows of the done chunks');
SELECT is(pg_temp.migrate_db('kill1r', 'tap_wk', 'tap_wk_kill1', '{"workers": 2, "chunk_size": 50000, "resume": true, "tables": ["big"]}'),
          'ok', 'calling again with {"resume": true} finishes');
SELECT diag(format('resume: %s %s (hint: %s)', code, message, hint)) FROM outcome WHERE label = 'kill1r' AND code <> 'ok';
SELECT is(pg_temp.run_of('kill1r'), pg_temp.id('kill1'), '... the same run (same run_id)');
SELECT is((SELECT status FROM minibar_migrate.runs WHERE run_id = pg_temp.id('kill1')), 'done', 'the run is done');
SELECT is((SELECT coalesce(source_binlog_file, '-') || ' ' || source_position_note FROM minibar_migrate.runs WHERE run_id = pg_temp.id('kill1')),
          '- resumed: the tasks left were copied from later snapshots than the first ones, so no single position for change data capture',
          'a resumed run records no position for change data capture, and says why');
SELECT is(pg_temp.big_facts('tap_wk_kill1'), (SELECT facts FROM src_big),
          'the target holds exactly the source rows (count, distinct keys, min, max, sum of keys, text lengths)');

-- A second session terminates every worker: the run stops with committed chunks.
\set kill2_out /tmp/minibar_migrate_tap/workers_kill2_:mypid.out
\set kill2 `bash test/scripts/migrate_workers.sh kill :DBNAME tap_wk_kill2 all :'kill2_out' 30 </dev/null >/dev/null 2>&1 & echo started`
SELECT pg_temp.migrate_db('kill2', 'tap_wk', 'tap_wk_kill2', '{"workers": 2, "chunk_size": 50000, "resume": true, "tables": ["big"]}') \g /dev/null
SELECT pg_temp.wait_file(:'kill2_out', 15) AS kill2_report \gset
SELECT diag('second session: ' || rtrim(:'kill2_report', E'\n'));
INSERT INTO ids VALUES ('kill2', pg_temp.run_into('tap_wk_kill2'));
SELECT is(pg_temp.field(:'kill2_report', 1) || '|' || pg_temp.field(:'kill2_report', 12), 'killed|2',
          'the second session saw the run copying and terminated both workers');
SELECT is((SELECT code FROM outcome WHERE label = 'kill2'), '57P01', 'the call fails with 57P01');
SELECT is(pg_temp.workers_left(10), 0::bigint, 'no worker is left');
SELECT pg_temp.rows_eq($$SELECT status, error IS NOT NULL, resumable FROM minibar_migrate.runs WHERE run_id = pg_temp.id('kill2')$$,
                       $$VALUES ('failed', true, true)$$, 'the run has status failed, an error, and is resumable');
SELECT ok((SELECT done BETWEEN 1 AND total - 1 FROM pg_temp.copy_tasks(pg_temp.id('kill2'))), 'some copy tasks are done, not all');
SELECT is(pg_temp.count_of('tap_wk_kill2.big'), (SELECT rows_done::bigint FROM pg_temp.copy_tasks(pg_temp.id('kill2'))),
          'the committed chunks stay: the target holds the rows of the done chunks');
-- 7. the unfinished run blocks a call without resume.
SELECT pg_temp.try_sql($$SELECT count(*) FROM minibar_migrate.migrate_database('tap_wk', 'tap_wk_kill2',
         '{"workers": 2, "chunk_size": 50000, "tables": ["big"]}')$$) AS blocked \gset
SELECT is(:'blocked'::jsonb ->> 'code', '55000', 'a call without resume while the run is unfinished: 55000');
SELECT matches(:'blocked'::jsonb ->> 'hint', 'rollback', '... its hint mentions rollback');
SELECT is(pg_temp.run_into('tap_wk_kill2'), pg_temp.id('kill2'), '... and it made no run');
CREATE TEMP TABLE kill2_done AS
  SELECT task_no, finished_at, worker_pid FROM minibar_migrate.run_tasks WHERE run_id = pg_temp.id('kill2') AND state = 'done';
SELECT is(pg_temp.migrate_db('kill2r', 'tap_wk', 'tap_wk_kill2', '{"workers": 2, "chunk_size": 50000, "resume": true, "tables": ["big"]}'),
          'ok', 'calling again with {"resume": true} finishes');
SELECT diag(format('resume: %s %s (hint: %s)', code, message, hint)) FROM outcome WHERE label = 'kill2r' AND code <> 'ok';
SELECT is(pg_temp.run_of('kill2r'), pg_temp.id('kill2'), '... the same run (same run_id)');
SELECT pg_temp.rows_eq($$SELECT source_name, rows_source, rows_copied, rows_rejected FROM res WHERE label = 'kill2r'$$,
                       $$VALUES ('big', 1000000::bigint, 1000000::bigint, 0::bigint)$$,
                       '... and returns big: 1,000,000 source rows, all copied');
SELECT pg_temp.rows_eq($$SELECT status, error FROM minibar_migrate.runs WHERE run_id = pg_temp.id('kill2')$$,
                       $$VALUES ('done', NULL::text)$$, 'the run is done, without error');
SELECT is((SELECT count(*) FROM minibar_migrate.run_tasks WHERE run_id = pg_temp.id('kill2') AND state <> 'done'), 0::bigint,
          'every task of the run is done');
SELECT pg_temp.bag($$SELECT t.task_no, t.finished_at, t.worker_pid FROM minibar_migrate.run_tasks t JOIN kill2_done USING (task_no)
                      WHERE t.run_id = pg_temp.id('kill2')$$,
                   $$SELECT * FROM kill2_done$$, 'the tasks done before were not run again');
SELECT is(pg_temp.big_facts('tap_wk_kill2'), (SELECT facts FROM src_big),
          'the target holds exactly the source rows (count, distinct keys, min, max, sum of keys, text lengths)');
SELECT is((SELECT count(*) FROM pg_indexes WHERE schemaname = 'tap_wk_kill2' AND tablename = 'big'), 3::bigint,
          'the target has its primary key and both secondary indexes');
SELECT is((SELECT count(*) FROM minibar_migrate.progress WHERE run_id = pg_temp.id('kill2')), 0::bigint,
          'progress: the resumed run, now done, is not listed');

-- =================================================== progress NOTICEs (progress_interval)
-- Another session runs the migration with one worker and records every NOTICE
-- with the time it arrived. The copy takes seconds, then the two secondary
-- indexes take seconds more.
-- (Failed when written: the NOTICEs read the copy progress in the caller's
-- transaction, whose backend-status snapshot is taken at the first NOTICE and
-- kept, so the chunk copied then counts as live ever after: state copying and
-- up to one chunk too many rows; the row count shows only when that chunk had
-- rows in its progress slot at the time, so that check fails only sometimes.)
\set notice_out /tmp/minibar_migrate_tap/workers_notice_:mypid.out
\set notice `bash test/scripts/migrate_workers.sh notices :DBNAME :'notice_out' "SELECT run_id, rows_copied FROM minibar_migrate.migrate_database('tap_wk', 'tap_wk_notice', '{\"workers\": 1, \"chunk_size\": 50000, \"progress_interval\": 1, \"tables\": [\"big\"]}')" </dev/null >/dev/null 2>&1 & echo started`
SELECT pg_temp.wait_file(:'notice_out', 90) AS notice_report \gset
CREATE TEMP TABLE notice_line AS
  SELECT to_timestamp(m[1]::numeric) AS at, m[2] AS line
    FROM regexp_split_to_table(:'notice_report', E'\n') AS l, regexp_match(l, '^([0-9.]+) (.*)$') AS m;
CREATE TEMP TABLE notices AS
  SELECT n.at, m[1]::bigint AS run_id, m[2] AS tbl, m[3] AS state, m[4]::bigint AS rows_done, m[5]::bigint AS estimated
    FROM notice_line n, regexp_match(n.line, '^NOTICE:  run ([0-9]+): ''([^'']+)'' ([a-z]+) ([0-9]+)/([0-9]+) rows') AS m;
INSERT INTO ids VALUES ('notice', pg_temp.run_into('tap_wk_notice'));
SELECT diag(string_agg(to_char(at, 'HH24:MI:SS.MS') || ' ' || line, E'\n' ORDER BY at)) FROM notice_line WHERE line LIKE 'NOTICE%';
SELECT is((SELECT string_agg(line, ';' ORDER BY at) FROM notice_line WHERE line !~ '^NOTICE'), pg_temp.id('notice') || '|1000000;exit 0',
          'the migration with {"progress_interval": 1} ran in the other session: big, 1,000,000 rows');
SELECT cmp_ok((SELECT count(*) FROM notices WHERE run_id = pg_temp.id('notice') AND tbl = 'big'), '>=', 2::bigint,
              'it sent NOTICEs "run N: ''big'' <state> <done>/<estimated> rows"');
SELECT is((SELECT string_agg(line, E'\n') FROM notice_line
            WHERE line ~ '^NOTICE:  run ' AND line !~ ('^NOTICE:  run ' || pg_temp.id('notice') || ': (1 of 1 table\(s\) done, finishing$|''big'' (pending|copying|indexing) [0-9]+/[0-9]+ rows.*; 0 of 1 table\(s\) done$|table ''big'' copied \(1 of 1\): 1000000 row\(s\), 0 rejected, [0-9]+\.[0-9] s(, [0-9]+ rows/s)?$)')),
          NULL, 'every progress NOTICE names the run and has the documented form');
SELECT is((SELECT string_agg(rows_done::text, ', ') FROM notices WHERE rows_done > 1000000), NULL,
          'no NOTICE reports more rows done than the source has (1,000,000)');
-- The NOTICEs sent after every chunk was committed and before the table was done.
CREATE TEMP TABLE index_window AS
  SELECT (SELECT max(finished_at) FROM minibar_migrate.run_tasks WHERE run_id = pg_temp.id('notice') AND kind = 'copy') + interval '0.3 s' AS lo,
         (SELECT max(finished_at) FROM minibar_migrate.run_tasks WHERE run_id = pg_temp.id('notice') AND kind = 'index') AS hi;
SELECT cmp_ok((SELECT count(*) FROM notices, index_window WHERE at > lo AND at < hi), '>=', 1::bigint,
              'NOTICEs came while the indexes were being built (after every chunk was committed)');
SELECT is((SELECT string_agg(format('%s %s/%s', state, rows_done, estimated), '; ') FROM notices, index_window
            WHERE at > lo AND at < hi AND state = 'copying'),
          NULL, '... none of them says copying');

SELECT * FROM finish();
\! rm -f /tmp/minibar_migrate_tap/workers_*
RESET search_path;
CALL pg_temp.drop_leftovers('{tap_wk_lite0,tap_wk_lite2,tap_wk_my0,tap_wk_my2,tap_wk_my1,tap_wk_rj0,tap_wk_rj2,tap_wk_def,tap_wk_deftx,tap_wk_rr,tap_wk_chunk,tap_wk_tbl,tap_wk_views,tap_wk_rej,tap_wk_cancel,tap_wk_kill1,tap_wk_kill2,tap_wk_notice}', '{tap_wk_lite,tap_wk_my,tap_wk}', runs => true);

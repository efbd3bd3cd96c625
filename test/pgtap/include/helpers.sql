-- Shared by every pgTAP file, which starts with  \ir include/helpers.sql
-- (pg_prove runs each file through psql; this folder holds no test).
-- It sets psql up as the tests expect, makes the scratch folders, installs
-- pgTAP and minibar_migrate, and defines helper functions in pg_temp (gone
-- with the session). Nothing here prints or counts a test.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
-- Scratch folders: /tmp for files a test's second session writes; the
-- fixtures' SQLite files go below /var/lib/minibar_migrate/tap.
\! mkdir -p /tmp/minibar_migrate_tap && chmod 755 /tmp/minibar_migrate_tap
-- The file's own client_min_messages is kept; the extensions come quietly.
SELECT current_setting('client_min_messages') AS helpers_cmm \gset
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS minibar_migrate;
SET client_min_messages = :'helpers_cmm';

-- ------------------------------------------------------------ assertions
-- results_eq / bag_eq that fail (instead of ending the file) when a query dies.
CREATE FUNCTION pg_temp.alive(check_fn text, have text, want text, descr text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE r text;
BEGIN
  EXECUTE format('SELECT %s($1, $2, $3)', check_fn) INTO r USING have, want, descr;
  RETURN r;
EXCEPTION WHEN OTHERS THEN
  RETURN fail(descr) || E'\n' || diag('    died: ' || SQLSTATE || ': ' || SQLERRM);
END $f$;
CREATE FUNCTION pg_temp.rows_eq(have text, want text, descr text) RETURNS text LANGUAGE sql AS $f$
  SELECT pg_temp.alive('results_eq', have, want, descr)
$f$;
CREATE FUNCTION pg_temp.bag(have text, want text, descr text) RETURNS text LANGUAGE sql AS $f$
  SELECT pg_temp.alive('bag_eq', have, want, descr)
$f$;
-- How a statement ends: {"code": "ok"}, or its SQLSTATE, message, detail and
-- hint (a cancel too).
CREATE FUNCTION pg_temp.try_sql(q text) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE c text; m text; d text; h text;
BEGIN
  EXECUTE q;
  RETURN jsonb_build_object('code', 'ok');
EXCEPTION WHEN query_canceled OR OTHERS THEN
  GET STACKED DIAGNOSTICS c = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL,
                          h = PG_EXCEPTION_HINT;
  RETURN jsonb_build_object('code', c, 'message', m, 'detail', d, 'hint', h);
END $f$;
-- The same as text: 'ok', or the SQLSTATE and the message joined by sep.
CREATE FUNCTION pg_temp.try_text(q text, sep text DEFAULT ' ') RETURNS text LANGUAGE sql AS $f$
  SELECT CASE WHEN r ->> 'code' = 'ok' THEN 'ok' ELSE concat(r ->> 'code', sep, r ->> 'message') END
    FROM pg_temp.try_sql(q) r
$f$;

-- ---------------------------------------------------------------- waiting
-- Runs q (one value) until the condition cond on its value $1 holds or
-- timeout_s has passed, pausing pause_s between tries; the last value.
CREATE FUNCTION pg_temp.wait_for(q text, cond text, timeout_s numeric, pause_s numeric DEFAULT 0.05)
RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
  t0 timestamptz := clock_timestamp();
  v text;
  done boolean;
BEGIN
  LOOP
    EXECUTE q INTO v;
    EXECUTE 'SELECT coalesce(' || cond || ', false)' INTO done USING v;
    EXIT WHEN done OR clock_timestamp() > t0 + timeout_s * interval '1 second';
    PERFORM pg_sleep(pause_s);
    PERFORM pg_stat_clear_snapshot();
  END LOOP;
  RETURN v;
END $f$;
-- A file another session writes (it renames it into place when done); ''
-- after timeout_s.
CREATE FUNCTION pg_temp.wait_file(path text, timeout_s numeric) RETURNS text LANGUAGE sql AS $f$
  SELECT coalesce(pg_temp.wait_for(format('SELECT pg_read_file(%L, 0, 100000000, true)', path),
                                   '$1 IS NOT NULL', timeout_s), '')
$f$;
-- A one-line report another session writes; its text without the line end.
CREATE FUNCTION pg_temp.read_report(path text, timeout_s numeric) RETURNS text LANGUAGE sql AS $f$
  SELECT rtrim(coalesce(pg_temp.wait_for(format('SELECT pg_read_file(%L, 0, 10000, true)', path),
                                         $c$$1 LIKE '%' || E'\n'$c$, timeout_s), '(no report)'), E'\n')
$f$;

-- ------------------------------------------------------------- the sources
-- A minibar_mysql server on 127.0.0.1 and the minibar user's mapping; opts
-- adds server options ({"connect_timeout": "5"}).
CREATE PROCEDURE pg_temp.mysql_server(srv text, db text, opts jsonb DEFAULT '{}', port int DEFAULT 3306,
                                      pw text DEFAULT 'minibar') LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER minibar_mysql OPTIONS (host %L, port %L, dbname %L%s)',
                 srv, '127.0.0.1', port::text, db,
                 (SELECT string_agg(format(', %I %L', key, value), '') FROM jsonb_each_text(opts)));
  EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER %I OPTIONS (username %L, password %L)',
                 srv, 'minibar', pw);
END $f$;

-- Drops what an earlier run of the file left: schemas and servers (CASCADE),
-- with runs first the runs recorded for those servers, and roles with all they own.
CREATE PROCEDURE pg_temp.drop_leftovers(schemas text[], servers text[] DEFAULT '{}', runs boolean DEFAULT false,
                                        roles text[] DEFAULT '{}') LANGUAGE plpgsql AS $f$
DECLARE n text;
BEGIN
  FOREACH n IN ARRAY schemas LOOP
    EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', n);
  END LOOP;
  IF runs THEN
    DELETE FROM minibar_migrate.runs WHERE server = ANY (servers);
  END IF;
  FOREACH n IN ARRAY servers LOOP
    EXECUTE format('DROP SERVER IF EXISTS %I CASCADE', n);
  END LOOP;
  FOREACH n IN ARRAY roles LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = n) THEN
      EXECUTE format('DROP OWNED BY %I CASCADE', n);
      EXECUTE format('DROP ROLE %I', n);
    END IF;
  END LOOP;
END $f$;

-- --------------------------------------------------------- target facts
-- Rows of sch.tbl; NULL (and with warn a warning) when they cannot be counted.
CREATE FUNCTION pg_temp.count_rows(sch text, tbl text, warn boolean DEFAULT false) RETURNS bigint
LANGUAGE plpgsql AS $f$
DECLARE n bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %I.%I', sch, tbl) INTO n;
  RETURN n;
EXCEPTION WHEN OTHERS THEN
  IF warn THEN
    RAISE WARNING 'counting %.% failed: %', sch, tbl, SQLERRM;
  END IF;
  RETURN NULL;
END $f$;
-- This backend's memory from /proc (field: VmRSS, RssAnon, ...), in kB.
CREATE FUNCTION pg_temp.rss_kb(field text) RETURNS bigint LANGUAGE sql AS $f$
  SELECT (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), field || ':\s+(\d+) kB'))[1]::bigint
$f$;

-- ------------------------------------------------ a migration's catalog
-- format_type of a column; the typmod is compared only when the expectation has one.
CREATE FUNCTION pg_temp.col_type(sch text, tbl text, col text, want text) RETURNS text LANGUAGE sql AS $f$
  SELECT CASE WHEN want LIKE '%(%' THEN format_type(a.atttypid, a.atttypmod) ELSE format_type(a.atttypid, NULL) END
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = sch AND c.relname = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped
$f$;
-- NOT NULL of every source column (the temp table src_columns: tbl, col) as
-- migrated into schema sch equals source_not_null, an expression over src_columns.
CREATE FUNCTION pg_temp.not_null_carried(sch text, source_not_null text, descr text) RETURNS text LANGUAGE sql AS $f$
  SELECT pg_temp.rows_eq(
    format($q$SELECT lower(s.tbl), lower(s.col), a.attnotnull FROM src_columns s
      JOIN pg_attribute a ON a.attrelid = format('%I.%%I', lower(s.tbl))::regclass AND a.attname = lower(s.col)
     ORDER BY 1, 2$q$, sch),
    format('SELECT lower(tbl), lower(col), %s FROM src_columns ORDER BY 1, 2', source_not_null),
    descr)
$f$;
-- A column's default expression, evaluated (NULL when there is none).
CREATE FUNCTION pg_temp.default_of(sch text, tbl text, col text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE expr text; v text;
BEGIN
  SELECT pg_get_expr(d.adbin, d.adrelid) INTO expr
    FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
   WHERE d.adrelid = format('%I.%I', sch, tbl)::regclass AND a.attname = col;
  IF expr IS NULL THEN RETURN NULL; END IF;
  EXECUTE format('SELECT (%s)::text', expr) INTO v;
  RETURN v;
EXCEPTION WHEN OTHERS THEN
  RETURN 'error: ' || SQLERRM;
END $f$;
-- What nextval() would return now, without calling it.
CREATE FUNCTION pg_temp.next_of(seq regclass) RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE v bigint;
BEGIN
  EXECUTE format('SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM %s', seq) INTO v;
  RETURN v;
END $f$;
-- Indexes of a schema: table, column list (with DESC), unique, primary, backs a constraint, partial.
CREATE FUNCTION pg_temp.indexes(sch text) RETURNS TABLE (tbl text, cols text, is_unique boolean, is_primary boolean,
                                                          is_constraint boolean, is_partial boolean, name text)
LANGUAGE sql AS $f$
  SELECT t.relname::text, (SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true)
                                             || CASE WHEN i.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END, ','
                                             ORDER BY k)
                             FROM generate_series(1, i.indnkeyatts) k),
         i.indisunique, i.indisprimary,
         EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')),
         i.indpred IS NOT NULL, x.relname::text
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
   WHERE t.relnamespace = sch::regnamespace
$f$;
-- Foreign keys of a schema: child table, its columns, parent table, parent columns, actions, validated.
CREATE FUNCTION pg_temp.fks(sch text) RETURNS TABLE (child text, cols text, parent text, pcols text,
                                                      on_delete "char", on_update "char", validated boolean, name text)
LANGUAGE sql AS $f$
  SELECT c.relname::text,
         (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(f.conkey) WITH ORDINALITY k(att, n)
            JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.att),
         p.relname::text,
         (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(f.confkey) WITH ORDINALITY k(att, n)
            JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.att),
         f.confdeltype, f.confupdtype, f.convalidated, f.conname::text
    FROM pg_constraint f JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class p ON p.oid = f.confrelid
   WHERE f.contype = 'f' AND c.relnamespace = sch::regnamespace
$f$;
-- One reject: present with the expected key, column, reason, SQLSTATE and value.
CREATE FUNCTION pg_temp.reject_is(run bigint, src text, key jsonb, col text, reason_re text, states text[],
                                  value_re text, descr text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM minibar_migrate.rejects WHERE run_id = run AND source_table = src AND row_data = key LOOP
    IF r.column_name IS NOT DISTINCT FROM col AND r.reason ~* reason_re AND r.sqlstate = ANY (states)
       AND (value_re IS NULL OR r.value ~* value_re) THEN
      RETURN pass(descr);
    END IF;
    RETURN fail(descr) || E'\n' || diag(format('    have: column %s, reason %L, sqlstate %s, value %L',
                                               r.column_name, r.reason, r.sqlstate, r.value))
                       || E'\n' || diag(format('    want: column %s, reason ~* %L, sqlstate in %s, value ~* %L',
                                               col, reason_re, states, value_re));
  END LOOP;
  RETURN fail(descr) || E'\n' || diag('    no reject with row_data ' || key::text);
END $f$;

-- For a file that records migrate_database results: the temp table <p>_run
-- (one row per result row, with its order), and the views <p>_notes and
-- <p>_rejects of the latest run recorded there.
CREATE PROCEDURE pg_temp.run_tables(p text) LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE format('CREATE TEMP TABLE %I (run_id bigint, kind text, source_name text, target regclass, rows_source bigint,
    rows_copied bigint, rows_rejected bigint, zero_dates bigint, seconds double precision,
    rows_per_second double precision, notes text[], ord bigint)', p || '_run');
  EXECUTE format('CREATE TEMP VIEW %I AS SELECT * FROM minibar_migrate.run_notes WHERE run_id = (SELECT max(run_id) FROM %I)',
                 p || '_notes', p || '_run');
  EXECUTE format('CREATE TEMP VIEW %I AS SELECT * FROM minibar_migrate.rejects WHERE run_id = (SELECT max(run_id) FROM %I)',
                 p || '_rejects', p || '_run');
END $f$;
-- The table rows of run table run_tbl come in foreign-key load order (parents
-- before children; src_fks(child, parent) holds the source's foreign keys, a
-- two-table cycle aside).
CREATE FUNCTION pg_temp.load_order(run_tbl text, descr text) RETURNS text LANGUAGE sql AS $f$
  SELECT pg_temp.rows_eq(format($q$SELECT f.child, f.parent FROM src_fks f
      JOIN %1$I c ON c.kind = 'table' AND c.source_name = f.child
      JOIN %1$I p ON p.kind = 'table' AND p.source_name = f.parent
     WHERE f.child <> f.parent
       AND NOT EXISTS (SELECT FROM src_fks b WHERE b.child = f.parent AND b.parent = f.child)
       AND c.ord < p.ord$q$, run_tbl), $q$SELECT 'x', 'x' WHERE false$q$, descr)
$f$;

-- The install script of release 0.1, as it was released: never edit it (a
-- change goes into the source SQL files and minibar_migrate--0.1--0.2.sql).
-- minibar_migrate 0.1: the SQLite and MySQL/MariaDB foreign data wrappers. Installed into schema minibar_migrate (see the control file).
\echo Use "CREATE EXTENSION minibar_migrate" to load this file. \quit

CREATE FUNCTION minibar_migrate.sqlite_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME', 'minibar_sqlite_fdw_handler'
LANGUAGE C STRICT;

CREATE FUNCTION minibar_migrate.sqlite_fdw_validator(text[], oid)
RETURNS void
AS 'MODULE_PATHNAME', 'minibar_sqlite_fdw_validator'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER minibar_sqlite
  HANDLER minibar_migrate.sqlite_fdw_handler
  VALIDATOR minibar_migrate.sqlite_fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER minibar_sqlite IS
  'Reads SQLite database files (read-only, streaming, with pushdown)';

CREATE FUNCTION minibar_migrate.mysql_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME', 'minibar_mysql_fdw_handler'
LANGUAGE C STRICT;

CREATE FUNCTION minibar_migrate.mysql_fdw_validator(text[], oid)
RETURNS void
AS 'MODULE_PATHNAME', 'minibar_mysql_fdw_validator'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER minibar_mysql
  HANDLER minibar_migrate.mysql_fdw_handler
  VALIDATOR minibar_migrate.mysql_fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER minibar_mysql IS
  'Reads MySQL/MariaDB tables (streaming, typed, with pushdown and remote cancel)';

-- The MySQL connections this backend keeps open (one per server and user
-- mapping). Passwords are never shown.
CREATE FUNCTION minibar_migrate.mysql_connections(
  OUT server_name text, OUT user_name text, OUT thread_id bigint,
  OUT valid boolean, OUT busy boolean, OUT tls text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'minibar_mysql_connections'
LANGUAGE C STRICT VOLATILE;

CREATE FUNCTION minibar_migrate.mysql_disconnect(server_name text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'minibar_mysql_disconnect'
LANGUAGE C STRICT VOLATILE;

CREATE FUNCTION minibar_migrate.mysql_disconnect_all()
RETURNS integer
AS 'MODULE_PATHNAME', 'minibar_mysql_disconnect_all'
LANGUAGE C STRICT VOLATILE;



COMMENT ON FUNCTION minibar_migrate.sqlite_fdw_handler() IS
  'FDW handler of minibar_sqlite (planning, scans, ANALYZE, IMPORT FOREIGN SCHEMA)';
COMMENT ON FUNCTION minibar_migrate.sqlite_fdw_validator(text[], oid) IS
  'Checks minibar_sqlite options on servers, user mappings, tables and columns';
COMMENT ON FUNCTION minibar_migrate.mysql_fdw_handler() IS
  'FDW handler of minibar_mysql (planning, scans, ANALYZE, IMPORT FOREIGN SCHEMA)';
COMMENT ON FUNCTION minibar_migrate.mysql_fdw_validator(text[], oid) IS
  'Checks minibar_mysql options on servers, user mappings, tables and columns';
COMMENT ON FUNCTION minibar_migrate.mysql_connections IS
  'The MySQL connections this backend keeps open, one per server and user mapping (passwords never shown)';
COMMENT ON FUNCTION minibar_migrate.mysql_disconnect IS
  'Closes this backend''s cached MySQL connections to one server';
COMMENT ON FUNCTION minibar_migrate.mysql_disconnect_all IS
  'Closes every MySQL connection this backend keeps open; returns how many it closed';
-- ---------------------------------------------------------------------------
-- Migration: state tables (extension configuration, dumped by pg_dump)
-- ---------------------------------------------------------------------------

-- One row per migrate_table / migrate_database call.
CREATE TABLE minibar_migrate.runs (
  run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('table', 'database')),
  server name NOT NULL,
  target_schema name,
  options jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'done', 'failed', 'rolled back')),
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  started_by name NOT NULL DEFAULT current_user,
  workers int NOT NULL DEFAULT 0,          -- 0: ran in the caller's transaction
  resumable boolean NOT NULL DEFAULT false, -- progress kept on failure ({"resume": true})
  error text,                              -- why a failed run failed
  -- Where the source's binlog stood at the snapshot the rows were copied
  -- from (MariaDB: Binlog_snapshot_file / _position and their GTID), the
  -- start for change data capture; NULL with the reason in source_position_note.
  source_binlog_file text,
  source_binlog_pos bigint,
  source_gtid text,
  source_position_note text,
  -- Chunks of a resumed run that changed in the source after they were
  -- committed and could not be copied again (run_tasks.stale): a 'done' run
  -- with stale chunks lacks the source's current rows there (run_report
  -- lists them; the run ends with a WARNING).
  stale_chunks int NOT NULL DEFAULT 0
);

-- One row per table of a run, written when the run is planned and completed
-- when the table is done. source rows = copied + rejected.
CREATE TABLE minibar_migrate.run_tables (
  run_id bigint NOT NULL REFERENCES minibar_migrate.runs ON DELETE CASCADE,
  source_table text NOT NULL,
  target_table text NOT NULL,               -- its quoted, qualified name (for display)
  target_relid oid NOT NULL,                -- the target the tasks load, by OID
  created boolean NOT NULL,
  rows_source bigint NOT NULL DEFAULT 0,
  rows_copied bigint NOT NULL DEFAULT 0,
  rows_rejected bigint NOT NULL DEFAULT 0,
  zero_dates bigint NOT NULL DEFAULT 0,
  seconds double precision NOT NULL DEFAULT 0,
  table_no int NOT NULL DEFAULT 0,          -- foreign-key order
  done boolean NOT NULL DEFAULT false,
  rows_estimated bigint,                    -- from the source's statistics
  rows_before bigint NOT NULL DEFAULT 0,    -- an existing target's rows before the load
  chunks int NOT NULL DEFAULT 1,
  chunk_key text,                           -- source column the chunks split on
  source_columns text[] NOT NULL DEFAULT '{}',
  target_columns text[] NOT NULL DEFAULT '{}',  -- fed from source_columns, same order
  key_columns text[] NOT NULL DEFAULT '{}',     -- source key, to name rejected rows
  identity_column text,                     -- created identity column (sequence upkeep)
  PRIMARY KEY (run_id, source_table)
);

-- The work of a run, one row per step, committed as each step is done (with
-- background workers: by the worker, in the transaction that did the work,
-- so a resumed run redoes only steps that never committed). A step is ready
-- when no pending step of a lower phase remains (of its own table when
-- table_scoped). Phases: 1 copy (a key-range chunk or the whole table),
-- 2 primary key / unique / index and check (counts), 100.. foreign keys (one
-- phase each: one at a time), 1000000 analyze, 2000000 finish.
CREATE TABLE minibar_migrate.run_tasks (
  run_id bigint NOT NULL REFERENCES minibar_migrate.runs ON DELETE CASCADE,
  task_no int NOT NULL,
  phase int NOT NULL,
  kind text NOT NULL CHECK (kind IN ('copy', 'index', 'check', 'foreign_key', 'analyze',
                                     'finish')),
  source_table text,
  table_scoped boolean NOT NULL DEFAULT true,
  key_lo bigint,                            -- copy: chunk bounds, lo <= key < hi (NULL: open)
  key_hi bigint,
  -- index / foreign_key: the plan entry as data (names, columns, actions);
  -- the statement is built from it, with every name quoted, when the task
  -- runs. No SQL text is ever stored here or read back.
  detail jsonb,
  rows_estimated bigint,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
  rows_source bigint,
  rows_copied bigint,
  rows_rejected bigint,
  zero_dates bigint,
  general_path boolean,
  started_at timestamptz,
  finished_at timestamptz,
  seconds double precision,
  worker_pid int,
  -- copy: set when a resumed run found the chunk changed in the source
  -- since it was committed and did not copy it again (a table that existed
  -- before the run): how it differs. Cleared when a later re-check finds it equal.
  stale text,
  PRIMARY KEY (run_id, task_no)
);

-- What a run created, for rollback: its schema, enum types and tables (their
-- keys, indexes, sequences and foreign keys go with them), by OID, recorded
-- when the run created them. rollback drops an object only while that OID
-- still has the recorded name and the run's owner.
CREATE TABLE minibar_migrate.run_objects (
  run_id bigint NOT NULL REFERENCES minibar_migrate.runs ON DELETE CASCADE,
  object_no int NOT NULL,
  kind text NOT NULL CHECK (kind IN ('schema', 'type', 'table')),
  object_oid oid NOT NULL,                  -- pg_namespace / pg_type / pg_class
  identity text NOT NULL,                   -- its quoted, qualified name then (for display)
  PRIMARY KEY (run_id, object_no)
);

-- Rows that were not copied, with the reason.
CREATE TABLE minibar_migrate.rejects (
  reject_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id bigint NOT NULL REFERENCES minibar_migrate.runs ON DELETE CASCADE,
  source_table text NOT NULL,
  target_table text NOT NULL,
  row_data jsonb NOT NULL,
  column_name text,
  reason text NOT NULL,
  sqlstate text NOT NULL,
  value text,
  rejected_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ON minibar_migrate.rejects (run_id, source_table);

-- What a run did not translate (defaults, checks, FULLTEXT and prefix
-- indexes, views, triggers, routines, events, orphans...).
CREATE TABLE minibar_migrate.run_notes (
  note_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id bigint NOT NULL REFERENCES minibar_migrate.runs ON DELETE CASCADE,
  source_table text,
  kind text NOT NULL,
  object text NOT NULL,
  detail text NOT NULL
);
CREATE INDEX ON minibar_migrate.run_notes (run_id);

SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.runs', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_tables', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.rejects', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_notes', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_tasks', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_objects', '');

-- Everyone may migrate (with their own privileges on servers and schemas);
-- each user sees only their own runs and their rows. Nobody but the
-- extension's code writes these tables: no INSERT, UPDATE or DELETE is
-- granted; the functions write them with the owner's rights (see
-- docs/security.md).
GRANT USAGE ON SCHEMA minibar_migrate TO PUBLIC;
REVOKE ALL ON minibar_migrate.runs, minibar_migrate.run_tables, minibar_migrate.rejects,
  minibar_migrate.run_notes, minibar_migrate.run_tasks, minibar_migrate.run_objects FROM PUBLIC;
GRANT SELECT ON minibar_migrate.runs, minibar_migrate.run_tables,
  minibar_migrate.rejects, minibar_migrate.run_notes, minibar_migrate.run_tasks,
  minibar_migrate.run_objects TO PUBLIC;
ALTER TABLE minibar_migrate.runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE minibar_migrate.run_tables ENABLE ROW LEVEL SECURITY;
ALTER TABLE minibar_migrate.rejects ENABLE ROW LEVEL SECURITY;
ALTER TABLE minibar_migrate.run_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_runs ON minibar_migrate.runs USING (started_by = current_user);
CREATE POLICY own_run_tables ON minibar_migrate.run_tables USING (EXISTS (
  SELECT 1 FROM minibar_migrate.runs r WHERE r.run_id = run_tables.run_id));
CREATE POLICY own_rejects ON minibar_migrate.rejects USING (EXISTS (
  SELECT 1 FROM minibar_migrate.runs r WHERE r.run_id = rejects.run_id));
CREATE POLICY own_run_notes ON minibar_migrate.run_notes USING (EXISTS (
  SELECT 1 FROM minibar_migrate.runs r WHERE r.run_id = run_notes.run_id));
ALTER TABLE minibar_migrate.run_tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE minibar_migrate.run_objects ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_run_tasks ON minibar_migrate.run_tasks USING (EXISTS (
  SELECT 1 FROM minibar_migrate.runs r WHERE r.run_id = run_tasks.run_id));
CREATE POLICY own_run_objects ON minibar_migrate.run_objects USING (EXISTS (
  SELECT 1 FROM minibar_migrate.runs r WHERE r.run_id = run_objects.run_id));

-- ---------------------------------------------------------------------------
-- Migration functions
-- ---------------------------------------------------------------------------

CREATE TYPE minibar_migrate.migrate_table_result AS (
  target regclass, rows_copied bigint, rows_rejected bigint, seconds double precision);

-- Creates target from the remote table's definition (or loads into an
-- existing table), copies every row, then builds the keys and indexes.
CREATE FUNCTION minibar_migrate.migrate_table(
  server name, remote_table text, target text DEFAULT NULL, options jsonb DEFAULT '{}')
RETURNS minibar_migrate.migrate_table_result
AS 'MODULE_PATHNAME', 'minibar_migrate_table'
LANGUAGE C VOLATILE;

-- Every table in foreign-key order, then foreign keys, sequences, ANALYZE.
CREATE FUNCTION minibar_migrate.migrate_database(
  server name, target_schema name DEFAULT 'public', options jsonb DEFAULT '{}')
RETURNS TABLE (run_id bigint, kind text, source_name text, target regclass,
  rows_source bigint, rows_copied bigint, rows_rejected bigint, zero_dates bigint,
  seconds double precision, rows_per_second double precision, notes text[])
AS 'MODULE_PATHNAME', 'minibar_migrate_database'
LANGUAGE C VOLATILE;

-- Sets every identity/serial sequence of target_schema's tables past its
-- column's maximum (minimum for descending sequences); an empty table's
-- sequence goes back to its start. old_value / new_value: what nextval()
-- returned before and returns after. A sequence that no column owns, or that
-- the defaults of several columns share, is reported (note) and not touched:
-- no single column says where it must stand. Safe to run twice.
CREATE FUNCTION minibar_migrate.reset_sequences(target_schema name DEFAULT 'public')
RETURNS TABLE (sequence regclass, old_value bigint, new_value bigint,
  table_name regclass, column_name name, note text)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
  extreme bigint;
  last bigint;
  called boolean;
  lo bigint;
  hi bigint;
BEGIN
  FOR r IN
    WITH users AS (
      -- the column that owns it (identity, serial, OWNED BY)
      SELECT d.objid AS seq, d.refobjid AS tbl, d.refobjsubid AS att, true AS owns
        FROM pg_depend d JOIN pg_class c ON c.oid = d.objid AND c.relkind = 'S'
       WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
         AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
      UNION
      -- columns whose default calls nextval() on it
      SELECT d.refobjid, ad.adrelid, ad.adnum, false
        FROM pg_depend d
        JOIN pg_attrdef ad ON ad.oid = d.objid
        JOIN pg_class c ON c.oid = d.refobjid AND c.relkind = 'S'
       WHERE d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_class'::regclass
    ), per_seq AS (
      SELECT u.seq, bool_or(u.owns) AS owned,
             count(DISTINCT (u.tbl, u.att)) AS ncols,
             string_agg(DISTINCT format('%s.%I', u.tbl::regclass, a.attname), ', ') AS cols,
             (array_agg(u.tbl ORDER BY u.owns DESC))[1] AS tbl,
             (array_agg(a.attname ORDER BY u.owns DESC))[1] AS col,
             bool_or(n.nspname = target_schema) AS in_schema
        FROM users u
        JOIN pg_attribute a ON a.attrelid = u.tbl AND a.attnum = u.att
        JOIN pg_class t ON t.oid = u.tbl
        JOIN pg_namespace n ON n.oid = t.relnamespace
       GROUP BY u.seq
    )
    SELECT p.seq::regclass AS seq, p.tbl::regclass AS tbl, p.col, p.owned, p.ncols, p.cols,
           s.seqstart, s.seqincrement
      FROM per_seq p JOIN pg_sequence s ON s.seqrelid = p.seq
     WHERE p.in_schema
     ORDER BY p.tbl::regclass::text, p.col
  LOOP
    EXECUTE format('SELECT last_value, is_called FROM %s', r.seq) INTO last, called;
    SELECT q.seqmin, q.seqmax INTO lo, hi FROM pg_sequence q WHERE q.seqrelid = r.seq;
    -- A called sequence at its bound is exhausted: no next value (NULL), never
    -- an overflow.
    old_value := CASE WHEN NOT called THEN last
                      WHEN last::numeric + r.seqincrement BETWEEN lo AND hi
                        THEN last + r.seqincrement END;
    sequence := r.seq;
    table_name := r.tbl;
    column_name := r.col;
    note := NULL;
    IF NOT r.owned THEN
      new_value := old_value;
      note := format('not owned by a column (used by %s): not touched', r.cols);
    ELSIF r.ncols > 1 THEN
      new_value := old_value;
      note := format('shared by %s: not touched', r.cols);
    ELSE
      IF r.seqincrement > 0 THEN
        EXECUTE format('SELECT max(%I)::bigint FROM %s', r.col, r.tbl) INTO extreme;
      ELSE
        EXECUTE format('SELECT min(%I)::bigint FROM %s', r.col, r.tbl) INTO extreme;
      END IF;
      IF extreme IS NULL THEN
        PERFORM setval(r.seq, r.seqstart, false);
        new_value := r.seqstart;
      ELSIF extreme > hi OR extreme < lo THEN
        -- the column holds a value the sequence cannot reach: left as it is
        new_value := old_value;
        note := format('%s.%I holds %s, beyond the sequence''s range %s..%s: not touched',
                       r.tbl, r.col, extreme, lo, hi);
      ELSIF extreme::numeric + r.seqincrement BETWEEN lo AND hi THEN
        PERFORM setval(r.seq, extreme, true);
        new_value := extreme + r.seqincrement;
      ELSE
        -- at its bound: stays exhausted (the next nextval() fails), never wraps
        PERFORM setval(r.seq, extreme, true);
        new_value := NULL;
        note := format('%s.%I holds %s, the sequence''s %s: exhausted, the next nextval() fails',
                       r.tbl, r.col, extreme,
                       CASE WHEN r.seqincrement > 0 THEN 'maximum' ELSE 'minimum' END);
      END IF;
    END IF;
    RETURN NEXT;
  END LOOP;
END
$$;

-- ---------------------------------------------------------------------------
-- Runs: progress, report, rollback
-- ---------------------------------------------------------------------------

-- Where every run stands, per table: committed chunks plus the rows of the
-- chunks being copied right now (read from the copying backends' progress,
-- the same numbers pg_stat_progress_copy shows).
CREATE VIEW minibar_migrate.progress WITH (security_invoker = true) AS
WITH live AS (
  SELECT p.param11 AS run_id, p.param12::int AS task_no, p.param3 + p.param4 AS rows_done,
         p.pid, a.xact_start
    FROM pg_catalog.pg_stat_get_progress_info('COPY') p
    LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = p.pid
   WHERE p.param11 > 0
), per_table AS (
  SELECT t.run_id, t.table_no, t.source_table, t.target_table, t.done, t.chunks,
         t.rows_estimated,
         (SELECT count(*) FROM minibar_migrate.run_tasks k
           WHERE k.run_id = t.run_id AND k.source_table = t.source_table AND k.kind = 'copy'
             AND k.state = 'done') AS chunks_done,
         (SELECT coalesce(sum(k.rows_copied + k.rows_rejected), 0) FROM minibar_migrate.run_tasks k
           WHERE k.run_id = t.run_id AND k.source_table = t.source_table AND k.kind = 'copy'
             AND k.state = 'done') AS rows_committed,
         (SELECT min(k.started_at) FROM minibar_migrate.run_tasks k
           WHERE k.run_id = t.run_id AND k.source_table = t.source_table AND k.state = 'done')
           AS first_done_start,
         (SELECT coalesce(sum(l.rows_done), 0) FROM live l JOIN minibar_migrate.run_tasks k
             ON k.run_id = l.run_id AND k.task_no = l.task_no
           WHERE k.run_id = t.run_id AND k.source_table = t.source_table AND k.state = 'pending') AS rows_live,
         (SELECT min(l.xact_start) FROM live l JOIN minibar_migrate.run_tasks k
             ON k.run_id = l.run_id AND k.task_no = l.task_no
           WHERE k.run_id = t.run_id AND k.source_table = t.source_table AND k.state = 'pending') AS live_start,
         (SELECT count(*) FROM live l JOIN minibar_migrate.run_tasks k
             ON k.run_id = l.run_id AND k.task_no = l.task_no
           WHERE k.run_id = t.run_id AND k.source_table = t.source_table AND k.state = 'pending') AS copying
    FROM minibar_migrate.run_tables t
), rated AS (
  SELECT p.*, p.rows_committed + p.rows_live AS rows_done,
         extract(epoch FROM clock_timestamp()
           - least(p.first_done_start, p.live_start)) AS elapsed
    FROM per_table p
)
SELECT r.run_id, r.table_no, r.source_table, r.target_table,
       CASE WHEN r.done OR NOT EXISTS (SELECT 1 FROM minibar_migrate.run_tasks k
                  WHERE k.run_id = r.run_id AND k.source_table = r.source_table
                    AND k.kind IN ('copy', 'index', 'check') AND k.state = 'pending')
            THEN 'done'
            WHEN r.copying > 0 THEN 'copying'
            WHEN r.chunks_done = r.chunks THEN 'indexing'
            WHEN r.chunks_done > 0 THEN 'copying'
            ELSE 'pending' END AS state,
       r.chunks_done, r.chunks, r.copying::int AS workers,
       r.rows_done, r.rows_estimated,
       CASE WHEN r.elapsed > 0 THEN r.rows_done / r.elapsed END::float8 AS rows_per_second,
       CASE WHEN r.chunks_done < r.chunks AND r.elapsed > 0 AND r.rows_done > 0
                 AND r.rows_estimated > r.rows_done
            THEN (r.rows_estimated - r.rows_done) / (r.rows_done / r.elapsed)
                 * interval '1 second' END AS eta
  FROM rated r;
GRANT SELECT ON minibar_migrate.progress TO PUBLIC;

-- A run's report (the caller's latest run when run_id is NULL): a row per
-- table, a total, then what was not translated.
CREATE FUNCTION minibar_migrate.run_report(run_id bigint DEFAULT NULL)
RETURNS TABLE (run_id bigint, line text, source_table text, target_table text,
  rows_source bigint, rows_copied bigint, rows_rejected bigint, seconds double precision,
  rows_per_second double precision, notes text[])
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  WITH the_run AS (
    SELECT r.run_id, r.started_at, r.finished_at FROM minibar_migrate.runs r
     WHERE r.run_id = coalesce($1, (SELECT max(x.run_id) FROM minibar_migrate.runs x
                                            WHERE x.started_by = current_user))
  )
  SELECT * FROM (
    SELECT t.run_id, 'table', t.source_table, t.target_table, t.rows_source, t.rows_copied,
           t.rows_rejected, t.seconds,
           CASE WHEN t.seconds > 0 THEN t.rows_copied / t.seconds END,
           ARRAY(SELECT n.kind || ' ' || n.object || ': ' || n.detail
                   FROM minibar_migrate.run_notes n
                  WHERE n.run_id = t.run_id AND n.source_table = t.source_table
                  ORDER BY n.note_id)
      FROM minibar_migrate.run_tables t JOIN the_run USING (run_id)
    UNION ALL
    SELECT u.run_id, 'total', NULL, NULL, sum(t.rows_source)::bigint, sum(t.rows_copied)::bigint,
           sum(t.rows_rejected)::bigint,
           extract(epoch FROM coalesce(u.finished_at, clock_timestamp()) - u.started_at)::float8,
           sum(t.rows_copied) / nullif(extract(epoch FROM coalesce(u.finished_at,
             clock_timestamp()) - u.started_at), 0)::float8,
           '{}'::text[]
      FROM the_run u LEFT JOIN minibar_migrate.run_tables t ON t.run_id = u.run_id
     GROUP BY u.run_id, u.started_at, u.finished_at
    UNION ALL
    SELECT n.run_id, n.kind, n.object, NULL, NULL, NULL, NULL, NULL, NULL, ARRAY[n.detail]
      FROM minibar_migrate.run_notes n JOIN the_run USING (run_id)
     WHERE n.source_table IS NULL
    UNION ALL
    -- Chunks whose rows in the target are not the source's any more (a
    -- resumed run found them changed and could not copy them again).
    SELECT k.run_id, 'stale', k.source_table, t.target_table, k.rows_source, k.rows_copied,
           k.rows_rejected, k.seconds, NULL,
           ARRAY[CASE WHEN k.key_lo IS NULL AND k.key_hi IS NULL THEN 'the whole table'
                      ELSE 'the chunk ' || coalesce(k.key_lo || ' <= ', '') || t.chunk_key ||
                           coalesce(' < ' || k.key_hi, '') END || ': ' || k.stale]
      FROM minibar_migrate.run_tasks k JOIN the_run USING (run_id)
      JOIN minibar_migrate.run_tables t ON t.run_id = k.run_id AND t.source_table = k.source_table
     WHERE k.kind = 'copy' AND k.stale IS NOT NULL
  ) rep
$$;

-- The same report as text, for psql (\pset format unaligned, or just read it).
CREATE FUNCTION minibar_migrate.run_report_text(run_id bigint DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
  run minibar_migrate.runs;
  out text;
  n text;
BEGIN
  SELECT * INTO run FROM minibar_migrate.runs x
   WHERE x.run_id = coalesce($1, (SELECT max(y.run_id) FROM minibar_migrate.runs y
                                  WHERE y.started_by = current_user));
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no run %', coalesce($1::text, '(you have none)') USING ERRCODE = '42704';
  END IF;
  out := format(E'run %s: migrate_%s from server %s into %s, %s%s (%s workers), started %s\n',
                run.run_id, run.kind, run.server, coalesce(run.target_schema, '-'), run.status,
                CASE WHEN run.stale_chunks > 0
                     THEN format(' with %s stale chunk(s)', run.stale_chunks) ELSE '' END,
                run.workers, run.started_at);
  IF run.error IS NOT NULL THEN
    out := out || format(E'error: %s\n', run.error);
  END IF;
  out := out || format(E'%-32s %12s %12s %10s %9s %12s\n', 'table', 'source rows', 'copied',
                       'rejected', 'seconds', 'rows/s');
  FOR r IN SELECT * FROM minibar_migrate.run_report(run.run_id) LOOP
    IF r.line IN ('table', 'total') THEN
      out := out || format(E'%-32s %12s %12s %10s %9s %12s\n',
                           coalesce(r.source_table, '(total)'), r.rows_source, r.rows_copied,
                           r.rows_rejected, round(r.seconds::numeric, 3),
                           coalesce(round(r.rows_per_second::numeric)::text, '-'));
      FOREACH n IN ARRAY r.notes LOOP
        out := out || format(E'    note: %s\n', n);
      END LOOP;
    ELSIF r.line = 'stale' THEN
      out := out || format(E'stale: %s, %s\n', r.source_table, array_to_string(r.notes, '; '));
    ELSE
      out := out || format(E'not translated: %s %s: %s\n', r.line, r.source_table,
                           array_to_string(r.notes, '; '));
    END IF;
  END LOOP;
  RETURN out;
END
$$;

-- Drops what a run created (its tables with their keys, indexes, identity
-- sequences and foreign keys; its enum types; its schema) and nothing else:
-- rows it loaded into tables that existed before stay, and a row
-- (kind 'rows') per such table says how many. Only the role that
-- started the run may roll it back (42501), never while the run is being run
-- (55006). Each object is found by the OID recorded when the run created it
-- and dropped only while it still has the recorded name and the run's owner
-- (else it is skipped and reported). Refuses (2BP01) when a dropped object
-- has gained dependents since (a view, another table's foreign key, a new
-- object in the schema...). reason: recorded as the run's error.
CREATE FUNCTION minibar_migrate.rollback(run_id bigint, reason text DEFAULT NULL)
RETURNS TABLE (kind text, object text)
AS 'MODULE_PATHNAME', 'minibar_rollback'
LANGUAGE C VOLATILE;


COMMENT ON TABLE minibar_migrate.runs IS
  'One row per migrate_table / migrate_database call: who started it, options, status and stale chunks, snapshot position (written only by the extension)';
COMMENT ON TABLE minibar_migrate.run_tables IS
  'One row per table of a run: source and target, target OID, rows in the source, copied and rejected';
COMMENT ON TABLE minibar_migrate.run_tasks IS
  'The steps of a run (copy chunks, keys and indexes, foreign keys, analyze, finish) as data, each committed with its work';
COMMENT ON TABLE minibar_migrate.run_objects IS
  'What a run created (schema, enum types, tables), by OID, for rollback';
COMMENT ON TABLE minibar_migrate.rejects IS
  'Rows that were not copied: the row''s key or a bounded excerpt of its values, the column, the reason and SQLSTATE';
COMMENT ON TABLE minibar_migrate.run_notes IS
  'What a run did not translate or changed on purpose (defaults, checks, indexes, views, triggers, orphans, type choices)';
COMMENT ON TYPE minibar_migrate.migrate_table_result IS
  'The result of migrate_table: the run and its row counts';
COMMENT ON FUNCTION minibar_migrate.migrate_table IS
  'Creates (or loads into) a PostgreSQL table from one remote table, copies every row, then builds keys and indexes';
COMMENT ON FUNCTION minibar_migrate.migrate_database IS
  'Migrates every table of a remote database in foreign-key order, then foreign keys, sequences and ANALYZE';
COMMENT ON FUNCTION minibar_migrate.reset_sequences IS
  'Sets each identity/serial sequence of a schema past its column''s values; returns what nextval() gave before and gives after';
COMMENT ON VIEW minibar_migrate.progress IS
  'Where each of the caller''s runs stands, per table: committed chunks plus the rows being copied right now';
COMMENT ON FUNCTION minibar_migrate.run_report IS
  'A run''s report (the caller''s latest run when NULL): a row per table, a total, then the notes and the stale chunks';
COMMENT ON FUNCTION minibar_migrate.run_report_text IS
  'run_report as text, for psql';
COMMENT ON FUNCTION minibar_migrate.rollback IS
  'Drops what a run created (by recorded OID, name and owner) and nothing else; only the run''s owner may';
-- Compares a source table with a PostgreSQL table in key-range chunks: per
-- chunk the row counts and a checksum of every value; a chunk that differs
-- is followed by its differing rows (kind 'row'). method: 'pushdown' (MySQL,
-- computed in SQL on both servers) or 'streamed' (source rows converted to
-- the target's types, values encoded by their binary send functions). See
-- docs/validation.md.
CREATE FUNCTION minibar_migrate.validate_checksums(
  server name, remote_table text, target regclass, options jsonb DEFAULT '{}')
RETURNS TABLE (kind text, chunk integer, key_column text, key_lo bigint, key_hi bigint,
  source_rows bigint, target_rows bigint, source_hash text, target_hash text, ok boolean,
  row_key text, detail text, method text)
AS 'MODULE_PATHNAME', 'minibar_validate_checksums'
LANGUAGE C VOLATILE;

-- Database-wide validation (validate_database): one row per call, one per
-- table, one per foreign key checked for orphans; kept by pg_dump, each user
-- sees their own. validation_latest: the latest verdict per table.
CREATE TABLE minibar_migrate.validations (
  validation_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  server name NOT NULL,
  target_schema name NOT NULL,
  options jsonb NOT NULL DEFAULT '{}',
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  ok boolean,              -- every table equal, every foreign key without orphans
  tables integer,
  tables_differing integer,
  orphans bigint,
  run_by name NOT NULL DEFAULT current_user
);
CREATE TABLE minibar_migrate.validation_tables (
  validation_id bigint NOT NULL REFERENCES minibar_migrate.validations ON DELETE CASCADE,
  source_table text NOT NULL,
  target_table text,       -- NULL: no such table in the target schema
  source_rows bigint,
  target_rows bigint,
  chunks integer,
  chunks_differing integer,
  rows_differing bigint,   -- rows named as missing, extra or changed
  unconvertible bigint,
  ok boolean NOT NULL,
  seconds double precision,
  detail text,
  PRIMARY KEY (validation_id, source_table)
);
CREATE TABLE minibar_migrate.validation_foreign_keys (
  validation_id bigint NOT NULL REFERENCES minibar_migrate.validations ON DELETE CASCADE,
  table_name text NOT NULL,
  constraint_name name NOT NULL,
  orphans bigint NOT NULL,
  example text,            -- one orphan's key columns, as JSON
  PRIMARY KEY (validation_id, table_name, constraint_name)
);
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.validations', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.validation_tables', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.validation_foreign_keys', '');
REVOKE ALL ON minibar_migrate.validations, minibar_migrate.validation_tables,
  minibar_migrate.validation_foreign_keys FROM PUBLIC;
GRANT SELECT ON minibar_migrate.validations, minibar_migrate.validation_tables,
  minibar_migrate.validation_foreign_keys TO PUBLIC;
ALTER TABLE minibar_migrate.validations ENABLE ROW LEVEL SECURITY;
ALTER TABLE minibar_migrate.validation_tables ENABLE ROW LEVEL SECURITY;
ALTER TABLE minibar_migrate.validation_foreign_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_validations ON minibar_migrate.validations USING (run_by = current_user);
CREATE POLICY own_validation_tables ON minibar_migrate.validation_tables USING (EXISTS (
  SELECT 1 FROM minibar_migrate.validations v WHERE v.validation_id = validation_tables.validation_id));
CREATE POLICY own_validation_foreign_keys ON minibar_migrate.validation_foreign_keys USING (EXISTS (
  SELECT 1 FROM minibar_migrate.validations v
   WHERE v.validation_id = validation_foreign_keys.validation_id));

CREATE VIEW minibar_migrate.validation_latest WITH (security_invoker = true) AS
SELECT DISTINCT ON (v.server, v.target_schema, t.source_table)
       v.server, v.target_schema, t.source_table, t.target_table, t.ok, t.source_rows,
       t.target_rows, t.rows_differing, t.detail, v.validation_id, v.finished_at AS validated_at
  FROM minibar_migrate.validations v
  JOIN minibar_migrate.validation_tables t USING (validation_id)
 WHERE v.finished_at IS NOT NULL AND v.run_by = current_user
 ORDER BY v.server, v.target_schema, t.source_table, v.validation_id DESC;
GRANT SELECT ON minibar_migrate.validation_latest TO PUBLIC;

-- Validates every table of the source against target_schema (counts,
-- checksums; options as validate_checksums plus "tables" / "exclude"), then
-- every foreign key of target_schema's tables for orphan rows; records it
-- all in minibar_migrate.validations. One row per table (kind 'table') and
-- per foreign key (kind 'foreign_key').
CREATE FUNCTION minibar_migrate.validate_database(
  server name, target_schema name DEFAULT 'public', options jsonb DEFAULT '{}')
RETURNS TABLE (validation_id bigint, kind text, source_table text, target_table text,
  source_rows bigint, target_rows bigint, ok boolean, chunks_differing integer,
  rows_differing bigint, seconds double precision, detail text)
AS 'MODULE_PATHNAME', 'minibar_validate_database'
LANGUAGE C VOLATILE;


COMMENT ON FUNCTION minibar_migrate.validate_checksums IS
  'Compares a source table with a PostgreSQL table in key-range chunks (counts and checksums), then the differing rows';
COMMENT ON TABLE minibar_migrate.validations IS
  'One row per validate_database call (written only by the extension)';
COMMENT ON TABLE minibar_migrate.validation_tables IS
  'One row per table a validate_database call compared: counts, differing chunks and rows, verdict';
COMMENT ON TABLE minibar_migrate.validation_foreign_keys IS
  'One row per foreign key a validate_database call checked for orphan rows';
COMMENT ON VIEW minibar_migrate.validation_latest IS
  'The caller''s latest validation verdict per table';
COMMENT ON FUNCTION minibar_migrate.validate_database IS
  'Validates every table of a source against a schema, then its foreign keys for orphans, and records the result';
-- ---------------------------------------------------------------------------
-- Upkeep: index_usage_report
-- ---------------------------------------------------------------------------

-- A row per finding about the indexes of target_schema (NULL: every user
-- schema): unused, duplicate, redundant (a prefix of another), a foreign key
-- without a supporting index, invalid. suggestion is a statement to consider;
-- nothing is ever run. See docs/upkeep.md.
CREATE FUNCTION minibar_migrate.index_usage_report(target_schema name DEFAULT NULL)
RETURNS TABLE (finding text, schema_name name, table_name name, index_name name,
  index_size bigint, scans bigint, stats_since timestamptz, detail text, suggestion text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
WITH idx AS (
  SELECT i.indexrelid, i.indrelid, n.nspname, t.relname AS tbl, c.relname AS idxname,
         i.indisunique, i.indisprimary, i.indisvalid, i.indisexclusion,
         i.indkey::int2[] AS keys, i.indnkeyatts, i.indclass::oid[] AS classes,
         i.indcollation::oid[] AS collations, i.indoption::int2[] AS options,
         i.indexprs IS NOT NULL AS has_exprs, i.indpred IS NOT NULL AS partial,
         pg_get_expr(i.indexprs, i.indrelid) AS exprs, pg_get_expr(i.indpred, i.indrelid) AS pred,
         c.relam, pg_relation_size(i.indexrelid) AS size,
         coalesce(s.idx_scan, 0) AS scans,
         EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid
                  AND k.contype IN ('p', 'u', 'x')) AS backs_constraint,
         format('%I.%I', n.nspname, c.relname) AS qname
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
   WHERE CASE WHEN $1 IS NULL
              THEN n.nspname NOT IN ('pg_catalog', 'information_schema', 'minibar_migrate', 'pg_toast')
                   AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
              ELSE n.nspname = $1 END
),
since AS (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()),
-- Same table, same key columns, operator classes, collations, options,
-- expressions and predicate: one of them is enough. The one kept: a
-- constraint's index, else the oldest (lowest OID).
dup AS (
  SELECT a.*, b.idxname AS twin
    FROM idx a JOIN idx b
      ON a.indrelid = b.indrelid AND a.indexrelid <> b.indexrelid AND a.relam = b.relam
     AND a.keys = b.keys AND a.classes = b.classes AND a.collations = b.collations
     AND a.options = b.options AND a.exprs IS NOT DISTINCT FROM b.exprs
     AND a.pred IS NOT DISTINCT FROM b.pred AND a.indisunique = b.indisunique
   WHERE (NOT a.backs_constraint AND b.backs_constraint)
      OR (a.backs_constraint = b.backs_constraint AND a.indexrelid > b.indexrelid)
),
-- a's key columns are the leading columns of b's (same classes, no
-- expressions or predicates on either); a is not unique, so b serves a's
-- queries. Duplicates are reported as such, not here.
redundant AS (
  SELECT DISTINCT ON (a.indexrelid) a.*, b.idxname AS wider
    FROM idx a JOIN idx b
      ON a.indrelid = b.indrelid AND a.indexrelid <> b.indexrelid AND a.relam = b.relam
     AND a.relam = (SELECT oid FROM pg_am WHERE amname = 'btree')
     AND NOT a.has_exprs AND NOT b.has_exprs AND NOT a.partial AND NOT b.partial
     AND NOT a.indisunique AND NOT a.backs_constraint
     AND a.indnkeyatts < b.indnkeyatts
     AND a.keys[0:a.indnkeyatts - 1] = b.keys[0:a.indnkeyatts - 1]
     AND a.classes[0:a.indnkeyatts - 1] = b.classes[0:a.indnkeyatts - 1]
     AND a.options[0:a.indnkeyatts - 1] = b.options[0:a.indnkeyatts - 1]
   ORDER BY a.indexrelid, b.indnkeyatts
),
fk AS (
  SELECT k.conname, n.nspname, t.relname, k.conrelid, k.conkey,
         (SELECT string_agg(format('%I', a.attname), ', ' ORDER BY o.i)
            FROM unnest(k.conkey) WITH ORDINALITY o(att, i)
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = o.att) AS cols
    FROM pg_constraint k
    JOIN pg_class t ON t.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
   WHERE k.contype = 'f'
     AND CASE WHEN $1 IS NULL
              THEN n.nspname NOT IN ('pg_catalog', 'information_schema', 'minibar_migrate', 'pg_toast')
              ELSE n.nspname = $1 END
     -- supported: some valid index whose leading key columns are the key's columns
     AND NOT EXISTS (
       SELECT 1 FROM pg_index i
        WHERE i.indrelid = k.conrelid AND i.indisvalid AND i.indpred IS NULL
          AND i.indnkeyatts >= cardinality(k.conkey)
          AND (SELECT array_agg(x ORDER BY x) FROM unnest((i.indkey::int2[])[0:cardinality(k.conkey) - 1]) x)
              = (SELECT array_agg(x ORDER BY x) FROM unnest(k.conkey) x))
)
SELECT 'unused', nspname, tbl, idxname, size, scans, (SELECT stats_reset FROM since),
       format('no index scan since %s; %s', coalesce((SELECT stats_reset FROM since)::text, 'the statistics began'),
              pg_size_pretty(size)),
       format('DROP INDEX %s;', qname)
  FROM idx
 WHERE scans = 0 AND NOT indisunique AND NOT indisprimary AND NOT indisexclusion AND NOT backs_constraint
   AND indisvalid
UNION ALL
SELECT 'duplicate', nspname, tbl, idxname, size, scans, (SELECT stats_reset FROM since),
       format('same definition as %I', twin),
       CASE WHEN backs_constraint THEN format('-- %s backs a constraint; drop the constraint or %I', qname, twin)
            ELSE format('DROP INDEX %s;', qname) END
  FROM dup
UNION ALL
SELECT 'redundant', nspname, tbl, idxname, size, scans, (SELECT stats_reset FROM since),
       format('its columns lead %I, which serves the same lookups', wider),
       format('DROP INDEX %s;', qname)
  FROM redundant r
 WHERE NOT EXISTS (SELECT 1 FROM dup d WHERE d.indexrelid = r.indexrelid)
UNION ALL
SELECT 'fk_without_index', nspname, relname, NULL::name, NULL::bigint, NULL::bigint, NULL::timestamptz,
       format('foreign key %I (%s) has no index on the referencing side: deletes and updates of the referenced rows scan %I',
              conname, cols, relname),
       format('CREATE INDEX ON %I.%I (%s);', nspname, relname, cols)
  FROM fk
UNION ALL
SELECT 'invalid', nspname, tbl, idxname, size, scans, (SELECT stats_reset FROM since),
       'invalid (a failed CREATE INDEX CONCURRENTLY or REINDEX): maintained on writes, never used',
       format('REINDEX INDEX %s;  -- or DROP INDEX %s;', qname, qname)
  FROM idx WHERE NOT indisvalid
 ORDER BY 1, 2, 3, 4
$$;

-- The state of this database at a glance: sizes, cache hit ratio,
-- connections, the slowest statements (pg_stat_statements, when it is
-- there), the caller's last migration run and last validation. A row per
-- item; see docs/upkeep.md.
CREATE FUNCTION minibar_migrate.health()
RETURNS TABLE (area text, item text, value text, detail text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  pss_schema name;
  r record;
BEGIN
  RETURN QUERY SELECT 'size', 'database ' || current_database(),
                      pg_size_pretty(pg_database_size(current_database())),
                      pg_database_size(current_database()) || ' bytes';
  RETURN QUERY
    SELECT 'size', format('table %I.%I', n.nspname, c.relname),
           pg_size_pretty(pg_total_relation_size(c.oid)),
           format('%s bytes with indexes and TOAST; about %s rows', pg_total_relation_size(c.oid),
                  greatest(c.reltuples, 0)::bigint)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'm')
       AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
     ORDER BY pg_total_relation_size(c.oid) DESC, 2 LIMIT 10;
  RETURN QUERY
    SELECT 'cache', 'hit ratio',
           CASE WHEN blks_hit + blks_read = 0 THEN 'n/a'
                ELSE round(100.0 * blks_hit / (blks_hit + blks_read), 2) || ' %' END,
           format('%s blocks found in shared buffers, %s read since %s', blks_hit, blks_read,
                  coalesce(stats_reset::text, 'the statistics began'))
      FROM pg_stat_database WHERE datname = current_database();
  RETURN QUERY
    SELECT 'connections', coalesce(a.state, 'background'), count(*)::text,
           format('of max_connections %s', current_setting('max_connections'))
      FROM pg_stat_activity a WHERE a.datname = current_database()
     GROUP BY a.state ORDER BY 2;
  SELECT n.nspname INTO pss_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
   WHERE e.extname = 'pg_stat_statements';
  IF pss_schema IS NULL THEN
    RETURN QUERY SELECT 'statements', 'slowest', 'n/a',
      'pg_stat_statements is not installed: add it to shared_preload_libraries, restart, and CREATE EXTENSION pg_stat_statements';
  ELSE
    BEGIN
      RETURN QUERY EXECUTE format(
        'SELECT ''statements'', ''slowest by mean time'', round(s.mean_exec_time::numeric, 2) || '' ms'',
                format(''%%s calls, %%s rows: %%s'', s.calls, s.rows, left(regexp_replace(s.query, ''\s+'', '' '', ''g''), 200))
           FROM %I.pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
          WHERE d.datname = current_database() ORDER BY s.mean_exec_time DESC LIMIT 5', pss_schema);
    EXCEPTION WHEN object_not_in_prerequisite_state THEN
      RETURN QUERY SELECT 'statements', 'slowest', 'n/a',
        'pg_stat_statements is installed but not loaded: add it to shared_preload_libraries and restart';
    END;
  END IF;
  SELECT * INTO r FROM minibar_migrate.runs x WHERE x.started_by = current_user
   ORDER BY x.run_id DESC LIMIT 1;
  IF FOUND THEN
    RETURN QUERY SELECT 'migration', 'last run',
      r.status || CASE WHEN r.stale_chunks > 0 THEN ' with ' || r.stale_chunks || ' stale chunk(s)'
                       ELSE '' END,
      format('run %s: %s of server %s into %s, started %s%s', r.run_id, r.kind, r.server,
             coalesce(r.target_schema::text, '?'), r.started_at,
             CASE WHEN r.finished_at IS NULL THEN '' ELSE ', finished ' || r.finished_at END);
  ELSE
    RETURN QUERY SELECT 'migration', 'last run', 'none', 'no migration run recorded for ' || current_user;
  END IF;
  SELECT * INTO r FROM minibar_migrate.validations x WHERE x.run_by = current_user
   ORDER BY x.validation_id DESC LIMIT 1;
  IF FOUND THEN
    RETURN QUERY SELECT 'validation', 'last validation',
      CASE WHEN r.finished_at IS NULL THEN 'unfinished' WHEN r.ok THEN 'ok' ELSE 'differences' END,
      format('validation %s of server %s into %s at %s: %s table(s), %s differing, %s orphan row(s)',
             r.validation_id, r.server, r.target_schema, coalesce(r.finished_at, r.started_at),
             coalesce(r.tables, 0), coalesce(r.tables_differing, 0), coalesce(r.orphans, 0));
  ELSE
    RETURN QUERY SELECT 'validation', 'last validation', 'none', 'no validation recorded for ' || current_user;
  END IF;
END
$$;


COMMENT ON FUNCTION minibar_migrate.index_usage_report IS
  'Findings about a schema''s indexes (unused, duplicate, redundant, unindexed foreign key, invalid) with a statement to consider; runs nothing';
COMMENT ON FUNCTION minibar_migrate.health IS
  'This database at a glance: sizes, cache hits, connections, slowest statements, the caller''s last run and validation';
-- Before a move: a row per finding about the source (orphan rows, zero
-- dates, NUL bytes, invalid UTF-8 or JSON, ENUM error values, values beyond
-- the target type, duplicates PostgreSQL would reject, tables without a
-- primary key, case-insensitive collations, objects that will not move) and
-- the size of every table. Options: "tables", "exclude". See docs/preflight.md.
CREATE FUNCTION minibar_migrate.preflight(server name, options jsonb DEFAULT '{}')
RETURNS TABLE (severity text, table_name text, column_name text, check_name text,
  count bigint, example text, advice text, action text)
AS 'MODULE_PATHNAME', 'minibar_preflight'
LANGUAGE C VOLATILE;


COMMENT ON FUNCTION minibar_migrate.preflight IS
  'Before a move: a row per finding about the source and what the migration will do with it (copy, reject, note)';
-- ---------------------------------------------------------------------------
-- Change data capture: sync_start / sync_stop / sync_status / cutover
-- ---------------------------------------------------------------------------

-- One row per synced server: what the background worker streams and where it
-- stands. applied_file/applied_pos is updated in the same transaction as the
-- changes it covers, so a restart resumes exactly there.
CREATE TABLE minibar_migrate.syncs (
  server name PRIMARY KEY,
  target_schema name NOT NULL,
  options jsonb NOT NULL DEFAULT '{}',
  source_db text NOT NULL,
  started_by name NOT NULL DEFAULT current_user,
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  wanted text NOT NULL DEFAULT 'running' CHECK (wanted IN ('running', 'stopped')),
  state text NOT NULL DEFAULT 'starting'
    CHECK (state IN ('starting', 'streaming', 'retrying', 'stopped')),
  pid int,
  replica_server_id bigint NOT NULL,
  start_file text NOT NULL,
  start_pos bigint NOT NULL,
  applied_file text,
  applied_pos bigint,
  applied_gtid text,
  applied_event_at timestamptz,   -- source time of the last applied transaction
  applied_at timestamptz,         -- when it was committed here
  source_file text,               -- the source's binlog head, last seen
  source_pos bigint,
  source_seen_at timestamptz,
  lag_seconds double precision,
  transactions_applied bigint NOT NULL DEFAULT 0,
  rows_applied bigint NOT NULL DEFAULT 0,
  last_error text,
  last_error_at timestamptz,
  stopped_at timestamptz
);

-- The synced tables: where each one's copy stood (changes before that are
-- in the copy), its columns, and whether it is applied, paused or refused.
CREATE TABLE minibar_migrate.sync_tables (
  server name NOT NULL REFERENCES minibar_migrate.syncs ON DELETE CASCADE,
  source_table text NOT NULL,
  target_table text NOT NULL,     -- quoted, qualified name when the sync started (for display)
  target_relid oid NOT NULL,      -- the target the changes are applied to
  run_id bigint,
  start_file text,
  start_pos bigint,
  source_columns text[] NOT NULL DEFAULT '{}',
  target_columns text[] NOT NULL DEFAULT '{}',
  key_columns text[] NOT NULL DEFAULT '{}',   -- the source's primary key
  state text NOT NULL DEFAULT 'syncing' CHECK (state IN ('syncing', 'paused', 'refused')),
  reason text,
  hint text,
  paused_at timestamptz,
  inserted bigint NOT NULL DEFAULT 0,
  updated bigint NOT NULL DEFAULT 0,
  deleted bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (server, source_table)
);

SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.syncs', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.sync_tables', '');
-- Only superusers start syncs (and the owner of these tables, like every
-- state table, is the only one who writes them); row-level security as on
-- the other state tables, should a role be granted SELECT.
ALTER TABLE minibar_migrate.syncs ENABLE ROW LEVEL SECURITY;
ALTER TABLE minibar_migrate.sync_tables ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_syncs ON minibar_migrate.syncs USING (started_by = current_user);
CREATE POLICY own_sync_tables ON minibar_migrate.sync_tables USING (EXISTS (
  SELECT 1 FROM minibar_migrate.syncs s WHERE s.server = sync_tables.server));

-- Starts (or resumes) a background worker that streams the server's binlog
-- from the position the migration recorded and applies the changes to the
-- migrated tables. Returns a row per table.
CREATE FUNCTION minibar_migrate.sync_start(
  server name, target_schema name DEFAULT 'public', options jsonb DEFAULT '{}')
RETURNS TABLE (source_table text, target_table text, state text, start_position text,
  reason text)
AS 'MODULE_PATHNAME', 'minibar_sync_start'
LANGUAGE C VOLATILE;

-- Stops the worker (it finishes or rolls back the transaction in hand) and
-- waits until it is gone. Returns the applied position.
CREATE FUNCTION minibar_migrate.sync_stop(server name)
RETURNS text
AS 'MODULE_PATHNAME', 'minibar_sync_stop'
LANGUAGE C VOLATILE;

-- The source's current binlog head (SHOW MASTER STATUS): file, position, GTID.
CREATE FUNCTION minibar_migrate.source_binlog_position(server name,
  OUT file text, OUT pos bigint, OUT gtid text)
AS 'MODULE_PATHNAME', 'minibar_source_binlog_position'
LANGUAGE C VOLATILE;

CREATE VIEW minibar_migrate.sync_status WITH (security_invoker = true) AS
SELECT s.server, s.target_schema, s.state, s.wanted, s.pid,
       s.source_file || ':' || s.source_pos AS source_position,
       s.applied_file || ':' || s.applied_pos AS applied_position,
       s.applied_gtid,
       CASE WHEN s.source_file = s.applied_file THEN greatest(s.source_pos - s.applied_pos, 0)
            WHEN s.source_file < s.applied_file THEN 0 END AS lag_bytes,
       s.lag_seconds,
       s.applied_event_at, s.applied_at, s.source_seen_at,
       s.transactions_applied, s.rows_applied,
       (SELECT coalesce(jsonb_object_agg(t.source_table, jsonb_build_object(
                 'state', t.state, 'inserted', t.inserted, 'updated', t.updated,
                 'deleted', t.deleted)), '{}')
          FROM minibar_migrate.sync_tables t WHERE t.server = s.server) AS tables,
       (SELECT count(*) FROM minibar_migrate.sync_tables t
         WHERE t.server = s.server AND t.state = 'paused') AS tables_paused,
       s.last_error, s.last_error_at
  FROM minibar_migrate.syncs s;

-- Helps the switch: once the application has stopped writing to the source
-- (or it is read-only), waits until every change up to the source's current
-- head is applied, stops the sync, resets the sequences and validates every
-- table. Returns a row per step; the last one is the verdict.
CREATE FUNCTION minibar_migrate.cutover(server name, target_schema name DEFAULT 'public',
  options jsonb DEFAULT '{}')
RETURNS TABLE (step text, ok boolean, detail text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  head record;
  s record;
  timeout_s double precision := coalesce((options->>'timeout')::double precision, 300);
  deadline timestamptz;
  paused bigint;
  bad bigint;
  total bigint;
  validated bigint;
  vid bigint;
  n int;
BEGIN
  SELECT * INTO s FROM minibar_migrate.syncs y WHERE y.server = cutover.server;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no sync for server "%"', server
      USING ERRCODE = '42704', HINT = 'Start one with minibar_migrate.sync_start.';
  END IF;
  SELECT * INTO head FROM minibar_migrate.source_binlog_position(server);
  step := 'source head'; ok := true;
  detail := head.file || ':' || head.pos || coalesce(' (GTID ' || nullif(head.gtid, '') || ')', '');
  RETURN NEXT;
  deadline := clock_timestamp() + make_interval(secs => timeout_s);
  LOOP
    SELECT * INTO s FROM minibar_migrate.syncs y WHERE y.server = cutover.server;
    EXIT WHEN s.applied_file IS NOT NULL AND (s.applied_file > head.file OR
      (s.applied_file = head.file AND s.applied_pos >= head.pos));
    IF s.wanted <> 'running' THEN
      RAISE EXCEPTION 'the sync of server "%" is stopped at %:%', server, s.applied_file, s.applied_pos
        USING ERRCODE = '55000', HINT = 'Start it again with minibar_migrate.sync_start, then retry.';
    END IF;
    IF clock_timestamp() > deadline THEN
      RAISE EXCEPTION 'the sync of server "%" did not reach the source head %:% within % s (applied: %:%, state %, last error: %)',
        server, head.file, head.pos, timeout_s, s.applied_file, s.applied_pos, s.state, coalesce(s.last_error, 'none')
        USING ERRCODE = '57014',
              HINT = 'Is the application still writing to the source? Check minibar_migrate.sync_status.';
    END IF;
    PERFORM pg_sleep(0.05);
  END LOOP;
  step := 'caught up'; ok := true;
  detail := 'applied ' || s.applied_file || ':' || s.applied_pos || ', ' ||
            s.transactions_applied || ' transactions, ' || s.rows_applied || ' rows since the start';
  RETURN NEXT;
  step := 'sync stopped'; detail := minibar_migrate.sync_stop(server); ok := true;
  RETURN NEXT;
  SELECT count(*) INTO n FROM minibar_migrate.reset_sequences(target_schema);
  step := 'sequences reset'; ok := true; detail := n || ' sequences';
  RETURN NEXT;
  SELECT count(*) INTO paused FROM minibar_migrate.sync_tables t
   WHERE t.server = cutover.server AND t.state <> 'syncing';
  SELECT count(*), count(*) FILTER (WHERE NOT v.ok), max(v.validation_id)
    INTO total, bad, vid
    FROM minibar_migrate.validate_database(server, target_schema, coalesce(options->'validate', '{}')) v;
  validated := total;
  step := 'validated'; ok := bad = 0;
  detail := validated || ' checks, ' || bad || ' differ (validation ' || vid || ')';
  RETURN NEXT;
  step := 'verdict'; ok := bad = 0 AND paused = 0;
  detail := CASE WHEN ok THEN 'ready: the target matches the source; switch the application'
                 WHEN paused > 0 THEN paused || ' table(s) were not synced (paused or refused): see minibar_migrate.sync_tables'
                 ELSE 'the target differs from the source: see minibar_migrate.validation_latest' END;
  RETURN NEXT;
END
$$;


COMMENT ON TABLE minibar_migrate.syncs IS
  'One row per synced server: what its change-data-capture worker streams and where it stands';
COMMENT ON TABLE minibar_migrate.sync_tables IS
  'The tables a sync keeps up to date, by target OID, and whether each is syncing, paused or refused';
COMMENT ON FUNCTION minibar_migrate.sync_start IS
  'Starts binlog change data capture from a MySQL/MariaDB server into migrated tables';
COMMENT ON FUNCTION minibar_migrate.sync_stop IS
  'Stops a server''s change data capture';
COMMENT ON FUNCTION minibar_migrate.source_binlog_position IS
  'The source''s current binlog position (file, offset, GTID)';
COMMENT ON VIEW minibar_migrate.sync_status IS
  'The caller''s syncs: state, position, lag and applied changes per table';
COMMENT ON FUNCTION minibar_migrate.cutover IS
  'Switch-over: waits until a sync has applied everything up to the source''s current position, stops it, resets sequences, validates; a row per step';
-- ---------------------------------------------------------------------------
-- SQLite catch-up by a watermark column: sync_table
-- ---------------------------------------------------------------------------

-- One row per (server, remote table, target): the largest watermark read so
-- far, as SQLite stored it (kind: integer / real / text). Written in the
-- same transaction as the rows it covers.
CREATE TABLE minibar_migrate.table_syncs (
  server name NOT NULL,
  remote_table text NOT NULL,
  target oid NOT NULL,
  watermark_column text NOT NULL,
  watermark_kind text NOT NULL CHECK (watermark_kind IN ('integer', 'real', 'text')),
  watermark_value text NOT NULL,
  calls bigint NOT NULL DEFAULT 0,
  rows_upserted bigint NOT NULL DEFAULT 0,
  last_call_at timestamptz,
  owner name NOT NULL,
  PRIMARY KEY (server, remote_table, target, owner)
);
REVOKE ALL ON minibar_migrate.table_syncs FROM PUBLIC;
GRANT SELECT ON minibar_migrate.table_syncs TO PUBLIC;
ALTER TABLE minibar_migrate.table_syncs ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_table_syncs ON minibar_migrate.table_syncs USING (owner = current_user);

-- Upserts the rows of remote_table whose watermark column is >= the last
-- watermark (first call: the target's largest value) into target, by its
-- primary key; stores the new watermark. Deletes on the source are not seen.
CREATE FUNCTION minibar_migrate.sync_table(
  server name, remote_table text, target regclass, options jsonb DEFAULT '{}')
RETURNS TABLE (rows_upserted bigint, watermark_from text, watermark_to text,
  source_rows bigint, target_rows bigint, note text)
AS 'MODULE_PATHNAME', 'minibar_sync_table'
LANGUAGE C VOLATILE;

COMMENT ON TABLE minibar_migrate.table_syncs IS
  'sync_table''s watermark per (target, owner): how far each SQLite catch-up has read';
COMMENT ON FUNCTION minibar_migrate.sync_table IS
  'Catches a migrated SQLite table up by a watermark column (upserts rows changed since the last call)';

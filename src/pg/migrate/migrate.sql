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
  -- The target the tasks load, by OID (regclass: pg_dump writes its name).
  target_relid regclass NOT NULL,
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
-- still has the recorded name and the run's owner. One of relation, type,
-- schema is set (reg* types: pg_dump writes names, a restore finds the
-- objects again).
CREATE TABLE minibar_migrate.run_objects (
  run_id bigint NOT NULL REFERENCES minibar_migrate.runs ON DELETE CASCADE,
  object_no int NOT NULL,
  kind text NOT NULL CHECK (kind IN ('schema', 'type', 'table')),
  identity text NOT NULL,                   -- its quoted, qualified name then (for display)
  relation regclass,                        -- kind 'table'
  type regtype,                             -- kind 'type'
  schema regnamespace,                      -- kind 'schema'
  PRIMARY KEY (run_id, object_no),
  CHECK (CASE kind WHEN 'table' THEN relation IS NOT NULL AND type IS NULL AND schema IS NULL
                   WHEN 'type' THEN type IS NOT NULL AND relation IS NULL AND schema IS NULL
                   ELSE schema IS NOT NULL AND relation IS NULL AND type IS NULL END)
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
  rejected_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- Every column of the row whose value does not fit, the first included:
  -- [{column, sqlstate, reason, value}]. NULL when the reason is not one
  -- column's (a CHECK, a unique key, a trigger).
  problems jsonb
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

-- pg_dump writes the state tables' rows and their identity sequences'
-- positions (a restored database goes on numbering after them). Of
-- run_objects only the objects that still exist: an OID that names nothing
-- would be written as a number, and could name another object after a restore.
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.runs', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.runs_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_tables', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.rejects', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.rejects_reject_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_notes', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_notes_note_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_tasks', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_objects',
  'WHERE CASE kind WHEN ''table'' THEN relation IN (SELECT oid FROM pg_catalog.pg_class) '
  'WHEN ''type'' THEN type IN (SELECT oid FROM pg_catalog.pg_type) '
  'ELSE schema IN (SELECT oid FROM pg_catalog.pg_namespace) END');

-- Everyone may migrate (with their own privileges on servers and schemas);
-- each user sees only their own runs and their rows. Nobody but the
-- extension's code writes these tables: no INSERT, UPDATE or DELETE is
-- granted; the functions write them with the owner's rights (see
-- the documentation page "Security").
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

-- Where each unfinished run stands, per table: committed chunks plus the rows
-- of the chunks being copied right now (read from the copying backends'
-- progress, the same numbers pg_stat_progress_copy shows). Unfinished: status
-- 'running', or 'failed' (a resumable run, which a call with resume
-- continues); done and rolled-back runs are in run_report only. A table's rate
-- is frozen when its copies are done (rows over the time from its first copy's
-- start to its last copy's end), and a failed run's when it failed; a failed
-- run's tables not done show 'failed'. A running run with workers whose
-- caller holds no longer the run's lock (the session went away: its workers
-- stop after their step) shows its tables not done as 'stopped'.
CREATE VIEW minibar_migrate.progress WITH (security_invoker = true) AS
WITH live AS (
  SELECT p.param11 AS run_id, p.param12::int AS task_no, p.param3 + p.param4 AS rows_done,
         p.pid, a.xact_start
    FROM pg_catalog.pg_stat_get_progress_info('COPY') p
    LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = p.pid
   WHERE p.param11 > 0
), per_table AS (
  SELECT t.run_id, t.table_no, t.source_table, t.target_table, t.done, t.chunks,
         t.rows_estimated, r.status AS run_status, r.finished_at AS run_finished_at,
         (r.status = 'running' AND r.workers > 0 AND NOT EXISTS (
            SELECT 1 FROM pg_catalog.pg_locks l
             WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 2037257729::pg_catalog.oid
               AND l.objsubid = 2 AND l.objid::pg_catalog.int8 = r.run_id
               AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d
                                  WHERE d.datname = pg_catalog.current_database()))) AS caller_gone,
         (SELECT count(*) FROM minibar_migrate.run_tasks k
           WHERE k.run_id = t.run_id AND k.source_table = t.source_table AND k.kind = 'copy'
             AND k.state = 'done') AS chunks_done,
         (SELECT coalesce(sum(k.rows_copied + k.rows_rejected), 0) FROM minibar_migrate.run_tasks k
           WHERE k.run_id = t.run_id AND k.source_table = t.source_table AND k.kind = 'copy'
             AND k.state = 'done') AS rows_committed,
         (SELECT min(k.started_at) FROM minibar_migrate.run_tasks k
           WHERE k.run_id = t.run_id AND k.source_table = t.source_table AND k.kind = 'copy'
             AND k.state = 'done') AS first_done_start,
         (SELECT max(k.finished_at) FROM minibar_migrate.run_tasks k
           WHERE k.run_id = t.run_id AND k.source_table = t.source_table AND k.kind = 'copy'
             AND k.state = 'done') AS last_done_end,
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
    JOIN minibar_migrate.runs r ON r.run_id = t.run_id
   WHERE r.status IN ('running', 'failed')
), rated AS (
  SELECT p.*, p.rows_committed + p.rows_live AS rows_done,
         extract(epoch FROM
           CASE WHEN p.chunks_done = p.chunks THEN p.last_done_end
                WHEN p.run_status = 'failed' OR p.caller_gone
                  THEN coalesce(p.run_finished_at, p.last_done_end)
                ELSE clock_timestamp() END
           - least(p.first_done_start, p.live_start)) AS elapsed
    FROM per_table p
)
SELECT r.run_id, r.table_no, r.source_table, r.target_table,
       CASE WHEN r.done OR NOT EXISTS (SELECT 1 FROM minibar_migrate.run_tasks k
                  WHERE k.run_id = r.run_id AND k.source_table = r.source_table
                    AND k.kind IN ('copy', 'index', 'check') AND k.state = 'pending')
            THEN 'done'
            WHEN r.run_status = 'failed' THEN 'failed'
            WHEN r.caller_gone THEN 'stopped'
            WHEN r.copying > 0 THEN 'copying'
            WHEN r.chunks_done = r.chunks THEN 'indexing'
            WHEN r.chunks_done > 0 THEN 'copying'
            ELSE 'pending' END AS state,
       r.chunks_done, r.chunks, r.copying::int AS workers,
       r.rows_done, r.rows_estimated,
       CASE WHEN r.elapsed > 0 THEN r.rows_done / r.elapsed END::float8 AS rows_per_second,
       CASE WHEN r.run_status = 'running' AND NOT r.caller_gone AND r.chunks_done < r.chunks
                 AND r.elapsed > 0
                 AND r.rows_done > 0 AND r.rows_estimated > r.rows_done
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
  'Where each unfinished run of the caller (running, stopped or failed, to be resumed or rolled back) stands, per table: committed chunks plus the rows being copied right now; rates frozen when a table''s copies end; history in run_report';
COMMENT ON FUNCTION minibar_migrate.run_report IS
  'A run''s report (the caller''s latest run when NULL): a row per table, a total, then the notes and the stale chunks';
COMMENT ON FUNCTION minibar_migrate.run_report_text IS
  'run_report as text, for psql';
COMMENT ON FUNCTION minibar_migrate.rollback IS
  'Drops what a run created (by recorded OID, name and owner) and nothing else; only the run''s owner may';

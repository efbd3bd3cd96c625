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
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  started_by name NOT NULL DEFAULT current_user
);

-- One row per table a run migrated. source rows = copied + rejected.
CREATE TABLE minibar_migrate.run_tables (
  run_id bigint NOT NULL REFERENCES minibar_migrate.runs ON DELETE CASCADE,
  source_table text NOT NULL,
  target_table text NOT NULL,
  created boolean NOT NULL,
  rows_source bigint NOT NULL,
  rows_copied bigint NOT NULL,
  rows_rejected bigint NOT NULL,
  zero_dates bigint NOT NULL DEFAULT 0,
  seconds double precision NOT NULL,
  PRIMARY KEY (run_id, source_table)
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

-- Everyone may migrate (with their own privileges on servers and schemas);
-- each user sees only their own runs and their rows.
GRANT SELECT, INSERT, UPDATE ON minibar_migrate.runs, minibar_migrate.run_tables,
  minibar_migrate.rejects, minibar_migrate.run_notes TO PUBLIC;
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
-- returned before and returns after.
CREATE FUNCTION minibar_migrate.reset_sequences(target_schema name DEFAULT 'public')
RETURNS TABLE (sequence regclass, old_value bigint, new_value bigint,
  table_name regclass, column_name name)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
  extreme bigint;
  last bigint;
  called boolean;
BEGIN
  FOR r IN
    SELECT d.objid::regclass AS seq, d.refobjid::regclass AS tbl, a.attname AS col,
           s.seqstart, s.seqincrement
      FROM pg_depend d
      JOIN pg_class c ON c.oid = d.objid AND c.relkind = 'S'
      JOIN pg_class t ON t.oid = d.refobjid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      JOIN pg_sequence s ON s.seqrelid = d.objid
     WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
       AND d.deptype IN ('a', 'i') AND n.nspname = target_schema
     ORDER BY t.relname, a.attname
  LOOP
    EXECUTE format('SELECT last_value, is_called FROM %s', r.seq) INTO last, called;
    old_value := CASE WHEN called THEN last + r.seqincrement ELSE last END;
    IF r.seqincrement > 0 THEN
      EXECUTE format('SELECT max(%I)::bigint FROM %s', r.col, r.tbl) INTO extreme;
    ELSE
      EXECUTE format('SELECT min(%I)::bigint FROM %s', r.col, r.tbl) INTO extreme;
    END IF;
    IF extreme IS NULL THEN
      PERFORM setval(r.seq, r.seqstart, false);
      new_value := r.seqstart;
    ELSE
      PERFORM setval(r.seq, extreme, true);
      new_value := extreme + r.seqincrement;
    END IF;
    sequence := r.seq;
    table_name := r.tbl;
    column_name := r.col;
    RETURN NEXT;
  END LOOP;
END
$$;

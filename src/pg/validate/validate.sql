-- Compares a source table with a PostgreSQL table in key-range chunks: per
-- chunk the row counts and a checksum of every value; a chunk that differs
-- is followed by its differing rows (kind 'row'). method: 'pushdown' (MySQL,
-- computed in SQL on both servers) or 'streamed' (source rows converted to
-- the target's types, values encoded by their binary send functions). See
-- the documentation page "Validation".
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
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.validations_validation_id_seq', '');
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

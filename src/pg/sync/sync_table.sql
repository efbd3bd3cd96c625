-- ---------------------------------------------------------------------------
-- SQLite catch-up by a watermark column: sync_table
-- ---------------------------------------------------------------------------

-- One row per (server, remote table, target): the largest watermark read so
-- far, as SQLite stored it (kind: integer / real / text). Written in the
-- same transaction as the rows it covers.
CREATE TABLE minibar_migrate.table_syncs (
  server name NOT NULL,
  remote_table text NOT NULL,
  target regclass NOT NULL,
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
-- pg_dump writes the watermarks of the targets that still exist (regclass:
-- by name, so a restore finds them again); a vanished target's OID would be
-- written as a number and could name another table after a restore.
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.table_syncs',
  'WHERE target IN (SELECT oid FROM pg_catalog.pg_class)');

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

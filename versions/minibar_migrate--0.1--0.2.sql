-- minibar_migrate 0.1 -> 0.2 (ALTER EXTENSION minibar_migrate UPDATE TO '0.2').
-- After it, a database has exactly the objects of a fresh 0.2 install, with
-- its state kept (test/ops/upgrade.sh proves both).
\echo Use "ALTER EXTENSION minibar_migrate UPDATE TO '0.2'" to load this file. \quit

-- ---------------------------------------------------------------------------
-- State that survives pg_dump / pg_restore: no raw OIDs (reg* types, which
-- pg_dump writes by name), the identity sequences and table_syncs dumped.
-- ---------------------------------------------------------------------------

ALTER TABLE minibar_migrate.run_tables ALTER COLUMN target_relid TYPE regclass;
ALTER TABLE minibar_migrate.sync_tables ALTER COLUMN target_relid TYPE regclass;
ALTER TABLE minibar_migrate.table_syncs ALTER COLUMN target TYPE regclass;

-- run_objects: the object's OID moves from object_oid to the column of its
-- kind. The rows are checked by the new CHECK constraint.
ALTER TABLE minibar_migrate.run_objects
  ADD COLUMN relation regclass,
  ADD COLUMN type regtype,
  ADD COLUMN schema regnamespace;
UPDATE minibar_migrate.run_objects SET
  relation = CASE kind WHEN 'table' THEN object_oid END,
  type = CASE kind WHEN 'type' THEN object_oid END,
  schema = CASE kind WHEN 'schema' THEN object_oid END;
ALTER TABLE minibar_migrate.run_objects DROP COLUMN object_oid;
ALTER TABLE minibar_migrate.run_objects ADD CHECK (
  CASE kind WHEN 'table' THEN relation IS NOT NULL AND type IS NULL AND schema IS NULL
            WHEN 'type' THEN type IS NOT NULL AND relation IS NULL AND schema IS NULL
            ELSE schema IS NOT NULL AND relation IS NULL AND type IS NULL END);

SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.runs_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.rejects_reject_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_notes_note_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.validations_validation_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_objects',
  'WHERE CASE kind WHEN ''table'' THEN relation IN (SELECT oid FROM pg_catalog.pg_class) '
  'WHEN ''type'' THEN type IN (SELECT oid FROM pg_catalog.pg_type) '
  'ELSE schema IN (SELECT oid FROM pg_catalog.pg_namespace) END');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.sync_tables',
  'WHERE target_relid IN (SELECT oid FROM pg_catalog.pg_class)');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.table_syncs',
  'WHERE target IN (SELECT oid FROM pg_catalog.pg_class)');

-- minibar_migrate 0.1 -> 0.2 (ALTER EXTENSION minibar_migrate UPDATE TO '0.2').
-- After it, a database has exactly the objects of a fresh 0.2 install, with
-- its state kept (test/ops/upgrade.sh proves both).
\echo Use "ALTER EXTENSION minibar_migrate UPDATE TO '0.2'" to load this file. \quit

-- ---------------------------------------------------------------------------
-- State that survives pg_dump / pg_restore: no raw OIDs (reg* types, which
-- pg_dump writes by name), the identity sequences and table_syncs dumped.
-- ---------------------------------------------------------------------------

-- Tables whose rows name objects: reg* types (the same OIDs, written by
-- name). Where an OID may name nothing any more, pg_dump writes only the rows
-- whose object still exists.
ALTER TABLE minibar_migrate.run_tables ALTER COLUMN target_relid TYPE regclass;
ALTER TABLE minibar_migrate.sync_tables ALTER COLUMN target_relid TYPE regclass;
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.sync_tables',
  'WHERE target_relid IN (SELECT oid FROM pg_catalog.pg_class)');
ALTER TABLE minibar_migrate.table_syncs ALTER COLUMN target TYPE regclass;
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.table_syncs',
  'WHERE target IN (SELECT oid FROM pg_catalog.pg_class)');

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
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_objects',
  'WHERE CASE kind WHEN ''table'' THEN relation IN (SELECT oid FROM pg_catalog.pg_class) '
  'WHEN ''type'' THEN type IN (SELECT oid FROM pg_catalog.pg_type) '
  'ELSE schema IN (SELECT oid FROM pg_catalog.pg_namespace) END');

-- rejects: every column of a row that does not fit, not only the first.
ALTER TABLE minibar_migrate.rejects ADD COLUMN problems jsonb;

-- The identity sequences: a restored database numbers new rows after the
-- restored ones.
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.rejects_reject_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.runs_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.run_notes_note_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.validations_validation_id_seq', '');

-- ---------------------------------------------------------------------------
-- index_usage_report(target_schema, options): no DROP on statistics younger
-- than min_stats_age (from the last reset or the migration of the table),
-- none for the only index of a foreign key.
-- ---------------------------------------------------------------------------
DROP FUNCTION minibar_migrate.index_usage_report(name);
CREATE FUNCTION minibar_migrate.index_usage_report(target_schema name DEFAULT NULL,
  options jsonb DEFAULT '{}')
RETURNS TABLE (finding text, schema_name name, table_name name, index_name name,
  index_size bigint, scans bigint, stats_since timestamptz, detail text, suggestion text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $f$
#variable_conflict use_column
DECLARE
  min_age interval := interval '7 days';
  bad text;
BEGIN
  IF options IS NULL OR jsonb_typeof(options) <> 'object' THEN
    RAISE EXCEPTION 'index_usage_report options must be a JSON object' USING ERRCODE = '22023';
  END IF;
  SELECT k INTO bad FROM jsonb_object_keys(options) k WHERE k NOT IN ('min_stats_age') LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'unknown index_usage_report option "%"', bad USING ERRCODE = '22023',
      HINT = 'The option is "min_stats_age" (an interval, e.g. "7 days").';
  END IF;
  IF options ? 'min_stats_age' THEN
    BEGIN
      min_age := (options ->> 'min_stats_age')::interval;
    EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR interval_field_overflow
                   OR syntax_error OR invalid_parameter_value THEN
      min_age := NULL;
    END;
    IF min_age IS NULL OR min_age < interval '0' THEN
      RAISE EXCEPTION 'invalid index_usage_report option "min_stats_age": %', options -> 'min_stats_age'
        USING ERRCODE = '22023', HINT = 'Give an interval of 0 or more, e.g. "7 days" or "0".';
    END IF;
  END IF;
  RETURN QUERY
WITH since AS (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()),
-- Tables a finished run of the caller loaded: their indexes were built then,
-- so their statistics are no older than that.
migrated AS (
  SELECT rt.target_relid::oid AS relid, max(r.finished_at) AS at
    FROM minibar_migrate.runs r JOIN minibar_migrate.run_tables rt ON rt.run_id = r.run_id
   WHERE r.status = 'done' AND r.finished_at IS NOT NULL
   GROUP BY 1
),
idx AS (
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
         greatest((SELECT stats_reset FROM since), m.at) AS stats_since,
         -- foreign keys of the table for which this index is the only
         -- valid, non-partial index whose leading columns are the key's
         (SELECT string_agg(quote_ident(k.conname), ', ' ORDER BY k.conname)
            FROM pg_constraint k
           WHERE k.contype = 'f' AND k.conrelid = i.indrelid AND i.indisvalid AND i.indpred IS NULL
             AND i.indnkeyatts >= cardinality(k.conkey)
             AND (SELECT array_agg(x ORDER BY x) FROM unnest((i.indkey::int2[])[0:cardinality(k.conkey) - 1]) x)
                 = (SELECT array_agg(x ORDER BY x) FROM unnest(k.conkey) x)
             AND NOT EXISTS (
               SELECT 1 FROM pg_index j
                WHERE j.indrelid = k.conrelid AND j.indexrelid <> i.indexrelid AND j.indisvalid
                  AND j.indpred IS NULL AND j.indnkeyatts >= cardinality(k.conkey)
                  AND (SELECT array_agg(x ORDER BY x) FROM unnest((j.indkey::int2[])[0:cardinality(k.conkey) - 1]) x)
                      = (SELECT array_agg(x ORDER BY x) FROM unnest(k.conkey) x))) AS only_fk_index,
         format('%I.%I', n.nspname, c.relname) AS qname
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
    LEFT JOIN migrated m ON m.relid = i.indrelid
   WHERE CASE WHEN $1 IS NULL
              THEN n.nspname NOT IN ('pg_catalog', 'information_schema', 'minibar_migrate', 'pg_toast')
                   AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
              ELSE n.nspname = $1 END
),
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
SELECT 'unused'::text, nspname, tbl, idxname, size, scans, u.stats_since,
       format('no index scan since %s; %s', coalesce(u.stats_since::text, 'the statistics began'),
              pg_size_pretty(size))
       || CASE WHEN young THEN format('; the statistics are %s old, younger than %s: too early to tell',
                                     date_trunc('second', now() - u.stats_since), min_age)
               ELSE '' END
       || CASE WHEN only_fk_index IS NOT NULL
               THEN format('; the only index for foreign key %s', only_fk_index) ELSE '' END,
       CASE WHEN only_fk_index IS NOT NULL
            THEN format('-- keep %s: deletes and key updates of the referenced rows need it (foreign key %s)',
                        qname, only_fk_index)
            WHEN young
            THEN format('-- look again after %s', date_trunc('second', u.stats_since + min_age))
            ELSE format('DROP INDEX %s;', qname) END
  FROM (SELECT *, stats_since IS NOT NULL AND stats_since > now() - min_age AS young FROM idx) u
 WHERE scans = 0 AND NOT indisunique AND NOT indisprimary AND NOT indisexclusion AND NOT backs_constraint
   AND indisvalid
UNION ALL
SELECT 'duplicate', nspname, tbl, idxname, size, scans, dup.stats_since,
       format('same definition as %I', twin),
       CASE WHEN backs_constraint THEN format('-- %s backs a constraint; drop the constraint or %I', qname, twin)
            ELSE format('DROP INDEX %s;', qname) END
  FROM dup
UNION ALL
SELECT 'redundant', nspname, tbl, idxname, size, scans, r.stats_since,
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
SELECT 'invalid', nspname, tbl, idxname, size, scans, idx.stats_since,
       'invalid (a failed CREATE INDEX CONCURRENTLY or REINDEX): maintained on writes, never used',
       format('REINDEX INDEX %s;  -- or DROP INDEX %s;', qname, qname)
  FROM idx WHERE NOT indisvalid
 ORDER BY 1, 2, 3, 4;
END
$f$;
COMMENT ON FUNCTION minibar_migrate.index_usage_report IS
  'Findings about a schema''s indexes (unused, duplicate, redundant, unindexed foreign key, invalid) with a statement to consider; runs nothing';

-- ---------------------------------------------------------------------------
-- The validators' arguments get names (\df reads them): the catalog's
-- options and the catalog they are for.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION minibar_migrate.sqlite_fdw_validator(options text[], catalog oid)
RETURNS void
AS 'MODULE_PATHNAME', 'minibar_sqlite_fdw_validator'
LANGUAGE C STRICT;
CREATE OR REPLACE FUNCTION minibar_migrate.mysql_fdw_validator(options text[], catalog oid)
RETURNS void
AS 'MODULE_PATHNAME', 'minibar_mysql_fdw_validator'
LANGUAGE C STRICT;

-- ---------------------------------------------------------------------------
-- progress: unfinished runs only (running, or failed and resumable), a
-- table's rate frozen when its copies end, a failed run's tables not done
-- shown as 'failed', a run whose caller went away 'stopped' (the same
-- columns).
-- ---------------------------------------------------------------------------
CREATE OR REPLACE VIEW minibar_migrate.progress WITH (security_invoker = true) AS
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
COMMENT ON VIEW minibar_migrate.progress IS
  'Where each unfinished run of the caller (running, stopped or failed, to be resumed or rolled back) stands, per table: committed chunks plus the rows being copied right now; rates frozen when a table''s copies end; history in run_report';

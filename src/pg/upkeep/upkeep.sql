-- ---------------------------------------------------------------------------
-- Upkeep: index_usage_report
-- ---------------------------------------------------------------------------

-- A row per finding about the indexes of target_schema (NULL: every user
-- schema): unused, duplicate, redundant (a prefix of another), a foreign key
-- without a supporting index, invalid. suggestion is a statement to consider;
-- nothing is ever run. "unused" is judged only on statistics older than
-- options.min_stats_age (default 7 days; counted from the last statistics
-- reset or the migration that loaded the table, whichever is later), and an
-- index that is the only one for a foreign key is never suggested for
-- DROP. See the documentation page "Upkeep".
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

-- The state of this database at a glance: sizes, cache hit ratio,
-- connections, the slowest statements (pg_stat_statements, when it is
-- there), the caller's last migration run and last validation. A row per
-- item; see the documentation page "Upkeep".
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

\set ON_ERROR_STOP on
-- Everything that makes up the installed minibar_migrate extension, one
-- line per fact, in a stable order: its member objects and, for each, its
-- definition, columns, constraints, indexes, policies, privileges, comments
-- and pg_dump settings. Two databases with the same output have the same
-- extension objects (test/ops/upgrade.sh compares an updated database with
-- a fresh install). Names only, never OIDs.
\pset format unaligned
\pset tuples_only on
WITH ext AS (
  SELECT oid, extconfig, extcondition FROM pg_catalog.pg_extension WHERE extname = 'minibar_migrate'
), member AS (
  SELECT d.classid, d.objid FROM pg_catalog.pg_depend d, ext
   WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.refobjid = ext.oid
     AND d.deptype = 'e'
), rel AS (
  SELECT c.oid, c.oid::pg_catalog.regclass::text AS name, c.relkind, c.relrowsecurity,
         c.relforcerowsecurity, c.relacl, pg_catalog.pg_get_userbyid(c.relowner) AS owner
    FROM pg_catalog.pg_class c JOIN member m
      ON m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND m.objid = c.oid
), fn AS (
  SELECT p.oid FROM pg_catalog.pg_proc p JOIN member m
      ON m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND m.objid = p.oid
)
SELECT line FROM (
  SELECT 'member ' || pg_catalog.pg_describe_object(classid, objid, 0) AS line FROM member
  UNION ALL
  SELECT 'relation ' || name || ' kind ' || relkind::text || ' rls ' || relrowsecurity || '/'
         || relforcerowsecurity || ' owner ' || owner || ' acl ' || coalesce(relacl::text, '-')
    FROM rel
  UNION ALL
  SELECT 'column ' || r.name || ' #' || pg_catalog.row_number() OVER (PARTITION BY r.oid ORDER BY a.attnum)
         || ' ' || a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
         || coalesce(' default ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '')
         || coalesce(' comment ' || pg_catalog.col_description(r.oid, a.attnum), '')
    FROM rel r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0
         AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = r.oid AND ad.adnum = a.attnum
  UNION ALL
  SELECT 'constraint ' || r.name || ' ' || co.conname || ' ' || pg_catalog.pg_get_constraintdef(co.oid)
    FROM rel r JOIN pg_catalog.pg_constraint co ON co.conrelid = r.oid
  UNION ALL
  SELECT 'index ' || pg_catalog.pg_get_indexdef(i.indexrelid)
    FROM rel r JOIN pg_catalog.pg_index i ON i.indrelid = r.oid
  UNION ALL
  SELECT 'policy ' || r.name || ' ' || po.polname || ' ' || po.polcmd::text || ' ' || po.polpermissive
         || ' roles ' || po.polroles::pg_catalog.regrole[]::text
         || ' using ' || coalesce(pg_catalog.pg_get_expr(po.polqual, po.polrelid), '-')
         || ' check ' || coalesce(pg_catalog.pg_get_expr(po.polwithcheck, po.polrelid), '-')
    FROM rel r JOIN pg_catalog.pg_policy po ON po.polrelid = r.oid
  UNION ALL
  SELECT 'view ' || r.name || ' ' || pg_catalog.pg_get_viewdef(r.oid) FROM rel r WHERE r.relkind IN ('v', 'm')
  UNION ALL
  SELECT 'sequence ' || r.name || ' ' || pg_catalog.format_type(s.seqtypid, NULL) || ' ' || s.seqstart
         || ' ' || s.seqincrement || ' ' || s.seqmax || ' ' || s.seqmin || ' ' || s.seqcache || ' ' || s.seqcycle
    FROM rel r JOIN pg_catalog.pg_sequence s ON s.seqrelid = r.oid
  UNION ALL
  SELECT 'trigger ' || pg_catalog.pg_get_triggerdef(t.oid) FROM rel r JOIN pg_catalog.pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
  UNION ALL
  SELECT 'function ' || pg_catalog.pg_get_functiondef(p.oid) || ' acl ' || coalesce(p.proacl::text, '-')
         || ' owner ' || pg_catalog.pg_get_userbyid(p.proowner)
    FROM fn JOIN pg_catalog.pg_proc p ON p.oid = fn.oid
  UNION ALL
  SELECT 'comment ' || pg_catalog.pg_describe_object(m.classid, m.objid, 0) || ': '
         || coalesce(pg_catalog.obj_description(m.objid, (SELECT relname FROM pg_catalog.pg_class WHERE oid = m.classid)), '-')
    FROM member m
  UNION ALL
  SELECT 'type ' || t.oid::pg_catalog.regtype::text || ' ' || t.typtype::text || ' acl ' || coalesce(t.typacl::text, '-')
    FROM member m JOIN pg_catalog.pg_type t
      ON m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND m.objid = t.oid
  UNION ALL
  SELECT 'fdw ' || w.fdwname || ' handler ' || w.fdwhandler::pg_catalog.regproc::text || ' validator '
         || w.fdwvalidator::pg_catalog.regproc::text || ' acl ' || coalesce(w.fdwacl::text, '-')
    FROM member m JOIN pg_catalog.pg_foreign_data_wrapper w
      ON m.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass AND m.objid = w.oid
  UNION ALL
  SELECT 'schema ' || n.nspname || ' acl ' || coalesce(n.nspacl::text, '-')
    FROM pg_catalog.pg_namespace n WHERE n.nspname = 'minibar_migrate'
  UNION ALL
  SELECT 'dumped ' || c.cfg::pg_catalog.regclass::text || ' where ' || coalesce(NULLIF(ext.extcondition[c.n], ''), '(all rows)')
    FROM ext, pg_catalog.unnest(ext.extconfig) WITH ORDINALITY AS c(cfg, n)
) facts ORDER BY line COLLATE "C";

-- Every row of the extension's state tables as text, one line each
-- ("table: column=value|..." without the NULL columns), in a stable order,
-- with each OID written as the name of
-- its object (regclass / regtype / regnamespace), so that databases whose
-- OIDs differ (a restore, an update) compare equal when their state is the
-- same. Works on the tables of 0.1 (run_objects.object_oid) and of 0.2.
\set ON_ERROR_STOP on
\pset format unaligned
\pset tuples_only on
SET search_path = pg_catalog;
CREATE FUNCTION pg_temp.state_rows() RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
  t record;
  cols text;
BEGIN
  FOR t IN SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'minibar_migrate' AND c.relkind = 'r' ORDER BY c.relname LOOP
    IF t.relname = 'run_objects' THEN
      -- The object by kind, whichever layout holds it.
      cols := 'run_id::text, object_no::text, kind, identity, CASE kind '
              'WHEN ''table'' THEN o::regclass::text WHEN ''type'' THEN o::regtype::text '
              'ELSE o::regnamespace::text END';
      RETURN QUERY EXECUTE format(
        'SELECT %L || '': '' || concat_ws(''|'', %s) FROM (SELECT *, %s AS o FROM minibar_migrate.run_objects) x',
        t.relname, cols,
        CASE WHEN EXISTS (SELECT FROM pg_attribute WHERE attrelid = t.oid AND attname = 'object_oid' AND NOT attisdropped)
             THEN 'object_oid' ELSE 'coalesce(relation::oid, type::oid, schema::oid)' END);
      CONTINUE;
    END IF;
    -- name=value of each column that is not NULL (a column a later release
    -- adds, NULL in the rows it kept, leaves the line as it was)
    SELECT string_agg(CASE WHEN a.atttypid IN ('oid'::regtype, 'regclass'::regtype)
                           THEN format('%L || %I::regclass::text', a.attname || '=', a.attname)
                           ELSE format('%L || %I::text', a.attname || '=', a.attname) END,
                      ', ' ORDER BY a.attnum)
      INTO cols FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped;
    RETURN QUERY EXECUTE format('SELECT %L || '': '' || concat_ws(''|'', %s) FROM minibar_migrate.%I',
                                t.relname, cols, t.relname);
  END LOOP;
END
$f$;
SELECT r FROM pg_temp.state_rows() r ORDER BY r COLLATE "C";
SELECT 'sequence ' || sequencename || ' ' || coalesce(last_value::text, 'unused')
  FROM pg_sequences WHERE schemaname = 'minibar_migrate' ORDER BY 1;

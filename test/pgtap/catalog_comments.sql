-- Every function, view, table and type the extension installs says what it
-- is (COMMENT ON), so that \df+ and \d+ describe it; the install script is
-- assembled from the features' SQL files, and a part added without comments
-- fails here.
\ir include/helpers.sql
SET client_min_messages = warning;

SELECT plan(6);
-- The extension's members, from pg_depend.
CREATE TEMP VIEW members AS
SELECT d.classid::regclass AS catalog, d.objid,
       pg_describe_object(d.classid, d.objid, 0) AS what,
       obj_description(d.objid, d.classid::regclass::name) AS comment
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'minibar_migrate')
  AND d.deptype = 'e';

SELECT cmp_ok((SELECT count(*) FROM members WHERE catalog = 'pg_proc'::regclass), '>=', 23::bigint,
              'the extension installs its functions');
SELECT is_empty($$SELECT what FROM members WHERE catalog = 'pg_proc'::regclass
                   AND coalesce(comment, '') = '' ORDER BY 1$$,
                'every function has a comment');
SELECT is_empty($$SELECT m.what FROM members m JOIN pg_class c ON c.oid = m.objid
                   WHERE m.catalog = 'pg_class'::regclass AND c.relkind = 'v'
                   AND coalesce(m.comment, '') = '' ORDER BY 1$$,
                'every view has a comment');
SELECT is_empty($$SELECT m.what FROM members m JOIN pg_class c ON c.oid = m.objid
                   WHERE m.catalog = 'pg_class'::regclass AND c.relkind = 'r'
                   AND coalesce(m.comment, '') = '' ORDER BY 1$$,
                'every state table has a comment');
SELECT is_empty($$SELECT what FROM members WHERE catalog = 'pg_type'::regclass
                   AND coalesce(comment, '') = '' ORDER BY 1$$,
                'every type has a comment');
SELECT is_empty($$SELECT what FROM members WHERE catalog = 'pg_foreign_data_wrapper'::regclass
                   AND coalesce(comment, '') = '' ORDER BY 1$$,
                'every foreign data wrapper has a comment');
SELECT * FROM finish();

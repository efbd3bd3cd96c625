-- demo_migrate.sql: migrates the sample minibar database (already reachable
-- as server minibar_sample_sqlite, its tables imported as foreign tables in
-- schema minibar_sample) into real PostgreSQL tables in schema minibar with
-- one call, then checks the copy against the source.
--
--   psql -X -d DBNAME -f scripts/demo_migrate.sql

\set ON_ERROR_STOP on
\pset null '(null)'
DROP SCHEMA IF EXISTS minibar CASCADE;

\echo '== migrate_database: every table, then keys, indexes, foreign keys, sequences, ANALYZE'
SELECT kind, source_name, target, rows_source, rows_copied, rows_rejected,
       round(seconds::numeric, 3) AS seconds, notes
FROM minibar_migrate.migrate_database('minibar_sample_sqlite', 'minibar');

\echo '== every migrated table holds exactly the rows the source holds'
SELECT t.source_table, t.rows_source,
       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %s', t.target_table), false, true, '')))[1]::text::bigint AS rows_in_postgresql,
       t.rows_rejected
FROM minibar_migrate.run_tables t
WHERE t.run_id = (SELECT max(run_id) FROM minibar_migrate.runs WHERE kind = 'database')
ORDER BY 1;

\echo '== the schema PostgreSQL now has (one table shown)'
\d minibar.rooms

\echo '== sequences continue after the copied ids'
SELECT * FROM minibar_migrate.reset_sequences('minibar') ORDER BY 1 LIMIT 5;

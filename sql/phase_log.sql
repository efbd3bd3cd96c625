-- Progress lines (minibar_migrate.log_level): each phase of a migration and
-- of a validation says so at the chosen level. Raised to NOTICE here so that
-- PostgreSQL's own DEBUG lines stay out; names are quoted.
-- {"progress": false}: the caller's per-table NOTICEs (their times vary) are
-- test/pgtap/progress.sql's.
\set dir '/tmp/minibar_migrate_regress'
\setenv DIR :dir
\set db :dir '/phases.db'
\setenv DB :db
\getenv srcdir PG_ABS_SRCDIR
\setenv SRCDIR :srcdir
\! mkdir -p "$DIR" && rm -f "$DB" && sqlite3 "$DB" < "$SRCDIR/test/fixtures/regress_phases.sql" && chmod 644 "$DB"
CREATE SERVER phases FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'db');
SHOW minibar_migrate.log_level;
\set VERBOSITY terse
-- Not at the default level (DEBUG1) with client_min_messages = notice.
SELECT count(*) FROM minibar_migrate.migrate_table('phases', 'hotel', 'hotel_quiet', '{"workers": 0, "progress": false}');
SET minibar_migrate.log_level = notice;
SELECT kind, source_name, rows_copied FROM minibar_migrate.migrate_database('phases', 'phases_db', '{"workers": 0, "progress": false}') ORDER BY 1, 2;
SELECT source_rows, target_rows, ok FROM minibar_migrate.validate_checksums('phases', 'room; list', 'phases_db."room; list"', '{"chunk_size": 1000}');
-- A level that is not one is refused.
SET minibar_migrate.log_level = error;
RESET minibar_migrate.log_level;
SELECT count(*) FROM minibar_migrate.validate_checksums('phases', 'hotel', 'phases_db.hotel');
\set VERBOSITY default
DROP SCHEMA phases_db CASCADE;
DROP TABLE hotel_quiet;
DROP SERVER phases;

-- IMPORT FOREIGN SCHEMA: type mapping, NOT NULL, LIMIT TO / EXCEPT, awkward names.
CREATE SCHEMA import_test;
SET search_path = import_test, public;
\set dir '/tmp/minibar_migrate_regress'
\setenv DIR :dir
\set db :dir '/import.db'
\setenv DB :db
\getenv srcdir PG_ABS_SRCDIR
\setenv SRCDIR :srcdir
\! rm -f "$DB" && sqlite3 "$DB" < "$SRCDIR/test/fixtures/regress_import.sql"
CREATE SERVER imp FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'db');
CREATE SCHEMA imp_all;
IMPORT FOREIGN SCHEMA main FROM SERVER imp INTO imp_all;
SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
 WHERE c.relnamespace = 'imp_all'::regnamespace AND a.attnum > 0
 ORDER BY c.relname COLLATE "C", a.attnum;
SELECT * FROM imp_all."Mixed Case";
SELECT * FROM imp_all."sel;ect";
SELECT * FROM imp_all.composite ORDER BY a;
SELECT * FROM imp_all.v_kinds;

CREATE SCHEMA imp_some;
IMPORT FOREIGN SCHEMA main LIMIT TO ("Mixed Case", composite) FROM SERVER imp INTO imp_some;
SELECT relname FROM pg_class WHERE relnamespace = 'imp_some'::regnamespace ORDER BY relname COLLATE "C";
CREATE SCHEMA imp_except;
IMPORT FOREIGN SCHEMA main EXCEPT (kinds, v_kinds) FROM SERVER imp INTO imp_except;
SELECT relname FROM pg_class WHERE relnamespace = 'imp_except'::regnamespace ORDER BY relname COLLATE "C";

\set VERBOSITY default
IMPORT FOREIGN SCHEMA other FROM SERVER imp INTO imp_some;
IMPORT FOREIGN SCHEMA main FROM SERVER imp INTO imp_some OPTIONS (verbose 'true');

-- minibar_sqlite: options, security, value conversion.
CREATE SCHEMA fdw_test;
SET search_path = fdw_test, public;
\set dir '/tmp/minibar_migrate_regress'
\setenv DIR :dir
\! rm -rf "$DIR" && mkdir -p "$DIR" && chmod 755 "$DIR"
\set db :dir '/types.db'
\setenv DB :db
\getenv srcdir PG_ABS_SRCDIR
\setenv SRCDIR :srcdir
\! rm -f "$DB" && sqlite3 "$DB" < "$SRCDIR/test/fixtures/regress_types.sql"

-- Option validation.
\set VERBOSITY default
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (nonsense 'x');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (table_name 'x');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database 'relative.db');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '/x.db', busy_timeout '-1');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '/x.db', busy_timeout 'soon');
CREATE SERVER nodb FOREIGN DATA WRAPPER minibar_sqlite;
CREATE USER MAPPING FOR CURRENT_USER SERVER nodb OPTIONS (username 'x');
CREATE FOREIGN TABLE nodb_t (a int) SERVER nodb OPTIONS (database '/x.db');
CREATE FOREIGN TABLE nodb_t (a int OPTIONS (table_name 'x')) SERVER nodb;
CREATE FOREIGN TABLE nodb_t (a int) SERVER nodb;
SELECT * FROM nodb_t;
DROP FOREIGN TABLE nodb_t;
DROP SERVER nodb;

-- Only superusers and pg_read_server_files members may name a file.
CREATE ROLE mb_plain;
CREATE ROLE mb_reader IN ROLE pg_read_server_files;
GRANT USAGE ON FOREIGN DATA WRAPPER minibar_sqlite TO mb_plain, mb_reader;
GRANT CREATE ON SCHEMA fdw_test TO mb_plain, mb_reader;
SET ROLE mb_plain;
CREATE SERVER plain_srv FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '/etc/passwd');
RESET ROLE;
SET ROLE mb_reader;
CREATE SERVER reader_srv FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'db');
RESET ROLE;
ALTER SERVER reader_srv OWNER TO mb_plain;
SET ROLE mb_plain;
ALTER SERVER reader_srv OPTIONS (SET database '/etc/shadow');
RESET ROLE;
DROP SERVER reader_srv;
REVOKE ALL ON SCHEMA fdw_test FROM mb_plain, mb_reader;
REVOKE ALL ON FOREIGN DATA WRAPPER minibar_sqlite FROM mb_plain, mb_reader;
DROP ROLE mb_plain;
DROP ROLE mb_reader;

-- Values converted to each column's type.
CREATE SERVER types_srv FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'db');
CREATE FOREIGN TABLE items (
  id bigint NOT NULL, qty bigint, price double precision, amount numeric(10,2), name text,
  flag boolean, created timestamptz, day date, at_time time, doc jsonb, raw bytea
) SERVER types_srv;
SET timezone = 'UTC';
SET datestyle = ISO;
SELECT id, qty, price, amount, name, flag FROM items ORDER BY id;
SELECT id, created, day, at_time, doc, raw FROM items ORDER BY id;
-- The same data with other target types and renamed columns.
CREATE FOREIGN TABLE items_other (
  ident int OPTIONS (column_name 'id'),
  amount_text text OPTIONS (column_name 'amount'),
  price_text varchar OPTIONS (column_name 'price'),
  created_local timestamp OPTIONS (column_name 'created'),
  name varchar(40)
) SERVER types_srv OPTIONS (table_name 'items');
SELECT * FROM items_other ORDER BY ident;
-- Joins rescan the foreign table.
SELECT a.id, b.id FROM items a JOIN items b ON b.qty = a.qty ORDER BY 1;

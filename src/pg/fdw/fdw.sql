-- minibar_migrate: the SQLite and MySQL/MariaDB foreign data wrappers. Installed into schema minibar_migrate (see the control file).
\echo Use "CREATE EXTENSION minibar_migrate" to load this file. \quit

CREATE FUNCTION minibar_migrate.sqlite_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME', 'minibar_sqlite_fdw_handler'
LANGUAGE C STRICT;

CREATE FUNCTION minibar_migrate.sqlite_fdw_validator(options text[], catalog oid)
RETURNS void
AS 'MODULE_PATHNAME', 'minibar_sqlite_fdw_validator'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER minibar_sqlite
  HANDLER minibar_migrate.sqlite_fdw_handler
  VALIDATOR minibar_migrate.sqlite_fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER minibar_sqlite IS
  'Reads SQLite database files (read-only, streaming, with pushdown)';

CREATE FUNCTION minibar_migrate.mysql_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME', 'minibar_mysql_fdw_handler'
LANGUAGE C STRICT;

CREATE FUNCTION minibar_migrate.mysql_fdw_validator(options text[], catalog oid)
RETURNS void
AS 'MODULE_PATHNAME', 'minibar_mysql_fdw_validator'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER minibar_mysql
  HANDLER minibar_migrate.mysql_fdw_handler
  VALIDATOR minibar_migrate.mysql_fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER minibar_mysql IS
  'Reads MySQL/MariaDB tables (streaming, typed, with pushdown and remote cancel)';

-- The MySQL connections this backend keeps open (one per server and user
-- mapping). Passwords are never shown.
CREATE FUNCTION minibar_migrate.mysql_connections(
  OUT server_name text, OUT user_name text, OUT thread_id bigint,
  OUT valid boolean, OUT busy boolean, OUT tls text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'minibar_mysql_connections'
LANGUAGE C STRICT VOLATILE;

CREATE FUNCTION minibar_migrate.mysql_disconnect(server_name text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'minibar_mysql_disconnect'
LANGUAGE C STRICT VOLATILE;

CREATE FUNCTION minibar_migrate.mysql_disconnect_all()
RETURNS integer
AS 'MODULE_PATHNAME', 'minibar_mysql_disconnect_all'
LANGUAGE C STRICT VOLATILE;



COMMENT ON FUNCTION minibar_migrate.sqlite_fdw_handler() IS
  'FDW handler of minibar_sqlite (planning, scans, ANALYZE, IMPORT FOREIGN SCHEMA)';
COMMENT ON FUNCTION minibar_migrate.sqlite_fdw_validator(text[], oid) IS
  'Checks minibar_sqlite options on servers, user mappings, tables and columns';
COMMENT ON FUNCTION minibar_migrate.mysql_fdw_handler() IS
  'FDW handler of minibar_mysql (planning, scans, ANALYZE, IMPORT FOREIGN SCHEMA)';
COMMENT ON FUNCTION minibar_migrate.mysql_fdw_validator(text[], oid) IS
  'Checks minibar_mysql options on servers, user mappings, tables and columns';
COMMENT ON FUNCTION minibar_migrate.mysql_connections IS
  'The MySQL connections this backend keeps open, one per server and user mapping (passwords never shown)';
COMMENT ON FUNCTION minibar_migrate.mysql_disconnect IS
  'Closes this backend''s cached MySQL connections to one server';
COMMENT ON FUNCTION minibar_migrate.mysql_disconnect_all IS
  'Closes every MySQL connection this backend keeps open; returns how many it closed';

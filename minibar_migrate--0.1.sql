-- minibar_migrate 0.1: the SQLite foreign data wrapper and the error-boundary
-- plumbing. Installed into schema minibar_migrate (see the control file).
\echo Use "CREATE EXTENSION minibar_migrate" to load this file. \quit

CREATE FUNCTION minibar_migrate.sqlite_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME', 'minibar_sqlite_fdw_handler'
LANGUAGE C STRICT;

CREATE FUNCTION minibar_migrate.sqlite_fdw_validator(text[], oid)
RETURNS void
AS 'MODULE_PATHNAME', 'minibar_sqlite_fdw_validator'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER minibar_sqlite
  HANDLER minibar_migrate.sqlite_fdw_handler
  VALIDATOR minibar_migrate.sqlite_fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER minibar_sqlite IS
  'Reads SQLite database files (read-only, streaming, with pushdown)';

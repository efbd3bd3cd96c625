-- Before a move: a row per finding about the source (orphan rows, zero
-- dates, NUL bytes, invalid UTF-8 or JSON, ENUM error values, values beyond
-- the target type, duplicates PostgreSQL would reject, tables without a
-- primary key, case-insensitive collations, objects that will not move) and
-- the size of every table. Options: "tables", "exclude". See the documentation page "Before a move".
CREATE FUNCTION minibar_migrate.preflight(server name, options jsonb DEFAULT '{}')
RETURNS TABLE (severity text, table_name text, column_name text, check_name text,
  count bigint, example text, advice text, action text)
AS 'MODULE_PATHNAME', 'minibar_preflight'
LANGUAGE C VOLATILE;


COMMENT ON FUNCTION minibar_migrate.preflight IS
  'Before a move: a row per finding about the source and what the migration will do with it (copy, reject, note)';

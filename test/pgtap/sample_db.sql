-- The bundled minibar sample database arrives whole through IMPORT FOREIGN SCHEMA.
\ir include/helpers.sql
\! rm -f /tmp/minibar_migrate_tap/sample.db && sqlite3 /tmp/minibar_migrate_tap/sample.db < test/fixtures/minibar_sample.sql
\set expected `cat test/fixtures/minibar_sample.expected`
\set sqlite_sums `sqlite3 /tmp/minibar_migrate_tap/sample.db "SELECT (SELECT sum(quantity) FROM stock_movements) || ' ' || (SELECT sum(length(image_thumbnail)) FROM products) || ' ' || (SELECT count(*) FROM users WHERE is_active = 1) || ' ' || (SELECT count(*) FROM audit_logs WHERE old_values IS NULL)"`
DROP SERVER IF EXISTS sample_srv CASCADE;
DROP SCHEMA IF EXISTS minibar_sample CASCADE;
CREATE SERVER sample_srv FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '/tmp/minibar_migrate_tap/sample.db');
CREATE SCHEMA minibar_sample;
IMPORT FOREIGN SCHEMA main FROM SERVER sample_srv INTO minibar_sample;
CREATE TEMP TABLE expected AS
  SELECT split_part(line, ' ', 1) AS table_name, split_part(line, ' ', 2)::bigint AS n
    FROM regexp_split_to_table(:'expected', '\n') AS line WHERE line <> '';
CREATE FUNCTION pg_temp.count_rows(t text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint; BEGIN EXECUTE format('SELECT count(*) FROM minibar_sample.%I', t) INTO n; RETURN n; END $$;

SELECT plan(7);
SELECT is((SELECT count(*) FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
            WHERE c.relnamespace = 'minibar_sample'::regnamespace),
          (SELECT count(*) FROM expected), 'every table imported');
SELECT results_eq('SELECT table_name, pg_temp.count_rows(table_name) FROM expected ORDER BY 1',
                  'SELECT table_name, n FROM expected ORDER BY 1', 'row counts equal the source');
SELECT is((SELECT sum(quantity) || ' ' || (SELECT sum(length(image_thumbnail)) FROM minibar_sample.products) || ' ' ||
                  (SELECT count(*) FROM minibar_sample.users WHERE is_active) || ' ' ||
                  (SELECT count(*) FROM minibar_sample.audit_logs WHERE old_values IS NULL)
             FROM minibar_sample.stock_movements),
          :'sqlite_sums', 'sums, blob lengths, booleans and NULLs equal SQLite''s');
SELECT col_type_is('minibar_sample', 'products', 'sale_price', 'numeric(10,2)', 'NUMERIC(10, 2) -> numeric(10,2)');
SELECT col_type_is('minibar_sample', 'audit_logs', 'new_values', 'jsonb', 'JSON -> jsonb');
SELECT col_not_null('minibar_sample', 'products', 'name', 'NOT NULL carried over');
SELECT ok((SELECT bool_and(jsonb_typeof(new_values) = 'object') FROM minibar_sample.audit_logs WHERE new_values IS NOT NULL),
          'JSON text arrives as jsonb objects');
SELECT * FROM finish();
DROP SCHEMA minibar_sample CASCADE;
DROP SERVER sample_srv CASCADE;

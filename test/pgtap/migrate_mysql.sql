-- migrate_database / migrate_table / reset_sequences from MariaDB (minibar_mysql).
-- Fixture: test/fixtures/migrate_mysql.sql (database minibar_migtest); counts,
-- reject cases, foreign keys, AUTO_INCREMENT values and untranslatable objects are
-- those listed in test/fixtures/migrate_fixtures.md (section 1). Expected data
-- values are read from MariaDB itself (mariadb client, at the top of this file) or
-- were read with the mariadb client when the test was written; never from what the
-- extension produced.
--
-- (Tests once marked "SHOULD" described behaviour the extension lacked; all are fixed.)
-- Tests marked "SHOULD" described the behaviour the contract asks for where the
-- extension did not deliver it when this file was written.
\ir include/helpers.sql
\set fixture_load `mariadb -uroot < test/fixtures/migrate_mysql.sql 2>&1 && echo loaded`
-- A second database with TIME values beyond 24 hours (the fixture has none), and a
-- table whose long name makes <table>_<index> names collide after truncation to 63 bytes.
\set extra_load `mariadb -uroot -e "DROP DATABASE IF EXISTS minibar_tap_migextra; CREATE DATABASE minibar_tap_migextra; CREATE TABLE minibar_tap_migextra.durations (id INT PRIMARY KEY, d TIME, t TIME); INSERT INTO minibar_tap_migextra.durations VALUES (1, '838:59:59', '00:00:00'), (2, '-01:30:00', '23:59:59'), (3, '25:00:00', NULL), (4, NULL, '12:34:56'); CREATE TABLE minibar_tap_migextra.hotel_minibar_consumption_records_for_the_year_2023_q1 (id INT AUTO_INCREMENT PRIMARY KEY, room_id INT, product_id INT, KEY ix_consumption_room (room_id), KEY ix_consumption_product (product_id)); INSERT INTO minibar_tap_migextra.hotel_minibar_consumption_records_for_the_year_2023_q1 VALUES (1, 1, 1), (2, 1, 2)" 2>&1 && echo loaded`

-- Source facts, read from MariaDB now (JSON documents, decoded below). TIMESTAMP
-- values are read in UTC.
\set src_columns `mariadb -uroot --default-character-set=utf8mb4 -N -B -r -e "SET SESSION group_concat_max_len = 67108864; SELECT JSON_ARRAYAGG(JSON_OBJECT('tbl', table_name, 'col', column_name, 'pos', ordinal_position, 'type', column_type, 'nullable', is_nullable, 'comment', column_comment)) FROM information_schema.columns WHERE table_schema = 'minibar_migtest' AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'minibar_migtest' AND table_type = 'BASE TABLE')"`
\set src_tables `mariadb -uroot --default-character-set=utf8mb4 -N -B -r -e "SELECT JSON_ARRAYAGG(JSON_OBJECT('tbl', table_name, 'comment', table_comment, 'auto_increment', auto_increment)) FROM information_schema.tables WHERE table_schema = 'minibar_migtest' AND table_type = 'BASE TABLE'"`
\set src_fks `mariadb -uroot --default-character-set=utf8mb4 -N -B -r -e "SELECT JSON_ARRAYAGG(JSON_OBJECT('child', table_name, 'parent', referenced_table_name)) FROM information_schema.referential_constraints WHERE constraint_schema = 'minibar_migtest'"`
\set src_hotels `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SET time_zone = '+00:00'; SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'code', code, 'name', name, 'city', city, 'address', address, 'star_rating', star_rating, 'opened_year', opened_year, 'is_active', is_active, 'location', HEX(ST_AsBinary(location)), 'service_area', HEX(ST_AsBinary(service_area)), 'manager_user_id', manager_user_id, 'created_at', created_at, 'updated_at', updated_at)) FROM hotels"`
\set src_floors `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'hotel_id', hotel_id, 'floor_no', floor_no, 'name', name, 'description', description)) FROM floors"`
\set src_rooms `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'floor_id', floor_id, 'roomcode', RoomCode, 'room_no', room_no, 'room_type', room_type, 'capacity', capacity, 'features', features, 'is_smoking', is_smoking + 0, 'housekeeping_at', housekeeping_at, 'last_check', last_check, 'created_at', created_at)) FROM rooms"`
\set src_users `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SET time_zone = '+00:00'; SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'hotel_id', hotel_id, 'username', username, 'full_name', full_name, 'role', role, 'is_active', is_active, 'api_token', HEX(api_token), 'password_hash', HEX(password_hash), 'permissions', permissions, 'session_key', session_key, 'hire_date', hire_date, 'last_login', last_login, 'created_at', created_at)) FROM users"`
\set src_product_groups `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'parent_id', parent_id, 'name', name, 'description', description, 'order', product_groups.order, 'is_active', is_active)) FROM product_groups"`
\set src_products `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SET time_zone = '+00:00'; SET SESSION group_concat_max_len = 67108864; SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'group_id', group_id, 'sku', sku, 'barcode', barcode, 'name', name, 'description', description, 'long_description', long_description, 'unit', unit, 'purchase_price', purchase_price, 'sale_price', sale_price, 'vat_rate', vat_rate, 'weight_kg', weight_kg, 'attributes', attributes, 'image_thumbnail', HEX(image_thumbnail), 'color_mask', color_mask + 0, 'critical_stock_level', critical_stock_level, 'stock_balance', stock_balance, 'version', version, 'created_at', created_at, 'updated_at', updated_at)) FROM products"`
\set src_minibar_items `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'room_id', room_id, 'product_id', product_id, 'par_level', par_level, 'current_qty', current_qty, 'last_refill_at', last_refill_at)) FROM minibar_items"`
\set src_stock_movements `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SET SESSION group_concat_max_len = 67108864; SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'product_id', product_id, 'hotel_id', hotel_id, 'room_id', room_id, 'performed_by', performed_by, 'movement_type', movement_type, 'quantity', quantity, 'unit_cost', unit_cost, 'movement_at', movement_at, 'expiry_date', expiry_date, 'note', note)) FROM stock_movements"`
\set src_auditlog `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SET time_zone = '+00:00'; SET SESSION group_concat_max_len = 67108864; SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'user_id', user_id, 'action', action, 'table_name', table_name, 'record_id', record_id, 'old_values', old_values, 'new_values', new_values, 'ip_address', HEX(ip_address), 'trace_id', trace_id, 'created_at', created_at)) FROM AuditLog"`
\set src_count_import `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SELECT JSON_ARRAYAGG(JSON_OBJECT('room_code', room_code, 'product_sku', product_sku, 'counted_qty', counted_qty, 'counted_at', counted_at, 'source_file', source_file)) FROM minibar_count_import"`
\set src_reject_cases `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'case_label', case_label, 'size', size, 'due_date', due_date, 'seen_at', seen_at, 'payload', payload, 'note', note, 'legacy_name', legacy_name)) FROM reject_cases WHERE id NOT IN (11, 12, 14, 15)"`
\set src_reject_range `mariadb -uroot --default-character-set=utf8mb4 -N -B -r minibar_migtest -e "SELECT JSON_ARRAYAGG(JSON_OBJECT('id', id, 'qty', qty, 'note', note)) FROM reject_range"`
-- The partitioned-target test: rows per partition and the rows breaking CHECK (quantity > -8).
\set src_part `mariadb -uroot -N -B -r minibar_migtest -e "SELECT JSON_OBJECT('early', SUM(movement_at < '2024-01-15'), 'late', SUM(movement_at >= '2024-01-15'), 'bad_early', SUM(quantity <= -8 AND movement_at < '2024-01-15'), 'bad_late', SUM(quantity <= -8 AND movement_at >= '2024-01-15'), 'bad', SUM(quantity <= -8)) FROM stock_movements"`
\set src_part_bad `mariadb -uroot -N -B -r minibar_migtest -e "SELECT JSON_ARRAYAGG(id) FROM stock_movements WHERE quantity <= -8"`

SET client_min_messages = warning;
SET TimeZone = 'UTC';
CALL pg_temp.drop_leftovers('{tap_mig_my,tap_mig_my_case,tap_mig_my_ovr,tap_mig_my_part}', '{tap_mig_my,tap_mig_my_extra}');
CALL pg_temp.mysql_server('tap_mig_my', 'minibar_migtest');
CALL pg_temp.mysql_server('tap_mig_my_extra', 'minibar_tap_migextra');
CREATE SCHEMA tap_mig_my_ovr;
CREATE SCHEMA tap_mig_my_part;

-- ------------------------------------------------------------------ helpers

CALL pg_temp.run_tables('my');
CREATE TEMP TABLE tbl_result (source text, target regclass, rows_copied bigint, rows_rejected bigint, seconds double precision);

CREATE TEMP TABLE src_columns AS SELECT * FROM jsonb_to_recordset(:'src_columns'::jsonb)
  AS x(tbl text, col text, pos int, type text, nullable text, comment text);
CREATE TEMP TABLE src_tables AS SELECT * FROM jsonb_to_recordset(:'src_tables'::jsonb)
  AS x(tbl text, comment text, auto_increment bigint);
CREATE TEMP TABLE src_fks AS SELECT * FROM jsonb_to_recordset(:'src_fks'::jsonb) AS x(child text, parent text);
CREATE TEMP TABLE src_hotels AS SELECT * FROM jsonb_to_recordset(:'src_hotels'::jsonb) AS x(
  id bigint, code text, name text, city text, address text, star_rating int, opened_year int, is_active int,
  location text, service_area text, manager_user_id bigint, created_at text, updated_at text);
CREATE TEMP TABLE src_floors AS SELECT * FROM jsonb_to_recordset(:'src_floors'::jsonb) AS x(
  id int, hotel_id bigint, floor_no int, name text, description text);
CREATE TEMP TABLE src_rooms AS SELECT * FROM jsonb_to_recordset(:'src_rooms'::jsonb) AS x(
  id int, floor_id int, roomcode text, room_no text, room_type text, capacity int, features text, is_smoking int,
  housekeeping_at text, last_check text, created_at text);
CREATE TEMP TABLE src_users AS SELECT * FROM jsonb_to_recordset(:'src_users'::jsonb) AS x(
  id bigint, hotel_id bigint, username text, full_name text, role text, is_active int, api_token text,
  password_hash text, permissions text, session_key text, hire_date text, last_login text, created_at text);
CREATE TEMP TABLE src_product_groups AS SELECT * FROM jsonb_to_recordset(:'src_product_groups'::jsonb) AS x(
  id int, parent_id int, name text, description text, "order" int, is_active int);
CREATE TEMP TABLE src_products AS SELECT * FROM jsonb_to_recordset(:'src_products'::jsonb) AS x(
  id int, group_id int, sku text, barcode text, name text, description text, long_description text, unit text,
  purchase_price numeric, sale_price numeric, vat_rate numeric, weight_kg double precision, attributes jsonb,
  image_thumbnail text, color_mask int, critical_stock_level int, stock_balance int, version int,
  created_at text, updated_at text);
CREATE TEMP TABLE src_minibar_items AS SELECT * FROM jsonb_to_recordset(:'src_minibar_items'::jsonb) AS x(
  id bigint, room_id int, product_id int, par_level int, current_qty int, last_refill_at text);
CREATE TEMP TABLE src_stock_movements AS SELECT * FROM jsonb_to_recordset(:'src_stock_movements'::jsonb) AS x(
  id bigint, product_id int, hotel_id bigint, room_id int, performed_by bigint, movement_type text, quantity int,
  unit_cost numeric, movement_at text, expiry_date text, note text);
CREATE TEMP TABLE src_auditlog AS SELECT * FROM jsonb_to_recordset(:'src_auditlog'::jsonb) AS x(
  id bigint, user_id bigint, action text, table_name text, record_id bigint, old_values jsonb, new_values jsonb,
  ip_address text, trace_id numeric, created_at text);
CREATE TEMP TABLE src_count_import AS SELECT * FROM jsonb_to_recordset(:'src_count_import'::jsonb) AS x(
  room_code text, product_sku text, counted_qty int, counted_at text, source_file text);
CREATE TEMP TABLE src_reject_cases AS SELECT * FROM jsonb_to_recordset(:'src_reject_cases'::jsonb) AS x(
  id int, case_label text, size text, due_date text, seen_at text, payload text, note text, legacy_name text);
CREATE TEMP TABLE src_reject_range AS SELECT * FROM jsonb_to_recordset(:'src_reject_range'::jsonb) AS x(
  id int, qty bigint, note text);
CREATE TEMP TABLE src_part AS SELECT * FROM jsonb_to_record(:'src_part'::jsonb) AS x(
  early bigint, late bigint, bad_early bigint, bad_late bigint, bad bigint);
CREATE TEMP TABLE src_part_bad AS SELECT value::bigint AS id FROM jsonb_array_elements_text(:'src_part_bad'::jsonb);

SELECT plan(206);

SELECT is(:'fixture_load'::text, 'loaded'::text, 'the MariaDB fixture loads');
SELECT is(:'extra_load'::text, 'loaded'::text, 'the extra database (TIME > 24h, long table name) loads');
SELECT pg_temp.rows_eq($$SELECT (SELECT count(DISTINCT tbl) FROM src_columns), (SELECT count(*) FROM src_tables),
                                (SELECT count(*) FROM src_fks), (SELECT count(*) FROM src_stock_movements)$$,
                       $$VALUES (12::bigint, 12::bigint, 13::bigint, 400::bigint)$$,
                       'source facts read from MariaDB: 12 tables, 13 foreign keys, 400 stock movements');

-- ======================================================= migrate_database
SELECT lives_ok($$INSERT INTO my_run SELECT * FROM minibar_migrate.migrate_database('tap_mig_my', 'tap_mig_my',
                    '{"columns": {"reject_cases.payload": "jsonb"}}') WITH ORDINALITY$$,
                'migrate_database(MariaDB server, ''tap_mig_my'', payload as jsonb) runs');

-- ---------------------------------------------------------------- counts (fixtures md, section 1)
SELECT pg_temp.rows_eq(
  $$SELECT source_name, target::text, rows_source, rows_copied, rows_rejected, zero_dates FROM my_run
     WHERE kind = 'table' ORDER BY source_name COLLATE "C"$$,
  $$VALUES ('AuditLog', 'tap_mig_my.auditlog', 40::bigint, 40::bigint, 0::bigint, 0::bigint),
           ('floors', 'tap_mig_my.floors', 12, 12, 0, 0),
           ('hotels', 'tap_mig_my.hotels', 4, 4, 0, 0),
           ('minibar_count_import', 'tap_mig_my.minibar_count_import', 25, 25, 0, 0),
           ('minibar_items', 'tap_mig_my.minibar_items', 96, 96, 0, 0),
           ('product_groups', 'tap_mig_my.product_groups', 10, 10, 0, 0),
           ('products', 'tap_mig_my.products', 30, 30, 0, 0),
           ('reject_cases', 'tap_mig_my.reject_cases', 12, 8, 4, 1),
           ('reject_range', 'tap_mig_my.reject_range', 6, 6, 0, 0),
           ('rooms', 'tap_mig_my.rooms', 48, 48, 0, 0),
           ('stock_movements', 'tap_mig_my.stock_movements', 400, 400, 0, 0),
           ('users', 'tap_mig_my.users', 20, 20, 0, 0)$$,
  'one row per table: lower-cased target, rows source/copied/rejected, zero dates (703 rows in 12 tables)');
SELECT is((SELECT count(*) FROM my_run WHERE kind = 'table' AND rows_source <> rows_copied + rows_rejected), 0::bigint,
          'the report adds up: rows_source = rows_copied + rows_rejected for every table');
SELECT is((SELECT sum(rows_source) FROM my_run WHERE kind = 'table'), 703::numeric, '703 source rows in all');
SELECT pg_temp.rows_eq(
  $$SELECT source_name, pg_temp.count_rows('tap_mig_my', lower(source_name)) FROM my_run WHERE kind = 'table'
     ORDER BY source_name COLLATE "C"$$,
  $$SELECT source_name, rows_copied FROM my_run WHERE kind = 'table' ORDER BY source_name COLLATE "C"$$,
  'every target table holds rows_copied rows');
SELECT pg_temp.rows_eq(
  $$SELECT source_table, target_table::regclass::text, created, rows_source, rows_copied, rows_rejected, zero_dates
      FROM minibar_migrate.run_tables WHERE run_id = (SELECT max(run_id) FROM my_run) ORDER BY source_table COLLATE "C"$$,
  $$SELECT source_name, target::text, true, rows_source, rows_copied, rows_rejected, zero_dates FROM my_run
     WHERE kind = 'table' ORDER BY source_name COLLATE "C"$$,
  'minibar_migrate.run_tables records the same counts, created = true');
SELECT pg_temp.rows_eq(
  $$SELECT kind, server::text COLLATE "default", target_schema::text COLLATE "default", options, status,
           finished_at >= started_at, started_by = current_user
      FROM minibar_migrate.runs WHERE run_id = (SELECT max(run_id) FROM my_run)$$,
  $$VALUES ('database', 'tap_mig_my', 'tap_mig_my', '{"columns": {"reject_cases.payload": "jsonb"}}'::jsonb, 'done', true, true)$$,
  'minibar_migrate.runs: a database run with its options, status done');
SELECT is((SELECT count(DISTINCT run_id) FROM my_run), 1::bigint, 'every result row carries the same run_id');
SELECT pg_temp.load_order('my_run',
                          'table rows come in foreign-key load order (parents before children, the hotels <-> users cycle aside)');

-- ---------------------------------------------------------------- rejects (md: reject cases)
SELECT pg_temp.rows_eq(
  $$SELECT source_table, target_table::regclass::text, row_data FROM my_rejects ORDER BY (row_data ->> 'id')::int$$,
  $$VALUES ('reject_cases', 'tap_mig_my.reject_cases', '{"id": 11}'::jsonb), ('reject_cases', 'tap_mig_my.reject_cases', '{"id": 12}'),
           ('reject_cases', 'tap_mig_my.reject_cases', '{"id": 14}'), ('reject_cases', 'tap_mig_my.reject_cases', '{"id": 15}')$$,
  'four rejects: reject_cases 11, 12, 14, 15, keyed by their primary key');
SELECT pg_temp.reject_is((SELECT max(run_id) FROM my_run), 'reject_cases', '{"id": 11}', 'size',
  'enum|label', '{22P02}', '^(''''|)$', 'reject a: ENUM error value '''' is not a label of the enum');
SELECT pg_temp.reject_is((SELECT max(run_id) FROM my_run), 'reject_cases', '{"id": 12}', 'due_date',
  'zero|null', '{23502,22008,22007}', '0000-00-00', 'reject b: zero date in the NOT NULL due_date');
SELECT pg_temp.reject_is((SELECT max(run_id) FROM my_run), 'reject_cases', '{"id": 14}', 'payload',
  'json', '{22P02}', '\{"brand": "Efes", "qty": ', 'reject d: invalid JSON in LONGTEXT mapped to jsonb');
SELECT pg_temp.reject_is((SELECT max(run_id) FROM my_run), 'reject_cases', '{"id": 15}', 'note',
  'nul|0x00', '{22021,22P05}', 'kola.*soda', 'reject e: NUL byte in TEXT');
SELECT is((SELECT seen_at FROM tap_mig_my.reject_cases WHERE id = 13), NULL::timestamptz,
          'case c: the zero DATETIME in a nullable column became NULL (not a reject)');
SELECT is((SELECT legacy_name FROM tap_mig_my.reject_cases WHERE id = 16), 'Ürgüp Café'::varchar,
          'case f: latin1 Ürgüp Café converted to UTF-8 (not a reject)');
SELECT pg_temp.rows_eq(
  $$SELECT source_table, kind FROM my_notes WHERE kind = 'zero_dates'$$, $$VALUES ('reject_cases', 'zero_dates')$$,
  'a zero_dates note for reject_cases');

-- ---------------------------------------------------------------- column names and types
SELECT pg_temp.rows_eq(
  $$SELECT lower(s.tbl), string_agg(a.attname, ',' ORDER BY a.attnum) COLLATE "default"
      FROM (SELECT DISTINCT tbl FROM src_columns) s
      JOIN pg_attribute a ON a.attrelid = format('tap_mig_my.%I', lower(s.tbl))::regclass AND a.attnum > 0 AND NOT a.attisdropped
     GROUP BY 1 ORDER BY 1$$,
  $$SELECT lower(tbl), string_agg(lower(col), ',' ORDER BY pos) FROM src_columns GROUP BY 1 ORDER BY 1$$,
  'every table has the source''s columns, lower-cased, in source order');
SELECT is(pg_temp.col_type('tap_mig_my', tbl, col, want), want, format('%s.%s: %s -> %s', tbl, col, src, want))
  FROM (VALUES
    ('hotels', 'is_active', 'TINYINT(1)', 'boolean'),
    ('product_groups', 'is_active', 'TINYINT(1)', 'boolean'),
    ('users', 'is_active', 'BOOL', 'boolean'),
    ('rooms', 'is_smoking', 'BIT(1)', 'boolean'),
    ('floors', 'floor_no', 'TINYINT', 'smallint'),
    ('hotels', 'star_rating', 'TINYINT UNSIGNED', 'smallint'),
    ('stock_movements', 'quantity', 'SMALLINT', 'smallint'),
    ('products', 'critical_stock_level', 'SMALLINT UNSIGNED', 'integer'),
    ('products', 'stock_balance', 'MEDIUMINT', 'integer'),
    ('stock_movements', 'room_id', 'MEDIUMINT UNSIGNED', 'integer'),
    ('product_groups', 'order', 'INT', 'integer'),
    ('hotels', 'manager_user_id', 'INT UNSIGNED', 'bigint'),
    ('reject_range', 'qty', 'INT UNSIGNED', 'bigint'),
    ('auditlog', 'record_id', 'BIGINT', 'bigint'),
    ('auditlog', 'trace_id', 'BIGINT UNSIGNED', 'numeric(20,0)'),
    ('hotels', 'id', 'INT UNSIGNED AUTO_INCREMENT', 'bigint'),
    ('floors', 'id', 'SMALLINT UNSIGNED AUTO_INCREMENT', 'integer'),
    ('rooms', 'id', 'MEDIUMINT UNSIGNED AUTO_INCREMENT', 'integer'),
    ('product_groups', 'id', 'SMALLINT AUTO_INCREMENT', 'smallint'),
    ('products', 'id', 'INT AUTO_INCREMENT', 'integer'),
    ('auditlog', 'id', 'BIGINT AUTO_INCREMENT', 'bigint'),
    ('stock_movements', 'id', 'BIGINT UNSIGNED AUTO_INCREMENT', 'bigint'),
    ('products', 'purchase_price', 'DECIMAL(10,2)', 'numeric(10,2)'),
    ('stock_movements', 'unit_cost', 'DECIMAL(12,4)', 'numeric(12,4)'),
    ('products', 'vat_rate', 'FLOAT', 'real'),
    ('products', 'weight_kg', 'DOUBLE', 'double precision'),
    ('hotels', 'code', 'CHAR(3)', 'character varying(3)'),
    ('products', 'sku', 'CHAR(8)', 'character varying(8)'),
    ('hotels', 'name', 'VARCHAR(150)', 'character varying(150)'),
    ('rooms', 'roomcode', 'VARCHAR(16)', 'character varying(16)'),
    ('reject_cases', 'legacy_name', 'VARCHAR(40) latin1', 'character varying(40)'),
    ('hotels', 'address', 'TEXT', 'text'),
    ('products', 'description', 'MEDIUMTEXT', 'text'),
    ('reject_cases', 'note', 'TEXT', 'text'),
    ('products', 'attributes', 'JSON', 'jsonb'),
    ('auditlog', 'old_values', 'JSON', 'jsonb'),
    ('reject_cases', 'payload', 'LONGTEXT named in the columns option', 'jsonb'),
    ('rooms', 'room_type', 'ENUM', 'tap_mig_my.rooms_room_type'),
    ('users', 'role', 'ENUM', 'tap_mig_my.users_role'),
    ('stock_movements', 'movement_type', 'ENUM', 'tap_mig_my.stock_movements_movement_type'),
    ('auditlog', 'action', 'ENUM', 'tap_mig_my.auditlog_action'),
    ('reject_cases', 'size', 'ENUM', 'tap_mig_my.reject_cases_size'),
    ('rooms', 'features', 'SET', 'text[]'),
    ('users', 'permissions', 'SET', 'text[]'),
    ('rooms', 'last_check', 'DATE', 'date'),
    ('reject_cases', 'due_date', 'DATE', 'date'),
    ('rooms', 'created_at', 'DATETIME', 'timestamp with time zone'),
    ('users', 'last_login', 'DATETIME(6)', 'timestamp with time zone'),
    ('stock_movements', 'movement_at', 'DATETIME(6)', 'timestamp with time zone'),
    ('hotels', 'created_at', 'TIMESTAMP', 'timestamp with time zone'),
    ('products', 'updated_at', 'TIMESTAMP NULL', 'timestamp with time zone'),
    ('rooms', 'housekeeping_at', 'TIME (values within 24h)', 'time without time zone'),
    ('hotels', 'opened_year', 'YEAR', 'smallint'),
    ('users', 'api_token', 'BINARY(16)', 'bytea'),
    ('users', 'password_hash', 'VARBINARY(64)', 'bytea'),
    ('auditlog', 'ip_address', 'VARBINARY(16)', 'bytea'),
    ('products', 'image_thumbnail', 'BLOB', 'bytea'),
    ('products', 'color_mask', 'BIT(8)', 'bit varying(8)'),
    ('hotels', 'location', 'POINT', 'bytea'),
    ('hotels', 'service_area', 'GEOMETRY', 'bytea')
  ) AS t(tbl, col, src, want);
SELECT pg_temp.rows_eq(
  $$SELECT source_table, kind, object FROM my_notes WHERE kind = 'type' ORDER BY 1, 3$$,
  $$VALUES ('stock_movements', 'type', 'id')$$,
  'AUTO_INCREMENT BIGINT UNSIGNED stock_movements.id: a ''type'' note (values above the bigint maximum are rejects)');
-- ENUM labels in source order (parsed from information_schema COLUMN_TYPE).
SELECT pg_temp.rows_eq(
  $$SELECT lower(s.tbl) || '_' || lower(s.col),
           (SELECT array_agg(e.enumlabel::text COLLATE "default" ORDER BY e.enumsortorder) FROM pg_enum e
             WHERE e.enumtypid = to_regtype('tap_mig_my.' || lower(s.tbl) || '_' || lower(s.col)))
      FROM src_columns s WHERE s.type LIKE 'enum(%' ORDER BY 1$$,
  $$SELECT lower(s.tbl) || '_' || lower(s.col),
           ARRAY(SELECT m[1] FROM regexp_matches(s.type, '''([^'']*)''', 'g') AS m)
      FROM src_columns s WHERE s.type LIKE 'enum(%' ORDER BY 1$$,
  'each ENUM became enum type <table>_<column> in the target schema with the labels in source order');
SELECT is((SELECT array_agg(enumlabel::text ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'tap_mig_my.auditlog_action'::regtype),
          '{update,create,delete,login}'::text[], 'auditlog_action labels are not alphabetical: update, create, delete, login');

-- ---------------------------------------------------------------- NOT NULL, defaults, comments
SELECT pg_temp.not_null_carried('tap_mig_my', 'nullable = ''NO''',
  'NOT NULL carried over exactly for every column');
SELECT col_not_null('tap_mig_my', 'hotels', 'updated_at', 'the NOT NULL TIMESTAMP hotels.updated_at stays NOT NULL');
SELECT col_not_null('tap_mig_my', 'users', 'session_key', 'users.session_key stays NOT NULL though its default is dropped');
SELECT is(pg_temp.default_of('tap_mig_my', tbl, col), want, format('default %s.%s: %s', tbl, col, src))
  FROM (VALUES
    ('hotels', 'city', '''İstanbul''', 'İstanbul'),
    ('hotels', 'star_rating', '4', '4'),
    ('hotels', 'is_active', 'TINYINT(1) DEFAULT 1', 'true'),
    ('hotels', 'created_at', 'CURRENT_TIMESTAMP', now()::text),
    ('hotels', 'updated_at', 'CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP', now()::text),
    ('rooms', 'room_type', '''standard'' (ENUM)', 'standard'),
    ('rooms', 'capacity', '2', '2'),
    ('rooms', 'features', ''''' (SET)', '{}'),
    ('rooms', 'is_smoking', 'b''0'' (BIT(1))', 'false'),
    ('users', 'is_active', 'TRUE (BOOL)', 'true'),
    ('users', 'permissions', '''read'' (SET)', '{read}'),
    ('users', 'created_at', 'CURRENT_TIMESTAMP', now()::text),
    ('users', 'session_key', '(uuid()): none', NULL),
    ('product_groups', 'order', '0', '0'),
    ('products', 'unit', '''Adet''', 'Adet'),
    ('products', 'vat_rate', '0.2 (FLOAT)', '0.2'),
    ('products', 'critical_stock_level', '10', '10'),
    ('products', 'stock_balance', '0', '0'),
    ('products', 'version', '1', '1'),
    ('products', 'updated_at', 'NULL', NULL),
    ('minibar_items', 'par_level', '1', '1'),
    ('auditlog', 'created_at', 'CURRENT_TIMESTAMP', now()::text)
  ) AS t(tbl, col, src, want);
SELECT pg_temp.rows_eq(
  $$SELECT kind, source_table, object FROM my_notes WHERE kind IN ('default', 'on_update') ORDER BY 1, 2$$,
  $$VALUES ('default', 'users', 'session_key'), ('on_update', 'hotels', 'updated_at'), ('on_update', 'products', 'updated_at')$$,
  'DEFAULT (uuid()) is a ''default'' note; ON UPDATE CURRENT_TIMESTAMP is an ''on_update'' note for both columns');
SELECT pg_temp.rows_eq(
  $$SELECT s.tbl, obj_description(format('tap_mig_my.%I', lower(s.tbl))::regclass, 'pg_class') COLLATE "default" FROM src_tables s
     WHERE s.comment <> '' ORDER BY s.tbl COLLATE "C"$$,
  $$SELECT tbl, comment FROM src_tables WHERE comment <> '' ORDER BY tbl COLLATE "C"$$,
  'table comments kept');
SELECT pg_temp.rows_eq(
  $$SELECT s.tbl, s.col, col_description(format('tap_mig_my.%I', lower(s.tbl))::regclass, a.attnum) COLLATE "default"
      FROM src_columns s JOIN pg_attribute a ON a.attrelid = format('tap_mig_my.%I', lower(s.tbl))::regclass AND a.attname = lower(s.col)
     WHERE s.comment <> '' ORDER BY s.tbl COLLATE "C", s.col COLLATE "C"$$,
  $$SELECT tbl, col, comment FROM src_columns WHERE comment <> '' ORDER BY tbl COLLATE "C", col COLLATE "C"$$,
  'column comments kept');
SELECT is(obj_description('tap_mig_my.hotels'::regclass, 'pg_class'), 'Hotels using the minibar service', 'e.g. hotels'' comment');

-- ---------------------------------------------------------------- CHECK constraints
SELECT ok(EXISTS (SELECT FROM pg_constraint c WHERE c.conrelid = ('tap_mig_my.' || tbl)::regclass AND c.contype = 'c'
                     AND regexp_replace(pg_get_constraintdef(c.oid), '[()]', '', 'g') ~ def AND (name IS NULL OR c.conname = name)),
          format('CHECK translated: %s %s', tbl, src))
  FROM (VALUES
    ('hotels', NULL, 'star_rating >= 1 AND star_rating <= 5', 'star_rating BETWEEN 1 AND 5 (column check)'),
    ('products', 'chk_products_price', 'sale_price >= 0.*purchase_price IS NULL OR purchase_price <= sale_price', 'chk_products_price'),
    ('products', NULL, 'vat_rate >= .*vat_rate < ', 'CONSTRAINT_1: vat_rate >= 0 AND vat_rate < 1'),
    ('minibar_items', NULL, 'current_qty <= 2 \* par_level', 'CONSTRAINT_1: current_qty <= 2 * par_level'),
    ('stock_movements', 'chk_stock_movements_qty', 'quantity <> 0', 'chk_stock_movements_qty')
  ) AS t(tbl, name, def, src);
SELECT pg_temp.rows_eq(
  $$SELECT source_table, kind, object FROM my_notes WHERE kind = 'check'$$,
  $$VALUES ('rooms', 'check', 'chk_rooms_code')$$,
  'only the REGEXP check chk_rooms_code is a ''check'' note (the json_valid() checks are dropped silently)');
SELECT is((SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND connamespace = 'tap_mig_my'::regnamespace
             AND (pg_get_constraintdef(oid) ~* 'json_valid|regexp' OR conrelid = 'tap_mig_my.rooms'::regclass)), 0::bigint,
          'no json_valid() or REGEXP check was created');

-- ---------------------------------------------------------------- keys and indexes
SELECT pg_temp.rows_eq(
  $$SELECT tbl, name, cols, is_unique, is_primary FROM pg_temp.indexes('tap_mig_my') ORDER BY 1, 2$$,
  $$VALUES ('auditlog', 'auditlog_fk_auditlog_user', 'user_id', false, false),
           ('auditlog', 'auditlog_ix_auditlog_created_desc', 'created_at DESC', false, false),
           ('auditlog', 'auditlog_ix_auditlog_table_record', 'table_name,record_id', false, false),
           ('auditlog', 'auditlog_pkey', 'id', true, true),
           ('floors', 'floors_pkey', 'id', true, true),
           ('floors', 'floors_uq_floors_hotel_floor', 'hotel_id,floor_no', true, false),
           ('hotels', 'hotels_fk_hotels_manager', 'manager_user_id', false, false),
           ('hotels', 'hotels_pkey', 'id', true, true),
           ('hotels', 'hotels_uq_hotels_code', 'code', true, false),
           ('minibar_count_import', 'minibar_count_import_ix_count_import_room', 'room_code', false, false),
           ('minibar_items', 'minibar_items_fk_minibar_items_product', 'product_id', false, false),
           ('minibar_items', 'minibar_items_pkey', 'id', true, true),
           ('minibar_items', 'minibar_items_uq_minibar_items_room_product', 'room_id,product_id', true, false),
           ('product_groups', 'product_groups_fk_product_groups_parent', 'parent_id', false, false),
           ('product_groups', 'product_groups_pkey', 'id', true, true),
           ('product_groups', 'product_groups_uq_product_groups_name', 'name', true, false),
           ('products', 'products_fk_products_group', 'group_id', false, false),
           ('products', 'products_ix_products_description', 'description', false, false),
           ('products', 'products_pkey', 'id', true, true),
           ('products', 'products_uq_products_barcode', 'barcode', true, false),
           ('products', 'products_uq_products_sku', 'sku', true, false),
           ('reject_cases', 'reject_cases_pkey', 'id', true, true),
           ('reject_range', 'reject_range_pkey', 'id', true, true),
           ('rooms', 'rooms_fk_rooms_floor', 'floor_id', false, false),
           ('rooms', 'rooms_pkey', 'id', true, true),
           ('rooms', 'rooms_uq_rooms_roomcode', 'roomcode', true, false),
           ('stock_movements', 'stock_movements_fk_stock_movements_hotel', 'hotel_id', false, false),
           ('stock_movements', 'stock_movements_fk_stock_movements_room', 'room_id', false, false),
           ('stock_movements', 'stock_movements_fk_stock_movements_user', 'performed_by', false, false),
           ('stock_movements', 'stock_movements_ix_stock_movements_at', 'movement_at', false, false),
           ('stock_movements', 'stock_movements_ix_stock_movements_product_at', 'product_id,movement_at', false, false),
           ('stock_movements', 'stock_movements_pkey', 'id', true, true),
           ('users', 'users_fk_users_hotel', 'hotel_id', false, false),
           ('users', 'users_pkey', 'id', true, true),
           ('users', 'users_uq_users_username', 'username', true, false)$$,
  'PK, UNIQUE, composite UNIQUE, secondary, multi-column, DESC and foreign-key indexes, named <table>_<index>; no FULLTEXT index');
SELECT pg_temp.rows_eq(
  $$SELECT source_table, kind, object, detail ~* '\mUSING gin\M' FROM my_notes WHERE kind = 'fulltext'$$,
  $$VALUES ('products', 'fulltext', 'ft_products_long_description', true)$$,
  'FULLTEXT ft_products_long_description is a ''fulltext'' note suggesting USING gin');
SELECT pg_temp.rows_eq(
  $$SELECT source_table, kind, object FROM my_notes WHERE kind = 'prefix_index'$$,
  $$VALUES ('products', 'prefix_index', 'ix_products_description')$$,
  'the prefix index description(20) became a full-column index with a ''prefix_index'' note');
SELECT hasnt_pk('tap_mig_my', 'minibar_count_import', 'minibar_count_import has no primary key (none in the source)');

-- ---------------------------------------------------------------- foreign keys (md table)
SELECT pg_temp.rows_eq(
  $$SELECT name, child, cols, parent, pcols, on_update::text, on_delete::text, validated FROM pg_temp.fks('tap_mig_my') ORDER BY 1$$,
  $$VALUES ('fk_auditlog_user', 'auditlog', 'user_id', 'users', 'id', 'c', 'n', true),
           ('fk_floors_hotel', 'floors', 'hotel_id', 'hotels', 'id', 'c', 'c', true),
           ('fk_hotels_manager', 'hotels', 'manager_user_id', 'users', 'id', 'r', 'n', true),
           ('fk_minibar_items_product', 'minibar_items', 'product_id', 'products', 'id', 'r', 'r', true),
           ('fk_minibar_items_room', 'minibar_items', 'room_id', 'rooms', 'id', 'r', 'c', true),
           ('fk_product_groups_parent', 'product_groups', 'parent_id', 'product_groups', 'id', 'r', 'n', true),
           ('fk_products_group', 'products', 'group_id', 'product_groups', 'id', 'c', 'r', true),
           ('fk_rooms_floor', 'rooms', 'floor_id', 'floors', 'id', 'c', 'c', true),
           ('fk_stock_movements_hotel', 'stock_movements', 'hotel_id', 'hotels', 'id', 'r', 'r', true),
           ('fk_stock_movements_product', 'stock_movements', 'product_id', 'products', 'id', 'r', 'c', true),
           ('fk_stock_movements_room', 'stock_movements', 'room_id', 'rooms', 'id', 'r', 'n', true),
           ('fk_stock_movements_user', 'stock_movements', 'performed_by', 'users', 'id', 'c', 'n', true),
           ('fk_users_hotel', 'users', 'hotel_id', 'hotels', 'id', 'r', 'c', true)$$,
  'all 13 foreign keys with their names and ON UPDATE / ON DELETE actions, validated (no orphans in InnoDB)');
SELECT is((SELECT count(*) FROM my_notes WHERE kind IN ('orphans', 'foreign_key')), 0::bigint, 'no orphans or foreign_key notes');

-- ---------------------------------------------------------------- objects not migrated
SELECT pg_temp.rows_eq(
  $$SELECT kind, source_name, target IS NULL AND rows_source IS NULL AND rows_copied IS NULL AND rows_rejected IS NULL
      FROM my_run WHERE kind <> 'table' ORDER BY 1, 2$$,
  $$VALUES ('event', 'ev_purge_audit_log', true), ('routine', 'fn_room_minibar_value', true),
           ('routine', 'sp_refill_room', true), ('trigger', 'trg_stock_movements_ai', true),
           ('view', 'v_room_minibar_value', true)$$,
  'view, trigger, procedure, function and event are reported as rows with NULL target and counts');
SELECT pg_temp.rows_eq(
  $$SELECT kind, object FROM my_notes WHERE source_table IS NULL ORDER BY 1, 2$$,
  $$VALUES ('event', 'ev_purge_audit_log'), ('routine', 'fn_room_minibar_value'), ('routine', 'sp_refill_room'),
           ('trigger', 'trg_stock_movements_ai'), ('view', 'v_room_minibar_value')$$,
  'and recorded in minibar_migrate.run_notes');
SELECT hasnt_view('tap_mig_my', 'v_room_minibar_value', 'the view is not created');

-- ---------------------------------------------------------------- mixed case
SELECT has_table('tap_mig_my', 'auditlog', 'the mixed-case table AuditLog arrives lower-cased as auditlog');
SELECT hasnt_table('tap_mig_my', 'AuditLog', 'there is no "AuditLog" in the default mode');
SELECT has_column('tap_mig_my', 'rooms', 'roomcode', 'the column RoomCode arrives as roomcode');
SELECT has_column('tap_mig_my', 'product_groups', 'order', 'the reserved word "order" is a column');

-- ---------------------------------------------------------------- data: every table against MariaDB
SELECT pg_temp.bag(
  $$SELECT id, code, name, city, address, star_rating, opened_year, is_active, location, service_area, manager_user_id,
           created_at, updated_at FROM tap_mig_my.hotels$$,
  $$SELECT id, code, name, city, address, star_rating::smallint, opened_year::smallint, is_active::boolean,
           decode(location, 'hex') AS location, decode(service_area, 'hex') AS service_area, manager_user_id, created_at::timestamptz,
           updated_at::timestamptz FROM src_hotels$$,
  'hotels: data equal MariaDB''s (POINT / GEOMETRY as WKB, YEAR, TIMESTAMP in UTC)');
SELECT pg_temp.bag($$SELECT id, hotel_id, floor_no, name, description FROM tap_mig_my.floors$$,
  $$SELECT id, hotel_id, floor_no::smallint, name, description FROM src_floors$$, 'floors: data equal MariaDB''s (floor -1)');
SELECT pg_temp.bag(
  $$SELECT id, floor_id, roomcode, room_no, room_type::text, capacity, features, is_smoking, housekeeping_at, last_check,
           created_at FROM tap_mig_my.rooms$$,
  $$SELECT id, floor_id, roomcode, room_no, room_type, capacity::smallint, string_to_array(features, ','),
           is_smoking::boolean, housekeeping_at::time, last_check::date, created_at::timestamptz FROM src_rooms$$,
  'rooms: data equal MariaDB''s (ENUM, SET as text[], BIT(1), TIME 00:00:00 and 23:59:59)');
SELECT pg_temp.bag(
  $$SELECT id, hotel_id, username, full_name, role::text, is_active, api_token, password_hash, permissions, session_key,
           hire_date, last_login, created_at FROM tap_mig_my.users$$,
  $$SELECT id, hotel_id, username, full_name, role, is_active::boolean, decode(api_token, 'hex') AS api_token, decode(password_hash, 'hex') AS password_hash,
           string_to_array(permissions, ','), session_key, hire_date::date, last_login::timestamptz, created_at::timestamptz
      FROM src_users$$,
  'users: data equal MariaDB''s (BINARY(16), VARBINARY, SET, DATETIME(6) microseconds)');
SELECT pg_temp.bag($$SELECT id, parent_id, name, description, "order", is_active FROM tap_mig_my.product_groups$$,
  $$SELECT id::smallint, parent_id::smallint, name, description, "order", is_active::boolean FROM src_product_groups$$,
  'product_groups: data equal MariaDB''s');
SELECT pg_temp.bag(
  $$SELECT id, group_id, sku, barcode, name, description, long_description, unit, purchase_price, sale_price, vat_rate,
           weight_kg, attributes, image_thumbnail, color_mask, critical_stock_level, stock_balance, version, created_at, updated_at
      FROM tap_mig_my.products$$,
  $$SELECT id, group_id::smallint, sku, barcode, name, description, long_description, unit, purchase_price, sale_price,
           vat_rate::real, weight_kg, attributes, decode(image_thumbnail, 'hex'), color_mask::bit(8)::bit varying,
           critical_stock_level, stock_balance, version, created_at::timestamptz, updated_at::timestamptz FROM src_products$$,
  'products: data equal MariaDB''s (DECIMAL, FLOAT, DOUBLE, JSON, BLOB with 0x00, BIT(8), ''OLD30'' unpadded)');
SELECT pg_temp.bag($$SELECT id, room_id, product_id, par_level, current_qty, last_refill_at FROM tap_mig_my.minibar_items$$,
  $$SELECT id, room_id, product_id, par_level::smallint, current_qty::smallint, last_refill_at::timestamptz FROM src_minibar_items$$,
  'minibar_items: data equal MariaDB''s');
SELECT pg_temp.bag(
  $$SELECT id, product_id, hotel_id, room_id, performed_by, movement_type::text, quantity, unit_cost, movement_at, expiry_date, note
      FROM tap_mig_my.stock_movements$$,
  $$SELECT id, product_id, hotel_id, room_id, performed_by, movement_type, quantity::smallint, unit_cost, movement_at::timestamptz,
           expiry_date::date, note FROM src_stock_movements$$,
  'stock_movements: data equal MariaDB''s (DATETIME(6), DECIMAL(12,4), signed SMALLINT)');
SELECT pg_temp.bag(
  $$SELECT id, user_id, action::text, table_name, record_id, old_values, new_values, ip_address, trace_id, created_at
      FROM tap_mig_my.auditlog$$,
  $$SELECT id, user_id, action, table_name, record_id, old_values, new_values, decode(ip_address, 'hex'), trace_id,
           created_at::timestamptz FROM src_auditlog$$,
  'AuditLog: data equal MariaDB''s (JSON, INET6_ATON bytes, BIGINT UNSIGNED up to 18446744073709551615)');
SELECT pg_temp.bag($$SELECT room_code, product_sku, counted_qty, counted_at, source_file FROM tap_mig_my.minibar_count_import$$,
  $$SELECT room_code, product_sku, counted_qty, counted_at::timestamptz, source_file FROM src_count_import$$,
  'minibar_count_import: data equal MariaDB''s, exact duplicates kept');
SELECT pg_temp.bag(
  $$SELECT id, case_label, size::text, due_date, seen_at, payload, note, legacy_name FROM tap_mig_my.reject_cases$$,
  $$SELECT id, case_label, size, due_date::date, nullif(seen_at, '0000-00-00 00:00:00')::timestamptz, payload::jsonb, note,
           legacy_name FROM src_reject_cases$$,
  'reject_cases: the 8 copied rows equal MariaDB''s (zero DATETIME as NULL, latin1 converted)');
SELECT pg_temp.bag($$SELECT id, qty, note FROM tap_mig_my.reject_range$$, $$SELECT id, qty, note FROM src_reject_range$$,
  'reject_range: data equal MariaDB''s (INT UNSIGNED up to 4294967295 in bigint)');
-- A few values as read with the mariadb client when this test was written.
SELECT is((SELECT encode(image_thumbnail, 'hex') FROM tap_mig_my.products WHERE id = 1),
          '89504e470d0a1a0a0000000d494844520000000100ff00', 'products 1: HEX(image_thumbnail) 89504E47...0100FF00');
SELECT is((SELECT format('%s %s %s', purchase_price, sale_price, color_mask) FROM tap_mig_my.products WHERE id = 3),
          '13.00 32.50 01101111', 'products 3: DECIMAL 13.00 / 32.50, BIT(8) b''01101111''');
SELECT is((SELECT sku FROM tap_mig_my.products WHERE id = 30), 'OLD30'::varchar, 'products 30: CHAR(8) ''OLD30'' without padding');
SELECT is((SELECT array_agg(trace_id ORDER BY id)::text FROM tap_mig_my.auditlog WHERE id IN (1, 2, 10)),
          '{18446744073709551615,0,4000000000000000000}', 'AuditLog trace_id: BIGINT UNSIGNED maximum, 0, 4e18');
SELECT pg_temp.rows_eq(
  $$SELECT count(*) FILTER (WHERE trace_id > 9223372036854775807), count(*) FILTER (WHERE trace_id IS NULL) FROM tap_mig_my.auditlog$$,
  $$VALUES (16::bigint, 5::bigint)$$, 'AuditLog: 16 trace_ids above the signed maximum, 5 NULL (md)');
SELECT is((SELECT movement_at FROM tap_mig_my.stock_movements WHERE id = 1), '2024-01-01 09:41:59.104729+00'::timestamptz,
          'stock_movements 1: DATETIME(6) 2024-01-01 09:41:59.104729');
SELECT is((SELECT unit_cost::text FROM tap_mig_my.stock_movements WHERE id = 1), '1.7919', 'stock_movements 1: DECIMAL(12,4) 1.7919');
SELECT is((SELECT array_agg(housekeeping_at::text ORDER BY id) FROM tap_mig_my.rooms WHERE id IN (1, 2, 3)),
          '{00:00:00,23:59:59,09:01:42}'::text[], 'rooms 1-3: TIME 00:00:00, 23:59:59, 09:01:42');
SELECT is((SELECT features FROM tap_mig_my.rooms WHERE id = 14), '{balcony,bathtub,accessible}'::text[],
          'rooms 14: SET ''balcony,bathtub,accessible'' as text[]');
SELECT is((SELECT features FROM tap_mig_my.rooms WHERE id = 5), '{}'::text[], 'rooms 5: empty SET as an empty array');
SELECT is((SELECT permissions FROM tap_mig_my.users WHERE id = 1), '{read,write,refill,report,admin}'::text[],
          'users 1: SET permissions');
SELECT is((SELECT encode(api_token, 'hex') FROM tap_mig_my.users WHERE id = 1), '13af16a2186686e926fe14255668ab01',
          'users 1: BINARY(16) api_token');
SELECT is((SELECT encode(location, 'hex') FROM tap_mig_my.hotels WHERE id = 1), '01010000008716d9cef7033d40840d4faf94854440',
          'hotels 1: POINT as WKB (ST_AsBinary)');
SELECT is((SELECT full_name FROM tap_mig_my.users WHERE id = 4), 'Gülşen Öztürk'::varchar, 'users 4: Turkish text');

-- ---------------------------------------------------------------- sequences, reset_sequences
SELECT pg_temp.rows_eq(
  $$SELECT c.relname::text COLLATE "default", a.attname::text COLLATE "default", a.attidentity::text,
           pg_temp.next_of(pg_get_serial_sequence(c.oid::regclass::text, a.attname)::regclass)
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'tap_mig_my'::regnamespace AND c.relkind = 'r' AND a.attidentity <> '' ORDER BY 1$$,
  $$SELECT lower(tbl), 'id', 'd', auto_increment FROM src_tables WHERE auto_increment IS NOT NULL ORDER BY 1$$,
  'AUTO_INCREMENT columns (and only those) are identities continuing at the source''s AUTO_INCREMENT');
SELECT pg_temp.rows_eq(
  $$SELECT table_name::text, column_name::text COLLATE "default", old_value, new_value FROM minibar_migrate.reset_sequences('tap_mig_my') ORDER BY 1$$,
  $$VALUES ('tap_mig_my.auditlog', 'id', 41::bigint, 41::bigint), ('tap_mig_my.floors', 'id', 13, 13), ('tap_mig_my.hotels', 'id', 5, 5),
           ('tap_mig_my.minibar_items', 'id', 97, 97), ('tap_mig_my.product_groups', 'id', 11, 11), ('tap_mig_my.products', 'id', 31, 31),
           ('tap_mig_my.rooms', 'id', 49, 49), ('tap_mig_my.stock_movements', 'id', 401, 401), ('tap_mig_my.users', 'id', 21, 21)$$,
  'reset_sequences after migrate_database: a row per sequence, nothing to change (md AUTO_INCREMENT values)');
SELECT is(nextval(pg_get_serial_sequence('tap_mig_my.floors', 'id')), 13::bigint, 'nextval on floors: 13');
SELECT lives_ok($$SELECT setval(pg_get_serial_sequence('tap_mig_my.hotels', 'id'), 2)$$, 'set hotels'' sequence back to 2');
SELECT pg_temp.rows_eq(
  $$SELECT table_name::text, old_value, new_value FROM minibar_migrate.reset_sequences('tap_mig_my')
     WHERE table_name IN ('tap_mig_my.floors'::regclass, 'tap_mig_my.hotels'::regclass) ORDER BY 1$$,
  $$VALUES ('tap_mig_my.floors', 14::bigint, 13::bigint), ('tap_mig_my.hotels', 3, 5)$$,
  'reset_sequences: old/new are what nextval returns before/after (down from 14 to 13, up from 3 to 5)');
SELECT lives_ok($$TRUNCATE tap_mig_my.auditlog$$, 'empty auditlog');
SELECT pg_temp.rows_eq(
  $$SELECT old_value, new_value FROM minibar_migrate.reset_sequences('tap_mig_my') WHERE table_name = 'tap_mig_my.auditlog'::regclass$$,
  $$VALUES (41::bigint, 1::bigint)$$, 'reset_sequences on an empty table: back to the start (1)');

-- ---------------------------------------------------------------- foreign keys work
SELECT lives_ok($$DELETE FROM tap_mig_my.hotels WHERE id = 4$$, 'delete hotel 4 (ANT: no staff, one floor)');
SELECT pg_temp.rows_eq(
  $$SELECT (SELECT count(*) FROM tap_mig_my.floors WHERE hotel_id = 4), (SELECT count(*) FROM tap_mig_my.rooms WHERE floor_id = 12)$$,
  $$VALUES (0::bigint, 0::bigint)$$, 'ON DELETE CASCADE removed its floor and that floor''s rooms');
SELECT throws_ok($$UPDATE tap_mig_my.hotels SET id = 40 WHERE id = 3$$, '23503', NULL,
                 'ON UPDATE RESTRICT (users.hotel_id) refuses changing a referenced hotel id');
SELECT lives_ok($$UPDATE tap_mig_my.floors SET id = 100 WHERE id = 1$$, 'change floor 1''s id to 100');
SELECT pg_temp.rows_eq($$SELECT count(*) FROM tap_mig_my.rooms WHERE floor_id = 100$$,
                       $$SELECT count(*) FROM src_rooms WHERE floor_id = 1$$, 'ON UPDATE CASCADE (fk_rooms_floor) followed it');

-- ======================================================= keep_case
SELECT pg_temp.rows_eq(
  $$SELECT source_name, target::text, rows_copied FROM minibar_migrate.migrate_database('tap_mig_my', 'tap_mig_my_case',
      '{"keep_case": true, "tables": ["AuditLog", "rooms"]}') WHERE kind = 'table' ORDER BY source_name COLLATE "C"$$,
  $$VALUES ('AuditLog', 'tap_mig_my_case."AuditLog"', 40::bigint), ('rooms', 'tap_mig_my_case.rooms', 48)$$,
  'keep_case with a tables list: "AuditLog" keeps its case, only the two tables migrate');
SELECT has_table('tap_mig_my_case', 'AuditLog', '"AuditLog" exists with its case');
SELECT hasnt_table('tap_mig_my_case', 'auditlog', 'and no lower-case auditlog');
SELECT has_column('tap_mig_my_case', 'rooms', 'RoomCode', 'rooms."RoomCode" keeps its case');

-- ======================================================= overrides
-- columns: reject_range.qty INT UNSIGNED -> integer: 2147483648 and 4294967295 are rejects.
SELECT lives_ok($$INSERT INTO tbl_result SELECT 'reject_range', * FROM minibar_migrate.migrate_table('tap_mig_my', 'reject_range',
                    'tap_mig_my_ovr.reject_range', '{"columns": {"reject_range.qty": "integer"}}')$$,
                'migrate_table reject_range with {"columns": {"reject_range.qty": "integer"}}');
SELECT pg_temp.rows_eq($$SELECT rows_copied, rows_rejected FROM tbl_result WHERE source = 'reject_range'$$,
                       $$VALUES (4::bigint, 2::bigint)$$, 'reject_range as integer: 4 copied, 2 rejected');
SELECT col_type_is('tap_mig_my_ovr', 'reject_range', 'qty', 'integer', 'qty is integer');
SELECT pg_temp.rows_eq($$SELECT id, qty FROM tap_mig_my_ovr.reject_range ORDER BY id$$,
                       $$SELECT id, qty::int FROM src_reject_range WHERE qty <= 2147483647 ORDER BY id$$,
                       'the values that fit were copied (0, 1, 2147483647, 42)');
SELECT pg_temp.reject_is((SELECT max(run_id) FROM minibar_migrate.run_tables WHERE target_table LIKE '%tap_mig_my_ovr%reject_range%'),
  'reject_range', '{"id": 4}', 'qty', 'out of range', '{22003}', '2147483648', 'reject_range 4: 2147483648 out of range for integer');
SELECT pg_temp.reject_is((SELECT max(run_id) FROM minibar_migrate.run_tables WHERE target_table LIKE '%tap_mig_my_ovr%reject_range%'),
  'reject_range', '{"id": 5}', 'qty', 'out of range', '{22003}', '4294967295', 'reject_range 5: 4294967295 out of range for integer');
-- Without the jsonb option, payload is text and row 14 is copied: 9 copied, 3 rejected.
SELECT lives_ok($$INSERT INTO tbl_result SELECT 'reject_cases', * FROM minibar_migrate.migrate_table('tap_mig_my', 'reject_cases',
                    'tap_mig_my_ovr.reject_cases')$$, 'migrate_table reject_cases without the jsonb option');
SELECT pg_temp.rows_eq($$SELECT rows_copied, rows_rejected FROM tbl_result WHERE source = 'reject_cases'$$,
                       $$VALUES (9::bigint, 3::bigint)$$, 'reject_cases with payload as text: 9 copied, 3 rejected (md)');
SELECT is((SELECT payload FROM tap_mig_my_ovr.reject_cases WHERE id = 14), '{"brand": "Efes", "qty": ',
          'the invalid JSON is copied as text');
-- types: "tinyint(1)" -> smallint (full type), "datetime" -> timestamp (base name, so DATETIME(6) too).
SELECT lives_ok($$SELECT minibar_migrate.migrate_table('tap_mig_my', 'users', 'tap_mig_my_ovr.users',
                    '{"types": {"tinyint(1)": "smallint", "datetime": "timestamp"}}')$$,
                'migrate_table users with {"types": {"tinyint(1)": "smallint", "datetime": "timestamp"}}');
SELECT is(pg_temp.col_type('tap_mig_my_ovr', tbl, col, want), want, format('types override: users.%s %s -> %s', col, src, want))
  FROM (VALUES ('users', 'is_active', 'BOOL = tinyint(1)', 'smallint'),
               ('users', 'last_login', 'DATETIME(6) (base name datetime)', 'timestamp without time zone'),
               ('users', 'created_at', 'TIMESTAMP (not overridden)', 'timestamp with time zone'),
               ('users', 'hire_date', 'DATE (not overridden)', 'date')) AS t(tbl, col, src, want);
SELECT pg_temp.bag($$SELECT id, is_active, last_login FROM tap_mig_my_ovr.users$$,
                   $$SELECT id, is_active::smallint, last_login::timestamp FROM src_users$$,
                   'the overridden columns hold the source values (1/0, local DATETIME)');
-- A table without a primary key: a reject carries the whole row.
SELECT lives_ok($$INSERT INTO tbl_result SELECT 'minibar_count_import', * FROM minibar_migrate.migrate_table('tap_mig_my',
                    'minibar_count_import', 'tap_mig_my_ovr.minibar_count_import',
                    '{"columns": {"minibar_count_import.source_file": "varchar(5)"}}')$$,
                'migrate_table minibar_count_import with source_file as varchar(5)');
SELECT pg_temp.rows_eq($$SELECT rows_copied, rows_rejected FROM tbl_result WHERE source = 'minibar_count_import'$$,
                       $$SELECT count(*) FILTER (WHERE source_file IS NULL), count(*) FILTER (WHERE source_file IS NOT NULL)
                           FROM src_count_import$$,
                       'rows with a source_file longer than 5 are rejected, the NULL ones copied');
SELECT pg_temp.bag(
  $$SELECT row_data ->> 'room_code' AS room_code, row_data ->> 'product_sku' AS product_sku,
           (row_data ->> 'counted_qty')::int AS counted_qty, column_name, sqlstate
      FROM minibar_migrate.rejects WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.run_tables
                                                   WHERE target_table LIKE '%tap_mig_my_ovr%minibar_count_import%')$$,
  $$SELECT room_code, product_sku, counted_qty, 'source_file' AS column_name, '22001' AS sqlstate
      FROM src_count_import WHERE source_file IS NOT NULL$$,
  'each reject of the key-less table carries the whole row (room_code, product_sku, counted_qty...), 22001');
SELECT is((SELECT count(*) FROM minibar_migrate.rejects WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.run_tables
                                                   WHERE target_table LIKE '%tap_mig_my_ovr%minibar_count_import%')
             AND NOT row_data ?& ARRAY['room_code', 'product_sku', 'counted_qty', 'counted_at', 'source_file']), 0::bigint,
          'every such row_data has all five columns');

-- ======================================================= TIME beyond 24 hours -> interval
SELECT lives_ok($$SELECT minibar_migrate.migrate_table('tap_mig_my_extra', 'durations', 'tap_mig_my_ovr.durations')$$,
                'migrate_table of a table with TIME values beyond 24h');
SELECT col_type_is('tap_mig_my_ovr', 'durations', 'd', 'interval', 'TIME holding 838:59:59 / -01:30:00 -> interval');
SELECT col_type_is('tap_mig_my_ovr', 'durations', 't', 'time without time zone', 'TIME within 00:00..23:59:59 -> time');
SELECT pg_temp.rows_eq($$SELECT id, d, t FROM tap_mig_my_ovr.durations ORDER BY id$$,
  $$VALUES (1, '838:59:59'::interval, '00:00:00'::time), (2, '-01:30:00', '23:59:59'), (3, '25:00:00', NULL), (4, NULL, '12:34:56')$$,
  'TIME values exact (838:59:59, -01:30:00, 25:00:00 as intervals)');

-- ======================================================= long table name: index names
-- Was a bug (fixed): <table>_<index> for a 54-byte table name is longer than 63 bytes; the two
-- index names truncate to the same "..._ix_consu" and the extension then skipped the
-- second index with an 'index' note ("already exists"). Both indexes should be built,
-- under distinct names (PostgreSQL's own ChooseRelationName shortens and numbers them).
SELECT lives_ok($$SELECT minibar_migrate.migrate_table('tap_mig_my_extra', 'hotel_minibar_consumption_records_for_the_year_2023_q1',
                    'tap_mig_my_ovr.hotel_minibar_consumption_records_for_the_year_2023_q1')$$,
                'migrate_table of a table with a 54-byte name and two secondary indexes');
SELECT pg_temp.rows_eq(
  $$SELECT cols FROM pg_temp.indexes('tap_mig_my_ovr')
     WHERE tbl = 'hotel_minibar_consumption_records_for_the_year_2023_q1' AND NOT is_primary ORDER BY 1$$,
  $$VALUES ('product_id'), ('room_id')$$,
  'both secondary indexes exist though their <table>_<index> names collide at 63 bytes');

-- ======================================================= partitioned existing target
-- Range partitions on movement_at and CHECK (quantity > -8), which some source rows break.
CREATE TABLE tap_mig_my_part.stock_movements (
  id bigint NOT NULL, product_id integer NOT NULL, hotel_id bigint NOT NULL, room_id integer, performed_by bigint,
  movement_type text NOT NULL, quantity smallint NOT NULL CHECK (quantity > -8), unit_cost numeric(12,4),
  movement_at timestamptz NOT NULL, expiry_date date, note text,
  PRIMARY KEY (id, movement_at)
) PARTITION BY RANGE (movement_at);
CREATE TABLE tap_mig_my_part.sm_early PARTITION OF tap_mig_my_part.stock_movements
  FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-01-15 00:00:00+00');
CREATE TABLE tap_mig_my_part.sm_late PARTITION OF tap_mig_my_part.stock_movements
  FOR VALUES FROM ('2024-01-15 00:00:00+00') TO ('2024-02-01 00:00:00+00');
SELECT lives_ok($$INSERT INTO tbl_result SELECT 'part', * FROM minibar_migrate.migrate_table('tap_mig_my', 'stock_movements',
                    'tap_mig_my_part.stock_movements')$$, 'migrate_table into a partitioned table');
SELECT pg_temp.rows_eq($$SELECT target::text, rows_copied, rows_rejected FROM tbl_result WHERE source = 'part'$$,
                       $$SELECT 'tap_mig_my_part.stock_movements', 400 - bad, bad FROM src_part$$,
                       'the rows breaking the CHECK are rejected, the rest copied');
SELECT pg_temp.rows_eq($$SELECT tableoid::regclass::text, count(*) FROM tap_mig_my_part.stock_movements GROUP BY 1 ORDER BY 1$$,
                       $$SELECT 'tap_mig_my_part.sm_early', early - bad_early FROM src_part
                         UNION ALL SELECT 'tap_mig_my_part.sm_late', late - bad_late FROM src_part$$,
                       'rows routed to the right partitions');
SELECT pg_temp.bag(
  $$SELECT (row_data ->> 'id')::bigint AS id, sqlstate FROM minibar_migrate.rejects
     WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.run_tables WHERE target_table LIKE '%tap_mig_my_part%')$$,
  $$SELECT id, '23514' AS sqlstate FROM src_part_bad$$,
  'each CHECK breaker is a reject with SQLSTATE 23514, keyed by id');
SELECT pg_temp.rows_eq(
  $$SELECT rows_source, rows_copied + rows_rejected, created FROM minibar_migrate.run_tables
     WHERE run_id = (SELECT max(run_id) FROM minibar_migrate.run_tables WHERE target_table LIKE '%tap_mig_my_part%')$$,
  $$VALUES (400::bigint, 400::bigint, false)$$, 'the sum adds up: 400 = copied + rejected');
SELECT pg_temp.bag($$SELECT id, movement_at, quantity, unit_cost FROM tap_mig_my_part.stock_movements$$,
                   $$SELECT id, movement_at::timestamptz, quantity::smallint, unit_cost FROM src_stock_movements WHERE quantity > -8$$,
                   'the copied rows equal the source''s');

SELECT * FROM finish();
CALL pg_temp.drop_leftovers('{tap_mig_my,tap_mig_my_case,tap_mig_my_ovr,tap_mig_my_part}', '{tap_mig_my,tap_mig_my_extra}');
\set extra_drop `mariadb -uroot -e "DROP DATABASE IF EXISTS minibar_tap_migextra" 2>&1`

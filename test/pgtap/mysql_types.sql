-- Every tricky MariaDB value arrives exactly through minibar_mysql: IMPORT FOREIGN
-- SCHEMA types, boundary values, NULLs, zero dates, time zones, charsets, quoting,
-- and WHERE clauses giving the same rows whether pushed down or not.
-- The fixture is test/fixtures/mysql_types.sql; every expected value below was
-- checked against `mariadb --default-character-set=utf8mb4 -e` output (FLOAT
-- against `f4 + 0`, which widens the stored float exactly; strings and blobs
-- against HEX()/MD5()).
\ir include/helpers.sql
\set fixture_load `mariadb < test/fixtures/mysql_types.sql 2>&1 && echo loaded`
SET TimeZone = 'UTC';
SET client_min_messages = warning;
CALL pg_temp.drop_leftovers('{tap_mysql_types,tap_mysql_types_ist,tap_mysql_types_zerr,tap_mysql_types_lc}', '{tap_mysql_types,tap_mysql_types_ist,tap_mysql_types_zerr}');
CALL pg_temp.mysql_server('tap_mysql_types', 'minibar_fdwtest');
CALL pg_temp.mysql_server('tap_mysql_types_ist', 'minibar_fdwtest', '{"source_timezone": "Europe/Istanbul"}');
CALL pg_temp.mysql_server('tap_mysql_types_zerr', 'minibar_fdwtest', '{"zero_dates": "error"}');
CREATE SCHEMA tap_mysql_types;
CREATE SCHEMA tap_mysql_types_ist;
CREATE SCHEMA tap_mysql_types_zerr;
CREATE SCHEMA tap_mysql_types_lc;
SET search_path = tap_mysql_types, public;

-- The remote query (and any local Filter) EXPLAIN VERBOSE shows, for diagnostics.
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; acc text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP
    IF line ~* 'query|filter|remote|sql' THEN acc := acc || '        ' || trim(line) || E'\n'; END IF;
  END LOOP;
  RETURN acc;
EXCEPTION WHEN OTHERS THEN RETURN '        (EXPLAIN failed: ' || SQLERRM || ')';
END $$;
-- Pushdown identity: the ids a WHERE clause selects through the foreign table equal
-- those it selects from a local copy of the same rows (PostgreSQL semantics).
CREATE FUNCTION pg_temp.same_rows(sch text, tbl text, cond text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  q_remote text := format('SELECT id FROM %I.%I WHERE %s', sch, tbl, cond);
  q_local text := format('SELECT id FROM pg_temp.%I WHERE %s', sch || '__' || tbl, cond);
  descr text := format('pushdown: %s WHERE %s', tbl, cond);
  res text;
BEGIN
  res := pg_temp.rows_eq(q_remote || ' ORDER BY id', q_local || ' ORDER BY id', descr);
  IF res LIKE 'not ok%' THEN
    res := res || E'\n' || diag('    plan:' || E'\n' || pg_temp.plan_of(q_remote));
  END IF;
  RETURN res;
END $$;
-- Runs a statement; a failure becomes a WARNING (the tests that need it then fail).
CREATE FUNCTION pg_temp.try(stmt text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE stmt;
  RETURN true;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING '% failed: %: %', stmt, SQLSTATE, SQLERRM;
  RETURN false;
END $$;
CREATE TEMP TABLE source_tables (tbl text, n bigint, cols text);
INSERT INTO source_tables VALUES
  ('integers', 5, 'id,i8,u8,i16,u16,i24,u24,i32,u32,i64,u64,flag,yes'),
  ('decimals', 7, 'id,big,money'),
  ('floats', 11, 'id,f4,f8'),
  ('odd_numerics', 4, 'id,zf,sz,f73,d52,dd,n55'),
  ('plain_temporal', 3, 'id,dt,ts,tm,dt3,tm2'),
  ('charsets', 4, 'id,m3,a,u16,bn,tr'),
  ('dates', 8, 'id,d,dt,ts'),
  ('times', 8, 'id,t,y'),
  ('bits', 5, 'id,b1,b10,b64'),
  ('binaries', 5, 'id,bin,vbin,bl,lbl'),
  ('strings', 10, 'id,c,v,t,lt,l1'),
  ('enums_sets', 6, 'id,e,s,s2'),
  ('json_docs', 9, 'id,doc'),
  ('geometries', 4, 'id,g,p'),
  ('we`ird "tab''le; ü', 2, 'id,co`l "x''; ğ,Mixed Case'),
  ('MixedCase', 2, 'id,CamelCol');

SELECT plan(241);

SELECT is(:'fixture_load'::text, 'loaded'::text, 'the MariaDB fixture loads');

-- ---------------------------------------------------------------- import
SELECT lives_ok($$IMPORT FOREIGN SCHEMA minibar_fdwtest FROM SERVER tap_mysql_types INTO tap_mysql_types$$,
                'IMPORT FOREIGN SCHEMA of the whole fixture database');
-- If the whole import failed, import table by table so the other tables are still tested.
SELECT pg_temp.try(format('IMPORT FOREIGN SCHEMA minibar_fdwtest LIMIT TO (%I) FROM SERVER tap_mysql_types INTO tap_mysql_types', tbl))
  FROM source_tables
 WHERE NOT EXISTS (SELECT FROM pg_class c WHERE c.relname = tbl AND c.relnamespace = 'tap_mysql_types'::regnamespace)
\g /dev/null
SELECT lives_ok($$IMPORT FOREIGN SCHEMA minibar_fdwtest LIMIT TO (dates) FROM SERVER tap_mysql_types_ist INTO tap_mysql_types_ist$$,
                'IMPORT FOREIGN SCHEMA LIMIT TO (dates) from a server with source_timezone');
SELECT lives_ok($$IMPORT FOREIGN SCHEMA minibar_fdwtest LIMIT TO (dates) FROM SERVER tap_mysql_types_zerr INTO tap_mysql_types_zerr$$,
                'IMPORT FOREIGN SCHEMA LIMIT TO (dates) from a server with zero_dates error');
SELECT lives_ok($$IMPORT FOREIGN SCHEMA minibar_fdwtest FROM SERVER tap_mysql_types INTO tap_mysql_types_lc
                  OPTIONS (lowercase_identifiers 'true')$$,
                'IMPORT FOREIGN SCHEMA with lowercase_identifiers');

SELECT pg_temp.rows_eq(
  $$SELECT c.relname::text COLLATE "default", string_agg(a.attname::text COLLATE "default", ',' ORDER BY a.attnum)
      FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relnamespace = 'tap_mysql_types'::regnamespace GROUP BY c.relname ORDER BY 1$$,
  $$SELECT tbl, cols FROM source_tables ORDER BY tbl$$,
  'every table imported, names as is, columns in source order');
SELECT pg_temp.rows_eq(
  $$SELECT tbl, pg_temp.count_rows('tap_mysql_types', tbl, true) FROM source_tables ORDER BY tbl$$,
  $$SELECT tbl, n FROM source_tables ORDER BY tbl$$,
  'row counts equal the source''s');

-- Column types (the wrapper's import mapping).
SELECT is(pg_temp.col_type('tap_mysql_types', tbl, col, want), want, format('%s.%s: %s -> %s', tbl, col, src, want))
  FROM (VALUES
    ('integers', 'id', 'INT', 'integer'),
    ('integers', 'i8', 'TINYINT', 'smallint'),
    ('integers', 'u8', 'TINYINT UNSIGNED', 'smallint'),
    ('integers', 'i16', 'SMALLINT', 'smallint'),
    ('integers', 'u16', 'SMALLINT UNSIGNED', 'integer'),
    ('integers', 'i24', 'MEDIUMINT', 'integer'),
    ('integers', 'u24', 'MEDIUMINT UNSIGNED', 'integer'),
    ('integers', 'i32', 'INT', 'integer'),
    ('integers', 'u32', 'INT UNSIGNED', 'bigint'),
    ('integers', 'i64', 'BIGINT', 'bigint'),
    ('integers', 'u64', 'BIGINT UNSIGNED', 'numeric(20,0)'),
    ('integers', 'flag', 'TINYINT(1)', 'boolean'),
    ('integers', 'yes', 'BOOL', 'boolean'),
    ('decimals', 'big', 'DECIMAL(65,30)', 'numeric(65,30)'),
    ('decimals', 'money', 'DECIMAL(10,2)', 'numeric(10,2)'),
    ('floats', 'f4', 'FLOAT', 'real'),
    ('floats', 'f8', 'DOUBLE', 'double precision'),
    ('odd_numerics', 'zf', 'INT(6) UNSIGNED ZEROFILL', 'bigint'),
    ('odd_numerics', 'sz', 'SMALLINT(3) ZEROFILL (implies UNSIGNED)', 'integer'),
    ('odd_numerics', 'f73', 'FLOAT(7,3)', 'real'),
    ('odd_numerics', 'd52', 'DOUBLE(10,2)', 'double precision'),
    ('odd_numerics', 'dd', 'DECIMAL', 'numeric(10,0)'),
    ('odd_numerics', 'n55', 'NUMERIC(5,5)', 'numeric(5,5)'),
    ('plain_temporal', 'dt', 'DATETIME', 'timestamp with time zone'),
    ('plain_temporal', 'ts', 'TIMESTAMP', 'timestamp with time zone'),
    ('plain_temporal', 'tm', 'TIME', 'interval'),
    ('plain_temporal', 'dt3', 'DATETIME(3)', 'timestamp with time zone'),
    ('plain_temporal', 'tm2', 'TIME(2)', 'interval'),
    ('charsets', 'm3', 'VARCHAR(20) utf8mb3', 'character varying(20)'),
    ('charsets', 'a', 'VARCHAR(20) ascii', 'character varying(20)'),
    ('charsets', 'u16', 'VARCHAR(20) utf16', 'character varying(20)'),
    ('charsets', 'bn', 'VARCHAR(20) utf8mb4_bin', 'character varying(20)'),
    ('charsets', 'tr', 'VARCHAR(20) utf8mb4_turkish_ci', 'character varying(20)'),
    ('dates', 'd', 'DATE', 'date'),
    ('dates', 'dt', 'DATETIME(6)', 'timestamp with time zone'),
    ('dates', 'ts', 'TIMESTAMP(6)', 'timestamp with time zone'),
    ('times', 't', 'TIME(6)', 'interval'),
    ('times', 'y', 'YEAR', 'smallint'),
    ('bits', 'b1', 'BIT(1)', 'boolean'),
    ('bits', 'b10', 'BIT(10)', 'bit varying(10)'),
    ('bits', 'b64', 'BIT(64)', 'bit varying(64)'),
    ('binaries', 'bin', 'BINARY(4)', 'bytea'),
    ('binaries', 'vbin', 'VARBINARY(20)', 'bytea'),
    ('binaries', 'bl', 'BLOB', 'bytea'),
    ('binaries', 'lbl', 'LONGBLOB', 'bytea'),
    ('strings', 'c', 'CHAR(5)', 'character varying(5)'),
    ('strings', 'v', 'VARCHAR(20)', 'character varying(20)'),
    ('strings', 't', 'TEXT', 'text'),
    ('strings', 'lt', 'LONGTEXT', 'text'),
    ('strings', 'l1', 'VARCHAR(20) latin1', 'character varying(20)'),
    ('enums_sets', 'e', 'ENUM', 'text'),
    ('enums_sets', 's', 'SET', 'text[]'),
    ('enums_sets', 's2', 'SET', 'text[]'),
    ('json_docs', 'doc', 'JSON', 'jsonb'),
    ('geometries', 'g', 'GEOMETRY', 'bytea'),
    ('geometries', 'p', 'POINT', 'bytea'),
    ('we`ird "tab''le; ü', 'co`l "x''; ğ', 'VARCHAR(30)', 'character varying(30)'),
    ('we`ird "tab''le; ü', 'Mixed Case', 'INT', 'integer'),
    ('MixedCase', 'CamelCol', 'VARCHAR(10)', 'character varying(10)')
  ) AS v(tbl, col, src, want);
SELECT col_not_null('tap_mysql_types', 'integers', 'id', 'NOT NULL (primary key) carried over');
SELECT col_is_null('tap_mysql_types', 'integers', 'i8', 'a nullable column stays nullable');

-- Local copies for the pushdown identity checks (whatever the wrapper returns).
SELECT pg_temp.try(format('CREATE TEMP TABLE %I AS SELECT * FROM tap_mysql_types.%I', 'tap_mysql_types__' || tbl, tbl))
  FROM source_tables \g /dev/null

-- ---------------------------------------------------------------- integers
SELECT pg_temp.rows_eq(
  $$SELECT id, i8::text, u8::text, i16::text, u16::text, i24::text, u24::text, i32::text, u32::text, i64::text, u64::text
      FROM integers ORDER BY id$$,
  $$VALUES
    (1, '-128', '0', '-32768', '0', '-8388608', '0', '-2147483648', '0', '-9223372036854775808', '0'),
    (2, '127', '255', '32767', '65535', '8388607', '16777215', '2147483647', '4294967295', '9223372036854775807', '18446744073709551615'),
    (3, '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'),
    (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (5, '-1', '128', '-1', '32768', '-1', '8388608', '-1', '2147483648', '-1', '9223372036854775808')$$,
  'integers: min, max, 0, NULL and one-past-signed-max of every width, exactly');
SELECT pg_temp.rows_eq(
  $$SELECT u64 FROM integers WHERE id = 2$$,
  $$VALUES (18446744073709551615::numeric)$$,
  'BIGINT UNSIGNED 18446744073709551615 as numeric');
SELECT pg_temp.rows_eq(
  $$SELECT id, flag, yes FROM integers ORDER BY id$$,
  $$VALUES (1, false, false), (2, true, true), (3, false, false), (4, NULL, NULL), (5, true, false)$$,
  'TINYINT(1) and BOOL as boolean');

-- ---------------------------------------------------------------- decimals
SELECT pg_temp.rows_eq(
  $$SELECT id, big::text, money::text FROM decimals ORDER BY id$$,
  $$VALUES
    (1, '99999999999999999999999999999999999.999999999999999999999999999999', '99999999.99'),
    (2, '-99999999999999999999999999999999999.999999999999999999999999999999', '-99999999.99'),
    (3, '0.000000000000000000000000000001', '0.01'),
    (4, '-0.000000000000000000000000000001', '-0.01'),
    (5, '0.000000000000000000000000000000', '0.00'),
    (6, NULL, NULL),
    (7, '12345678901234567890.123456789012345678901234567890', '1234.50')$$,
  'DECIMAL(65,30) and DECIMAL(10,2): every digit, with the declared scale');

-- ---------------------------------------------------------------- floats
SELECT pg_temp.rows_eq(
  $$SELECT id, f4::real, f8::float8 FROM floats ORDER BY id$$,
  $$SELECT id, f4::real, f8::float8 FROM (VALUES
    (1, '0.1', '0.1'),
    (2, '3.4028235e38', '1e308'),
    (3, '-3.4028235e38', '-2.2250738585072014e-308'),
    (4, '1.17549435e-38', '1.7976931348623157e308'),
    (5, '16777216', '-1.7976931348623157e308'),
    (6, '1.4e-45', '5e-324'),
    (7, '0.33333334', '0.3333333333333333'),
    (8, '0', '0.30000000000000004'),
    (9, '0', '0'),
    (10, NULL, NULL),
    (11, '123456.789', '123456789.12345678')) AS v(id, f4, f8)$$,
  'FLOAT and DOUBLE: every value exactly (FLT_MAX, FLT_MIN, subnormals, 16777217 stored as 16777216)');
SELECT pg_temp.rows_eq(
  $$SELECT id, f4::float8 FROM floats ORDER BY id$$,
  $$SELECT id, f4::float8 FROM (VALUES
    (1, '0.10000000149011612'), (2, '3.4028234663852886e38'), (3, '-3.4028234663852886e38'),
    (4, '1.1754943508222875e-38'), (5, '16777216'), (6, '1.401298464324817e-45'),
    (7, '0.3333333432674408'), (8, '0'), (9, '0'), (10, NULL), (11, '123456.7890625')) AS v(id, f4)$$,
  'FLOAT widened to double equals MariaDB''s f4 + 0 (not its 6-digit display)');
SELECT pg_temp.rows_eq(
  $$SELECT id, float4send(f4::real), float8send(f8::float8) FROM floats ORDER BY id$$,
  $$SELECT id, float4send(f4::real), float8send(f8::float8) FROM (VALUES
    (1, '0.1', '0.1'), (2, '3.4028235e38', '1e308'), (3, '-3.4028235e38', '-2.2250738585072014e-308'),
    (4, '1.17549435e-38', '1.7976931348623157e308'), (5, '16777216', '-1.7976931348623157e308'),
    (6, '1.4e-45', '5e-324'), (7, '0.33333334', '0.3333333333333333'), (8, '0', '0.30000000000000004'),
    (9, '0', '0'), (10, NULL, NULL), (11, '123456.789', '123456789.12345678')) AS v(id, f4, f8)$$,
  'FLOAT and DOUBLE bit patterns (float4send/float8send) equal, sign of zero included');
SELECT pg_temp.rows_eq($$SELECT f4 = 0.1::real, f8 = 0.1::float8 FROM floats WHERE id = 1$$,
                       $$VALUES (true, true)$$, 'f4 = 0.1::real and f8 = 0.1::float8');

SELECT pg_temp.rows_eq(
  $$SELECT id, zf::text, sz::text, f73::real, d52::float8, dd::text, n55::text FROM odd_numerics ORDER BY id$$,
  $$SELECT id, zf, sz, f73::real, d52::float8, dd, n55 FROM (VALUES
    (1, '42', '7', '1234.568', '12345678.12', '1234567890', '0.99999'),
    (2, '4294967295', '65535', '-9999.999', '0', '-9999999999', '-0.50000'),
    (3, NULL, NULL, NULL, NULL, NULL, NULL),
    (4, '0', '0', '0', '0.02', '1', '0.00001')) AS v(id, zf, sz, f73, d52, dd, n55)$$,
  'ZEROFILL (no padding), FLOAT(7,3), DOUBLE(10,2), DECIMAL, NUMERIC(5,5): stored values exactly');
SELECT pg_temp.rows_eq(
  $$SELECT id, f73::float8 FROM odd_numerics ORDER BY id$$,
  $$VALUES (1, 1234.5679931640625::float8), (2, -9999.9990234375), (3, NULL), (4, 0)$$,
  'FLOAT(7,3) widened equals MariaDB''s f73 * 1e0');

-- ---------------------------------------------------------------- dates (TimeZone UTC)
SELECT pg_temp.rows_eq(
  $$SELECT id, d, dt, ts FROM dates ORDER BY id$$,
  $$VALUES
    (1, '1000-01-01'::date, '1000-01-01 00:00:00+00'::timestamptz, '1970-01-01 00:00:01+00'::timestamptz),
    (2, '9999-12-31', '9999-12-31 23:59:59.999999+00', '2038-01-19 03:14:07.999999+00'),
    (3, '2024-02-29', '2024-01-01 12:00:00+00', '2024-01-01 12:00:00+00'),
    (4, '2024-03-05', '2024-03-05 14:22:10.123456+00', '2024-03-05 14:22:10.000001+00'),
    (5, NULL, NULL, NULL),
    (6, NULL, NULL, NULL),
    (7, NULL, NULL, NULL),
    (8, NULL, NULL, NULL)$$,
  'DATE, DATETIME(6), TIMESTAMP(6): bounds and microseconds exact; zero dates and zero-in-date are NULL');
SELECT pg_temp.rows_eq(
  $$SELECT to_char(dt, 'YYYY-MM-DD HH24:MI:SS.US') FROM dates WHERE id IN (2, 4) ORDER BY id$$,
  $$VALUES ('9999-12-31 23:59:59.999999'), ('2024-03-05 14:22:10.123456')$$,
  'DATETIME(6) fractional seconds not rounded');
SET TimeZone = 'Asia/Tokyo';
SELECT pg_temp.rows_eq(
  $$SELECT id, d, dt, ts FROM dates WHERE id IN (1, 3, 4) ORDER BY id$$,
  $$VALUES
    (1, '1000-01-01'::date, '1000-01-01 00:00:00+00'::timestamptz, '1970-01-01 00:00:01+00'::timestamptz),
    (3, '2024-02-29', '2024-01-01 12:00:00+00', '2024-01-01 12:00:00+00'),
    (4, '2024-03-05', '2024-03-05 14:22:10.123456+00', '2024-03-05 14:22:10.000001+00')$$,
  'the session TimeZone does not change which instants DATETIME/TIMESTAMP denote, nor DATE');
SET TimeZone = 'UTC';
-- DATETIME read in source_timezone; TIMESTAMP is UTC whatever the option; DATE unchanged.
SELECT pg_temp.rows_eq(
  $$SELECT dt FROM tap_mysql_types_ist.dates WHERE id = 3$$,
  $$VALUES ('2024-01-01 09:00:00+00'::timestamptz)$$,
  'source_timezone Europe/Istanbul: DATETIME 2024-01-01 12:00:00 is 2024-01-01 09:00:00+00');
SELECT pg_temp.rows_eq(
  $$SELECT id, d, dt, ts FROM tap_mysql_types_ist.dates ORDER BY id$$,
  $$SELECT id, d::date, dt::timestamp AT TIME ZONE 'Europe/Istanbul', ts::timestamptz FROM (VALUES
    (1, '1000-01-01', '1000-01-01 00:00:00', '1970-01-01 00:00:01+00'),
    (2, '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999+00'),
    (3, '2024-02-29', '2024-01-01 12:00:00', '2024-01-01 12:00:00+00'),
    (4, '2024-03-05', '2024-03-05 14:22:10.123456', '2024-03-05 14:22:10.000001+00'),
    (5, NULL, NULL, NULL), (6, NULL, NULL, NULL), (7, NULL, NULL, NULL), (8, NULL, NULL, NULL)) AS v(id, d, dt, ts)$$,
  'source_timezone Europe/Istanbul: every DATETIME shifted, TIMESTAMP and DATE not');
-- zero_dates 'error'
SELECT throws_ok($$SELECT d FROM tap_mysql_types_zerr.dates WHERE id = 5$$, '22008', NULL,
                 'zero_dates error: DATE 0000-00-00 raises 22008');
SELECT throws_ok($$SELECT dt FROM tap_mysql_types_zerr.dates WHERE id = 5$$, '22008', NULL,
                 'zero_dates error: DATETIME 0000-00-00 00:00:00 raises 22008');
SELECT throws_ok($$SELECT ts FROM tap_mysql_types_zerr.dates WHERE id = 5$$, '22008', NULL,
                 'zero_dates error: TIMESTAMP 0000-00-00 00:00:00 raises 22008');
SELECT throws_ok($$SELECT d FROM tap_mysql_types_zerr.dates WHERE id = 6$$, '22008', NULL,
                 'zero_dates error: zero-in-date DATE 2020-00-15 raises 22008');
SELECT throws_ok($$SELECT dt FROM tap_mysql_types_zerr.dates WHERE id = 7$$, '22008', NULL,
                 'zero_dates error: zero-in-date DATETIME 2020-05-00 raises 22008');
SELECT throws_ok($$SELECT * FROM tap_mysql_types_zerr.dates$$, '22008', NULL,
                 'zero_dates error: a full scan raises 22008');
SELECT pg_temp.rows_eq(
  $$SELECT id, d, dt FROM tap_mysql_types_zerr.dates WHERE id <= 4 ORDER BY id$$,
  $$VALUES (1, '1000-01-01'::date, '1000-01-01 00:00:00+00'::timestamptz), (2, '9999-12-31', '9999-12-31 23:59:59.999999+00'),
           (3, '2024-02-29', '2024-01-01 12:00:00+00'), (4, '2024-03-05', '2024-03-05 14:22:10.123456+00')$$,
  'zero_dates error: rows without zero dates read normally');

SELECT pg_temp.rows_eq(
  $$SELECT id, dt, ts, tm, dt3, tm2 FROM plain_temporal ORDER BY id$$,
  $$VALUES
    (1, '2024-03-05 14:22:10+00'::timestamptz, '2024-03-05 14:22:10+00'::timestamptz, '-12:34:56'::interval,
        '2024-03-05 14:22:10.123+00'::timestamptz, '100:00:00.12'::interval),
    (2, '1000-01-01 00:00:00+00', '1970-01-01 00:00:01+00', '00:00:00', '9999-12-31 23:59:59.999+00', '-00:00:00.01'),
    (3, NULL, NULL, NULL, NULL, NULL)$$,
  'DATETIME, TIMESTAMP, TIME without or with fewer fractional digits');

-- ---------------------------------------------------------------- times
SELECT pg_temp.rows_eq(
  $$SELECT id, t, y::int FROM times ORDER BY id$$,
  $$VALUES
    (1, '838:59:59'::interval, 1901), (2, '-838:59:59', 2155), (3, '-00:00:01.5', 0),
    (4, '25:00:00', 2024), (5, '12:34:56.789', 1970), (6, '00:00:00', NULL),
    (7, '838:59:59.999999', 2000), (8, NULL, 1999)$$,
  'TIME(6) as interval (beyond 24h, negative, fractional); YEAR incl. 0000 as 0');
SELECT pg_temp.rows_eq(
  $$SELECT id, t::text FROM times ORDER BY id$$,
  $$VALUES (1, '838:59:59'), (2, '-838:59:59'), (3, '-00:00:01.5'), (4, '25:00:00'),
           (5, '12:34:56.789'), (6, '00:00:00'), (7, '838:59:59.999999'), (8, NULL)$$,
  'TIME is a duration in hours, not days (''25:00:00'', not ''1 day 01:00:00'')');

-- ---------------------------------------------------------------- bits
SELECT pg_temp.rows_eq(
  $$SELECT id, b1, b10::text, b64::text FROM bits ORDER BY id$$,
  $$VALUES
    (1, false, '1010101010', repeat('1', 64)),
    (2, true, '0000000000', '1' || repeat('0', 63)),
    (3, NULL, '0000000001', repeat('0', 64)),
    (4, true, NULL, NULL),
    (5, false, '1111111111', repeat('0', 61) || '101')$$,
  'BIT(1) as boolean; BIT(10), BIT(64) as bit strings of the declared width');
SELECT pg_temp.rows_eq($$SELECT b10 FROM bits WHERE id = 1$$, $$VALUES (B'1010101010'::varbit)$$,
                       'BIT(10) b''1010101010'' = varbit ''1010101010''');

-- ---------------------------------------------------------------- binaries
SELECT pg_temp.rows_eq(
  $$SELECT id, bin, vbin, bl, lbl FROM binaries WHERE id < 5 ORDER BY id$$,
  $$VALUES
    (1, '\x00ff0000'::bytea, '\x00ff00'::bytea, '\x00ff00'::bytea, '\x00ff00'::bytea),
    (2, '\x00000000', '\x', '\x', '\x'),
    (3, NULL, NULL, NULL, NULL),
    (4, '\x5c272200', '\x5c27220a0d1a00', '\x5c27220a0d1a00', '\xe282ac00ff')$$,
  'BINARY (zero-padded), VARBINARY, BLOB, LONGBLOB with NUL bytes; empty is not NULL');
SELECT pg_temp.rows_eq(
  $$SELECT bin, vbin, octet_length(bl), md5(bl), octet_length(lbl), md5(lbl) FROM binaries WHERE id = 5$$,
  $$VALUES ('\xdeadbeef'::bytea, '\x0000'::bytea, 65535, 'c9ed338456e973b2c5440047aa2ead0b', 1048576, '139a51e5c1bfd41c8b9ffc7dfdbff9ae')$$,
  'a 64 KiB BLOB of NULs and a 1 MiB LONGBLOB arrive whole (MD5 as in MariaDB)');
SELECT pg_temp.rows_eq($$SELECT vbin = '\x00ff00'::bytea FROM binaries WHERE id = 1$$, $$VALUES (true)$$,
                       'VARBINARY X''00FF00'' = ''\x00ff00''::bytea');

-- ---------------------------------------------------------------- strings
SELECT pg_temp.rows_eq(
  $$SELECT id, c::text, v::text, t, lt, l1::text FROM strings WHERE id <> 10 ORDER BY id$$,
  $$VALUES
    (1, 'café', 'café', 'café', 'café', 'café'),
    (2, '😀', '😀 emoji 𝄞', '😀😀😀', '𝄞 G clef 😀', 'Ünïcödé'),
    (3, 'ğüşıö', 'ğüşıöçİ', 'ğüşıöçİ ĞÜŞIÖÇi', 'İstanbul ığdır', 'naïve'),
    (4, '', '', '', '', ''),
    (5, NULL, NULL, NULL, NULL, NULL),
    (6, 'a''"\', 'it''s "q" \ back;', E'it''s "q" \\ back\n\ttab', '-- ''; DROP TABLE x; --', 'o''brien "x"'),
    (7, 'ab', 'a  ', 'trailing  ', '  lead', 'CAFÉ'),
    (8, 'B', 'B', 'B', 'b', 'b'),
    (9, 'Z', 'cafe', 'CAFÉ', 'Café', 'cafe')$$,
  'CHAR, VARCHAR, TEXT, LONGTEXT, latin1 VARCHAR: every string exactly');
SELECT pg_temp.rows_eq(
  $$SELECT id, convert_to(v, 'UTF8'), octet_length(v), char_length(v), ascii(c) FROM strings WHERE id IN (1, 2, 10) ORDER BY id$$,
  $$VALUES (1, '\x636166c3a9'::bytea, 5, 4, 99),
           (2, '\xf09f988020656d6f6a6920f09d849e', 15, 9, 128512),
           (10, '\xceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1ceb1f09f9880', 42, 20, 128512)$$,
  'utf8mb4: 4-byte characters (emoji, U+1D11E) intact, byte for byte');
SELECT pg_temp.rows_eq(
  $$SELECT id, l1::text, convert_to(l1, 'UTF8') FROM strings WHERE id IN (1, 2, 10) ORDER BY id$$,
  $$VALUES (1, 'café', '\x636166c3a9'::bytea), (2, 'Ünïcödé', '\xc39c6ec3af63c3b664c3a9'), (10, 'ÿ', '\xc3bf')$$,
  'latin1 column arrives as UTF-8');
SELECT pg_temp.rows_eq(
  $$SELECT c::text, v::text, t, char_length(lt), octet_length(lt), md5(lt) FROM strings WHERE id = 10$$,
  $$VALUES ('😀😀😀😀😀', 'ααααααααααααααααααα😀', 'x', 100000, 200000, '2f0f95d1195f3efcbfba036e49efa14d')$$,
  'CHAR(5)/VARCHAR(20) full of multibyte characters; a 100000-character LONGTEXT (MD5 as in MariaDB)');

SELECT pg_temp.rows_eq(
  $$SELECT id, m3::text, a::text, u16::text, bn::text, tr::text FROM charsets ORDER BY id$$,
  $$VALUES (1, 'café', 'abc', 'ü😀', 'Café', 'ı'), (2, 'ğüşıöçİ', '', '𝄞', 'café', 'I'),
           (3, NULL, NULL, NULL, NULL, NULL), (4, 'CAFÉ', 'ABC', '', 'CAFÉ', 'i')$$,
  'utf8mb3, ascii, utf16 (surrogate pair), utf8mb4_bin, utf8mb4_turkish_ci columns arrive as UTF-8');

-- ---------------------------------------------------------------- enums and sets
SELECT pg_temp.rows_eq(
  $$SELECT id, e::text, s, s2 FROM enums_sets ORDER BY id$$,
  $$VALUES
    (1, 'small', '{}'::text[], ARRAY['x y', 'q"t']),
    (2, 'medium', '{a,c}', ARRAY['ü']),
    (3, 'large', '{a,b,c}', ARRAY['x y', 'back\slash']),
    (4, NULL, NULL, NULL),
    (5, 'small', '{a,c}', '{}'),
    (6, '', '{b}', ARRAY['x y', 'ü'])$$,
  'ENUM as text (incl. the '''' error value); SET as text[] ('''' is {}, members with space, quote, backslash)');
SELECT pg_temp.rows_eq($$SELECT s FROM enums_sets WHERE id = 2$$, $$VALUES ('{a,c}'::text[])$$, 'SET ''a,c'' = ''{a,c}''::text[]');

-- ---------------------------------------------------------------- json
SELECT pg_temp.rows_eq(
  $$SELECT id, doc FROM json_docs ORDER BY id$$,
  $$VALUES
    (1, '{"a": 1, "b": [1, 2, {"c": null}], "d": {"e": "f"}}'::jsonb),
    (2, '[1, "two", 3.5, true, false, null]'),
    (3, '{"t": "İstanbul 😀", "esc": "\u00e9\n\"q\"", "k y": "v"}'),
    (4, '"scalar"'),
    (5, 'null'),
    (6, NULL),
    (7, '{}'),
    (8, '[]'),
    (9, '{"big": 12345678901234567890.5, "neg": -1e-7}')$$,
  'JSON as jsonb: objects, arrays, unicode, escapes, scalars, JSON null is not SQL NULL');
SELECT pg_temp.rows_eq(
  $$SELECT doc ->> 't', doc ->> 'esc', doc IS NULL FROM json_docs WHERE id IN (3, 5) ORDER BY id$$,
  $$VALUES ('İstanbul 😀', E'é\n"q"', false), (NULL, NULL, false)$$,
  'JSON strings decoded; JSON null arrives as jsonb null');

-- ---------------------------------------------------------------- geometry
SELECT pg_temp.rows_eq(
  $$SELECT id, g, p FROM geometries ORDER BY id$$,
  $$VALUES
    (1, '\x0101000000000000000000f03f0000000000000040'::bytea, '\x0101000000000000000000f03f0000000000000040'::bytea),
    (2, '\x010300000001000000050000000000000000000000000000000000000000000000000024400000000000000000000000000000244000000000000024400000000000000000000000000000244000000000000000000000000000000000',
        '\x0101000000000000000000f8bf000000205fa00242'),
    (3, NULL, NULL),
    (4, '\x01020000000300000000000000000000000000000000000000000000000000f03f000000000000f03f0000000000000040000000000000e03f',
        '\x0101000000b81e85eb51f83c40e17a14ae47814440')$$,
  'GEOMETRY/POINT as WKB equal to ST_AsWKB() (SRID prefix stripped, also for SRID 4326)');

-- ---------------------------------------------------------------- quoting
SELECT pg_temp.rows_eq(
  $$SELECT id, "co`l ""x'; ğ"::text, "Mixed Case" FROM "we`ird ""tab'le; ü" ORDER BY id$$,
  $$VALUES (1, 'one', 10), (2, 'two''; DROP TABLE x; --', NULL)$$,
  'table and column names with backtick, quotes, semicolon, space, non-ASCII');
SELECT pg_temp.rows_eq(
  $$SELECT "co`l ""x'; ğ"::text FROM "we`ird ""tab'le; ü" WHERE "co`l ""x'; ğ" = 'one'$$,
  $$VALUES ('one')$$,
  'WHERE on a weirdly named column');
SELECT pg_temp.rows_eq($$SELECT id, "CamelCol"::text FROM "MixedCase" ORDER BY id$$, $$VALUES (1, 'Ab'), (2, NULL)$$,
                       'mixed-case names imported as is');
SELECT pg_temp.rows_eq(
  $$SELECT c.relname::text COLLATE "default", a.attname::text COLLATE "default" FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
     WHERE c.relnamespace = 'tap_mysql_types_lc'::regnamespace AND c.relname::text IN ('mixedcase', 'we`ird "tab''le; ü')
     ORDER BY c.relname::text COLLATE "C", a.attnum$$,
  $$VALUES ('mixedcase', 'id'), ('mixedcase', 'camelcol'),
           ('we`ird "tab''le; ü', 'id'), ('we`ird "tab''le; ü', 'co`l "x''; ğ'), ('we`ird "tab''le; ü', 'mixed case')$$,
  'lowercase_identifiers: names lowercased');
SELECT pg_temp.rows_eq($$SELECT id, camelcol::text FROM tap_mysql_types_lc.mixedcase ORDER BY id$$, $$VALUES (1, 'Ab'), (2, NULL)$$,
                       'lowercase_identifiers: the lowercased table still reads its MariaDB table');
SELECT pg_temp.rows_eq($$SELECT id, "mixed case" FROM tap_mysql_types_lc."we`ird ""tab'le; ü" ORDER BY id$$, $$VALUES (1, 10), (2, NULL)$$,
                       'lowercase_identifiers: a lowercased column still reads its MariaDB column');

-- ---------------------------------------------------------------- pushdown
SELECT ok(pg_temp.plan_of('SELECT id FROM tap_mysql_types.integers WHERE id = 3') ~* 'where',
          'a simple WHERE id = 3 is pushed down (EXPLAIN VERBOSE shows it in the remote query)');
SELECT pg_temp.same_rows('tap_mysql_types', 'integers', cond) FROM (VALUES
  ('i32 = 0'), ('i64 < 0'), ('id IN (1, 3, 5)'), ('i8 IS NULL'), ('i8 IS NOT NULL'), ('i32 <> 0'),
  ('i64 = -9223372036854775808'), ('u64 > 9223372036854775807'), ('u64 = 18446744073709551615'),
  ('u32 >= 2147483648'), ('u8 = 128'), ('i16 = ANY (ARRAY[0, -1])'), ('i32 IS DISTINCT FROM 0'),
  ('(i32 > 0 AND i8 > 0) OR NOT (i16 = 0)'), ('NOT (i8 < 0 OR u8 > 100)'), ('flag'), ('NOT flag'), ('yes IS NOT TRUE'),
  ('id / 2 = 1'), ('i8 % 3 = -1'), ('i32 < 0.5'), ('i32 = 0.0'), ('i8 = 0.5'), ('u8 > 127.5'),
  ('i64 > 9223372036854775806.5'), ('u64 > 1.8e19'), ('i32 = 0 OR flag'), ('i32 = 0 OR id / 2 = 2'),
  ('id = (SELECT 3)'), ('i16 = ANY (ARRAY[0, NULL])'), ('i16 <> ALL (ARRAY[0, -1])')
) AS v(cond);
SELECT pg_temp.same_rows('tap_mysql_types', 'decimals', cond) FROM (VALUES
  ('big > 0'), ('money = 1234.5'), ('big = 0.000000000000000000000000000001'), ('big < -1e34'),
  ('big > 99999999999999999999999999999999999.99999999999999999999999999999'), ('money = 1234.50::numeric(10,2)')
) AS v(cond);
SELECT pg_temp.same_rows('tap_mysql_types', 'floats', cond) FROM (VALUES
  ('f4 = 0.1::real'), ('f4 = 16777216::real'), ('f8 = 0.1'), ('f8 = 0.30000000000000004'), ('f8 < 0'),
  ('f4 > 3e38'), ('f8 = 5e-324'), ('f4 = 0.33333334::real')
) AS v(cond);
SELECT pg_temp.same_rows('tap_mysql_types', 'strings', cond) FROM (VALUES
  ('v = ''café'''), ('v = ''CAFÉ'''), ('v = ''cafe'''), ('l1 = ''café'''), ('l1 = ''CAFÉ'''), ('t = ''café'''),
  ('v = ''a'''), ('v = ''a  '''), ('c = ''ab'''), ('v = ''ĞÜŞIÖÇİ'''), ('v < ''b'''), ('t > ''Z'''), ('lt >= ''İ'''),
  ('v LIKE ''C%'''), ('v ILIKE ''C%'''), ('v = '''''), ('v IS NULL'), ('v <> ''B'''), ('lower(v) = ''café'''),
  ('length(v) = 4'), ('v || ''x'' = ''cafex'''), ('v IN (''B'', ''cafe'', ''x'')'),
  ('c = ''😀'''), ('lt = ''İstanbul ığdır'''), ('l1 = ''😀'''), ('l1 <> ''😀'''), ('l1 = ''ÿ''')
) AS v(cond);
SELECT pg_temp.same_rows('tap_mysql_types', 'charsets', cond) FROM (VALUES
  ('m3 = ''café'''), ('m3 = ''😀'''), ('m3 <> ''😀 x'''), ('a = ''abc'''), ('a = ''é'''), ('a IN (''abc'', ''ü'')'),
  ('u16 = ''ü😀'''), ('u16 = ''😀'''), ('bn = ''café'''), ('tr = ''I'''), ('tr = ''i'''), ('tr = ''İ''')
) AS v(cond);
SELECT pg_temp.same_rows('tap_mysql_types', 'odd_numerics', cond) FROM (VALUES
  ('zf = 42'), ('f73 = 1234.568::real'), ('dd = 1'), ('n55 < 0'), ('d52 = 12345678.12')
) AS v(cond);
SELECT pg_temp.same_rows('tap_mysql_types', 'enums_sets', cond) FROM (VALUES
  ('e = ''medium'''), ('e < ''medium'''), ('e = '''''), ('''a'' = ANY (s)'), ('s = ''{a,c}''')
) AS v(cond);
SELECT pg_temp.same_rows('tap_mysql_types', 'dates', cond) FROM (VALUES
  ('d = ''2024-02-29'''), ('d < ''2000-01-01'''), ('d IS NULL'), ('dt IS NULL'), ('ts IS NULL'),
  ('dt = ''2024-01-01 12:00:00+00'''), ('dt > ''2024-01-01 00:00:00+00'''), ('ts >= ''2024-01-01''')
) AS v(cond);
SET TimeZone = 'Asia/Tokyo';
SELECT pg_temp.same_rows('tap_mysql_types', 'dates', 'dt < ''2024-01-01 21:00:00''');
SET TimeZone = 'UTC';
SELECT pg_temp.try('CREATE TEMP TABLE tap_mysql_types_ist__dates AS SELECT * FROM tap_mysql_types_ist.dates') \g /dev/null
SELECT pg_temp.same_rows('tap_mysql_types_ist', 'dates', cond) FROM (VALUES
  ('dt = ''2024-01-01 09:00:00+00'''), ('dt < ''2024-01-01 10:00:00+00''')
) AS v(cond);
SELECT pg_temp.same_rows('tap_mysql_types', 'times', cond) FROM (VALUES
  ('t > ''24:00:00'''), ('t < ''00:00:00'''), ('t = ''12:34:56.789'''), ('y = 0')
) AS v(cond);
SELECT pg_temp.same_rows('tap_mysql_types', 'bits', cond) FROM (VALUES
  ('b1'), ('NOT b1'), ('b10 = B''1010101010''')
) AS v(cond);
SELECT pg_temp.same_rows('tap_mysql_types', 'binaries', cond) FROM (VALUES
  ('vbin = ''\x00ff00''::bytea'), ('bl = ''''::bytea'), ('vbin < ''\x01''::bytea'), ('bin = ''\x00ff00''::bytea')
) AS v(cond);
SELECT pg_temp.same_rows('tap_mysql_types', 'json_docs', cond) FROM (VALUES
  ('doc = ''{}''::jsonb'), ('doc ->> ''a'' = ''1'''), ('doc IS NULL')
) AS v(cond);

-- The same through prepared statements with a generic plan (values bound at run time).
SET plan_cache_mode = force_generic_plan;
PREPARE p_i32(int) AS SELECT id FROM tap_mysql_types.integers WHERE i32 = $1 ORDER BY id;
PREPARE p_u64(numeric) AS SELECT id FROM tap_mysql_types.integers WHERE u64 = $1 ORDER BY id;
PREPARE p_v(text) AS SELECT id FROM tap_mysql_types.strings WHERE v = $1 ORDER BY id;
PREPARE p_l1(text) AS SELECT id FROM tap_mysql_types.strings WHERE l1 = $1 ORDER BY id;
PREPARE p_d(date) AS SELECT id FROM tap_mysql_types.dates WHERE d = $1 ORDER BY id;
PREPARE p_dt(timestamptz) AS SELECT id FROM tap_mysql_types.dates WHERE dt = $1 ORDER BY id;
SELECT pg_temp.rows_eq('EXECUTE p_i32(0)', 'VALUES (3)', 'generic plan: i32 = $1 (0)');
SELECT pg_temp.rows_eq('EXECUTE p_u64(18446744073709551615)', 'VALUES (2)', 'generic plan: u64 = $1 (18446744073709551615)');
SELECT pg_temp.rows_eq('EXECUTE p_v(''CAFÉ'')', 'SELECT 1 WHERE false', 'generic plan: v = $1 (''CAFÉ'') matches nothing');
SELECT pg_temp.rows_eq('EXECUTE p_v(''a'')', 'SELECT 1 WHERE false', 'generic plan: v = $1 (''a'') does not match ''a  ''');
SELECT pg_temp.rows_eq('EXECUTE p_l1(''😀'')', 'SELECT 1 WHERE false', 'generic plan: latin1 l1 = $1 (''😀'') matches nothing');
SELECT pg_temp.rows_eq('EXECUTE p_d(''2024-02-29'')', 'VALUES (3)', 'generic plan: d = $1 (2024-02-29)');
SELECT pg_temp.rows_eq('EXECUTE p_dt(''2024-01-01 12:00:00+00'')', 'VALUES (3)', 'generic plan: dt = $1 (2024-01-01 12:00:00+00)');
RESET plan_cache_mode;

SELECT * FROM finish();
RESET search_path;
DROP SCHEMA tap_mysql_types CASCADE;
DROP SCHEMA tap_mysql_types_ist CASCADE;
DROP SCHEMA tap_mysql_types_zerr CASCADE;
DROP SCHEMA tap_mysql_types_lc CASCADE;
DROP SERVER tap_mysql_types CASCADE;
DROP SERVER tap_mysql_types_ist CASCADE;
DROP SERVER tap_mysql_types_zerr CASCADE;

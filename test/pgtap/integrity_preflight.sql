-- preflight says, for each finding, what the migration will do (copy,
-- reject, note), deciding with the migration's own reader and converters:
-- for edge values of each type family, preflight runs, then migrate_database
-- with the same options, and each preflight action is compared with what the
-- migration did (rows copied, rows in minibar_migrate.rejects, zero_dates,
-- notes). Fixtures: test/fixtures/integrity_preflight_{mysql,sqlite}.sql.
\ir include/helpers.sql
\set my_load `mariadb < test/fixtures/integrity_preflight_mysql.sql 2>&1 && echo ok`
\set lite_db /var/lib/minibar_migrate/tap/integrity_preflight.sqlite
\set lite_load `install -d -m 755 /var/lib/minibar_migrate/tap && f=/var/lib/minibar_migrate/tap/integrity_preflight.sqlite && rm -f $f && sqlite3 $f < test/fixtures/integrity_preflight_sqlite.sql 2>&1 && chmod 644 $f && echo ok`
\set rules '{"columns": {"big.u": "bigint", "decs.narrow": "numeric(12,2)", "floats.d": "real"}}'
SET client_min_messages = warning;
CALL pg_temp.drop_leftovers('{ipf_my,ipf_lite}', '{tap_ipf_my,tap_ipf_lite}');
CALL pg_temp.mysql_server('tap_ipf_my', 'minibar_tap_ipf', '{"source_timezone": "Europe/Berlin"}');
CREATE SERVER tap_ipf_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');

-- Preflight first, then the migration with the same options.
CREATE TEMP TABLE pf AS
  SELECT 'my'::text AS src, * FROM minibar_migrate.preflight('tap_ipf_my', :'rules')
  UNION ALL SELECT 'lite', * FROM minibar_migrate.preflight('tap_ipf_lite');
CREATE TEMP TABLE run AS
  SELECT 'my'::text AS src, * FROM minibar_migrate.migrate_database('tap_ipf_my', 'ipf_my', :'rules') WHERE kind = 'table'
  UNION ALL SELECT 'lite', * FROM minibar_migrate.migrate_database('tap_ipf_lite', 'ipf_lite') WHERE kind = 'table';
CREATE TEMP TABLE rej AS
  SELECT run.src, r.source_table, r.column_name, (r.row_data->>'id')::int AS id, r.reason
    FROM minibar_migrate.rejects r JOIN (SELECT DISTINCT src, run_id FROM run) run USING (run_id);
\set src_decs `mariadb -N minibar_tap_ipf -e "SELECT GROUP_CONCAT(id, ':', d ORDER BY id SEPARATOR ',') FROM decs"`
\set src_dst `mariadb -N minibar_tap_ipf -e "SELECT GROUP_CONCAT(id, ':', at ORDER BY id SEPARATOR ',') FROM dst"`
\set src_bits `mariadb -N minibar_tap_ipf -e "SELECT GROUP_CONCAT(id, ':', b1 + 0, ':', LPAD(BIN(b5), 5, '0'), ':', LPAD(BIN(b64), 64, '0') ORDER BY id SEPARATOR ',') FROM bits"`
\set src_nums `sqlite3 /var/lib/minibar_migrate/tap/integrity_preflight.sqlite "SELECT group_concat(id || ':' || r, ',') FROM (SELECT id, r FROM nums WHERE id IN (4, 7, 9, 10) ORDER BY id)"`

SELECT plan(19);
SELECT is(:'my_load'::text, 'ok', 'MariaDB fixture loaded');
SELECT is(:'lite_load'::text, 'ok', 'SQLite fixture written');

-- What preflight says, per source, table and column: each edge value's
-- action, worked out from the fixture.
SELECT results_eq(
  $$SELECT table_name, column_name, check_name, action, count, example FROM pf
     WHERE src = 'my' AND check_name NOT IN ('size', 'case_insensitive_collation') ORDER BY 1, 2, 3$$,
  $$VALUES ('bad_days', 'd', 'invalid_value', 'reject', 2::bigint, 'id=2, id=4'),
           ('bad_days', 'dt', 'invalid_value', 'reject', 1, 'id=3'),
           ('big', 'keep_u', 'unsigned_beyond_bigint', 'copy', 3, 'id=3'),
           ('big', 'u', 'invalid_value', 'reject', 2, 'id=3, id=4'),
           ('decs', 'narrow', 'invalid_value', 'reject', 2, 'id=2, id=3'),
           ('dst', 'at', 'invalid_value', 'reject', 2, 'id=2, id=5'),
           ('enums', 'e', 'enum_error_value', 'reject', 1, 'id=2'),
           ('enums', 'e_nn', 'enum_error_value', 'reject', 1, 'id=3'),
           ('floats', 'd', 'invalid_value', 'reject', 2, 'id=1, id=3'),
           ('texts', 't', 'nul_byte', 'reject', 1, 'id=2'),
           ('zero_dates', 'd_nn', 'zero_date', 'reject', 1, 'id=3'),
           ('zero_dates', 'd_null', 'zero_date', 'copy', 2, 'id=2, id=5'),
           ('zero_dates', 'dt_null', 'zero_date', 'copy', 1, 'id=4')$$,
  'MariaDB: 2024-02-30 and 2023-02-29 (ALLOW_INVALID_DATES), DST-gap DATETIMEs, BIGINT UNSIGNED beyond int64 into bigint, DECIMAL(65,30) into numeric(12,2), DOUBLE into real, NUL, the enum '''' value and a NOT NULL zero date are rejects; nullable zero dates are copied as NULL; DECIMAL(65,30) extremes, FLOAT extremes, latin1, binary and BIT(n) values are no finding');
SELECT results_eq(
  $$SELECT table_name, column_name, check_name, action, count, example FROM pf
     WHERE src = 'lite' AND check_name <> 'size' ORDER BY 1, 2, 3$$,
  $$VALUES ('bigdec', 'd', 'type_from_values', 'note', NULL::bigint, NULL),
           ('days', 'd', 'invalid_value', 'reject', 3, 'id=2, id=4, id=5'),
           ('days', 'dt', 'invalid_value', 'reject', 1, 'id=3'),
           ('decs', 'd', 'type_from_values', 'note', NULL, NULL),
           ('flags', 'b', 'invalid_value', 'reject', 2, 'id=4, id=5'),
           ('nums', 'i', 'invalid_value', 'reject', 4, 'id=2, id=5, id=6'),
           ('nums', 'r', 'invalid_value', 'reject', 1, 'id=3')$$,
  'SQLite: ''abc'', 1e400, 9223372036854775808 (stored as real) and 2.5 in INTEGER, ''abc'' in REAL, 2024-02-30, 0000-00-00 and ''soon'' as dates, ''maybe'' and 2 as booleans are rejects (three examples at most); ''abc'' and 1e400 in DECIMAL columns make them text / numeric (notes); 1e400, -1e400 and ''NaN'' in REAL are copied');
SELECT ok((SELECT bool_and(action IN ('copy', 'reject', 'note')) FROM pf), 'every finding says copy, reject or note');

-- What the migration then did, compared with what preflight said.
SELECT set_eq(
  $$SELECT src, table_name, column_name, sum(count) FROM pf WHERE action = 'reject' GROUP BY 1, 2, 3$$,
  $$SELECT src, source_table, column_name, count(*) FROM rej GROUP BY 1, 2, 3$$,
  'each column''s rejects: preflight''s count is the number of rows the migration put in minibar_migrate.rejects for it');
SELECT is((SELECT count(*) FROM pf, unnest(string_to_array(pf.example, ', ')) AS ex
            WHERE pf.action = 'reject' AND NOT EXISTS (
              SELECT 1 FROM rej WHERE rej.src = pf.src AND rej.source_table = pf.table_name
                 AND rej.column_name = pf.column_name AND 'id=' || rej.id = ex)),
          0::bigint, 'every example preflight names is a row the migration rejected for that column');
SELECT set_eq(
  $$SELECT s.src, s.table_name, s.count - coalesce(r.n, 0), coalesce(r.n, 0) FROM pf s
      LEFT JOIN (SELECT src, table_name, sum(count) AS n FROM pf WHERE action = 'reject' GROUP BY 1, 2) r USING (src, table_name)
     WHERE s.check_name = 'size'$$,
  $$SELECT src, source_name, rows_copied, rows_rejected FROM run$$,
  'per table: the rows preflight does not reject are the rows copied, and the rest are the rows rejected');
SELECT set_eq(
  $$SELECT src, source_name, zero_dates FROM run$$,
  $$SELECT s.src, s.table_name, coalesce((SELECT sum(count) FROM pf z WHERE z.src = s.src AND z.table_name = s.table_name
                                              AND z.check_name = 'zero_date' AND z.action = 'copy'), 0)
      FROM pf s WHERE s.check_name = 'size'$$,
  'zero dates preflight says are copied as NULL are the zero_dates the migration counted');
SELECT set_eq(
  $$SELECT src, table_name, 'type ' || column_name || ': ' || advice FROM pf WHERE action = 'note' AND check_name = 'type_from_values'$$,
  $$SELECT src, source_name, n FROM run, unnest(notes) AS n WHERE n LIKE 'type %'$$,
  'the type notes preflight gives are the notes the migration recorded');
SELECT is((SELECT count(*) FROM pf WHERE check_name = 'check_failed'), 0::bigint, 'every check ran');

-- The rows copied hold the source's values.
SELECT is((SELECT string_agg(id || ':' || d, ',' ORDER BY id) FROM ipf_my.decs),
          (SELECT string_agg(x, ',') FROM unnest(string_to_array(:'src_decs', ',')) AS x
            WHERE split_part(x, ':', 1)::int IN (1, 4)),
          'DECIMAL(65,30) extremes copied exactly');
SELECT is((SELECT string_agg(id || ':' || to_char(at AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD HH24:MI:SS'), ',' ORDER BY id) FROM ipf_my.dst),
          (SELECT string_agg(x, ',') FROM unnest(string_to_array(:'src_dst', ',')) AS x
            WHERE split_part(x, ':', 1)::int NOT IN (2, 5)),
          'DATETIMEs outside the gap read in source_timezone keep their wall clock');
SELECT is((SELECT at FROM ipf_my.dst WHERE id = 4), '2024-10-27 00:30:00+00'::timestamptz,
          'a DATETIME in the autumn fold is its first occurrence, as MariaDB reads it');
SELECT is((SELECT string_agg(id || ':' || b1::int || ':' || b5::text || ':' || b64::text, ',' ORDER BY id) FROM ipf_my.bits),
          :'src_bits', 'BIT(1), BIT(5) and BIT(64) copied bit for bit');
SELECT is((SELECT count(*) FROM ipf_my.zero_dates WHERE id IN (2, 5) AND d_null IS NULL), 2::bigint,
          'the nullable zero dates became NULL');
SELECT is((SELECT big_u::text FROM (SELECT keep_u AS big_u FROM ipf_my.big WHERE id = 5) s), '18446744073709551615',
          'BIGINT UNSIGNED beyond int64 in its default numeric(20,0) is kept');
SELECT is((SELECT string_agg(id || ':' || r, ',' ORDER BY id) FROM ipf_lite.nums WHERE id IN (4, 7, 9, 10)),
          replace(:'src_nums', 'Inf', 'Infinity'),
          'SQLite: 1e400, -1e400, ''1.25'' and ''NaN'' in REAL are copied as Infinity, -Infinity, 1.25 and NaN');
SELECT is((SELECT string_agg(id || ':' || coalesce(b::text, 'NULL'), ',' ORDER BY id) FROM ipf_lite.flags),
          '1:true,2:false,3:true,6:false,7:NULL', 'SQLite booleans copied');

SELECT * FROM finish();
DROP SERVER tap_ipf_my CASCADE;
DROP SERVER tap_ipf_lite CASCADE;
DROP SCHEMA ipf_my CASCADE;
DROP SCHEMA ipf_lite CASCADE;

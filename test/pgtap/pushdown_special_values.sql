-- Pushdown never changes an answer for the special float and numeric values:
-- NaN (equal to itself, above every other value, Infinity included), ±Infinity,
-- -0.0, float4 against float8, SQLite text that PostgreSQL reads as a float,
-- integers a double rounds, and decimals MySQL cannot hold. Every WHERE clause
-- runs against the foreign table and against a local copy of the same rows
-- (CREATE TABLE ... AS SELECT * without WHERE), and the answers must be equal;
-- EXPLAIN VERBOSE shows that NaN/±Infinity constants never reach the remote
-- query, and that float/numeric parameters (generic plans, init plans) are
-- sent behind a flag and rechecked locally.
\ir include/helpers.sql
SET client_min_messages = warning;
-- MariaDB: DECIMAL, BIGINT UNSIGNED, DECIMAL(65,30), INT, DOUBLE, FLOAT and NULLs
-- (MySQL stores no NaN or Infinity).
\set my_load `mariadb -e "DROP DATABASE IF EXISTS minibar_tap_push; CREATE DATABASE minibar_tap_push; USE minibar_tap_push; CREATE TABLE m (id INT PRIMARY KEY, amount DECIMAL(10,2), big BIGINT UNSIGNED, wide DECIMAL(65,30), i INT, d DOUBLE, f FLOAT); INSERT INTO m VALUES (1, 1.50, 18446744073709551615, 0.100000000000000000000000000001, 5, 0.1, 0.1), (2, -2.00, 0, 12345678901234567890123456789012345.5, -3, -0.0, 1e30), (3, NULL, NULL, NULL, NULL, NULL, NULL), (4, 0.00, 9007199254740993, 0, 0, 1e300, -1.5), (5, 99999999.99, 9007199254740992, -99999999999999999999999999999999999.999999999999999999999999999999, 2147483647, -1e-300, 3.4e38), (6, -99999999.99, 1, 99999999999999999999999999999999999.999999999999999999999999999999, -2147483648, 2.5, 0), (7, 0.01, 42, -0.000000000000000000000000000001, 7, 1.5, -0.0);" 2>&1 && echo loaded`
-- SQLite: REAL columns with finite values, ±Infinity (9e999), -0.0, NULL (also
-- what NaN becomes), text SQLite keeps as text but PostgreSQL reads as NaN or
-- ±Infinity; an INTEGER column with integers beyond 2^53.
\set lite_load `mkdir -p /tmp/minibar_migrate_tap && chmod 755 /tmp/minibar_migrate_tap && rm -f /tmp/minibar_migrate_tap/push_special.db && sqlite3 /tmp/minibar_migrate_tap/push_special.db "CREATE TABLE s (id INTEGER PRIMARY KEY, r REAL, r4 REAL, ri INTEGER); INSERT INTO s VALUES (1, 1.5, 0.1, 9007199254740993), (2, -2.0, 1.1, 5), (3, NULL, NULL, NULL), (4, 9e999, 16777217, 9007199254740992), (5, -9e999, -0.0, 0), (6, 0.0, 'Infinity', -3), (7, -0.0, 0.5, 7), (8, 'NaN', 'NaN', NULL), (9, '-Infinity', '-Infinity', -9007199254740993), (10, 'Infinity', 9e999, 1), (11, ' -inf ', -9e999, 2), (12, 1e308, 3.4e38, 3), (13, -1e-300, 1e-30, 4), (14, 0.100000001490116119384765625, 0.100000001490116119384765625, 6), (15, 0.1 * 3, 0.3, 8);" 2>&1 && chmod 644 /tmp/minibar_migrate_tap/push_special.db && echo loaded`
CALL pg_temp.drop_leftovers('{tap_push}', '{tap_push_lite,tap_push_my}');
CREATE SCHEMA tap_push;
CREATE SERVER tap_push_lite FOREIGN DATA WRAPPER minibar_sqlite
  OPTIONS (database '/tmp/minibar_migrate_tap/push_special.db');
CALL pg_temp.mysql_server('tap_push_my', 'minibar_tap_push');
-- r4: a real over the same doubles (PostgreSQL rounds them to float); ri: a
-- double precision over INTEGER (a double rounds integers beyond 2^53); n: the
-- same integers as bigint.
CREATE FOREIGN TABLE tap_push.s (id int, r float8, r4 real, ri float8, n bigint OPTIONS (column_name 'ri'))
  SERVER tap_push_lite;
IMPORT FOREIGN SCHEMA minibar_tap_push LIMIT TO (m) FROM SERVER tap_push_my INTO tap_push;
CREATE TABLE tap_push.s_local AS SELECT * FROM tap_push.s;
CREATE TABLE tap_push.m_local AS SELECT * FROM tap_push.m;

-- The ids a WHERE clause selects ('none' for none).
CREATE FUNCTION pg_temp.ids(tbl text, cond text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE format('SELECT coalesce(string_agg(id::text, '','' ORDER BY id), ''none'') FROM %s WHERE %s',
                 tbl, cond) INTO r;
  RETURN r;
END $$;
-- One test: the foreign table and its local copy give the same ids. An error
-- is a failed test (with the error), not the end of the file.
CREATE FUNCTION pg_temp.same(tbl text, cond text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE have text; want text;
BEGIN
  want := pg_temp.ids(tbl || '_local', cond);
  have := pg_temp.ids(tbl, cond);
  RETURN is(have, want, format('%s WHERE %s: same rows as the local copy', tbl, cond));
EXCEPTION WHEN OTHERS THEN
  RETURN fail(format('%s WHERE %s: same rows as the local copy', tbl, cond)) || E'\n'
         || diag('    died: ' || SQLSTATE || ': ' || SQLERRM);
END $$;
-- The WHERE part of the remote query of SELECT id FROM tbl WHERE cond ('' when none).
CREATE FUNCTION pg_temp.remote_where(tbl text, cond text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE format('EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM %s WHERE %s', tbl, cond) LOOP
    IF line ~ '(SQLite|MySQL) query: ' THEN
      RETURN coalesce(substring(line FROM ' WHERE (.*)$'), '');
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
-- The plan lines EXPLAIN VERBOSE shows for a statement (Filter and remote query).
CREATE FUNCTION pg_temp.plan_lines(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; acc text := '';
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || stmt LOOP
    IF line ~ 'Filter|query: ' THEN acc := acc || trim(line) || E'\n'; END IF;
  END LOOP;
  RETURN acc;
END $$;
-- One prepared statement execution against its local twin (fq and lq take the same parameter).
CREATE FUNCTION pg_temp.same_prepared(fq text, lq text, arg text, descr text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE have text; want text;
BEGIN
  EXECUTE format('EXECUTE %s(%s)', lq, arg) INTO want;
  EXECUTE format('EXECUTE %s(%s)', fq, arg) INTO have;
  RETURN is(have, want, format('%s, parameter %s: same rows as the local copy', descr, arg));
EXCEPTION WHEN OTHERS THEN
  RETURN fail(format('%s, parameter %s', descr, arg)) || E'\n'
         || diag('    died: ' || SQLSTATE || ': ' || SQLERRM);
END $$;

-- Every comparison of a column with a NaN / Infinity / -Infinity constant of
-- each type: 6 operators x 3 values x 3 types per column.
CREATE TEMP TABLE special_conds AS
SELECT t.tbl, c.col, format('%s %s %L::%s', c.col, o.op, v.val, ty.typ) AS cond,
       row_number() OVER (ORDER BY t.tbl, c.n, o.n, v.n, ty.n) AS n
  FROM (VALUES ('tap_push.s'), ('tap_push.m')) t(tbl)
  JOIN (VALUES ('tap_push.s', 'r', 1), ('tap_push.s', 'r4', 2), ('tap_push.s', 'ri', 3),
               ('tap_push.m', 'amount', 1), ('tap_push.m', 'big', 2), ('tap_push.m', 'wide', 3))
       c(tbl, col, n) USING (tbl)
 CROSS JOIN (VALUES ('=', 1), ('<>', 2), ('<', 3), ('<=', 4), ('>', 5), ('>=', 6)) o(op, n)
 CROSS JOIN (VALUES ('NaN', 1), ('Infinity', 2), ('-Infinity', 3)) v(val, n)
 CROSS JOIN (VALUES ('float8', 1), ('float4', 2), ('numeric', 3)) ty(typ, n);

-- Other clauses over the same special values, and finite values whose meaning
-- could differ: -0.0, float4 against float8, text-stored floats, integers
-- beyond 2^53, decimals beyond MySQL's DECIMAL(65,30).
CREATE TEMP TABLE other_conds (n serial, tbl text, cond text);
INSERT INTO other_conds (tbl, cond) VALUES
  ('tap_push.s', 'r IN (1.5, ''NaN'')'),
  ('tap_push.s', 'r IN (1.5, ''Infinity'', 0)'),
  ('tap_push.s', 'r = ANY (ARRAY[''-Infinity'', 1e308]::float8[])'),
  ('tap_push.s', 'r IN (1.5, 0)'),
  ('tap_push.s', 'r NOT IN (1.5, ''NaN'')'),
  ('tap_push.s', 'r BETWEEN ''-Infinity'' AND 0'),
  ('tap_push.s', 'r BETWEEN 0 AND ''NaN'''),
  ('tap_push.s', 'r BETWEEN -1 AND 2'),
  ('tap_push.s', 'NOT (r > 0)'),
  ('tap_push.s', 'NOT (r < ''NaN'')'),
  ('tap_push.s', 'r < ''NaN'' OR id = 1'),
  ('tap_push.s', 'r < 0 OR id = 1'),
  ('tap_push.s', 'id < 10 AND r > ''-Infinity'''),
  ('tap_push.s', 'r = 0'),
  ('tap_push.s', 'r = ''-0''::float8'),
  ('tap_push.s', 'r < 0'),
  ('tap_push.s', 'r <= ''-0''::float8'),
  ('tap_push.s', 'r > ''-0''::float8'),
  ('tap_push.s', 'r >= 0'),
  ('tap_push.s', 'r > 0'),
  ('tap_push.s', 'r <> 1.5'),
  ('tap_push.s', 'r < 1e308'),
  ('tap_push.s', 'r >= 1e308'),
  ('tap_push.s', 'r <= -1e308'),
  ('tap_push.s', 'r = 0.1::float4'),
  ('tap_push.s', 'r > 0.1::float4'),
  ('tap_push.s', 'r = 0.3'),
  ('tap_push.s', 'r IS NULL'),
  ('tap_push.s', 'r IS NOT NULL'),
  ('tap_push.s', 'r4 = 0.1::float4'),
  ('tap_push.s', 'r4 = 0.1'),
  ('tap_push.s', 'r4 = 16777216'),
  ('tap_push.s', 'r4 > 16777216::float4'),
  ('tap_push.s', 'r4 < 0.3::float4'),
  ('tap_push.s', 'r4 < 0'),
  ('tap_push.s', 'ri = 9007199254740992::float8'),
  ('tap_push.s', 'ri > 9007199254740992::float8'),
  ('tap_push.s', 'ri < -9007199254740992::float8'),
  ('tap_push.s', 'n = 9007199254740993'),
  ('tap_push.s', 'n > 9007199254740992'),
  ('tap_push.m', 'amount IN (1.5, ''NaN'')'),
  ('tap_push.m', 'amount = ANY (ARRAY[1.5, ''Infinity'']::numeric[])'),
  ('tap_push.m', 'amount IN (1.5, -2)'),
  ('tap_push.m', 'amount BETWEEN ''-Infinity'' AND ''Infinity'''),
  ('tap_push.m', 'amount BETWEEN 0 AND ''NaN'''),
  ('tap_push.m', 'NOT (amount > ''NaN'')'),
  ('tap_push.m', 'amount > ''NaN'' OR id = 1'),
  ('tap_push.m', 'id < 5 AND amount < ''Infinity'''),
  ('tap_push.m', 'amount = 1.50'),
  ('tap_push.m', 'amount > 1.25'),
  ('tap_push.m', 'amount < 1.5' || repeat('0', 90) || '1'),
  ('tap_push.m', 'amount >= 1.5' || repeat('0', 90) || '1'),
  ('tap_push.m', 'amount > -1e85'),
  ('tap_push.m', 'amount < 1e100'),
  ('tap_push.m', 'big > -1e85'),
  ('tap_push.m', 'big = 9007199254740993'),
  ('tap_push.m', 'big >= 18446744073709551615'),
  ('tap_push.m', 'wide > -1e100'),
  ('tap_push.m', 'wide >= 1e-90'),
  ('tap_push.m', 'wide <= -1e-90'),
  ('tap_push.m', 'wide < -0.0000000000000000000000000000005'),
  ('tap_push.m', 'wide = 0.100000000000000000000000000001'),
  ('tap_push.m', 'wide > 0.100000000000000000000000000001'),
  ('tap_push.m', 'wide >= 99999999999999999999999999999999999.999999999999999999999999999999'),
  ('tap_push.m', 'wide < -99999999999999999999999999999999999.9999999999999999999999999999991'),
  ('tap_push.m', 'd > ''NaN'''),
  ('tap_push.m', 'd < ''Infinity'''),
  ('tap_push.m', 'd = ''-0''::float8'),
  ('tap_push.m', 'f = 0.1::float4'),
  ('tap_push.m', 'i < ''NaN''::numeric'),
  ('tap_push.m', 'i > ''-Infinity''::float8'),
  -- Parameters of an init plan: known only when the scan starts.
  ('tap_push.s', 'r = (SELECT ''NaN''::float8)'),
  ('tap_push.s', 'r < (SELECT ''NaN''::float8)'),
  ('tap_push.s', 'r > (SELECT ''-Infinity''::float8)'),
  ('tap_push.s', 'r <= (SELECT 0::float8)'),
  ('tap_push.m', 'amount < (SELECT ''NaN''::numeric)'),
  ('tap_push.m', 'amount > (SELECT ''-Infinity''::numeric)'),
  ('tap_push.m', 'amount <> (SELECT ''Infinity''::numeric)'),
  ('tap_push.m', 'wide > (SELECT -1e100)'),
  ('tap_push.m', 'amount >= (SELECT 1.25)');

SELECT plan(469);
SELECT is(:'my_load'::text, 'loaded', 'MariaDB fixture minibar_tap_push loaded');
SELECT is(:'lite_load'::text, 'loaded', 'SQLite fixture push_special.db loaded');

-- 1. Answers: 324 comparisons with special constants, then the other clauses.
SELECT pg_temp.same(tbl, cond) FROM special_conds ORDER BY n;
SELECT pg_temp.same(tbl, cond) FROM other_conds ORDER BY n;

-- 2. Plans: a NaN/±Infinity constant never reaches the remote query.
SELECT is((SELECT string_agg(cond, '; ' ORDER BY n) FROM special_conds
            WHERE tbl = 'tap_push.s' AND pg_temp.remote_where(tbl, cond) <> ''),
          NULL, 'SQLite: no comparison with a NaN/Infinity/-Infinity constant is in the remote query');
SELECT is((SELECT string_agg(cond, '; ' ORDER BY n) FROM special_conds
            WHERE tbl = 'tap_push.m' AND pg_temp.remote_where(tbl, cond) <> ''),
          NULL, 'MySQL: no comparison with a NaN/Infinity/-Infinity constant is in the remote query');
SELECT is(pg_temp.remote_where('tap_push.s', 'r IN (1.5, ''NaN'')'), '',
          'SQLite: an IN list holding NaN is not sent');
SELECT is(pg_temp.remote_where('tap_push.s', 'r BETWEEN 0 AND ''NaN'''), '("r" >= ?)',
          'SQLite: of BETWEEN 0 AND NaN only the finite bound is sent');
SELECT is(pg_temp.remote_where('tap_push.m', 'amount IN (1.5, ''NaN'')'), '',
          'MySQL: an IN list holding NaN is not sent');
SELECT is(pg_temp.remote_where('tap_push.m', 'amount BETWEEN 0 AND ''NaN'''), '(`amount` >= ?)',
          'MySQL: of BETWEEN 0 AND NaN only the finite bound is sent');
SELECT is(pg_temp.remote_where('tap_push.m', 'id < 5 AND amount < ''Infinity'''), '(`id` < ?)',
          'MySQL: id < 5 is sent, amount < Infinity is not');

-- 3. Plans: MySQL gets only decimals its DECIMAL(65,30) holds exactly.
SELECT is((SELECT string_agg(c, '; ') FROM unnest(ARRAY[
             'amount < 1.5' || repeat('0', 90) || '1', 'amount > -1e85', 'amount < 1e100', 'big > -1e85',
             'wide > -1e100', 'wide >= 1e-90', 'wide < -0.0000000000000000000000000000005',
             'wide < -99999999999999999999999999999999999.9999999999999999999999999999991']) c
            WHERE pg_temp.remote_where('tap_push.m', c) <> ''),
          NULL, 'MySQL: decimals with more than 65 digits or 30 decimal places are not sent');
SELECT is(pg_temp.plan_lines('SELECT id FROM tap_push.m WHERE amount > 1.25'),
          E'MySQL query: SELECT `id` FROM `minibar_tap_push`.`m` WHERE (`amount` > ?)\n',
          'MySQL: a plain decimal is still sent, and not rechecked');
SELECT is(pg_temp.remote_where('tap_push.m',
            'wide >= 99999999999999999999999999999999999.999999999999999999999999999999'),
          '(`wide` >= ?)', 'MySQL: a DECIMAL(65,30) extreme is still sent');

-- 4. Plans: SQLite float comparisons only on double precision over REAL, with
-- text-stored values passed through and the clause rechecked.
SELECT is(pg_temp.plan_lines('SELECT id FROM tap_push.s WHERE r < 0'),
          E'Filter: (s.r < ''0''::double precision)\n'
          'SQLite query: SELECT rowid, "id", "r" FROM "s" WHERE ("r" < ? OR typeof("r") = ''text'')' || E'\n',
          'SQLite: r < 0 is sent with text rows passed through, and rechecked');
SELECT is(pg_temp.plan_lines('SELECT id FROM tap_push.s WHERE r > 0'),
          E'Filter: (s.r > ''0''::double precision)\n'
          'SQLite query: SELECT rowid, "id", "r" FROM "s" WHERE ("r" > ?)' || E'\n',
          'SQLite: r > 0 is sent (text rows sort above numbers there) and rechecked');
SELECT is(pg_temp.remote_where('tap_push.s', 'r IN (1.5, 0)'), '("r" IN (?, ?) OR typeof("r") = ''text'')',
          'SQLite: a finite IN list is sent with text rows passed through');
SELECT is(pg_temp.remote_where('tap_push.s', 'r = 0.1::float4'), '("r" = ? OR typeof("r") = ''text'')',
          'SQLite: a float4 constant against a double precision column is sent (widening is exact)');
SELECT is(pg_temp.remote_where('tap_push.s', 'r4 = 0.1::float4'), '',
          'SQLite: a real column is not compared remotely (SQLite compares the unrounded double)');
SELECT is(pg_temp.remote_where('tap_push.s', 'ri = 9007199254740992::float8'), '',
          'SQLite: a double precision column over INTEGER affinity is not compared remotely');
SELECT is(pg_temp.plan_lines('SELECT id FROM tap_push.s WHERE n = 9007199254740993'),
          E'SQLite query: SELECT rowid, "id" FROM "s" WHERE ("ri" = ?)\n',
          'SQLite: integer comparisons are still sent exactly, without recheck');
SELECT is(pg_temp.remote_where('tap_push.s', 'NOT (r < ''NaN'')'), '',
          'SQLite: NOT over a NaN comparison is not sent');

-- 5. Parameters: prepared statements, run past the 5 custom plans so that the
-- generic plan is used; every execution equals the local copy.
PREPARE lite_lt(float8) AS
  SELECT coalesce(string_agg(id::text, ',' ORDER BY id), 'none') FROM tap_push.s WHERE r < $1;
PREPARE lite_lt_local(float8) AS
  SELECT coalesce(string_agg(id::text, ',' ORDER BY id), 'none') FROM tap_push.s_local WHERE r < $1;
SELECT pg_temp.same_prepared('lite_lt', 'lite_lt_local', a, 'SQLite r < $1 (float8)')
  FROM unnest(ARRAY['''NaN''', '''Infinity''', '''-Infinity''', '0', 'NULL', '1.5', '''NaN''',
                    '''Infinity''', '''-Infinity''', '''-0''']) WITH ORDINALITY u(a, k) ORDER BY k;
SELECT matches(pg_temp.plan_lines('EXECUTE lite_lt(''NaN'')'),
               '^Filter: \(s\.r < \$1\)\nSQLite query: .* WHERE \(\? OR "r" < \? OR typeof\("r"\) = ''text''\)\n$',
               'SQLite generic plan: r < $1 is sent behind a flag parameter and rechecked locally');
PREPARE lite_eq(float4) AS
  SELECT coalesce(string_agg(id::text, ',' ORDER BY id), 'none') FROM tap_push.s WHERE r = $1;
PREPARE lite_eq_local(float4) AS
  SELECT coalesce(string_agg(id::text, ',' ORDER BY id), 'none') FROM tap_push.s_local WHERE r = $1;
SELECT pg_temp.same_prepared('lite_eq', 'lite_eq_local', a, 'SQLite r = $1 (float4)')
  FROM unnest(ARRAY['''NaN''', '''Infinity''', '''-Infinity''', '0', 'NULL', '1.5', '''NaN''',
                    '''Infinity''', '''-Infinity''', '0.1']) WITH ORDINALITY u(a, k) ORDER BY k;
SELECT matches(pg_temp.plan_lines('EXECUTE lite_eq(''NaN'')'),
               '^Filter: \(s\.r = \$1\)\nSQLite query: .* WHERE \(\? OR "r" = \? OR typeof\("r"\) = ''text''\)\n$',
               'SQLite generic plan: r = $1 (float4) is sent behind a flag parameter and rechecked locally');
PREPARE my_ge(numeric) AS
  SELECT coalesce(string_agg(id::text, ',' ORDER BY id), 'none') FROM tap_push.m WHERE amount >= $1;
PREPARE my_ge_local(numeric) AS
  SELECT coalesce(string_agg(id::text, ',' ORDER BY id), 'none') FROM tap_push.m_local WHERE amount >= $1;
SELECT pg_temp.same_prepared('my_ge', 'my_ge_local', a, 'MySQL amount >= $1 (numeric)')
  FROM unnest(ARRAY['''NaN''', '''Infinity''', '''-Infinity''', '0', 'NULL', '-1e100', '''NaN''',
                    '''-Infinity''', '1.5' || repeat('0', 90) || '1', '1.5']) WITH ORDINALITY u(a, k) ORDER BY k;
SELECT matches(pg_temp.plan_lines('EXECUTE my_ge(''NaN'')'),
               '^Filter: \(m\.amount >= \$1\)\nMySQL query: .* WHERE \(\? OR `amount` >= \?\)\n$',
               'MySQL generic plan: amount >= $1 is sent behind a flag parameter and rechecked locally');
PREPARE my_ne(numeric) AS
  SELECT coalesce(string_agg(id::text, ',' ORDER BY id), 'none') FROM tap_push.m WHERE wide <> $1 OR id = 3;
PREPARE my_ne_local(numeric) AS
  SELECT coalesce(string_agg(id::text, ',' ORDER BY id), 'none') FROM tap_push.m_local WHERE wide <> $1 OR id = 3;
SELECT pg_temp.same_prepared('my_ne', 'my_ne_local', a, 'MySQL wide <> $1 OR id = 3 (numeric)')
  FROM unnest(ARRAY['''NaN''', '''Infinity''', '''-Infinity''', '0', 'NULL', '-1e100', '''NaN''',
                    '0.100000000000000000000000000001', '1e-90', '0']) WITH ORDINALITY u(a, k) ORDER BY k;
SELECT matches(pg_temp.plan_lines('EXECUTE my_ne(''NaN'')'),
               '^Filter: \(\(m\.wide <> \$1\) OR \(m\.id = 3\)\)\nMySQL query: .* WHERE \(\(\? OR `wide` <> \?\) OR \(`id` = \?\)\)\n$',
               'MySQL generic plan: wide <> $1 OR id = 3 is sent with a flag parameter and rechecked locally');
SELECT matches(pg_temp.plan_lines('SELECT id FROM tap_push.m WHERE amount < (SELECT ''NaN''::numeric)'),
               'Filter: \(m\.amount < \$0\)\nMySQL query: .* WHERE \(\? OR `amount` < \?\)\n$',
               'MySQL: an init plan parameter is sent behind a flag parameter and rechecked locally');

SELECT * FROM finish();

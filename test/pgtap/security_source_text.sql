-- Source text is untrusted: whoever can CREATE TABLE in MariaDB, or hands over
-- the SQLite file, writes the table and column names, CHECK expressions, ENUM
-- labels, defaults and comments the migration reads. Fixtures:
-- test/fixtures/security_source_text_{mysql,sqlite}.sql (hostile tables whose
-- rows satisfy every source CHECK) and ..._violations.sql (rows the source
-- refuses, one per translated CHECK; the counts of refusals are read from the
-- mariadb / sqlite3 clients below, never from the extension).
--
-- Asserted: migrate_database runs the payloads as data only (no role is
-- created), the tables, names and rows arrive exactly, translated CHECKs
-- refuse the same rows as the source (23514), CHECKs the translator refuses
-- are absent and are 'check' notes in minibar_migrate.run_notes.
\ir include/helpers.sql
\set my_load `mariadb -uroot < test/fixtures/security_source_text_mysql.sql 2>&1 && echo loaded`
\set my_refused `mariadb -uroot -f < test/fixtures/security_source_text_mysql_violations.sql 2>&1 | grep -c '^ERROR 4025'`
\set lite_load `install -d -m 755 /tmp/minibar_tap_expr && rm -f /tmp/minibar_tap_expr/hostile.sqlite && sqlite3 /tmp/minibar_tap_expr/hostile.sqlite < test/fixtures/security_source_text_sqlite.sql 2>&1 && chmod 644 /tmp/minibar_tap_expr/hostile.sqlite && echo loaded`
\set lite_refused `sqlite3 /tmp/minibar_tap_expr/hostile.sqlite < test/fixtures/security_source_text_sqlite_violations.sql 2>&1 | grep -c 'CHECK constraint failed'`

SET client_min_messages = warning;
DROP ROLE IF EXISTS minibar_tap_expr_pwned;
CALL pg_temp.drop_leftovers('{tap_expr_my,tap_expr_lite}', '{tap_expr_my,tap_expr_lite}');
CALL pg_temp.mysql_server('tap_expr_my', 'minibar_tap_expr');
CREATE SERVER tap_expr_lite FOREIGN DATA WRAPPER minibar_sqlite
  OPTIONS (database '/tmp/minibar_tap_expr/hostile.sqlite');

-- ------------------------------------------------------------------ helpers
-- A table of the schema by its exact name (NULL when there is none).
CREATE FUNCTION pg_temp.rel(sch text, tbl text) RETURNS regclass LANGUAGE sql AS $f$
  SELECT to_regclass(format('%I.%I', sch, tbl))
$f$;
-- Inserts one row (columns by name from a JSON object, the rest NULL) and
-- undoes it: 'ok', or the SQLSTATE the insert failed with.
CREATE FUNCTION pg_temp.insert_state(rel regclass, r jsonb) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
  IF rel IS NULL THEN RETURN 'no table'; END IF;
  BEGIN
    EXECUTE format('INSERT INTO %s SELECT * FROM jsonb_populate_record(NULL::%s, $1)', rel, rel) USING r;
    RAISE EXCEPTION USING ERRCODE = 'P0099';
  EXCEPTION WHEN OTHERS THEN
    RETURN CASE WHEN SQLSTATE = 'P0099' THEN 'ok' ELSE SQLSTATE END;
  END;
END $f$;
-- A column's default, evaluated (NULL when there is none).
CREATE FUNCTION pg_temp.default_of(rel regclass, col text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE expr text; v text;
BEGIN
  SELECT pg_get_expr(d.adbin, d.adrelid) INTO expr
    FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
   WHERE d.adrelid = rel AND a.attname = col;
  IF expr IS NULL THEN RETURN NULL; END IF;
  EXECUTE 'SELECT (' || expr || ')::text' INTO v;
  RETURN v;
END $f$;
CREATE FUNCTION pg_temp.columns_of(rel regclass) RETURNS text[] LANGUAGE sql AS $f$
  SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
   WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped
$f$;
CREATE FUNCTION pg_temp.checks_of(rel regclass) RETURNS bigint LANGUAGE sql AS $f$
  SELECT count(*) FROM pg_constraint WHERE conrelid = rel AND contype = 'c'
$f$;

CREATE TEMP TABLE runs (dialect text, run_id bigint, kind text, source_name text, target regclass,
  rows_source bigint, rows_copied bigint, rows_rejected bigint);
CREATE TEMP VIEW notes AS
  SELECT r.dialect, n.* FROM minibar_migrate.run_notes n
    JOIN (SELECT DISTINCT dialect, run_id FROM runs) r USING (run_id);

-- The payloads, as the source holds them.
CREATE TEMP TABLE payload AS SELECT
  $p$'); CREATE ROLE minibar_tap_expr_pwned SUPERUSER LOGIN PASSWORD $$x$$; --$p$::text AS my_check,
  $p$x'); CREATE ROLE minibar_tap_expr_pwned SUPERUSER; --$p$::text AS my_label,
  $p$orders'); create role minibar_tap_expr_pwned superuser; --$p$::text AS my_table,
  $p$evil "t"; --$p$::text AS lite_table,
  -- a row every translated CHECK accepts; each test changes one column
  '{"id": 99, "note": "ok", "price": 0, "status": "new", "kind": "plain"}'::jsonb AS my_base;

SELECT plan(58);

-- ================================================================ sources
SELECT is(:'my_load'::text, 'loaded', 'the hostile MariaDB fixture loads');
SELECT is(:'my_refused'::text, '9', 'MariaDB refuses each of the 9 rows of the violations file');
SELECT is(:'lite_load'::text, 'loaded', 'the hostile SQLite fixture loads');
SELECT is(:'lite_refused'::text, '7', 'SQLite refuses each of the 7 rows of the violations file');

-- ================================================================ migrate
SELECT lives_ok($$INSERT INTO runs SELECT 'mysql', run_id, kind, source_name, target, rows_source, rows_copied,
                      rows_rejected FROM minibar_migrate.migrate_database('tap_expr_my', 'tap_expr_my')$$,
                'migrate_database from the hostile MariaDB database runs');
SELECT lives_ok($$INSERT INTO runs SELECT 'sqlite', run_id, kind, source_name, target, rows_source, rows_copied,
                      rows_rejected FROM minibar_migrate.migrate_database('tap_expr_lite', 'tap_expr_lite')$$,
                'migrate_database from the hostile SQLite file runs');
SELECT is((SELECT count(*) FROM pg_roles WHERE rolname = 'minibar_tap_expr_pwned'), 0::bigint,
          'no payload ran: role minibar_tap_expr_pwned does not exist');
SELECT pg_temp.rows_eq(
  $$SELECT dialect, source_name, rows_source, rows_copied, rows_rejected FROM runs WHERE kind = 'table'
     ORDER BY dialect, source_name COLLATE "C"$$,
  $$VALUES ('mysql', 'child "t"', 2::bigint, 2::bigint, 0::bigint),
           ('mysql', 'orders''); CREATE ROLE minibar_tap_expr_pwned SUPERUSER; --', 3, 3, 0),
           ('sqlite', 'evil "t"; --', 3, 3, 0)$$,
  'every table and every row arrived, none rejected');

-- ================================================================ MariaDB
SELECT pg_temp.rows_eq(
  $$SELECT relname::text COLLATE "default" FROM pg_class
     WHERE relnamespace = 'tap_expr_my'::regnamespace AND relkind = 'r' ORDER BY relname COLLATE "C"$$,
  $$SELECT 'child "t"' UNION ALL SELECT my_table FROM payload$$,
  'MariaDB: the hostile table names arrived as names (folded to lower case)');
SELECT is(pg_temp.columns_of(pg_temp.rel('tap_expr_my', (SELECT my_table FROM payload))),
          ARRAY['id', 'note', 'price', 'qty', 'status', 'grade', 'code', 'we`ird "col"; --',
                'a''); drop table x; --', 'kind', 'label'],
          'MariaDB: the hostile column names arrived as names');
SELECT pg_temp.bag(
  format($$SELECT id, note, price, qty, status, grade, code, "we`ird ""col""; --", "a'); drop table x; --",
                  kind::text, label FROM %s$$, pg_temp.rel('tap_expr_my', (SELECT my_table FROM payload))),
  $$VALUES (1, 'hello', 9.50, 5, 'new', 'a', 'abc', 1, NULL::int, 'plain',
            'x''); CREATE ROLE minibar_tap_expr_pwned SUPERUSER; --'),
           (2, 'world', 0.00, 10, 'it''s', 'b', 'éa', 2, 3, 'x''); CREATE ROLE minibar_tap_expr_pwned SUPERUSER; --',
            'explicit'),
           (3, 'foo', 1.25, 1, 'done', NULL, NULL, NULL, 8, 'back\slash', NULL)$$,
  'MariaDB: the rows arrived with their values');
SELECT is((SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e
            WHERE e.enumtypid = (SELECT atttypid FROM pg_attribute
                                  WHERE attrelid = pg_temp.rel('tap_expr_my', (SELECT my_table FROM payload))
                                    AND attname = 'kind')),
          ARRAY['plain', 'it''s', (SELECT my_label FROM payload), 'back\slash', 'dq"'],
          'MariaDB: the hostile ENUM labels are the enum''s labels, exactly');
SELECT is(pg_temp.default_of(pg_temp.rel('tap_expr_my', (SELECT my_table FROM payload)), 'label'),
          (SELECT my_label FROM payload), 'MariaDB: the hostile DEFAULT is the column''s default value, exactly');
SELECT is(pg_temp.default_of(pg_temp.rel('tap_expr_my', (SELECT my_table FROM payload)), 'kind'),
          'plain', 'MariaDB: the ENUM default');
SELECT is(col_description(pg_temp.rel('tap_expr_my', (SELECT my_table FROM payload)), 11),
          'y''); CREATE ROLE minibar_tap_expr_pwned SUPERUSER; --', 'MariaDB: the hostile column comment, exactly');
SELECT is(obj_description(pg_temp.rel('tap_expr_my', (SELECT my_table FROM payload)), 'pg_class'),
          'z''); CREATE ROLE minibar_tap_expr_pwned SUPERUSER; --', 'MariaDB: the hostile table comment, exactly');

-- CHECKs: 9 translated, 3 refused.
SELECT is(pg_temp.checks_of(pg_temp.rel('tap_expr_my', (SELECT my_table FROM payload))), 9::bigint,
          'MariaDB: the 9 translatable CHECKs are constraints');
SELECT ok(EXISTS (SELECT FROM pg_constraint c, payload p
                   WHERE c.conrelid = pg_temp.rel('tap_expr_my', p.my_table) AND c.contype = 'c'
                     AND position(replace(p.my_check, '''', '''''') IN pg_get_constraintdef(c.oid)) > 0),
          'MariaDB: the \'' payload is one string literal inside its CHECK');
SELECT ok(EXISTS (SELECT FROM pg_constraint WHERE conrelid = pg_temp.rel('tap_expr_my', (SELECT my_table FROM payload))
                     AND contype = 'c' AND conname = 'chk''; --'),
          'MariaDB: the CHECK named chk''; -- keeps its name');
SELECT is(pg_temp.insert_state(pg_temp.rel('tap_expr_my', (SELECT my_table FROM payload)), (SELECT my_base FROM payload)),
          'ok', 'MariaDB: a row every CHECK accepts inserts');
SELECT is(pg_temp.insert_state(pg_temp.rel('tap_expr_my', (SELECT my_table FROM payload)),
                               (SELECT my_base FROM payload) || v),
          '23514', 'MariaDB: like the source, CHECK refuses ' || descr)
  FROM (VALUES (jsonb_build_object('note', (SELECT my_check FROM payload)), 'the payload text as note'),
               ('{"price": -1}', 'price -1'),
               ('{"qty": 11}', 'qty 11 (BETWEEN 1 AND 10)'),
               ('{"status": "NEW"}', 'status NEW (IN, utf8mb4_bin)'),
               ('{"code": "ab"}', 'code ab (octet_length = 3)'),
               ('{"we`ird \"col\"; --": 0}', 'the oddly named column 0'),
               ('{"a''); drop table x; --": 7}', 'the other oddly named column 7 (chk''; --)'),
               ('{"note": "x\\y"}', 'note x\y (a backslash in the literal)'),
               ('{"grade": "c"}', 'grade c')) AS t(v, descr);
SELECT pg_temp.rows_eq(
  $$SELECT object, left(detail, 22) FROM notes WHERE dialect = 'mysql' AND kind = 'check' ORDER BY 1$$,
  $$VALUES ('hostile_concat', 'check not translated: '), ('hostile_like', 'check not translated: '),
           ('hostile_regexp', 'check not translated: ')$$,
  'MariaDB: the REGEXP, concat() and case-insensitive LIKE CHECKs are ''check'' notes, and only those');
SELECT is((SELECT count(*) FROM pg_constraint WHERE connamespace = 'tap_expr_my'::regnamespace AND contype = 'c'
             AND pg_get_constraintdef(oid) ~* 'concat|~~|regexp'), 0::bigint,
          'MariaDB: none of them became a constraint');
SELECT ok(EXISTS (SELECT FROM notes WHERE dialect = 'mysql' AND kind = 'check_collation' AND detail LIKE '%"grade"%utf8mb4_general_ci%'),
          'MariaDB: grade IN (...) under utf8mb4_general_ci is translated with a ''check_collation'' note');
SELECT pg_temp.rows_eq(
  $$SELECT conname::text COLLATE "default", confdeltype::text FROM pg_constraint WHERE contype = 'f' AND conrelid = pg_temp.rel('tap_expr_my', 'child "t"')$$,
  $$VALUES ('fk''); drop table x; --', 'c')$$,
  'MariaDB: the foreign key keeps its hostile name and ON DELETE CASCADE');
SELECT pg_temp.bag($$SELECT id, order_id FROM tap_expr_my."child ""t"""$$, $$VALUES (1, 1), (2, 3)$$,
                   'MariaDB: the child rows arrived');

-- ================================================================ SQLite
SELECT pg_temp.rows_eq(
  $$SELECT relname::text COLLATE "default" FROM pg_class
     WHERE relnamespace = 'tap_expr_lite'::regnamespace AND relkind = 'r'$$,
  $$SELECT lite_table FROM payload$$, 'SQLite: the hostile table name arrived as a name');
SELECT is(pg_temp.columns_of(pg_temp.rel('tap_expr_lite', (SELECT lite_table FROM payload))),
          ARRAY['id', 'name', 'qty', 'a"b; --', 'c`d', 'e f', 'note', 'bs', 'doc', 'flag', 'odd'],
          'SQLite: the hostile column names arrived as names');
SELECT pg_temp.bag(
  format($$SELECT id, name, qty, "a""b; --", "c`d", "e f", note, bs, doc, flag, odd FROM %s$$,
         pg_temp.rel('tap_expr_lite', (SELECT lite_table FROM payload))),
  $$VALUES (1::bigint, 'alice', 3::bigint, 'x', 1::bigint, 0.75::float8, 'n1', 'a', '{"k": 1}'::jsonb, true, 'o1'),
           (2, 'bob''s', 0, 'it''s', 5, 2.5, 'd''); CREATE ROLE minibar_tap_expr_pwned SUPERUSER; --', 'b\',
            '"s"', false, '1;'),
           (3, 'c', NULL, NULL, NULL, NULL, NULL, NULL, '[]', NULL, NULL)$$,
  'SQLite: the rows arrived with their values');
SELECT is(pg_temp.default_of(pg_temp.rel('tap_expr_lite', (SELECT lite_table FROM payload)), 'note'),
          'd''); CREATE ROLE minibar_tap_expr_pwned SUPERUSER; --',
          'SQLite: the hostile DEFAULT is the column''s default value, exactly');
SELECT ok(EXISTS (SELECT FROM notes WHERE dialect = 'sqlite' AND kind = 'default' AND object = 'odd'),
          'SQLite: the DEFAULT (abs(-1) || '';'') is a ''default'' note');
SELECT is(pg_temp.default_of(pg_temp.rel('tap_expr_lite', (SELECT lite_table FROM payload)), 'odd'), NULL::text,
          'SQLite: and no default');

-- CHECKs: 7 translated, 2 dropped as guaranteed by the type, 3 refused.
SELECT is(pg_temp.checks_of(pg_temp.rel('tap_expr_lite', (SELECT lite_table FROM payload))), 7::bigint,
          'SQLite: the 7 translatable CHECKs are constraints');
SELECT ok(EXISTS (SELECT FROM pg_constraint WHERE conrelid = pg_temp.rel('tap_expr_lite', (SELECT lite_table FROM payload))
                     AND contype = 'c' AND conname = 'ck "q"; --'),
          'SQLite: the CHECK named ck "q"; -- keeps its name');
SELECT is((SELECT count(*) FROM pg_constraint WHERE connamespace = 'tap_expr_lite'::regnamespace AND contype = 'c'
             AND pg_get_constraintdef(oid) ~* 'role|typeof|json|1000'), 0::bigint,
          'SQLite: no constraint from the nested-comment, typeof(), json_valid() or commented CHECK');
SELECT is(pg_temp.insert_state(pg_temp.rel('tap_expr_lite', (SELECT lite_table FROM payload)), '{"id": 99, "name": "ok"}'),
          'ok', 'SQLite: a row every CHECK accepts inserts');
SELECT is(pg_temp.insert_state(pg_temp.rel('tap_expr_lite', (SELECT lite_table FROM payload)),
                               jsonb_build_object('id', 99, 'name', 'ok') || v::jsonb),
          '23514', 'SQLite: like the source, CHECK refuses ' || descr)
  FROM (VALUES ('{"qty": -1}', 'qty -1'),
               ('{"a\"b; --": "y"}', 'the oddly named text column y (IN)'),
               ('{"c`d": 6}', 'c`d 6 (BETWEEN 1 AND 5)'),
               ('{"e f": 0.25}', 'e f 0.25 (> 0.5)'),
               ('{"note": "' || repeat('x', 70) || '"}', 'a 70-character note (length < 60)'),
               ('{"bs": "\\"}', 'bs \ (a backslash literal)'),
               ('{"qty": 13}', 'qty 13 (ck "q"; --)')) AS t(v, descr);
SELECT ok(EXISTS (SELECT FROM notes WHERE dialect = 'sqlite' AND kind = 'check'
                     AND detail LIKE 'check not translated: a comment (''/*'')%CREATE ROLE%'),
          'SQLite: the nested-comment CHECK is a ''check'' note with its reason and source text');
SELECT ok(EXISTS (SELECT FROM notes WHERE dialect = 'sqlite' AND kind = 'check' AND object = 'hostile_typeof'
                     AND detail LIKE 'check not translated: the function typeof() is not translated%'),
          'SQLite: the typeof() CHECK is a ''check'' note');
SELECT ok(EXISTS (SELECT FROM notes WHERE dialect = 'sqlite' AND kind = 'check' AND object = 'hostile_comment'
                     AND detail LIKE 'check not translated: ''--''%'),
          'SQLite: the CHECK with a -- comment is a ''check'' note');
SELECT ok(EXISTS (SELECT FROM notes WHERE dialect = 'sqlite' AND kind = 'check'
                     AND detail LIKE 'CHECK (json_valid(doc)) dropped: the column is jsonb%'),
          'SQLite: json_valid(doc) on the jsonb column is dropped with a note');
SELECT ok(EXISTS (SELECT FROM notes WHERE dialect = 'sqlite' AND kind = 'check'
                     AND detail LIKE 'CHECK (flag IN (0, 1)) dropped: the column is boolean%'),
          'SQLite: flag IN (0, 1) on the boolean column is dropped with a note');
SELECT is((SELECT count(*) FROM notes WHERE dialect = 'sqlite' AND kind = 'check'), 5::bigint,
          'SQLite: 5 ''check'' notes in all (3 refused, 2 dropped)');
SELECT is((SELECT max(length(detail)) < 400 AND max(length(object)) <= 66 FROM notes), true,
          'notes stay short: details under 400 characters, objects at most 63 (+...)');

SELECT * FROM finish();
CALL pg_temp.drop_leftovers('{tap_expr_my,tap_expr_lite}', '{tap_expr_my,tap_expr_lite}');
\set my_drop `mariadb -uroot -e "DROP DATABASE IF EXISTS minibar_tap_expr" 2>&1`
\set lite_drop `rm -rf /tmp/minibar_tap_expr`

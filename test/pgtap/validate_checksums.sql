-- validate_checksums: equal data gives equal checksums across engines (every
-- type family of the MariaDB type fixture, and a SQLite file), and each kind
-- of planted difference is found in its chunk and named by its key: a
-- changed value, a missing row, an extra row, NULL that became '', a double
-- changed by one unit in the last place, a timestamp moved by 1 µs. JSON with
-- its keys in another order is not a difference. A table without an integer
-- key is compared as one chunk.
\ir include/helpers.sql
\set types_load `mariadb < test/fixtures/mysql_types.sql 2>&1 && echo ok`
\set my_load `mariadb -e "DROP DATABASE IF EXISTS minibar_tap_validate; CREATE DATABASE minibar_tap_validate CHARACTER SET utf8mb4; USE minibar_tap_validate; CREATE TABLE moves (id INT PRIMARY KEY, qty INT NOT NULL, price DECIMAL(10,2), ratio DOUBLE, note VARCHAR(40) NULL, happened DATETIME(6), doc JSON, flag TINYINT(1), payload BLOB); INSERT INTO moves SELECT seq, seq % 97, seq * 1.25, seq / 7e0, IF(seq % 7 = 0, NULL, CONCAT('note ü ', seq)), TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq * 61 SECOND + INTERVAL seq MICROSECOND, IF(seq % 5 = 0, '{\"b\": 1, \"a\": [1, 2.50, \"x\"]}', NULL), seq % 2, UNHEX(MD5(seq)) FROM seq_1_to_20000; CREATE TABLE nokey (a INT, b VARCHAR(10)); INSERT INTO nokey SELECT seq % 50, CONCAT('b', seq) FROM seq_1_to_500; CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(100) NOT NULL, n DOUBLE); INSERT INTO big SELECT seq, REPEAT(CHAR(65 + seq % 26), 80), seq / 3e0 FROM seq_1_to_600000; SET SESSION sql_mode = ''; CREATE TABLE plain (id INT PRIMARY KEY, qty INT, price DECIMAL(10,2), name VARCHAR(40), born DATE, at DATETIME(6), flag TINYINT(1), raw VARBINARY(16), mood ENUM('a', 'b'), big BIGINT UNSIGNED); INSERT INTO plain SELECT seq, seq % 97, seq * 1.5, IF(seq % 9 = 0, NULL, CONCAT('namé ', seq)), IF(seq = 77, '0000-00-00', DATE '2020-01-01' + INTERVAL seq DAY), TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND + INTERVAL seq MICROSECOND, seq % 2, UNHEX(LEFT(MD5(seq), 16)), IF(seq % 3 = 0, 'b', 'a'), IF(seq = 5, 18446744073709551615, seq) FROM seq_1_to_30000;" 2>&1 && echo ok`
\set lite_db /var/lib/minibar_migrate/tap/validate.sqlite
\set lite_load `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/validate.sqlite "CREATE TABLE readings (id INTEGER PRIMARY KEY, sensor TEXT NOT NULL, value REAL, raw BLOB, taken DATETIME, meta JSON); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO readings SELECT i, 'sensor-' || (i % 13), CASE WHEN i % 11 = 0 THEN NULL ELSE i / 3.0 END, randomblob(8), datetime(1700000000 + i * 3600, 'unixepoch'), CASE WHEN i % 4 = 0 THEN json_object('z', i, 'a', 'ü') END FROM n;"`
SET client_min_messages = error;
DROP TABLE IF EXISTS public.tap_val_readings;
CALL pg_temp.drop_leftovers('{tap_val_types,tap_val_my,tap_val_lite}', '{tap_val_types,tap_val_my,tap_val_lite}');
CALL pg_temp.mysql_server('tap_val_types', 'minibar_fdwtest');
CALL pg_temp.mysql_server('tap_val_my', 'minibar_tap_validate');
CREATE SERVER tap_val_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'lite_db');

-- What each validate_checksums call returned, by label.
CREATE TEMP TABLE res (kind text, chunk integer, key_column text, key_lo bigint, key_hi bigint,
  source_rows bigint, target_rows bigint, source_hash text, target_hash text, ok boolean,
  row_key text, detail text, method text, label text);
CREATE FUNCTION pg_temp.check(label text, srv name, remote text, target text, opts jsonb DEFAULT '{"chunk_size": 5000}')
RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO res SELECT v.*, label FROM minibar_migrate.validate_checksums(srv, remote, target::regclass, opts) v;
  RETURN 'ok';
EXCEPTION
  WHEN query_canceled THEN RETURN SQLSTATE || ' ' || SQLERRM;
  WHEN OTHERS THEN RETURN SQLSTATE || ' ' || SQLERRM;
END $$;

SELECT plan(50);
SELECT is(:'types_load'::text, 'ok', 'MariaDB type fixture loaded');
SELECT is(:'my_load'::text, 'ok', 'MariaDB validate fixture loaded');
SELECT is(:'lite_load'::text, 'ok', 'SQLite validate fixture written');

-- ============================================ 1. every type family, equal
SELECT is((SELECT count(*) FROM minibar_migrate.migrate_database('tap_val_types', 'tap_val_types', '{"workers": 0}') WHERE kind = 'table'),
          16::bigint, 'the MariaDB type fixture migrates: 16 tables');
SELECT is((SELECT string_agg(DISTINCT pg_temp.check('types:' || t.source_table, 'tap_val_types', t.source_table, t.target_table, '{}'), ',')
             FROM minibar_migrate.run_tables t WHERE t.run_id = (SELECT max(run_id) FROM minibar_migrate.runs)),
          'ok', 'validate_checksums runs on every table of it');
SELECT is((SELECT string_agg(label, ', ' ORDER BY label) FROM res WHERE label LIKE 'types:%' AND kind = 'chunk' AND NOT ok),
          'types:enums_sets',
          'every table but enums_sets checks equal (integers, decimals, floats, bits, strings, binaries, dates, times, JSON, geometry...)');
SELECT is((SELECT row_key || ' ' || detail FROM res WHERE label = 'types:enums_sets' AND kind = 'row'),
          '6 missing in target', 'enums_sets: the row the migration rejected (MySQL''s '''' enum error value) is named');
SELECT matches((SELECT detail FROM res WHERE label = 'types:enums_sets' AND kind = 'chunk'),
               'cannot be converted to the target''s types; first: row \{"id": 6, "e": "".*22P02',
               'and the chunk says why the source row has no counterpart');

-- ============================================ 2. MariaDB, planted differences
SELECT is((SELECT string_agg(source_name || ':' || rows_copied, ',' ORDER BY source_name)
             FROM minibar_migrate.migrate_database('tap_val_my', 'tap_val_my', '{"workers": 0}') WHERE kind = 'table'),
          'big:600000,moves:20000,nokey:500,plain:30000', 'the MariaDB fixture migrates');
SELECT is(pg_temp.check('my equal', 'tap_val_my', 'moves', 'tap_val_my.moves'), 'ok', 'validate moves');
SELECT results_eq($$SELECT chunk, key_column, key_lo, key_hi, source_rows, target_rows, ok FROM res WHERE label = 'my equal' ORDER BY chunk$$,
                  $$VALUES (1, 'id', NULL::bigint, 5001::bigint, 5000::bigint, 5000::bigint, true),
                           (2, 'id', 5001, 10001, 5000, 5000, true), (3, 'id', 10001, 15001, 5000, 5000, true),
                           (4, 'id', 15001, NULL, 5000, 5000, true)$$,
                  'equal data: 4 chunks of 5,000 rows by id, open at both ends, all equal');
SELECT ok((SELECT bool_and(source_hash = target_hash AND source_hash ~ '^[0-9a-f]{16}$') FROM res WHERE label = 'my equal'),
          'each chunk shows the same 16-hex-digit checksum on both sides');

UPDATE tap_val_my.moves SET price = price + 0.01 WHERE id = 1234;
DELETE FROM tap_val_my.moves WHERE id = 6000;
UPDATE tap_val_my.moves SET note = '' WHERE id = 7007;                       -- NULL -> ''
UPDATE tap_val_my.moves SET ratio = ratio * (1 + 2.3e-16) WHERE id = 12001;  -- the next double up
UPDATE tap_val_my.moves SET happened = happened + interval '1 microsecond' WHERE id = 14000;
UPDATE tap_val_my.moves SET doc = doc::text::jsonb WHERE id % 5 = 0;         -- rewritten, same JSON
INSERT INTO tap_val_my.moves (id, qty) VALUES (19999999, 1);
SELECT is((SELECT ratio <> (12001 / 7e0) FROM tap_val_my.moves WHERE id = 12001), true,
          'planted: the double at 12001 really is a different value');
SELECT is(pg_temp.check('my planted', 'tap_val_my', 'moves', 'tap_val_my.moves', '{"chunk_size": 5000}'), 'ok', 'validate again');
SELECT results_eq($$SELECT row_key::bigint, detail FROM res WHERE label = 'my planted' AND kind = 'row' ORDER BY 1$$,
                  $$VALUES (1234::bigint, 'different values'), (6000, 'missing in target'), (7007, 'different values'),
                           (12001, 'different values'), (14000, 'different values'), (19999999, 'extra in target')$$,
                  'each planted difference is named by its key: changed decimal, missing row, NULL -> '''', one ulp, 1 µs, extra row');
SELECT is((SELECT count(*) FROM res r WHERE label = 'my planted' AND kind = 'chunk' AND NOT ok
             AND NOT EXISTS (SELECT 1 FROM res x WHERE x.label = 'my planted' AND x.kind = 'row' AND x.chunk = r.chunk)),
          0::bigint, 'every chunk that differs has its rows named');
SELECT is((SELECT count(*) FROM res r WHERE label = 'my planted' AND kind = 'chunk' AND ok
             AND EXISTS (SELECT 1 FROM res x WHERE x.label = 'my planted' AND x.kind = 'row' AND x.chunk = r.chunk)),
          0::bigint, 'no row is named in a chunk that checks equal');
SELECT ok((SELECT bool_and((c.key_lo IS NULL OR x.row_key::bigint >= c.key_lo) AND (c.key_hi IS NULL OR x.row_key::bigint < c.key_hi))
             FROM res x JOIN res c ON c.label = x.label AND c.kind = 'chunk' AND c.chunk = x.chunk
            WHERE x.label = 'my planted' AND x.kind = 'row'),
          'each named key lies in its chunk''s range');
SELECT is((SELECT sum(source_rows) || '/' || sum(target_rows) FROM res WHERE label = 'my planted' AND kind = 'chunk'),
          '20000/20000', 'row counts: 20,000 on each side (one missing, one extra)');
SELECT is(pg_temp.check('my diff0', 'tap_val_my', 'moves', 'tap_val_my.moves', '{"chunk_size": 5000, "diff_rows": 0}'), 'ok',
          'validate with diff_rows 0');
SELECT is((SELECT count(*) FILTER (WHERE kind = 'row') || '/' || count(*) FILTER (WHERE NOT ok) FROM res WHERE label = 'my diff0'),
          '0/' || (SELECT count(*) FILTER (WHERE NOT ok) FROM res WHERE label = 'my planted'),
          'diff_rows 0: the same chunks differ, no row is named');
SELECT is(pg_temp.check('my diff2', 'tap_val_my', 'moves', 'tap_val_my.moves', '{"chunk_size": 5000, "diff_rows": 2}'), 'ok',
          'validate with diff_rows 2');
SELECT is((SELECT count(*) FROM res WHERE label = 'my diff2' AND kind = 'row'), 2::bigint, 'diff_rows 2: two rows named');

-- Computed on both servers (pushdown): a table of integer, decimal, text, date,
-- datetime, boolean, binary, enum and unsigned columns (a zero date too).
SELECT is(pg_temp.check('plain', 'tap_val_my', 'plain', 'tap_val_my.plain', '{"chunk_size": 10000}'), 'ok', 'validate plain');
SELECT is((SELECT string_agg(DISTINCT method, ',') || ' ' || count(*) || ' ' || bool_and(ok) FROM res WHERE label = 'plain'),
          'pushdown 3 true', 'plain: computed on both servers, 3 chunks, all equal');
SELECT is(pg_temp.check('plain streamed', 'tap_val_my', 'plain', 'tap_val_my.plain', '{"chunk_size": 10000, "pushdown": false}'), 'ok',
          'validate plain with "pushdown": false');
SELECT is((SELECT string_agg(DISTINCT method, ',') || ' ' || count(*) || ' ' || bool_and(ok) FROM res WHERE label = 'plain streamed'),
          'streamed 3 true', 'streamed: the same verdict');
UPDATE tap_val_my.plain SET price = price + 0.01 WHERE id = 100;
UPDATE tap_val_my.plain SET name = 'name 2000' WHERE id = 2000;             -- é -> e
UPDATE tap_val_my.plain SET at = at + interval '1 microsecond' WHERE id = 15000;
UPDATE tap_val_my.plain SET flag = NOT flag WHERE id = 21000;
UPDATE tap_val_my.plain SET raw = raw || '\x00'::bytea WHERE id = 22000;
UPDATE tap_val_my.plain SET mood = 'b' WHERE id = 23000;
UPDATE tap_val_my.plain SET big = big - 1 WHERE id = 5;
UPDATE tap_val_my.plain SET born = '2020-01-01' WHERE id = 77;                -- the zero date was NULL
DELETE FROM tap_val_my.plain WHERE id = 29999;
SELECT is(pg_temp.check('plain planted', 'tap_val_my', 'plain', 'tap_val_my.plain', '{"chunk_size": 10000}'), 'ok', 'validate plain again');
SELECT is(pg_temp.check('plain planted streamed', 'tap_val_my', 'plain', 'tap_val_my.plain', '{"chunk_size": 10000, "pushdown": false}'), 'ok',
          'and streamed');
SELECT results_eq($$SELECT row_key::bigint, detail FROM res WHERE label = 'plain planted' AND kind = 'row' ORDER BY 1$$,
                  $$VALUES (5::bigint, 'different values'), (77, 'different values'), (100, 'different values'),
                           (2000, 'different values'), (15000, 'different values'), (21000, 'different values'),
                           (22000, 'different values'), (23000, 'different values'), (29999, 'missing in target')$$,
                  'pushdown: every planted difference named (unsigned, zero date, decimal, é, 1 µs, boolean, bytes, enum, a missing row)');
SELECT results_eq($$SELECT row_key, detail FROM res WHERE label = 'plain planted streamed' AND kind = 'row' ORDER BY row_key::bigint$$,
                  $$SELECT row_key, detail FROM res WHERE label = 'plain planted' AND kind = 'row' ORDER BY row_key::bigint$$,
                  'streamed names the same rows');

-- A target made by hand, columns in another order plus one the source lacks.
CREATE TABLE tap_val_my.moves_hand (extra text DEFAULT 'x', note varchar(40), id int PRIMARY KEY, qty int NOT NULL,
  price numeric(10,2), ratio float8, happened timestamp(6), doc jsonb, flag boolean, payload bytea);
INSERT INTO tap_val_my.moves_hand (note, id, qty, price, ratio, happened, doc, flag, payload)
  SELECT note, id, qty, price, ratio, happened, doc, flag, payload FROM tap_val_my.moves;
UPDATE tap_val_my.moves_hand h SET price = h.price - 0.01 FROM (VALUES (1234)) v(id) WHERE h.id = v.id;
UPDATE tap_val_my.moves_hand SET note = NULL WHERE id = 7007;
UPDATE tap_val_my.moves_hand SET ratio = 12001 / 7e0 WHERE id = 12001;
UPDATE tap_val_my.moves_hand SET happened = happened - interval '1 microsecond' WHERE id = 14000;
DELETE FROM tap_val_my.moves_hand WHERE id = 19999999;
INSERT INTO tap_val_my.moves_hand (note, id, qty, price, ratio, happened, doc, flag, payload)
  SELECT CASE WHEN 6000 % 7 = 0 THEN NULL ELSE 'note ü 6000' END, 6000, 6000 % 97, 7500.00, 6000 / 7e0,
         timestamp '2024-01-01' + 6000 * interval '61 seconds' + interval '6000 microseconds',
         '{"a": [1, 2.50, "x"], "b": 1}', false, decode(md5('6000'), 'hex');
SELECT matches(pg_temp.check('hand strict', 'tap_val_my', 'moves', 'tap_val_my.moves_hand'), '^42703 ',
               'a target with a column the source lacks: 42703 without ignore_missing_columns');
SELECT is(pg_temp.check('hand', 'tap_val_my', 'moves', 'tap_val_my.moves_hand', '{"chunk_size": 5000, "ignore_missing_columns": true}'), 'ok',
          'with ignore_missing_columns it validates');
SELECT is((SELECT count(*) FROM res WHERE label = 'hand' AND NOT ok), 0::bigint,
          'the hand-made copy (planted changes undone, the deleted row put back by hand) checks equal in every chunk');

-- No integer key: one chunk, still finds a difference.
SELECT is(pg_temp.check('nokey', 'tap_val_my', 'nokey', 'tap_val_my.nokey', '{}'), 'ok', 'validate nokey');
SELECT is((SELECT count(*) || ' ' || bool_and(ok) || ' ' || coalesce(max(key_column), '-') FROM res WHERE label = 'nokey'),
          '1 true -', 'nokey: one chunk, no key column, equal');
SELECT matches((SELECT detail FROM res WHERE label = 'nokey'), 'no one-column integer key', 'and says why it is one chunk');
UPDATE tap_val_my.nokey SET b = 'changed' WHERE b = 'b250';
SELECT is(pg_temp.check('nokey planted', 'tap_val_my', 'nokey', 'tap_val_my.nokey', '{}'), 'ok', 'validate nokey again');
SELECT is((SELECT count(*) FILTER (WHERE kind = 'chunk' AND NOT ok) || '/' || count(*) FILTER (WHERE kind = 'row') FROM res WHERE label = 'nokey planted'),
          '1/0', 'a changed value in a keyless table: its one chunk differs (rows cannot be named)');

-- ============================================ 3. SQLite
SELECT is((SELECT rows_copied FROM minibar_migrate.migrate_table('tap_val_lite', 'readings', 'public.tap_val_readings', '{"workers": 0}')),
          3000::bigint, 'the SQLite fixture migrates');
SELECT is(pg_temp.check('lite equal', 'tap_val_lite', 'readings', 'public.tap_val_readings', '{"chunk_size": 1000}'), 'ok', 'validate readings');
SELECT is((SELECT count(*) || ' ' || bool_and(ok) FROM res WHERE label = 'lite equal'), '3 true',
          'SQLite: 3 chunks, all equal (real, text, blob, datetime, JSON)');
UPDATE public.tap_val_readings SET raw = raw || '\x00'::bytea WHERE id = 2500;
UPDATE public.tap_val_readings SET value = NULL WHERE id = 10;
DELETE FROM public.tap_val_readings WHERE id = 1;
SELECT is(pg_temp.check('lite planted', 'tap_val_lite', 'readings', 'public.tap_val_readings', '{"chunk_size": 1000}'), 'ok', 'validate again');
SELECT results_eq($$SELECT row_key::bigint, detail FROM res WHERE label = 'lite planted' AND kind = 'row' ORDER BY 1$$,
                  $$VALUES (1::bigint, 'missing in target'), (10, 'different values'), (2500, 'different values')$$,
                  'SQLite: a missing row, a value that became NULL and a longer blob are each named');

-- ============================================ 4. a bigger table: memory, cancel
SELECT pg_backend_pid() AS mypid \gset
\set big_run `bash test/scripts/peak_anon.sh :DBNAME "SET jit = off; SELECT count(*) || '|' || bool_and(ok) || '|' || sum(source_rows) FROM minibar_migrate.validate_checksums('tap_val_my', 'big', 'tap_val_my.big', '{\"chunk_size\": 100000}')"`
SELECT is(split_part(:'big_run', ' ', 2), '6|true|600000', 'big (600,000 rows): 6 chunks, all equal');
SELECT cmp_ok(split_part(:'big_run', ' ', 1)::int, '<', 40000,
              'the validating backend''s private memory (RssAnon) stays under 40 MB');
SELECT diag('validate_checksums of 600,000 rows: peak RssAnon of the backend (kB) and result: ' || :'big_run');
SET statement_timeout = '300ms';
SELECT pg_temp.check('timeout', 'tap_val_my', 'big', 'tap_val_my.big', '{"chunk_size": 100000}') AS timeout_result \gset
RESET statement_timeout;
SELECT is(:'timeout_result'::text, '57014 canceling statement due to statement timeout',
          'statement_timeout stops a validation');
SELECT is((SELECT count(*) FROM tap_val_my.nokey), 500::bigint, 'the session works afterwards');

-- ============================================ 5. options
SELECT matches(pg_temp.check('bad opt', 'tap_val_lite', 'readings', 'public.tap_val_readings', '{"chunk": 5}'),
               '^22023 invalid validation option "chunk": unknown option', 'an unknown option is 22023');
SELECT matches(pg_temp.check('bad size', 'tap_val_lite', 'readings', 'public.tap_val_readings', '{"chunk_size": 0}'),
               '^22023 .*chunk_size', 'chunk_size 0 is 22023');

SELECT * FROM finish();
DROP TABLE public.tap_val_readings;
DROP SCHEMA tap_val_types CASCADE;
DROP SCHEMA tap_val_my CASCADE;
DROP SERVER tap_val_types CASCADE;
DROP SERVER tap_val_my CASCADE;
DROP SERVER tap_val_lite CASCADE;

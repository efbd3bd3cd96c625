-- Pushdown: which clauses SQLite evaluates, and identical results either way.
CREATE SCHEMA pushdown_test;
SET search_path = pushdown_test, public;
\set dir '/tmp/minibar_migrate_regress'
\setenv DIR :dir
\set db :dir '/pushdown.db'
\setenv DB :db
\! rm -f "$DB" && sqlite3 "$DB" "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, r REAL, s TEXT, flag BOOLEAN, d DATETIME); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200) INSERT INTO t SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE i % 13 END, i / 4.0, CASE WHEN i % 5 = 0 THEN NULL ELSE 'v' || (i % 9) END, i % 2, '2024-01-01 00:00:00' FROM c;"
CREATE SERVER pd FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'db');
CREATE FOREIGN TABLE t (id int, n bigint, r float8, s text, flag boolean, d timestamptz) SERVER pd;
CREATE TABLE t_local AS SELECT * FROM t;

-- Compares a query on the foreign table with the same query on a local copy.
CREATE FUNCTION same_result(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE remote_n bigint; local_n bigint; diff bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM (%s) x', q) INTO remote_n;
  EXECUTE format('SELECT count(*) FROM (%s) x', replace(q, ' t ', ' t_local ')) INTO local_n;
  EXECUTE format('SELECT count(*) FROM ((%s EXCEPT ALL %s) UNION ALL (%s EXCEPT ALL %s)) x',
                 q, replace(q, ' t ', ' t_local '), replace(q, ' t ', ' t_local '), q) INTO diff;
  RETURN format('%s rows, %s differ', remote_n, diff) || CASE WHEN remote_n = local_n AND diff = 0 THEN '' ELSE ' MISMATCH' END;
END $$;

CREATE FUNCTION remote_sql(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP
    IF line ~ 'SQLite query|Filter' THEN RETURN NEXT trim(line); END IF;
  END LOOP;
END $$;

-- Pushed down.
SELECT remote_sql('SELECT id FROM t WHERE id = 5');
SELECT remote_sql('SELECT id FROM t WHERE 5 < id AND id <= 10');
SELECT remote_sql('SELECT id FROM t WHERE n <> 3');
SELECT remote_sql('SELECT id FROM t WHERE n IS NULL');
SELECT remote_sql('SELECT id FROM t WHERE s IS NOT NULL AND s = ''v1''');
SELECT remote_sql('SELECT id FROM t WHERE id IN (1, 2, 3)');
SELECT remote_sql('SELECT id FROM t WHERE n = ANY (ARRAY[1, NULL, 3])');
SELECT remote_sql('SELECT id FROM t WHERE r >= 2.5');
SELECT remote_sql('SELECT id FROM t WHERE id < 3 OR NOT (n > 2)');
SELECT remote_sql('SELECT s FROM t WHERE s < ''v5'' COLLATE "C"');
SELECT remote_sql('SELECT count(*) FROM t');
-- Not pushed down: filtered locally.
SELECT remote_sql('SELECT id FROM t WHERE s < ''v5''');
SELECT remote_sql('SELECT id FROM t WHERE s LIKE ''v%''');
SELECT remote_sql('SELECT id FROM t WHERE flag');
SELECT remote_sql('SELECT id FROM t WHERE d > ''2023-01-01''');
SELECT remote_sql('SELECT id FROM t WHERE n + 1 = 3');
SELECT remote_sql('SELECT id FROM t WHERE id = 1 OR s LIKE ''v%''');
SELECT remote_sql('SELECT id FROM t WHERE id = 1 AND s LIKE ''v%''');

-- Results equal the local copy's.
SELECT same_result('SELECT * FROM t WHERE id = 5');
SELECT same_result('SELECT * FROM t WHERE 5 < id AND id <= 10');
SELECT same_result('SELECT * FROM t WHERE n <> 3');
SELECT same_result('SELECT * FROM t WHERE n IS NULL');
SELECT same_result('SELECT * FROM t WHERE s IS NOT NULL AND s = ''v1''');
SELECT same_result('SELECT * FROM t WHERE id IN (1, 2, 3)');
SELECT same_result('SELECT * FROM t WHERE n = ANY (ARRAY[1, NULL, 3])');
SELECT same_result('SELECT * FROM t WHERE n <> ALL (ARRAY[1, 3])');
SELECT same_result('SELECT * FROM t WHERE r >= 2.5');
SELECT same_result('SELECT * FROM t WHERE id < 3 OR NOT (n > 2)');
SELECT same_result('SELECT * FROM t WHERE s < ''v5'' COLLATE "C"');
SELECT same_result('SELECT * FROM t WHERE s < ''v5''');
SELECT same_result('SELECT * FROM t WHERE s LIKE ''v%''');
SELECT same_result('SELECT * FROM t WHERE flag');
SELECT same_result('SELECT * FROM t WHERE NOT (n = 3 OR s = ''v2'')');
SELECT same_result('SELECT * FROM t WHERE n IN (SELECT 2 UNION SELECT 4)');

-- NaN and ±Infinity are never sent: PostgreSQL orders NaN above every number
-- (Infinity included), SQLite binds NaN as NULL. Float comparisons also pass
-- text-stored values (PostgreSQL reads 'NaN' or '-Infinity' text as floats,
-- SQLite orders text above numbers) and are rechecked locally.
SELECT remote_sql('SELECT id FROM t WHERE r <> ''NaN''::float8');
SELECT remote_sql('SELECT id FROM t WHERE r < ''Infinity'' AND id > 190');
SELECT remote_sql('SELECT id FROM t WHERE r IN (2.5, ''-Infinity'')');
SELECT remote_sql('SELECT id FROM t WHERE r < 2.5');
SELECT same_result('SELECT * FROM t WHERE r <> ''NaN''::float8');
SELECT same_result('SELECT * FROM t WHERE r < ''NaN''::float4');
SELECT same_result('SELECT * FROM t WHERE r = ''NaN''::numeric');
SELECT same_result('SELECT * FROM t WHERE r < ''Infinity''');
SELECT same_result('SELECT * FROM t WHERE r > ''-Infinity''');
SELECT same_result('SELECT * FROM t WHERE r IN (2.5, ''-Infinity'')');
SELECT same_result('SELECT * FROM t WHERE r < 2.5');
-- A float parameter is sent behind a flag that turns its condition off for
-- NaN and ±Infinity; the clause is rechecked.
PREPARE fq(float8) AS SELECT count(*) FROM t WHERE r <> $1;
SET plan_cache_mode = force_generic_plan;
SELECT remote_sql('EXECUTE fq(''NaN'')');
EXECUTE fq('NaN');
EXECUTE fq('Infinity');
EXECUTE fq(2.5);
RESET plan_cache_mode;
DEALLOCATE fq;

-- Parameters of a prepared statement are bound, never pasted into the SQL.
PREPARE q(int, text) AS SELECT count(*) FROM t WHERE id > $1 AND s = $2;
SELECT remote_sql('EXECUTE q(10, ''v3'')');
EXECUTE q(10, 'v3');
EXECUTE q(10, 'x''); DROP TABLE t; --');
SET plan_cache_mode = force_generic_plan;
EXECUTE q(100, 'v3');
RESET plan_cache_mode;
DEALLOCATE q;

-- Clear errors, and the backend alive, whatever the source does.
CREATE SCHEMA errors_test;
SET search_path = errors_test, public;
\set dir '/tmp/minibar_migrate_regress'
\setenv DIR :dir
\set db :dir '/errors.db'
\setenv DB :db
\! rm -f "$DB" && sqlite3 "$DB" "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT, gone TEXT); INSERT INTO t VALUES (1, 10, 'a', 'x'), (2, 'abc', 'b', 'y'), (3, 30, 'c', 'z'); CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5000) INSERT INTO big SELECT i, 'row ' || i FROM c;"
\set VERBOSITY default

-- A value that does not fit its column names table, column, rowid and value.
CREATE SERVER errs FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'db');
IMPORT FOREIGN SCHEMA main FROM SERVER errs INTO errors_test;
SELECT id, n FROM t ORDER BY id;
SELECT id, s FROM t ORDER BY id;
CREATE FOREIGN TABLE t_json (id int, s jsonb) SERVER errs OPTIONS (table_name 't');
SELECT * FROM t_json;
CREATE FOREIGN TABLE t_small (id int, n smallint) SERVER errs OPTIONS (table_name 't');
\! sqlite3 "$DB" "UPDATE t SET n = 100000 WHERE id = 2"
SELECT * FROM t_small;

-- The table or a column changed after import.
\! sqlite3 "$DB" "ALTER TABLE t DROP COLUMN gone"
SELECT id, gone FROM t;
SELECT id FROM t ORDER BY id;
\! sqlite3 "$DB" "DROP TABLE t"
SELECT * FROM t;

-- Files that are missing, not a database, or locked.
CREATE SERVER missing FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '/nonexistent/dir/x.db');
CREATE FOREIGN TABLE m (a int) SERVER missing;
SELECT * FROM m;
\set notdb :dir '/not_a_db.txt'
\setenv NOTDB :notdb
\! printf 'this is not a database, just text that is long enough to fill a header......................................................\n' > "$NOTDB"
CREATE SERVER notdb FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database :'notdb');
CREATE FOREIGN TABLE nd (a int) SERVER notdb;
SELECT * FROM nd;
IMPORT FOREIGN SCHEMA main FROM SERVER notdb INTO errors_test;

-- Another process holds an exclusive lock until told to let go.
\! rm -f "$DIR/locked" "$DIR/release"
\! (sqlite3 "$DB" "BEGIN EXCLUSIVE; UPDATE big SET v = v WHERE id = 1;" ".shell touch $DIR/locked; i=0; while [ ! -e $DIR/release ] && [ \$i -lt 600 ]; do sleep 0.05; i=\$((i+1)); done" "COMMIT;" >/dev/null 2>&1 &)
\! i=0; while [ ! -e "$DIR/locked" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
ALTER SERVER errs OPTIONS (ADD busy_timeout '100');
SELECT count(*) FROM big;
\! touch "$DIR/release"
ALTER SERVER errs OPTIONS (SET busy_timeout '10000');
SELECT count(*) FROM big;

-- ANALYZE gives the planner the real row count.
SELECT reltuples FROM pg_class WHERE oid = 'big'::regclass;
ANALYZE big;
SELECT reltuples FROM pg_class WHERE oid = 'big'::regclass;
EXPLAIN SELECT * FROM big;
EXPLAIN SELECT * FROM big WHERE id < 100;
SELECT 'backend alive' AS status;

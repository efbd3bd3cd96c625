-- Memory stays flat: a full scan of a 2-million-row table with TEXT and BLOB
-- columns, and thousands of errors crossing the C++/PostgreSQL boundary.
\ir include/helpers.sql
\! [ -s /tmp/minibar_migrate_tap/big.db ] || sqlite3 /tmp/minibar_migrate_tap/big.db "CREATE TABLE big (id INTEGER PRIMARY KEY, t TEXT, b BLOB, r REAL); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000000) INSERT INTO big SELECT i, printf('row %d with some Turkish text: İğüşöç %d', i, i * 7), randomblob(64), i / 3.0 FROM c;"
DROP SERVER IF EXISTS mem_srv CASCADE;
CREATE SERVER mem_srv FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '/tmp/minibar_migrate_tap/big.db');
CREATE FOREIGN TABLE big (id bigint, t text, b bytea, r float8) SERVER mem_srv;
CREATE FUNCTION pg_temp.selftest_pg_error(bool) RETURNS int
  AS 'minibar_migrate', 'minibar_selftest_pg_error' LANGUAGE C STRICT;
CREATE FUNCTION pg_temp.selftest_throw(text) RETURNS text
  AS 'minibar_migrate', 'minibar_selftest_throw' LANGUAGE C STRICT;
CREATE FUNCTION pg_temp.selftest_live_objects() RETURNS bigint
  AS 'minibar_migrate', 'minibar_selftest_live_objects' LANGUAGE C STRICT;
CREATE TEMP TABLE rss (label text, kb bigint);

SELECT plan(5);

-- Warm up (catalog caches, the library), then measure the peak around a full scan.
SELECT count(*) FROM big WHERE id < 10 \g /dev/null
INSERT INTO rss VALUES ('before scan', pg_temp.rss_kb('VmHWM'));
CREATE TEMP TABLE scanned AS SELECT count(*) AS n, sum(length(t)) AS tlen, sum(length(b)) AS blen, sum(r) AS rsum FROM big;
INSERT INTO rss VALUES ('after scan', pg_temp.rss_kb('VmHWM'));
SELECT is((SELECT n FROM scanned), 2000000::bigint, 'all 2,000,000 rows streamed');
SELECT is((SELECT blen FROM scanned), 128000000::bigint, 'every blob arrived whole');
SELECT cmp_ok((SELECT max(kb) FILTER (WHERE label = 'after scan') - max(kb) FILTER (WHERE label = 'before scan') FROM rss),
              '<', 20000::bigint, 'peak backend RSS grew by less than 20 MB over the scan');
SELECT diag('backend peak RSS before/after the 2M-row scan (kB): ' ||
            string_agg(label || ' ' || kb, ', ')) FROM rss;

-- 2000 errors each way across the boundary: no leaked objects, flat memory.
INSERT INTO rss VALUES ('before errors', pg_temp.rss_kb('VmRSS'));
DO $$
BEGIN
  FOR i IN 1..2000 LOOP
    BEGIN PERFORM pg_temp.selftest_pg_error(true); EXCEPTION WHEN division_by_zero THEN NULL; END;
    BEGIN PERFORM pg_temp.selftest_throw('std'); EXCEPTION WHEN external_routine_exception THEN NULL; END;
  END LOOP;
END $$;
INSERT INTO rss VALUES ('after errors', pg_temp.rss_kb('VmRSS'));
SELECT is(pg_temp.selftest_live_objects(), 0::bigint, 'no C++ object outlived its error');
SELECT cmp_ok((SELECT max(kb) FILTER (WHERE label = 'after errors') - max(kb) FILTER (WHERE label = 'before errors') FROM rss),
              '<', 10000::bigint, 'RSS grew by less than 10 MB over 4000 errors (each would leak 1 MiB)');
SELECT diag('backend RSS before/after 4000 boundary errors (kB): ' ||
            string_agg(label || ' ' || kb, ', ')) FROM rss WHERE label LIKE '%errors';

SELECT * FROM finish();
DROP SERVER mem_srv CASCADE;

-- minibar_mysql memory stays flat: a full scan of a 5-million-row MySQL table
-- with TEXT and BLOB columns (mysql_fdw buffers such results whole), plus a
-- scan that stops early (LIMIT on a local filter) to check the remote query
-- is stopped and the connection reusable.
\ir include/helpers.sql
-- Generated once per machine; the sequence engine makes 5M rows in seconds.
\! [ "$(mariadb -N -e "SELECT count(*) FROM minibar_tapmem.big" 2>/dev/null)" = 5000000 ] || mariadb -e "DROP DATABASE IF EXISTS minibar_tapmem; CREATE DATABASE minibar_tapmem; USE minibar_tapmem; CREATE TABLE minibar_tapmem.big (id BIGINT PRIMARY KEY, t TEXT, b BLOB, d DOUBLE, ts DATETIME(6)); INSERT INTO minibar_tapmem.big SELECT seq, CONCAT('row ', seq, ' with some Turkish text: İğüşöç ', seq * 7), UNHEX(SHA2(seq, 512)), seq / 3, TIMESTAMP'2020-01-01 00:00:00' + INTERVAL seq SECOND FROM seq_1_to_5000000;"
DROP SERVER IF EXISTS mymem_srv CASCADE;
CREATE SERVER mymem_srv FOREIGN DATA WRAPPER minibar_mysql OPTIONS (dbname 'minibar_tapmem');
CREATE USER MAPPING FOR CURRENT_USER SERVER mymem_srv OPTIONS (username 'minibar', password 'minibar');
CREATE FOREIGN TABLE mybig (id bigint, t text, b bytea, d float8, ts timestamptz)
  SERVER mymem_srv OPTIONS (table_name 'big');
CREATE TEMP TABLE rss (label text, kb bigint);

-- JIT (LLVM, ~50 MB when it loads) would hide what the scan itself uses.
SET jit = off;
SELECT plan(9);

SELECT count(*) FROM mybig WHERE id < 10 \g /dev/null
INSERT INTO rss VALUES ('before scan', pg_temp.rss_kb('VmHWM'));
CREATE TEMP TABLE scanned AS
  SELECT count(*) AS n, sum(length(t)) AS tlen, sum(length(b)) AS blen, max(ts) AS maxts FROM mybig;
INSERT INTO rss VALUES ('after scan', pg_temp.rss_kb('VmHWM'));
SELECT is((SELECT n FROM scanned), 5000000::bigint, 'all 5,000,000 rows streamed');
SELECT is((SELECT blen FROM scanned), 320000000::bigint, 'every 64-byte blob arrived whole');
SELECT is((SELECT maxts FROM scanned), '2020-02-27 20:53:20+00'::timestamptz, 'last DATETIME exact');
SELECT cmp_ok((SELECT max(kb) FILTER (WHERE label = 'after scan') - max(kb) FILTER (WHERE label = 'before scan') FROM rss),
              '<', 20000::bigint, 'peak backend RSS grew by less than 20 MB over the 5M-row scan');
SELECT diag('backend peak RSS before/after the 5M-row MySQL scan (kB): ' ||
            string_agg(label || ' ' || kb, ', ')) FROM rss;

-- Stop early: LIMIT above a local filter cannot go to MySQL, so the scan ends
-- with rows still on the wire; the wrapper kills the remote query.
SELECT is((SELECT count(*) FROM (SELECT id FROM mybig WHERE length(t) > 0 LIMIT 3) s), 3::bigint,
          'an early-ended scan returns');
SELECT is((SELECT count(*) FROM mybig WHERE id <= 1000), 1000::bigint,
          'the next query on the same connection works');

-- migrate_table over the same 5M rows, run in a second session whose
-- backend's own memory (RssAnon) is sampled from outside every 20 ms: the
-- bulk load must stay bounded by the batch. maintenance_work_mem = 1MB keeps
-- the primary-key sort after the load from dominating the figure.
DROP TABLE IF EXISTS public.tapmem_copy;
\set mig `bash test/scripts/peak_anon.sh :DBNAME "SET jit = off; SET maintenance_work_mem = '1MB'; SELECT rows_copied, rows_rejected FROM minibar_migrate.migrate_table('mymem_srv', 'big', 'public.tapmem_copy')"`
SELECT is(split_part(:'mig', ' ', 2), '5000000|0', 'migrate_table copied all 5,000,000 rows, none rejected');
SELECT is((SELECT count(*) FROM public.tapmem_copy), 5000000::bigint, 'the target holds them');
SELECT cmp_ok(split_part(:'mig', ' ', 1)::bigint, '<', 24000::bigint,
              'the migrating backend''s private memory peaked under 24 MB over 5M rows');
SELECT diag('migrate_table of 5M rows: peak RssAnon of the backend (kB) and result: ' || :'mig');
DROP TABLE public.tapmem_copy;

SELECT * FROM finish();
DROP SERVER mymem_srv CASCADE;

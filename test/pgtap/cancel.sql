-- Cancel and statement_timeout stop a running SQLite statement promptly,
-- also one that is busy inside SQLite without returning rows.
\ir include/helpers.sql
\! rm -f /tmp/minibar_migrate_tap/cancel.db && sqlite3 /tmp/minibar_migrate_tap/cancel.db "CREATE VIEW endless AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c WHERE x < 0; CREATE VIEW many AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c;"
DROP SERVER IF EXISTS cancel_srv CASCADE;
CREATE SERVER cancel_srv FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '/tmp/minibar_migrate_tap/cancel.db');
CREATE FOREIGN TABLE endless (x bigint) SERVER cancel_srv;
CREATE FOREIGN TABLE many (x bigint) SERVER cancel_srv;
CREATE TEMP TABLE timing (label text, started timestamptz, finished timestamptz, code text, message text);
-- Runs a query (the caller sets statement_timeout) and records how it ended (pgTAP's
-- throws_ok cannot: WHEN OTHERS does not catch query_canceled).
CREATE FUNCTION pg_temp.run_with_timeout(label text, q text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO timing VALUES (label, clock_timestamp(), NULL, NULL, NULL);
  BEGIN
    EXECUTE q;
  EXCEPTION WHEN query_canceled THEN
    UPDATE timing SET code = SQLSTATE, message = SQLERRM WHERE timing.label = run_with_timeout.label;
  END;
  UPDATE timing SET finished = clock_timestamp() WHERE timing.label = run_with_timeout.label;
END $$;

SELECT plan(6);

-- A statement that loops inside SQLite and never yields a row.
SET statement_timeout = '300ms';
SELECT pg_temp.run_with_timeout('endless', 'SELECT count(*) FROM endless');
RESET statement_timeout;
SELECT is((SELECT code || ' ' || message FROM timing WHERE label = 'endless'),
          '57014 canceling statement due to statement timeout',
          'statement_timeout stops a SQLite statement that returns no rows');
SELECT cmp_ok((SELECT extract(epoch FROM finished - started) FROM timing WHERE label = 'endless')::numeric,
              '<', 3.0, 'it stopped well within a second of the timeout');

-- A scan that streams rows forever.
SET statement_timeout = '300ms';
SELECT pg_temp.run_with_timeout('many', 'SELECT sum(x) FROM many');
RESET statement_timeout;
SELECT is((SELECT code FROM timing WHERE label = 'many'), '57014', 'statement_timeout stops an endless scan');
SELECT cmp_ok((SELECT extract(epoch FROM finished - started) FROM timing WHERE label = 'many')::numeric,
              '<', 3.0, 'the endless scan stopped promptly');

-- The session (and the foreign table) still work afterwards.
SELECT is((SELECT x FROM many LIMIT 1), 1::bigint, 'the wrapper works after a cancel');
SELECT is((SELECT count(*) FROM pg_stat_activity WHERE pid = pg_backend_pid()), 1::bigint, 'backend alive');

SELECT * FROM finish();
DROP SERVER cancel_srv CASCADE;

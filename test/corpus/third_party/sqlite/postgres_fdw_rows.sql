-- The rows the postgres_fdw-style regression tests (sqlite_fdw's
-- sqlite_fdw_post.sql, PostgreSQL's postgres_fdw.sql) put into "T 1" ... "T 4"
-- through the foreign tables:
--   INSERT INTO "S 1"."T 1" SELECT id, id % 10, to_char(id, 'FM00000'),
--          '1970-01-01'::timestamptz + ((id % 100) || ' days')::interval,
--          '1970-01-01'::timestamp + ((id % 100) || ' days')::interval,
--          id % 10, id % 10, 'foo'::user_enum FROM generate_series(1, 1000) id;
--   "T 2": id, 'AAA' || to_char(id, 'FM000') for id 1..100;
--   "T 3": id, id + 1, 'AAA' || to_char(id, 'FM000') for id 1..100, then
--          DELETE WHERE c1 % 2 != 0;  "T 4": the same, then DELETE WHERE c1 % 3 != 0.
-- Written here in SQLite SQL with the same values. The timestamps are ISO
-- text, c4 (timestamptz) with the zone written '+00', c5 without a zone: how
-- sqlite_fdw itself writes them is not reproduced.
INSERT INTO "T 1"
  WITH RECURSIVE g(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM g WHERE id < 1000)
  SELECT id, id % 10, printf('%05d', id),
         strftime('%Y-%m-%d %H:%M:%S', '1970-01-01', '+' || (id % 100) || ' days') || '+00',
         strftime('%Y-%m-%d %H:%M:%S', '1970-01-01', '+' || (id % 100) || ' days'),
         id % 10, id % 10, 'foo'
  FROM g;
INSERT INTO "T 2"
  WITH RECURSIVE g(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM g WHERE id < 100)
  SELECT id, 'AAA' || printf('%03d', id) FROM g;
INSERT INTO "T 3"
  WITH RECURSIVE g(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM g WHERE id < 100)
  SELECT id, id + 1, 'AAA' || printf('%03d', id) FROM g;
DELETE FROM "T 3" WHERE c1 % 2 != 0;
INSERT INTO "T 4"
  WITH RECURSIVE g(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM g WHERE id < 100)
  SELECT id, id + 1, 'AAA' || printf('%03d', id) FROM g;
DELETE FROM "T 4" WHERE c1 % 3 != 0;

-- From pgspider/sqlite_fdw sql/init_data/init_core.sql: the tables that the
-- file fills with rows of its own, with their statements verbatim and in
-- order. Left out (see test/corpus/README.md): the ~150 CREATE TABLEs that
-- stay empty, and the .import of PostgreSQL's regression data files
-- (onek, tenk, agg, student, person, streets, datetimes) with their tables.
.mode csv

DROP TABLE IF EXISTS INT2_TBL;
DROP TABLE IF EXISTS "type_FLOAT_INF";
DROP VIEW  IF EXISTS "type_FLOAT_INF+";

CREATE TABLE INT2_TBL(f1 int2);

--Testcase 1:
INSERT INTO INT2_TBL(f1) VALUES ('0   ');
--Testcase 2:
INSERT INTO INT2_TBL(f1) VALUES ('  1234 ');
--Testcase 3:
INSERT INTO INT2_TBL(f1) VALUES ('    -1234');
-- largest and smallest values
--Testcase 5:
INSERT INTO INT2_TBL(f1) VALUES ('32767');
--Testcase 6:
INSERT INTO INT2_TBL(f1) VALUES ('-32767');

CREATE TABLE VARCHAR_TBL(f1 varchar(4));

--Testcase 8:
INSERT INTO VARCHAR_TBL (f1) VALUES ('a');
--Testcase 9:
INSERT INTO VARCHAR_TBL (f1) VALUES ('ab');
--Testcase 10:
INSERT INTO VARCHAR_TBL (f1) VALUES ('abcd');

CREATE TABLE v (id int4, x numeric, val float8, primary key (id));
INSERT INTO v(x) VALUES ('1e340'), ('-1e340');

CREATE TABLE TEXT_TBL (f1 text);

--Testcase 11:
INSERT INTO TEXT_TBL VALUES ('doh!');
--Testcase 12:
INSERT INTO TEXT_TBL VALUES ('hi de ho neighbor');

CREATE TABLE "type_FLOAT_INF" (i int primary key, f float);
CREATE VIEW  "type_FLOAT_INF+" AS SELECT *, typeof("f") t, length("f") l FROM "type_FLOAT_INF";
-- In PostgreSQL some of this valus causes error but is infinity representation in SQLite
INSERT INTO  "type_FLOAT_INF" VALUES (1, -1e999),(2, 1e999),(3, -9e999),(4, 9e999),(5,-1e308),(6, 0),(7, 1e308);

-- The CREATE TABLE and INSERT statements that EnterpriseDB/mysql_fdw's
-- mysql_init.sh runs in database mysql_fdw_regress, in its order, verbatim
-- (the script runs each through `mysql -e "..."`; the DROP TABLEs are left out).
CREATE TABLE mysql_test(a int primary key, b int not null);
INSERT INTO mysql_test(a,b) VALUES (1,1);
CREATE TABLE empdata (emp_id int, emp_dat blob, PRIMARY KEY (emp_id));
CREATE TABLE numbers (a int PRIMARY KEY, b varchar(255));
CREATE TABLE test_tbl1 (c1 INT primary key, c2 VARCHAR(10), c3 CHAR(9), c4 MEDIUMINT, c5 DATE, c6 DECIMAL(10,5), c7 INT, c8 SMALLINT);
CREATE TABLE test_tbl2 (c1 INT primary key, c2 TEXT, c3 TEXT);
CREATE TABLE enum_t1 (id int PRIMARY KEY, size ENUM('small', 'medium', 'large'));
CREATE TABLE enum_t2 (id int PRIMARY KEY, size ENUM('S', 'M', 'L'));
INSERT INTO enum_t2 VALUES (10, 'S'),(20, 'M'),(30, 'M');
CREATE TABLE test1 (c1 int PRIMARY KEY, c2 int, c3 varchar(255), c4 ENUM ('foo', 'bar', 'buz'));
CREATE TABLE test2 (c1 int PRIMARY KEY, c2 int, c3 varchar(255), c4 ENUM ('foo', 'bar', 'buz'));
CREATE TABLE test3 (c1 int PRIMARY KEY, c2 int, c3 varchar(255));
CREATE TABLE test4 (c1 int PRIMARY KEY, c2 int, c3 varchar(255));
CREATE TABLE test5 (c1 int primary key, c2 binary, c3 binary(3), c4 binary(1), c5 binary(10), c6 varbinary(3), c7 varbinary(1), c8 varbinary(10), c9 binary(0), c10 varbinary(0));
INSERT INTO test5 VALUES (1, 'c', 'c3c', 't', 'c5c5c5', '04', '1', '01-10-2021', NULL, '');
CREATE TABLE test_set (c1 int primary key, c2 SET('a', 'b', 'c', 'd'), c3 int);
CREATE TABLE test6 (c1 numeric(6,4));
INSERT INTO test6 VALUES (25.252525);

-- The rows mysql_fdw's sql/select.sql inserts through its foreign tables
-- (f_test_tbl1 = test_tbl1, f_test_tbl2 = test_tbl2, f_numbers = numbers,
-- f_enum_t1 = enum_t1), written here as MySQL INSERTs with the same values;
-- the enum_t1 rows are those left after select.sql's UPDATE and DELETE.
INSERT INTO test_tbl1 VALUES (100, 'EMP1', 'ADMIN', 1300, '1980-12-17', 800.23, NULL, 20);
INSERT INTO test_tbl1 VALUES (200, 'EMP2', 'SALESMAN', 600, '1981-02-20', 1600.00, 300, 30);
INSERT INTO test_tbl1 VALUES (300, 'EMP3', 'SALESMAN', 600, '1981-02-22', 1250, 500, 30);
INSERT INTO test_tbl1 VALUES (400, 'EMP4', 'MANAGER', 900, '1981-04-02', 2975.12, NULL, 20);
INSERT INTO test_tbl1 VALUES (500, 'EMP5', 'SALESMAN', 600, '1981-09-28', 1250, 1400, 30);
INSERT INTO test_tbl1 VALUES (600, 'EMP6', 'MANAGER', 900, '1981-05-01', 2850, NULL, 30);
INSERT INTO test_tbl1 VALUES (700, 'EMP7', 'MANAGER', 900, '1981-06-09', 2450.45, NULL, 10);
INSERT INTO test_tbl1 VALUES (800, 'EMP8', 'FINANCE', 400, '1987-04-19', 3000, NULL, 20);
INSERT INTO test_tbl1 VALUES (900, 'EMP9', 'HEAD', NULL, '1981-11-17', 5000, NULL, 10);
INSERT INTO test_tbl1 VALUES (1000, 'EMP10', 'SALESMAN', 600, '1980-09-08', 1500, 0, 30);
INSERT INTO test_tbl1 VALUES (1100, 'EMP11', 'ADMIN', 800, '1987-05-23', 1100, NULL, 20);
INSERT INTO test_tbl1 VALUES (1200, 'EMP12', 'ADMIN', 600, '1981-12-03', 950, NULL, 30);
INSERT INTO test_tbl1 VALUES (1300, 'EMP13', 'FINANCE', 400, '1981-12-03', 3000, NULL, 20);
INSERT INTO test_tbl1 VALUES (1400, 'EMP14', 'ADMIN', 700, '1982-01-23', 1300, NULL, 10);
INSERT INTO test_tbl2 VALUES(10, 'DEVELOPMENT', 'PUNE');
INSERT INTO test_tbl2 VALUES(20, 'ADMINISTRATION', 'BANGLORE');
INSERT INTO test_tbl2 VALUES(30, 'SALES', 'MUMBAI');
INSERT INTO test_tbl2 VALUES(40, 'HR', 'NAGPUR');
INSERT INTO numbers VALUES (1, 'One');
INSERT INTO numbers VALUES (2, 'Two');
INSERT INTO numbers VALUES (3, 'Three');
INSERT INTO numbers VALUES (4, 'Four');
INSERT INTO numbers VALUES (5, 'Five');
INSERT INTO numbers VALUES (6, 'Six');
INSERT INTO numbers VALUES (7, 'Seven');
INSERT INTO numbers VALUES (8, 'Eight');
INSERT INTO numbers VALUES (9, 'Nine');
INSERT INTO enum_t1 VALUES (1, 'small'), (2, 'medium'), (3, 'medium');

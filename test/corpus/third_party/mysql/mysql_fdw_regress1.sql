-- The CREATE TABLE statements that EnterpriseDB/mysql_fdw's mysql_init.sh
-- runs in database mysql_fdw_regress1, in its order, verbatim.
CREATE TABLE student (stu_id int PRIMARY KEY, stu_name text, stu_dept int);
CREATE TABLE numbers (a int, b varchar(255));
CREATE TABLE student1 (stu_id varchar(10) PRIMARY KEY, stu_name text, stu_dept int);

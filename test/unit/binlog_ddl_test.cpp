// classify_statement on binlog QUERY texts: transaction boundaries, each DDL
// form and the tables it names, quoting, comments (executable ones counted),
// strings hiding SQL, garbage; statement_touches with the default database.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/binlog/ddl.hpp"

namespace minibar {
namespace {

// The tables of a statement as "schema.table" ("table" alone for an empty
// schema), to compare in one EXPECT.
std::vector<std::string> names(const StatementInfo &info) {
  std::vector<std::string> out;
  for (const DdlTable &t : info.tables)
    out.push_back(t.schema.empty() ? t.table : t.schema + "." + t.table);
  return out;
}

using V = std::vector<std::string>;

// Ddl with this verb and these tables, not whole_schema.
void expect_ddl(std::string_view sql, const std::string &verb, const V &tables) {
  StatementInfo info = classify_statement(sql);
  EXPECT_EQ(info.kind, StatementKind::Ddl) << sql;
  EXPECT_EQ(info.verb, verb) << sql;
  EXPECT_EQ(names(info), tables) << sql;
  EXPECT_FALSE(info.whole_schema) << sql;
}

void expect_schema(std::string_view sql, const std::string &verb, const V &schemas) {
  StatementInfo info = classify_statement(sql);
  EXPECT_EQ(info.kind, StatementKind::Ddl) << sql;
  EXPECT_EQ(info.verb, verb) << sql;
  EXPECT_TRUE(info.whole_schema) << sql;
  EXPECT_EQ(info.schemas, schemas) << sql;
  EXPECT_TRUE(info.tables.empty()) << sql;
}

StatementKind kind(std::string_view sql) {
  return classify_statement(sql).kind;
}

TEST(BinlogDdl, TransactionBoundaries) {
  EXPECT_EQ(kind("BEGIN"), StatementKind::Begin);
  EXPECT_EQ(kind("begin work"), StatementKind::Begin);
  EXPECT_EQ(kind("START TRANSACTION"), StatementKind::Begin);
  EXPECT_EQ(kind("start transaction read only, with consistent snapshot"), StatementKind::Begin);
  EXPECT_EQ(kind("XA START X'31',X'',1"), StatementKind::Begin);
  EXPECT_EQ(kind("XA BEGIN 'x'"), StatementKind::Begin);
  EXPECT_EQ(kind("COMMIT"), StatementKind::Commit);
  EXPECT_EQ(kind("Commit Work And No Chain"), StatementKind::Commit);
  EXPECT_EQ(kind("XA COMMIT X'31',X'',1 ONE PHASE"), StatementKind::Commit);
  EXPECT_EQ(kind("ROLLBACK"), StatementKind::Rollback);
  EXPECT_EQ(kind("rollback work"), StatementKind::Rollback);
  EXPECT_EQ(kind("XA ROLLBACK 'x'"), StatementKind::Rollback);
  EXPECT_EQ(kind("XA END X'31',X'',1"), StatementKind::Other);
  EXPECT_EQ(kind("XA PREPARE 'x'"), StatementKind::Other);
  EXPECT_EQ(kind("SAVEPOINT sp1"), StatementKind::Other);
  EXPECT_EQ(kind("ROLLBACK TO SAVEPOINT sp1"), StatementKind::Other);
  EXPECT_EQ(kind("ROLLBACK WORK TO sp1"), StatementKind::Other);
  EXPECT_EQ(kind("RELEASE SAVEPOINT sp1"), StatementKind::Other);
  EXPECT_EQ(kind("START SLAVE"), StatementKind::Other);
  EXPECT_EQ(kind("BEGIN NOT ATOMIC SELECT 1; END"), StatementKind::Other);
  EXPECT_EQ(kind("/* c */ BEGIN"), StatementKind::Begin);
}

TEST(BinlogDdl, OtherStatements) {
  for (const char *sql :
       {"INSERT INTO t VALUES (1, 'DROP TABLE x')", "UPDATE t SET a = 1", "DELETE FROM t",
        "SET @a = 1", "SET NAMES utf8mb4", "FLUSH TABLES", "GRANT ALL ON db.* TO u",
        "LOCK TABLES t WRITE", "ANALYZE SELECT 1", "CALL p()", "SELECT 1", "DO 1"})
    EXPECT_EQ(kind(sql), StatementKind::Other) << sql;
}

TEST(BinlogDdl, AlterTable) {
  expect_ddl("ALTER TABLE t ADD COLUMN c INT", "ALTER TABLE", {"t"});
  expect_ddl("alter online ignore table if exists db.t add index (a)", "ALTER TABLE", {"db.t"});
  expect_ddl("ALTER TABLE t WAIT 5 DROP COLUMN c", "ALTER TABLE", {"t"});
  expect_ddl("ALTER TABLE t1 RENAME TO t2", "ALTER TABLE", {"t1", "t2"});
  expect_ddl("ALTER TABLE t1 RENAME AS db2.t2", "ALTER TABLE", {"t1", "db2.t2"});
  expect_ddl("ALTER TABLE t1 ENGINE=InnoDB, RENAME t2", "ALTER TABLE", {"t1", "t2"});
  expect_ddl("ALTER TABLE t RENAME COLUMN rename TO b, RENAME INDEX i TO j", "ALTER TABLE", {"t"});
  expect_ddl("ALTER TABLE t ADD COLUMN c INT DEFAULT (1), RENAME KEY k TO k2", "ALTER TABLE",
             {"t"});
}

TEST(BinlogDdl, AlterTablePartitions) {
  expect_ddl(
      "ALTER TABLE t PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (10), "
      "PARTITION p1 VALUES LESS THAN MAXVALUE)",
      "ALTER TABLE", {"t"});
  expect_ddl("ALTER TABLE t DROP PARTITION p0, p1", "ALTER TABLE", {"t"});
  expect_ddl("ALTER TABLE t TRUNCATE PARTITION p0", "ALTER TABLE", {"t"});
  expect_ddl("ALTER TABLE t EXCHANGE PARTITION p0 WITH TABLE db.t2 WITHOUT VALIDATION",
             "ALTER TABLE", {"t", "db.t2"});
  expect_ddl("ALTER TABLE t CONVERT PARTITION p0 TO TABLE t_p0", "ALTER TABLE", {"t", "t_p0"});
  expect_ddl("ALTER TABLE t CONVERT TABLE t_new TO PARTITION p9 VALUES LESS THAN (100)",
             "ALTER TABLE", {"t", "t_new"});
  expect_ddl("ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4", "ALTER TABLE", {"t"});
}

TEST(BinlogDdl, DropTable) {
  expect_ddl("DROP TABLE t", "DROP TABLE", {"t"});
  expect_ddl("drop table if exists a, db.b, `c` restrict", "DROP TABLE", {"a", "db.b", "c"});
  expect_ddl("DROP TEMPORARY TABLE IF EXISTS tmp CASCADE", "DROP TABLE", {"tmp"});
  expect_ddl("DROP TABLES a, b", "DROP TABLE", {"a", "b"});
  expect_ddl("DROP TABLE IF EXISTS `db`.`t` /* generated by server */", "DROP TABLE", {"db.t"});
  expect_ddl("DROP TABLE `t` /* generated by server */", "DROP TABLE", {"t"});
}

TEST(BinlogDdl, RenameTable) {
  expect_ddl("RENAME TABLE a TO b", "RENAME TABLE", {"a", "b"});
  expect_ddl("RENAME TABLES a TO b, db.c TO db2.d", "RENAME TABLE", {"a", "b", "db.c", "db2.d"});
  expect_ddl("RENAME TABLE IF EXISTS a WAIT 10 TO b, c NOWAIT TO d", "RENAME TABLE",
             {"a", "b", "c", "d"});
  expect_ddl("RENAME USER u TO v", "RENAME USER", {});
}

TEST(BinlogDdl, TruncateTable) {
  expect_ddl("TRUNCATE TABLE t", "TRUNCATE TABLE", {"t"});
  expect_ddl("truncate db.t", "TRUNCATE TABLE", {"db.t"});
  expect_ddl("TRUNCATE TABLE `t` WAIT 3", "TRUNCATE TABLE", {"t"});
}

TEST(BinlogDdl, Indexes) {
  expect_ddl("CREATE INDEX i ON t (a)", "CREATE INDEX", {"t"});
  expect_ddl("CREATE OR REPLACE UNIQUE INDEX IF NOT EXISTS i USING BTREE ON db.t (a, b)",
             "CREATE INDEX", {"db.t"});
  expect_ddl("CREATE FULLTEXT INDEX ft ON t (body)", "CREATE INDEX", {"t"});
  expect_ddl("CREATE SPATIAL INDEX sp ON `t` (g)", "CREATE INDEX", {"t"});
  expect_ddl("DROP INDEX i ON t", "DROP INDEX", {"t"});
  expect_ddl("DROP INDEX IF EXISTS `PRIMARY` ON db.t", "DROP INDEX", {"db.t"});
}

TEST(BinlogDdl, CreateTable) {
  expect_ddl("CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE", {"t"});
  expect_ddl("CREATE OR REPLACE TABLE db.t (a INT) SELECT * FROM s", "CREATE TABLE", {"db.t"});
  expect_ddl("CREATE TEMPORARY TABLE IF NOT EXISTS tmp (a INT)", "CREATE TABLE", {"tmp"});
  expect_ddl("CREATE TABLE t LIKE s", "CREATE TABLE", {"t"});
  expect_ddl("CREATE TABLE `t` (a INT REFERENCES p (id))", "CREATE TABLE", {"t"});
}

TEST(BinlogDdl, Databases) {
  expect_schema("DROP DATABASE d", "DROP DATABASE", {"d"});
  expect_schema("drop schema if exists `d`", "DROP DATABASE", {"d"});
  expect_schema("CREATE DATABASE IF NOT EXISTS d CHARACTER SET utf8mb4", "CREATE DATABASE", {"d"});
  expect_schema("CREATE SCHEMA d", "CREATE DATABASE", {"d"});
  expect_schema("ALTER DATABASE d DEFAULT CHARACTER SET latin1", "ALTER DATABASE", {"d"});
  expect_schema("ALTER SCHEMA `d` COMMENT 'x'", "ALTER DATABASE", {"d"});
  // No name: the default database.
  expect_schema("ALTER DATABASE CHARACTER SET utf8", "ALTER DATABASE", {""});
  expect_schema("ALTER DATABASE COMMENT = 'x'", "ALTER DATABASE", {""});
}

TEST(BinlogDdl, Triggers) {
  expect_ddl("CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1", "CREATE TRIGGER",
             {"t"});
  expect_ddl(
      "CREATE OR REPLACE DEFINER=`root`@`localhost` TRIGGER IF NOT EXISTS db.trg "
      "AFTER UPDATE ON db.t FOR EACH ROW INSERT INTO log VALUES (1)",
      "CREATE TRIGGER", {"db.t"});
  expect_ddl("CREATE DEFINER='u'@'%' TRIGGER trg AFTER DELETE ON `t` FOR EACH ROW DELETE FROM x",
             "CREATE TRIGGER", {"t"});
  expect_ddl("CREATE DEFINER=root@127.0.0.1 TRIGGER trg AFTER DELETE ON t FOR EACH ROW DO 1",
             "CREATE TRIGGER", {"t"});
  expect_ddl("CREATE DEFINER=CURRENT_USER() TRIGGER trg AFTER DELETE ON t FOR EACH ROW DO 1",
             "CREATE TRIGGER", {"t"});
  expect_ddl("DROP TRIGGER trg", "DROP TRIGGER", {});
  expect_ddl("DROP TRIGGER IF EXISTS db.trg", "DROP TRIGGER", {});
}

TEST(BinlogDdl, TableMaintenance) {
  expect_ddl("OPTIMIZE TABLE t1, db.t2", "OPTIMIZE TABLE", {"t1", "db.t2"});
  expect_ddl("REPAIR NO_WRITE_TO_BINLOG TABLE t QUICK", "REPAIR TABLE", {"t"});
  expect_ddl("ANALYZE LOCAL TABLES t", "ANALYZE TABLE", {"t"});
  expect_ddl("ANALYZE TABLE t PERSISTENT FOR ALL", "ANALYZE TABLE", {"t"});
}

TEST(BinlogDdl, ViewsAndSequences) {
  expect_ddl("CREATE VIEW v AS SELECT * FROM t", "CREATE VIEW", {"v"});
  expect_ddl(
      "CREATE OR REPLACE ALGORITHM=MERGE DEFINER=`u`@`%` SQL SECURITY INVOKER VIEW "
      "db.v (a) AS SELECT a FROM t",
      "CREATE VIEW", {"db.v"});
  expect_ddl("ALTER VIEW v AS SELECT 1", "ALTER VIEW", {"v"});
  expect_ddl("DROP VIEW IF EXISTS v1, db.v2", "DROP VIEW", {"v1", "db.v2"});
  expect_ddl("CREATE SEQUENCE IF NOT EXISTS s START WITH 10", "CREATE SEQUENCE", {"s"});
  expect_ddl("ALTER SEQUENCE db.s RESTART 1", "ALTER SEQUENCE", {"db.s"});
  expect_ddl("DROP SEQUENCE s1, s2", "DROP SEQUENCE", {"s1", "s2"});
}

TEST(BinlogDdl, OtherDdlNamesNoTable) {
  expect_ddl("CREATE DEFINER=`root`@`localhost` PROCEDURE p() BEGIN END", "CREATE PROCEDURE", {});
  expect_ddl("CREATE FUNCTION f() RETURNS INT RETURN 1", "CREATE FUNCTION", {});
  expect_ddl("DROP PROCEDURE IF EXISTS p", "DROP PROCEDURE", {});
  expect_ddl("CREATE USER u IDENTIFIED BY 'p'", "CREATE USER", {});
  expect_ddl("ALTER EVENT e RENAME TO e2", "ALTER EVENT", {});
  expect_ddl("DROP", "DROP", {});
  expect_ddl("drop `t`", "DROP", {});
}

TEST(BinlogDdl, UnparsableDdlNamesNoTable) {
  // A name that cannot be read: the verb stays, no partial list of tables.
  expect_ddl("DROP TABLE a, ", "DROP TABLE", {});
  expect_ddl("DROP TABLE a, (b)", "DROP TABLE", {});
  expect_ddl("CREATE TABLE \"t\" (a INT)", "CREATE TABLE", {});  // "t" is a string
  expect_ddl("RENAME TABLE a b", "RENAME TABLE", {});
  expect_ddl("ALTER TABLE t RENAME TO", "ALTER TABLE", {});
  expect_ddl("CREATE INDEX i t (a)", "CREATE INDEX", {});
  expect_ddl("DROP TABLE IF t", "DROP TABLE", {});
  expect_ddl("TRUNCATE", "TRUNCATE TABLE", {});
  expect_ddl("ALTER TABLE db.", "ALTER TABLE", {});
  expect_ddl("DROP DATABASE", "DROP DATABASE", {});
}

TEST(BinlogDdl, QuotedIdentifiers) {
  StatementInfo info = classify_statement("DROP TABLE `my``tbl`, `we ird`.`x.y`, `select`");
  ASSERT_EQ(info.tables.size(), 3u);
  EXPECT_EQ(info.tables[0].schema, "");
  EXPECT_EQ(info.tables[0].table, "my`tbl");
  EXPECT_EQ(info.tables[1].schema, "we ird");
  EXPECT_EQ(info.tables[1].table, "x.y");
  EXPECT_EQ(info.tables[2].table, "select");
  expect_ddl("ALTER TABLE `db` . t2 ADD x INT", "ALTER TABLE", {"db.t2"});
  expect_ddl("DROP TABLE über_t, $t, _1", "DROP TABLE", {"über_t", "$t", "_1"});
}

TEST(BinlogDdl, Comments) {
  expect_ddl("/* x */ DROP /* y */ TABLE -- z\n t1 # w\n , t2", "DROP TABLE", {"t1", "t2"});
  expect_ddl("/*!40000 ALTER TABLE `t` DISABLE KEYS */", "ALTER TABLE", {"t"});
  expect_ddl("/*!ALTER TABLE t ENABLE KEYS*/", "ALTER TABLE", {"t"});
  expect_ddl("CREATE TABLE t (a INT) /*!50100 PARTITION BY HASH (a) */", "CREATE TABLE", {"t"});
  expect_ddl("/*M!100100 DROP TABLE a */", "DROP TABLE", {"a"});
  expect_ddl("DROP TABLE a /*!50001 , b */, c", "DROP TABLE", {"a", "b", "c"});
  expect_ddl("DROP TABLE a /*, b */, c", "DROP TABLE", {"a", "c"});
  // "--" starts a comment only when a space or control character follows.
  expect_ddl("DROP TABLE a --\tcomment\n, b", "DROP TABLE", {"a", "b"});
  expect_ddl("DROP TABLE a,--x\n b", "DROP TABLE", {});
  EXPECT_EQ(kind("-- DROP TABLE t\nSELECT 1"), StatementKind::Other);
  EXPECT_EQ(kind("# DROP TABLE t"), StatementKind::Other);
  EXPECT_EQ(kind("/* DROP TABLE t */ INSERT INTO t VALUES (1)"), StatementKind::Other);
}

TEST(BinlogDdl, StringsHideSql) {
  expect_ddl("ALTER TABLE t COMMENT 'x; DROP TABLE y'", "ALTER TABLE", {"t"});
  expect_ddl("ALTER TABLE t COMMENT 'it''s, RENAME TO u', RENAME TO v", "ALTER TABLE", {"t", "v"});
  expect_ddl("ALTER TABLE t COMMENT 'a\\', RENAME TO u', ADD x INT", "ALTER TABLE", {"t"});
  expect_ddl("ALTER TABLE t COMMENT \"*/ RENAME TO u\", RENAME TO w", "ALTER TABLE", {"t", "w"});
  expect_ddl("ALTER TABLE t ADD c INT COMMENT '/*! , RENAME TO u */'", "ALTER TABLE", {"t"});
  EXPECT_EQ(kind("INSERT INTO t VALUES ('\\'; DROP TABLE x')"), StatementKind::Other);
}

TEST(BinlogDdl, SetStatementFor) {
  expect_ddl("SET STATEMENT max_statement_time=60, sql_mode='' FOR ALTER TABLE t FORCE",
             "ALTER TABLE", {"t"});
  EXPECT_EQ(kind("SET STATEMENT x=1 FOR INSERT INTO t VALUES (1)"), StatementKind::Other);
  EXPECT_EQ(kind("SET STATEMENT x=1"), StatementKind::Other);
}

TEST(BinlogDdl, GarbageNeverCrashes) {
  for (const char *sql : {"",
                          " ",
                          ";",
                          "'",
                          "\"",
                          "`",
                          "/*",
                          "/*!",
                          "/*M!",
                          "*/",
                          "--",
                          "#",
                          "\\",
                          "DROP TABLE '",
                          "DROP TABLE `unterminated",
                          "ALTER TABLE t COMMENT 'unterminated",
                          "CREATE /*! TABLE",
                          "ALTER TABLE t (((",
                          "ALTER TABLE t )))",
                          "ALTER TABLE t EXCHANGE PARTITION",
                          "CREATE DEFINER=",
                          "CREATE DEFINER=`u`@",
                          "CREATE TRIGGER",
                          "RENAME TABLE a WAIT",
                          "XA",
                          "ROLLBACK WORK",
                          "SET STATEMENT",
                          "\xff\xfe\x01"}) {
    StatementInfo info = classify_statement(sql);
    EXPECT_FALSE(statement_touches(info, "db", "db", "zz")) << sql;
  }
  EXPECT_EQ(kind(std::string_view("DROP\0TABLE t", 12)), StatementKind::Ddl);
  EXPECT_EQ(kind(""), StatementKind::Other);
  EXPECT_EQ(kind("(SELECT 1)"), StatementKind::Other);
  expect_ddl("DROP TABLE `unterminated", "DROP TABLE", {"unterminated"});
}

TEST(BinlogDdl, TouchesWithDefaultDatabase) {
  StatementInfo info = classify_statement("RENAME TABLE a TO other.B");
  EXPECT_TRUE(statement_touches(info, "app", "app", "a"));
  EXPECT_TRUE(statement_touches(info, "APP", "app", "A"));
  EXPECT_FALSE(statement_touches(info, "shop", "app", "a"));
  EXPECT_TRUE(statement_touches(info, "shop", "Other", "b"));
  EXPECT_TRUE(statement_touches(info, "other", "other", "a"));  // a in the default db
  EXPECT_FALSE(statement_touches(info, "app", "app", "b"));
  EXPECT_FALSE(statement_touches(info, "app", "app", "ab"));
}

TEST(BinlogDdl, TouchesWholeSchema) {
  StatementInfo drop = classify_statement("DROP DATABASE `Shop`");
  EXPECT_TRUE(statement_touches(drop, "", "shop", "anything"));
  EXPECT_FALSE(statement_touches(drop, "shop", "shop2", "t"));
  StatementInfo alter = classify_statement("ALTER DATABASE CHARACTER SET utf8mb4");
  EXPECT_TRUE(statement_touches(alter, "app", "APP", "t"));
  EXPECT_FALSE(statement_touches(alter, "app", "shop", "t"));
  // Non-ASCII bytes compare exactly.
  StatementInfo u = classify_statement("DROP TABLE Ü");
  EXPECT_TRUE(statement_touches(u, "d", "d", "Ü"));
  EXPECT_FALSE(statement_touches(u, "d", "d", "ü"));
  EXPECT_FALSE(statement_touches(classify_statement("COMMIT"), "d", "d", "t"));
  EXPECT_FALSE(statement_touches(classify_statement("DROP TRIGGER t"), "d", "d", "t"));
}

}  // namespace
}  // namespace minibar

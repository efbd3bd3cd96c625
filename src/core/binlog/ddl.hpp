// Classification of the statements MariaDB/MySQL writes in binlog QUERY
// events: transaction boundaries, and DDL with the tables (or whole schemas)
// it names, so that a change-data-capture worker can pause a synced table
// that DDL touches. A tokenizer and a few grammar rules, not a full SQL
// parser: what it cannot parse is still reported as DDL, naming no table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace minibar {

// A table (or view, or sequence) a statement names; an empty schema means
// the event's default database.
struct DdlTable {
  std::string schema;
  std::string table;
};

enum class StatementKind { Other, Begin, Commit, Rollback, Ddl };

struct StatementInfo {
  StatementKind kind = StatementKind::Other;
  // For Ddl, the operation and the object kind, upper-cased and normalized
  // (SCHEMA -> DATABASE, TABLES -> TABLE, modifiers such as TEMPORARY, OR
  // REPLACE, DEFINER=... left out): "ALTER TABLE", "DROP TABLE", "RENAME
  // TABLE", "TRUNCATE TABLE", "CREATE INDEX", "DROP INDEX", "CREATE TABLE",
  // "CREATE VIEW", "DROP SEQUENCE", "CREATE TRIGGER", "DROP TRIGGER", "DROP
  // DATABASE", "OPTIMIZE TABLE", "REPAIR TABLE", "ANALYZE TABLE", "CREATE
  // USER", ...; only the operation ("DROP") when no word follows it.
  std::string verb;
  // Every table the statement names: all of DROP TABLE a, b; both sides of
  // RENAME TABLE and of ALTER TABLE ... RENAME TO; the other table of
  // EXCHANGE/CONVERT PARTITION; the ON table of CREATE/DROP INDEX and CREATE
  // TRIGGER; the view or sequence of CREATE/ALTER/DROP VIEW|SEQUENCE. Empty,
  // without whole_schema, when the statement names no table (DROP TRIGGER,
  // CREATE USER, ...) or could not be parsed: callers treat that as unknown.
  std::vector<DdlTable> tables;
  // CREATE/ALTER/DROP DATABASE|SCHEMA: every table of `schemas` is affected
  // (an empty name, from ALTER DATABASE without one, is the default database).
  bool whole_schema = false;
  std::vector<std::string> schemas;
};

// Keywords compare case-insensitively; comments are skipped except MySQL
// executable comments (/*!50100 ... */, /*M!100100 ... */), whose content
// counts as SQL; "..." is a string (no ANSI_QUOTES). BEGIN, START TRANSACTION
// and XA START|BEGIN are Begin; COMMIT and XA COMMIT are Commit; ROLLBACK and
// XA ROLLBACK are Rollback (ROLLBACK TO SAVEPOINT, XA END|PREPARE are Other);
// statements starting with CREATE, ALTER, DROP, RENAME, TRUNCATE, and
// OPTIMIZE|REPAIR|ANALYZE TABLE, are Ddl; a leading SET STATEMENT ... FOR is
// looked through. Anything else, garbage and empty input included, is Other.
StatementInfo classify_statement(std::string_view sql);

// True when info names table (schema, table) or its whole schema, given the
// event's default database: an empty schema in info means default_db, and
// names compare case-insensitively (ASCII letters only).
bool statement_touches(const StatementInfo &info, std::string_view default_db,
                       std::string_view schema, std::string_view table);

}  // namespace minibar

// A remote table's definition as the migration needs it: columns with their
// source types, keys, indexes, foreign keys, checks and comments, the same
// shape for MySQL/MariaDB and SQLite. Read by mysql_schema / sqlite_schema,
// mapped to PostgreSQL by migrate_plan. Pure C++.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/mysql/types.hpp"
#include "core/plan/remote_query.hpp"
#include "core/sqlite/types.hpp"

namespace minibar {

struct SourceColumn {
  std::string name;
  std::string declared;   // the type as the source shows it: COLUMN_TYPE / SQLite declared type
  MysqlColumnInfo mysql;  // MySQL only
  bool nullable = true;
  std::optional<std::string> default_value;  // as the source reports it (nullopt: none)
  bool auto_increment = false;               // AUTO_INCREMENT / SQLite INTEGER PRIMARY KEY
  bool on_update_now = false;                // MySQL ON UPDATE CURRENT_TIMESTAMP
  bool generated = false;                    // a generated (computed) column
  std::string comment;
  std::vector<std::string> enum_labels;  // MySQL ENUM labels in order
  std::string collation;                 // MySQL COLLATION_NAME (text columns), else empty
  // SQLite: what the column stores, when its type depends on it
  // (sqlite_type_depends_on_values); the planner picks a type holding all of it.
  std::optional<SqliteValueProfile> values;
};

struct IndexColumn {
  std::string column;  // empty for an expression
  int prefix = 0;      // MySQL prefix length in characters (0: whole column)
  bool descending = false;
};

struct SourceIndex {
  std::string name;
  bool primary = false;
  bool unique = false;
  std::string method = "BTREE";  // BTREE, HASH, FULLTEXT, SPATIAL
  std::vector<IndexColumn> columns;
  bool expression = false;  // SQLite: over an expression (not translated)
  bool partial = false;     // SQLite: has a WHERE clause (not translated)
  std::string definition;   // SQLite: the CREATE INDEX text, for the note
};

struct SourceForeignKey {
  std::string name;  // may be empty (SQLite)
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;  // empty: the referenced table's primary key
  std::string on_delete = "NO ACTION";   // NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT
  std::string on_update = "NO ACTION";
};

struct SourceCheck {
  std::string name;  // may be empty
  std::string expr;  // as written in the source
};

struct SourceTable {
  std::string name;
  std::vector<SourceColumn> columns;
  std::vector<SourceIndex> indexes;  // the primary key first when there is one
  std::vector<SourceForeignKey> foreign_keys;
  std::vector<SourceCheck> checks;
  std::string comment;
  int64_t estimated_rows = -1;  // -1: unknown
  // A view read as a table ("views": "materialize", or named on its own):
  // its columns as view_column() leaves them, no keys, indexes, foreign keys
  // or checks. A migration copies its rows into a table (a snapshot).
  bool view = false;

  const SourceColumn *column(const std::string &name) const;
  const SourceIndex *primary_key() const;
};

// A view's column as the table materializing it takes it: its type only.
// NOT NULL, the default, AUTO_INCREMENT, ON UPDATE, generated and the comment
// that the source derives from a base table's column are dropped: the table
// holds a snapshot of what the view returned, not the base table's rules.
void view_column(SourceColumn &c);

// Objects the migration does not translate (reported as notes).
struct SourceObject {
  std::string kind;  // view, trigger, routine, event
  std::string name;
  std::string detail;
};

struct SourceSchema {
  Dialect dialect = Dialect::Sqlite;
  std::vector<SourceTable> tables;  // by name
  std::vector<SourceObject> others;

  const SourceTable *table(const std::string &name) const;
  // A view reported in others (not read as a table).
  bool noted_view(const std::string &name) const;
};

}  // namespace minibar

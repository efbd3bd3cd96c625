// Reads a SQLite database's definition into the migration's schema model:
// columns (declared types, NOT NULL, defaults, INTEGER PRIMARY KEY as an
// auto-increment key), primary key, UNIQUE constraints and indexes (partial
// and expression indexes marked), foreign keys with their actions, CHECK
// constraints (from the CREATE TABLE text), and the views and triggers the
// migration reports as not translated. Pure C++.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/schema/model.hpp"
#include "core/sqlite/client.hpp"

namespace minibar {

// The CHECK constraints of a CREATE TABLE statement, column and table level,
// in order, with their CONSTRAINT names when given. Strings, quoted names and
// comments are skipped correctly.
std::vector<SourceCheck> sqlite_check_constraints(std::string_view create_table_sql);

// With a non-empty `only`, only those tables (and no other objects). Throws
// Error (HV00R for a table in `only` that does not exist).
SourceSchema read_sqlite_schema(SqliteDatabase &db, const std::vector<std::string> &only = {});

}  // namespace minibar

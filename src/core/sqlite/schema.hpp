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

// With `views`, views are read as tables (SourceTable::view; else they go to
// others). With a non-empty `only`, only those tables or views (and no other
// objects). A view SQLite cannot run is a note in others (an error when
// `only` names it). Throws Error (HV00R for a name in `only` that does not
// exist).
SourceSchema read_sqlite_schema(SqliteDatabase &db, const std::vector<std::string> &only = {},
                                bool views = false);

}  // namespace minibar

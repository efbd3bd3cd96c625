// Reads a MySQL/MariaDB database's definition from information_schema into
// the migration's schema model: columns (types, NOT NULL, defaults,
// AUTO_INCREMENT, ON UPDATE, comments, ENUM labels), primary key, unique and
// secondary indexes (prefix, FULLTEXT, SPATIAL), foreign keys with their
// actions, CHECK constraints, and the views, triggers, routines and events
// the migration reports as not translated. Pure C++.
#pragma once

#include <string>
#include <vector>

#include "core/mysql/client.hpp"
#include "core/schema/model.hpp"

namespace minibar {

// Labels of an ENUM/SET COLUMN_TYPE as information_schema shows it:
// "enum('a','it''s')" -> {"a", "it's"}. Empty when it is not one.
std::vector<std::string> parse_mysql_enum_labels(const std::string &column_type);

// The definition of database db: its base tables, and with `views` its views
// as tables (SourceTable::view; else views go to others). With a non-empty
// `only`, only those tables or views (and no other objects). A view the server
// cannot read is a note in others (an error when `only` names it). Throws
// Error (HV00Q when the database is not visible).
SourceSchema read_mysql_schema(MysqlConnection &conn, const std::string &db,
                               const std::vector<std::string> &only = {}, bool views = false);

}  // namespace minibar

// Source columns as the catalog readers make them, for the unit tests of the
// plans (migrate_plan_test, preflight_test).
#pragma once

#include <string>

#include "core/schema/model.hpp"

namespace minibar {
namespace test {

inline SourceColumn mysql_col(const std::string &name, const std::string &data_type,
                              const std::string &column_type, bool nullable = true,
                              const std::string &collation = "") {
  SourceColumn c;
  c.name = name;
  c.mysql.data_type = data_type;
  c.mysql.column_type = column_type;
  c.declared = column_type;
  c.nullable = nullable;
  c.collation = collation;
  return c;
}

inline SourceColumn sqlite_col(const std::string &name, const std::string &declared,
                               bool nullable = true) {
  SourceColumn c;
  c.name = name;
  c.declared = declared;
  c.nullable = nullable;
  return c;
}

}  // namespace test
}  // namespace minibar

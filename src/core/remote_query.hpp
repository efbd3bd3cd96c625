// A remote SELECT as the wrappers push it down: column list, WHERE conditions
// over plain columns with parameter placeholders, and an optional LIMIT.
// Built by the PostgreSQL layer from planner expressions; turned into SQL text
// here, so the text (and the quoting in it) is unit-tested without PostgreSQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace minibar {

struct RemoteCond {
  enum class Kind { And, Or, Not, Compare, IsNull, IsNotNull, In };
  Kind kind = Kind::Compare;
  std::vector<RemoteCond> args;  // And / Or (two or more), Not (one)
  std::string column;            // Compare / IsNull / IsNotNull / In: remote column name
  std::string op;                // Compare: "=", "<>", "<", "<=", ">", ">="
  int params = 0;                // Compare: 1; In: number of list elements
};

struct RemoteSelect {
  std::string schema;                // remote database (MySQL), unquoted; empty: the default
  std::string table;                 // remote table name, unquoted
  std::vector<std::string> columns;  // remote column names, unquoted; empty: no column needed
  std::string row_locator;           // optional extra first column, e.g. "rowid" (emitted as is)
  std::vector<RemoteCond> where;     // ANDed together
  std::optional<int64_t> limit;
  std::optional<double> sample_fraction;  // MySQL: keep about this fraction of rows (RAND())
};

enum class Dialect { Sqlite, Mysql };

// SQL text with one '?' per parameter, in the order conditions appear.
// Throws std::invalid_argument for a malformed condition (e.g. an unknown op).
std::string deparse_select(const RemoteSelect &query, Dialect dialect);

// Number of '?' parameters the query's conditions take.
int count_params(const RemoteSelect &query);

}  // namespace minibar

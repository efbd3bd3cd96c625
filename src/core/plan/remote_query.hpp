// A remote SELECT as the wrappers push it down: column list, WHERE conditions
// over plain columns with parameter placeholders, and an optional LIMIT.
// Built by the PostgreSQL layer from planner expressions; turned into SQL text
// here, so the text (and the quoting in it) is unit-tested without PostgreSQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.hpp"

namespace minibar {

struct RemoteCond {
  enum class Kind { And, Or, Not, Compare, IsNull, IsNotNull, In };
  Kind kind = Kind::Compare;
  std::vector<RemoteCond> args;  // And / Or (two or more), Not (one)
  std::string column;            // Compare / IsNull / IsNotNull / In: remote column name
  std::string op;                // Compare: "=", "<>", "<", "<=", ">", ">="
  int params = 0;                // Compare: 1; In: number of list elements
  // Compare: a flag parameter comes first, "(? OR col op ?)". The scan binds 1
  // when the value may not be sent (param_value_pushable), so the condition
  // passes every row and the local recheck of the clause decides.
  bool flag_param = false;
  // SQLite, Compare and In: also pass the rows whose value is stored as TEXT,
  // "(col op ? OR typeof(col) = 'text')". SQLite orders text above every
  // number, while PostgreSQL reads '-Infinity' or 'NaN' text as a float; the
  // clause is rechecked locally.
  bool pass_text = false;
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

// Values a pushed comparison may carry: the remote side must compare them as
// PostgreSQL does. NaN and ±Infinity never qualify: MySQL cannot store them
// and reads the text 'NaN' as 0; SQLite binds NaN as NULL, and PostgreSQL
// orders NaN above every number, Infinity included.
bool float_value_pushable(double v) noexcept;

// numeric_out() text that a MySQL DECIMAL parameter holds exactly: a plain
// decimal with at most 65 significant digits, at most 30 of them after the
// point (MySQL's DECIMAL(65,30); leading and trailing zeros do not count).
// MariaDB cuts longer fractions off and turns negative values beyond about
// 81 digits into positive ones. 'NaN', 'Infinity' and '-Infinity' do not qualify.
bool mysql_decimal_pushable(std::string_view numeric_text) noexcept;

// Whether a parameter value may be bound into a pushed comparison in this
// dialect: NULL, integers and text always; doubles when finite; decimals only
// to MySQL, when mysql_decimal_pushable (SQLite would compare them as doubles).
bool param_value_pushable(const SqlValue &value, Dialect dialect) noexcept;

}  // namespace minibar

// validate_checksums computed in SQL on both servers (MySQL source), so rows
// do not cross the wire: each compared column is rendered as canonical text
// by an expression on each side, the row's text is the concatenation of
// "<byte length>:<text>" per value ("~" for NULL), and a row hash is the
// first 15 hex digits of its MD5 (60 bits); a chunk is COUNT(*) and the
// exact SUM of the row hashes. Only (source type, target type) pairs whose
// text is the same on both sides by construction are eligible; a table with
// any other column is streamed instead. Pure C++, unit-tested.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/schema/model.hpp"

namespace minibar {

// The target column's kind, as far as the encoding cares.
// TimestampUtc: a timestamptz whose source value is UTC (MySQL TIMESTAMP,
// read in a +00:00 session; DATETIME when source_timezone is UTC).
enum class PgTextKind {
  Int,
  Numeric,
  Bool,
  Text,
  Bytea,
  Date,
  Timestamp,
  TimestampUtc,
  Enum,
  Other
};

struct PushdownColumn {
  std::string mysql_expr;  // canonical text of the source value, NULL for NULL
  std::string pg_expr;     // the same for the target value
};

// nullopt when this pair is not eligible.
std::optional<PushdownColumn> pushdown_column(const SourceColumn &source, PgTextKind target,
                                              const std::string &target_column);

// The 60-bit row hash expressions (as unsigned integers) over the columns.
std::string mysql_row_hash(const std::vector<PushdownColumn> &columns);
std::string pg_row_hash(const std::vector<PushdownColumn> &columns);

}  // namespace minibar

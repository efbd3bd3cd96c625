// CHECK expressions from the source database rebuilt for PostgreSQL.
//
// The text of a source CHECK is untrusted: whoever can create a table in the
// MySQL/MariaDB database, or hands over the SQLite file, wrote it. It is never
// copied into PostgreSQL DDL. It is tokenised with the SOURCE dialect's
// lexical rules (MySQL: backslash escapes in '...', backtick identifiers, #,
// "-- " and /* */ comments, charset introducers; SQLite: '...' with ''
// doubling, "..." / [..] / `..` identifiers, non-nesting /* */ comments),
// parsed with a small fixed grammar, and printed again from the parse:
// string literals through pg_quote_literal, column references through the
// caller's resolver and pg_quote_ident, numbers from their parsed digits,
// operators, keywords and function names from fixed text. Whatever the grammar
// does not know, or whose meaning could differ in PostgreSQL, is refused with
// a reason; nothing is passed through. See docs/security.md.
// Pure C++ (no PostgreSQL headers).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plan/remote_query.hpp"

namespace minibar {

// A target column's PostgreSQL type, as far as the translator needs it.
enum class ExprType {
  Integer,         // smallint, integer, bigint
  Number,          // numeric, real, double precision
  Boolean,         // boolean
  Text,            // text, character varying, character
  Enum,            // a PostgreSQL enum made from a MySQL ENUM
  Bytes,           // bytea
  Date,            // date
  Time,            // time without time zone
  Interval,        // interval
  Timestamp,       // timestamp with time zone (literals depend on TimeZone)
  LocalTimestamp,  // timestamp without time zone
  Json,            // jsonb / json
  Other,           // anything else: only IS [NOT] NULL is translated
};

struct ExprColumn {
  std::string target;  // the target column's name (printed with pg_quote_ident)
  ExprType type = ExprType::Other;
  std::string collation;  // MySQL: the column's COLLATION_NAME (text columns); else empty
};

// Source column name as written in the expression (unquoted) -> the target
// column; nullopt when the table has no such column.
using ExprColumnResolver = std::function<std::optional<ExprColumn>(const std::string &)>;

enum class ExprOutcome {
  Translated,  // expr holds a PostgreSQL boolean expression
  Redundant,   // the target column's type already guarantees it (json_valid on jsonb)
  Refused,     // not translated; reason says why
};

struct ExprTranslation {
  ExprOutcome outcome = ExprOutcome::Refused;
  std::string expr;    // Translated only
  std::string reason;  // Redundant / Refused
  // Translated: ways the PostgreSQL constraint may still judge a value
  // differently (e.g. a MySQL case-insensitive collation); for notes.
  std::vector<std::string> caveats;
};

inline constexpr size_t kMaxCheckExprBytes = 4096;
inline constexpr int kMaxCheckExprDepth = 32;

// The source CHECK expression (the text between CHECK's parentheses) as a
// PostgreSQL boolean expression over the target columns.
ExprTranslation translate_check(std::string_view source, Dialect dialect,
                                const ExprColumnResolver &resolve);

// ExprType of a PostgreSQL type written as SQL text ("integer",
// "character varying(20)", "numeric(10,2)", ...); is_enum: the column's type
// is an enum the migration creates.
ExprType expr_type_of_pg_type(const std::string &pg_type, bool is_enum = false);

// Source text for a note: at most max_bytes bytes (cut at a UTF-8 character
// boundary, "..." appended when cut), control characters as spaces, bytes that
// are not UTF-8 as '?'.
std::string note_excerpt(std::string_view text, size_t max_bytes = 200);

}  // namespace minibar

// SQLite declared types: affinity and the default PostgreSQL type.
#include "core/sqlite_types.hpp"

#include <cstddef>

namespace minibar {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Case-insensitive (ASCII) substring search; needle is upper case.
bool contains_ci(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && ascii_upper(haystack[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

bool equals_ci(std::string_view a, std::string_view upper) {
  if (a.size() != upper.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_upper(a[i]) != upper[i]) return false;
  }
  return true;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Parses an unsigned decimal in [0, 1000] (surrounding whitespace allowed, an
// optional '+'), the only precision/scale values PostgreSQL accepts for numeric.
bool parse_typmod_number(std::string_view s, int &out) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  int v = 0;
  for (char c : s) {
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
    if (v > 1000) return false;
  }
  out = v;
  return true;
}

// "(p)" or "(p,s)" with 1 <= p <= 1000 and 0 <= s <= p (the range every
// supported PostgreSQL version accepts); anything else yields plain numeric.
std::string numeric_with_typmod(std::string_view args) {
  // args is the text between the parentheses.
  size_t comma = args.find(',');
  int precision = 0;
  int scale = 0;
  if (!parse_typmod_number(args.substr(0, comma), precision)) return "numeric";
  if (comma != std::string_view::npos) {
    if (!parse_typmod_number(args.substr(comma + 1), scale)) return "numeric";
  }
  if (precision < 1 || scale > precision) return "numeric";
  std::string out = "numeric(" + std::to_string(precision);
  if (comma != std::string_view::npos) out += "," + std::to_string(scale);
  out += ")";
  return out;
}

}  // namespace

SqliteAffinity sqlite_affinity(std::string_view declared_type) {
  // The rules of datatype3.html section 3.1, applied in order.
  if (contains_ci(declared_type, "INT")) return SqliteAffinity::Integer;
  if (contains_ci(declared_type, "CHAR") || contains_ci(declared_type, "CLOB") ||
      contains_ci(declared_type, "TEXT")) {
    return SqliteAffinity::Text;
  }
  // SQLite's parser never keeps surrounding whitespace in a declared type, so a
  // blank type is the same as no type at all.
  if (contains_ci(declared_type, "BLOB") || trim(declared_type).empty()) {
    return SqliteAffinity::Blob;
  }
  if (contains_ci(declared_type, "REAL") || contains_ci(declared_type, "FLOA") ||
      contains_ci(declared_type, "DOUB")) {
    return SqliteAffinity::Real;
  }
  return SqliteAffinity::Numeric;
}

std::string sqlite_type_to_pg(std::string_view declared_type) {
  std::string_view type = trim(declared_type);

  // Named types are matched on their name alone (case-insensitive, surrounding
  // whitespace ignored); a parenthesised modifier such as "DATETIME(6)" is
  // ignored, except for DECIMAL/NUMERIC where it becomes the typmod.
  std::string_view name = type;
  std::string_view args;
  bool has_args = false;
  size_t open = type.find('(');
  if (open != std::string_view::npos && type.back() == ')' && open < type.size() - 1) {
    name = trim(type.substr(0, open));
    args = type.substr(open + 1, type.size() - open - 2);
    has_args = true;
  }

  if (equals_ci(name, "BOOL") || equals_ci(name, "BOOLEAN")) return "boolean";
  if (equals_ci(name, "DATETIME") || equals_ci(name, "TIMESTAMP")) {
    return "timestamp with time zone";
  }
  if (equals_ci(name, "DATE")) return "date";
  if (equals_ci(name, "TIME")) return "time without time zone";
  if (equals_ci(name, "JSON") || equals_ci(name, "JSONB")) return "jsonb";
  if (has_args && (equals_ci(name, "DECIMAL") || equals_ci(name, "NUMERIC"))) {
    return numeric_with_typmod(args);
  }

  if (type.empty()) return "text";
  switch (sqlite_affinity(type)) {
    case SqliteAffinity::Integer:
      return "bigint";
    case SqliteAffinity::Real:
      return "double precision";
    case SqliteAffinity::Text:
      return "text";
    case SqliteAffinity::Blob:
      return "bytea";
    case SqliteAffinity::Numeric:
      return "numeric";
  }
  return "numeric";
}

}  // namespace minibar

// SQLite declared types: affinity and the default PostgreSQL type.
#include "core/sqlite/types.hpp"

#include "core/convert/number_parse.hpp"

#include <algorithm>
#include <cstddef>

#include "core/schema/quote.hpp"

namespace minibar {

namespace {

// The number after position at (a '(' or ',') of a type like numeric(10,2):
// its digits up to the next ',' or ')', 0 when there are none or too many.
int64_t typmod_number(const std::string &type, size_t at) {
  if (at == std::string::npos) return 0;
  size_t end = type.find_first_of(",)", at + 1);
  std::string digits =
      type.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
  return parse_int64(digits).value_or(0);
}

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

namespace {

std::string_view declared_name(std::string_view type) {
  type = trim(type);
  size_t open = type.find('(');
  return open == std::string_view::npos ? type : trim(type.substr(0, open));
}

std::string count_text(int64_t n, const char *what) {
  return std::to_string(n) + " " + what;
}

}  // namespace

bool sqlite_type_depends_on_values(std::string_view declared_type) {
  if (trim(declared_type).empty()) return true;
  std::string m = sqlite_type_to_pg(declared_type);
  return m == "numeric" || m.rfind("numeric(", 0) == 0;
}

namespace {

std::string uuid_glob() {
  std::string g;
  for (int group : {8, 4, 4, 4, 12}) {
    if (!g.empty()) g += "-";
    for (int i = 0; i < group; i++) g += "[0-9a-fA-F]";
  }
  return g;
}

std::string trimmed_text(const std::string &c) {
  return "trim(CAST(" + c + " AS TEXT))";
}

// Text that looks like a decimal number; c must be text (the caller's CASE
// makes sure, so numbers are never turned into text just to be looked at).
std::string looks_numeric(const std::string &c) {
  const std::string t = trimmed_text(c);
  return "(" + t + " GLOB '*[0-9]*' AND NOT " + t + " GLOB '*[^0-9.eE+-]*')";
}

// A value of column c (quoted) that numeric(p,s) (mapped) would not hold as
// it is: a number with round(v, s) <> v or |v| >= 10^(p-s), or text that
// looks like a number (text compares as text here, so it always counts and
// gets the exact look; SQLite turns most numeric text into numbers anyway).
// A CASE, so that each value pays only for the test of its storage class.
std::string misfit_condition(const std::string &c, const std::string &mapped) {
  int64_t p = typmod_number(mapped, mapped.find('(')), s = 0;
  size_t comma = mapped.find(',');
  if (comma != std::string::npos) s = typmod_number(mapped, comma);
  std::string limit = "1";
  for (int64_t k = 0; k < p - s && k < 300; k++) limit += "0";
  return "CASE typeof(" + c + ") WHEN 'integer' THEN round(" + c + ", " + std::to_string(s) +
         ") <> " + c + " OR abs(" + c + ") >= " + limit + " WHEN 'real' THEN round(" + c + ", " +
         std::to_string(s) + ") <> " + c + " OR abs(" + c + ") >= " + limit + " WHEN 'text' THEN " +
         looks_numeric(c) + " ELSE 0 END";
}

bool has_typmod(const std::string &mapped) {
  return mapped.rfind("numeric(", 0) == 0;
}

}  // namespace

std::string sqlite_profile_sql(const std::string &table,
                               const std::vector<std::pair<std::string, std::string>> &columns) {
  // The inner SELECT (LIMIT -1 keeps SQLite from merging it into the
  // aggregate) computes, once per row and column, the storage class (k),
  // the value where a text test needs it (v), and for numeric(p,s) the text
  // of a value the type would not hold, NULL otherwise (x). The outer SELECT
  // only counts and compares those.
  std::string inner, outer;
  auto add = [](std::string &to, const std::string &item) {
    to += (to.empty() ? "" : ", ") + item;
  };
  for (size_t i = 0; i < columns.size(); i++) {
    const std::string c = sqlite_quote_ident(columns[i].first);
    const std::string &declared = columns[i].second;
    const std::string n = std::to_string(i);
    const std::string k = "k" + n, v = "v" + n, x = "x" + n;
    const std::string mapped = sqlite_type_to_pg(declared);
    const bool uuid = equals_ci(declared_name(declared), "UUID");
    const bool numeric_affinity = !uuid && (mapped == "numeric" || has_typmod(mapped));
    const bool typmod = !uuid && has_typmod(mapped);
    add(inner, "typeof(" + c + ") AS " + k);
    if (uuid || numeric_affinity) add(inner, c + " AS " + v);
    if (typmod)
      add(inner,
          "CASE WHEN " + misfit_condition(c, mapped) + " THEN " + trimmed_text(c) + " END AS " + x);
    for (const char *cls : {"integer", "real", "text", "blob"})
      add(outer, "coalesce(sum(" + k + " = '" + cls + "'), 0)");
    add(outer, uuid ? "coalesce(sum(CASE WHEN " + k + " = 'text' THEN NOT (length(" + v +
                          ") = 36 AND " + v + " GLOB '" + uuid_glob() + "') END), 0)"
                    : "0");
    add(outer, numeric_affinity ? "coalesce(sum(CASE WHEN " + k + " = 'text' THEN NOT " +
                                      looks_numeric(v) + " END), 0)"
                                : "0");
    if (typmod) {
      const std::string frac = "rtrim(" + x + ", '0')", dot = "instr(" + x + ", '.')";
      add(outer, "count(" + x + ")");
      add(outer, "coalesce(sum(CASE WHEN " + x + " IS NOT NULL THEN instr(lower(" + x +
                     "), 'e') > 0 END), 0)");
      add(outer, "coalesce(max(CASE WHEN " + x + " IS NULL THEN NULL WHEN " + dot +
                     " > 0 THEN max(length(" + frac + ") - " + dot + ", 0) ELSE 0 END), 0)");
      add(outer, "coalesce(max(CASE WHEN " + x + " IS NOT NULL THEN length(ltrim(CASE WHEN " + dot +
                     " > 0 THEN substr(" + x + ", 1, " + dot + " - 1) ELSE " + x +
                     " END, '+-0')) END), 0)");
    } else {
      outer += ", 0, 0, 0, 0";
    }
  }
  return "SELECT " + outer + " FROM (SELECT " + inner + " FROM " + sqlite_quote_ident(table) +
         " LIMIT -1)";
}

SqliteValueProfile sqlite_profile_of(const int64_t *f) {
  SqliteValueProfile p;
  p.integers = f[0];
  p.reals = f[1];
  p.texts = f[2];
  p.blobs = f[3];
  p.texts_not_uuid = f[4];
  p.texts_not_number = f[5];
  p.misfits = f[6];
  p.exponents = f[7];
  p.max_scale = f[8];
  p.max_int_digits = f[9];
  return p;
}

SqliteTypeChoice sqlite_type_for_values(std::string_view declared_type,
                                        const SqliteValueProfile &v) {
  const std::string mapped = sqlite_type_to_pg(declared_type);
  const std::string_view name = declared_name(declared_type);
  const int64_t numbers = v.integers + v.reals;
  SqliteTypeChoice out{mapped, {}};
  auto choose = [&](std::string type, std::string why) {
    out.type = std::move(type);
    out.note = "declared " +
               (name.empty() ? std::string("without a type") : std::string(declared_type)) +
               ", created as " + out.type + ": " + why;
    return out;
  };
  if (equals_ci(name, "UUID")) {
    if (v.blobs > 0)
      return choose("bytea",
                    count_text(v.blobs, "value(s) are blobs (binary UUIDs or other bytes)") +
                        "; bytea keeps every value's bytes (text as its UTF-8 bytes)");
    if (v.texts > 0 && v.texts_not_uuid == 0 && numbers == 0)
      return choose("uuid", "every value is UUID text");
    if (v.texts == 0 && numbers == 0) return choose("uuid", "the column is empty");
    return choose("text", count_text(v.texts_not_uuid + numbers, "value(s) are not UUID text"));
  }
  if (trim(declared_type).empty()) {
    if (v.blobs > 0)
      return choose("bytea", count_text(v.blobs, "value(s) are blobs") +
                                 "; bytea keeps every value's bytes (text as its UTF-8 bytes, "
                                 "numbers as their text)");
    if (v.texts > 0)
      return numbers > 0 ? choose("text", "it mixes text and numbers; numbers keep their text")
                         : out;  // text, the declared mapping
    if (v.reals > 0 && v.integers > 0)
      return choose("numeric", "it mixes integers and reals; numeric holds both exactly");
    if (v.reals > 0) return choose("double precision", "every value is a real");
    if (v.integers > 0) return choose("bigint", "every value is an integer");
    return out;
  }
  if (mapped != "numeric" && mapped.rfind("numeric(", 0) != 0) return out;
  if (v.blobs > 0)
    return choose("bytea",
                  count_text(v.blobs, "value(s) are blobs") + "; bytea keeps every value's bytes");
  if (v.texts_not_number > 0)
    return choose("text", count_text(v.texts_not_number, "text value(s) are not numbers") +
                              "; numbers keep their text");
  if (mapped == "numeric") return out;
  // numeric(p,s): wide enough for every value, so none is rounded.
  int64_t p = 0, s = 0;
  size_t open = mapped.find('('), comma = mapped.find(',');
  p = typmod_number(mapped, open);
  if (comma != std::string::npos) s = typmod_number(mapped, comma);
  if (v.exponents > 0)
    return choose("numeric", count_text(v.exponents, "value(s) have an exponent") +
                                 "; numeric without a scale keeps them exactly");
  if (v.max_scale <= s && v.max_int_digits <= p - s) return out;
  const int64_t scale = std::max(s, v.max_scale);
  const int64_t precision = std::max(p - s, v.max_int_digits) + scale;
  const std::string why = "values need " + std::to_string(v.max_int_digits) +
                          " digit(s) before the point and " + std::to_string(v.max_scale) +
                          " after it, more than " + mapped + " holds; no value is rounded";
  if (precision > 1000) return choose("numeric", why);
  return choose("numeric(" + std::to_string(precision) + "," + std::to_string(scale) + ")", why);
}

}  // namespace minibar

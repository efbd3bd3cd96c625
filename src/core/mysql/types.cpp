#include "core/mysql/types.hpp"

#include <cctype>

#include "core/schema/quote.hpp"

namespace minibar {

namespace {

bool starts_with(const std::string &s, const char *prefix) {
  return s.rfind(prefix, 0) == 0;
}

bool is_unsigned(const std::string &column_type) {
  return column_type.find(" unsigned") != std::string::npos;
}

// The first number in parentheses of a COLUMN_TYPE ("bit(10)" -> 10).
std::optional<long long> paren_number(const std::string &column_type) {
  size_t open = column_type.find('(');
  if (open == std::string::npos) return std::nullopt;
  long long v = 0;
  size_t i = open + 1;
  if (i >= column_type.size() || !std::isdigit(static_cast<unsigned char>(column_type[i])))
    return std::nullopt;
  for (; i < column_type.size() && std::isdigit(static_cast<unsigned char>(column_type[i])); i++)
    v = v * 10 + (column_type[i] - '0');
  return v;
}

bool is_number_literal(const std::string &s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) i++;
  bool digits = false, dot = false;
  for (; i < s.size(); i++) {
    if (std::isdigit(static_cast<unsigned char>(s[i])))
      digits = true;
    else if (s[i] == '.' && !dot)
      dot = true;
    else
      return false;
  }
  return digits;
}

bool is_numeric_type(const std::string &t) {
  return t == "smallint" || t == "integer" || t == "bigint" || t == "real" ||
         t == "double precision" || starts_with(t, "numeric");
}

bool is_text_type(const std::string &t) {
  return t == "text" || starts_with(t, "character varying");
}

}  // namespace

PgTypeChoice mysql_to_pg_type(const MysqlColumnInfo &c) {
  std::string dt = ascii_lower(c.data_type);
  std::string ct = ascii_lower(c.column_type);
  bool u = is_unsigned(ct);
  if (c.is_json || dt == "json") return {"jsonb", ""};
  if (dt == "tinyint") return {starts_with(ct, "tinyint(1)") && !u ? "boolean" : "smallint", ""};
  if (dt == "bool" || dt == "boolean") return {"boolean", ""};
  if (dt == "smallint") return {u ? "integer" : "smallint", ""};
  if (dt == "mediumint") return {"integer", ""};
  if (dt == "int" || dt == "integer") return {u ? "bigint" : "integer", ""};
  if (dt == "bigint") return {u ? "numeric(20,0)" : "bigint", ""};
  if (dt == "decimal" || dt == "numeric" || dt == "fixed") {
    long long p = c.numeric_precision.value_or(10), s = c.numeric_scale.value_or(0);
    return {"numeric(" + std::to_string(p) + "," + std::to_string(s) + ")", ""};
  }
  if (dt == "float") return {"real", ""};
  if (dt == "double" || dt == "real" || dt == "double precision") return {"double precision", ""};
  if (dt == "bit") {
    long long n = paren_number(ct).value_or(1);
    return {n == 1 ? "boolean" : "bit varying(" + std::to_string(n) + ")", ""};
  }
  if (dt == "char" || dt == "varchar") {
    if (c.char_max_length && *c.char_max_length > 0 && *c.char_max_length <= 10485760)
      return {"character varying(" + std::to_string(*c.char_max_length) + ")", ""};
    return {"text", ""};
  }
  if (dt == "tinytext" || dt == "text" || dt == "mediumtext" || dt == "longtext")
    return {"text", ""};
  if (dt == "enum") return {"text", ""};
  if (dt == "set") return {"text[]", ""};
  if (dt == "date") return {"date", ""};
  if (dt == "datetime" || dt == "timestamp") return {"timestamp with time zone", ""};
  if (dt == "time") return {"interval", ""};
  if (dt == "year") return {"smallint", ""};
  if (dt == "binary" || dt == "varbinary" || dt == "tinyblob" || dt == "blob" ||
      dt == "mediumblob" || dt == "longblob")
    return {"bytea", ""};
  if (dt == "geometry" || dt == "point" || dt == "linestring" || dt == "polygon" ||
      dt == "multipoint" || dt == "multilinestring" || dt == "multipolygon" ||
      dt == "geometrycollection" || dt == "geomcollection")
    return {"bytea", ""};
  if (dt == "uuid") return {"uuid", ""};
  if (dt == "inet4" || dt == "inet6") return {"inet", ""};
  return {"text",
          "MySQL type \"" + c.column_type + "\" has no PostgreSQL mapping; imported as text"};
}

std::optional<std::string> mysql_default_to_pg(const std::string &d, const std::string &pg_type) {
  if (d.empty() || ascii_lower(d) == "null") return std::nullopt;
  if (pg_type == "boolean") {
    if (d == "0" || d == "b'0'") return std::string("false");
    if (d == "1" || d == "b'1'") return std::string("true");
    return std::nullopt;
  }
  if (is_numeric_type(pg_type)) {
    if (is_number_literal(d)) return d;
    return std::nullopt;
  }
  if (is_text_type(pg_type)) {
    std::optional<std::string> s = unquote_sql_literal(d, true, true);
    if (s) return pg_quote_literal(*s);
    return std::nullopt;
  }
  if (pg_type == "timestamp with time zone") {
    std::string l = ascii_lower(d);
    if (starts_with(l, "current_timestamp") || starts_with(l, "now("))
      return std::string("CURRENT_TIMESTAMP");
  }
  return std::nullopt;
}

}  // namespace minibar

#include "core/plan/remote_query.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/schema/quote.hpp"

namespace minibar {

namespace {

std::string quote_ident(const std::string &name, Dialect dialect) {
  switch (dialect) {
    case Dialect::Sqlite:
      return sqlite_quote_ident(name);
    case Dialect::Mysql:
      return mysql_quote_ident(name);
  }
  throw std::invalid_argument("unknown dialect");
}

bool valid_op(const std::string &op) {
  return op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=";
}

// " OR typeof(col) = 'text'" for a condition that passes text-stored values.
void pass_text(const RemoteCond &c, Dialect dialect, std::string &out) {
  if (!c.pass_text) return;
  if (dialect != Dialect::Sqlite) throw std::invalid_argument("pass_text is for SQLite only");
  out += " OR typeof(";
  out += quote_ident(c.column, dialect);
  out += ") = 'text'";
}

void deparse_cond(const RemoteCond &c, Dialect dialect, std::string &out) {
  switch (c.kind) {
    case RemoteCond::Kind::And:
    case RemoteCond::Kind::Or: {
      if (c.args.size() < 2) throw std::invalid_argument("AND/OR needs two or more arguments");
      const char *glue = c.kind == RemoteCond::Kind::And ? " AND " : " OR ";
      out += '(';
      for (size_t i = 0; i < c.args.size(); i++) {
        if (i > 0) out += glue;
        deparse_cond(c.args[i], dialect, out);
      }
      out += ')';
      return;
    }
    case RemoteCond::Kind::Not:
      if (c.args.size() != 1) throw std::invalid_argument("NOT needs one argument");
      out += "(NOT ";
      deparse_cond(c.args[0], dialect, out);
      out += ')';
      return;
    case RemoteCond::Kind::Compare:
      if (!valid_op(c.op)) throw std::invalid_argument("unsupported operator: " + c.op);
      out += '(';
      if (c.flag_param) out += "? OR ";
      out += quote_ident(c.column, dialect);
      out += ' ';
      out += c.op;
      out += " ?";
      pass_text(c, dialect, out);
      out += ')';
      return;
    case RemoteCond::Kind::IsNull:
    case RemoteCond::Kind::IsNotNull:
      out += '(';
      out += quote_ident(c.column, dialect);
      out += c.kind == RemoteCond::Kind::IsNull ? " IS NULL)" : " IS NOT NULL)";
      return;
    case RemoteCond::Kind::In:
      if (c.params < 1) throw std::invalid_argument("IN needs one or more elements");
      if (c.flag_param) throw std::invalid_argument("IN takes no flag parameter");
      out += '(';
      out += quote_ident(c.column, dialect);
      out += " IN (";
      for (int i = 0; i < c.params; i++) out += i == 0 ? "?" : ", ?";
      out += ')';
      pass_text(c, dialect, out);
      out += ')';
      return;
  }
  throw std::invalid_argument("unknown condition kind");
}

int cond_params(const RemoteCond &c) {
  switch (c.kind) {
    case RemoteCond::Kind::Compare:
      return c.flag_param ? 2 : 1;
    case RemoteCond::Kind::In:
      return c.params;
    case RemoteCond::Kind::IsNull:
    case RemoteCond::Kind::IsNotNull:
      return 0;
    default: {
      int n = 0;
      for (const auto &a : c.args) n += cond_params(a);
      return n;
    }
  }
}

}  // namespace

std::string deparse_select(const RemoteSelect &query, Dialect dialect) {
  std::string sql = "SELECT ";
  bool first = true;
  if (!query.row_locator.empty()) {
    sql += query.row_locator;
    first = false;
  }
  for (const auto &col : query.columns) {
    if (!first) sql += ", ";
    sql += quote_ident(col, dialect);
    first = false;
  }
  if (first) sql += "NULL";
  sql += " FROM ";
  if (!query.schema.empty()) sql += quote_ident(query.schema, dialect) + ".";
  sql += quote_ident(query.table, dialect);
  for (size_t i = 0; i < query.where.size(); i++) {
    sql += i == 0 ? " WHERE " : " AND ";
    deparse_cond(query.where[i], dialect, sql);
  }
  if (query.sample_fraction) {
    if (dialect != Dialect::Mysql || !(*query.sample_fraction > 0 && *query.sample_fraction <= 1))
      throw std::invalid_argument("bad sample fraction");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", *query.sample_fraction);
    sql += query.where.empty() ? " WHERE " : " AND ";
    sql += "RAND() < ";
    sql += buf;
  }
  if (query.limit) {
    if (*query.limit < 0) throw std::invalid_argument("negative LIMIT");
    sql += " LIMIT " + std::to_string(*query.limit);
  }
  return sql;
}

int count_params(const RemoteSelect &query) {
  int n = 0;
  for (const auto &c : query.where) n += cond_params(c);
  return n;
}

bool float_value_pushable(double v) noexcept {
  return std::isfinite(v);
}

bool mysql_decimal_pushable(std::string_view s) noexcept {
  constexpr size_t kMaxDigits = 65;
  constexpr size_t kMaxScale = 30;
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  size_t point = s.find('.');
  std::string_view whole = s.substr(0, point);
  std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : s.substr(point + 1);
  if (whole.empty()) return false;  // numeric_out always writes the integer part
  if (point != std::string_view::npos && fraction.empty()) return false;
  for (std::string_view part : {whole, fraction})
    for (char ch : part)
      if (ch < '0' || ch > '9') return false;  // also NaN, Infinity
  while (!whole.empty() && whole.front() == '0') whole.remove_prefix(1);
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  return fraction.size() <= kMaxScale && whole.size() + fraction.size() <= kMaxDigits;
}

bool param_value_pushable(const SqlValue &value, Dialect dialect) noexcept {
  if (const auto *d = std::get_if<double>(&value)) return float_value_pushable(*d);
  if (const auto *n = std::get_if<Decimal>(&value))
    return dialect == Dialect::Mysql && mysql_decimal_pushable(n->text);
  return true;
}

}  // namespace minibar

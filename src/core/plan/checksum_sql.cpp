#include "core/plan/checksum_sql.hpp"

#include "core/schema/quote.hpp"

namespace minibar {

namespace {

bool is_one_of(const std::string &v, std::initializer_list<const char *> options) {
  for (const char *o : options)
    if (v == o) return true;
  return false;
}

// MySQL: a zero date or a zero-in-date value reads as NULL, as the migration copies it.
std::string mysql_unless_zero_date(const std::string &col, const std::string &text) {
  return "IF(MONTH(" + col + ") = 0 OR DAYOFMONTH(" + col + ") = 0, NULL, " + text + ")";
}

}  // namespace

std::optional<PushdownColumn> pushdown_column(const SourceColumn &source, PgTextKind target,
                                              const std::string &target_column) {
  const std::string m = mysql_quote_ident(source.name);
  const std::string p = pg_quote_ident(target_column);
  const std::string &dt = source.mysql.data_type;
  const bool integer = is_one_of(dt, {"tinyint", "smallint", "mediumint", "int", "bigint"});
  switch (target) {
    case PgTextKind::Int:
      if (!integer) return std::nullopt;
      return PushdownColumn{"CAST(" + m + " AS CHAR)", p + "::pg_catalog.text"};
    case PgTextKind::Numeric:
      if (!integer && dt != "decimal") return std::nullopt;
      // Trailing zeros of the fraction and a bare point dropped on both sides.
      return PushdownColumn{"IF(LOCATE('.', CAST(" + m +
                                " AS CHAR)) > 0, TRIM(TRAILING '.' FROM "
                                "TRIM(TRAILING '0' FROM CAST(" +
                                m + " AS CHAR))), CAST(" + m + " AS CHAR))",
                            "pg_catalog.trim_scale(" + p + ")::pg_catalog.text"};
    case PgTextKind::Bool:
      if (!integer) return std::nullopt;
      return PushdownColumn{"IF(" + m + " <> 0, '1', '0')",
                            "CASE WHEN " + p + " THEN '1' ELSE '0' END"};
    case PgTextKind::Text:
      if (!is_one_of(dt, {"char", "varchar", "tinytext", "text", "mediumtext", "longtext"}))
        return std::nullopt;
      return PushdownColumn{"CONVERT(" + m + " USING utf8mb4)", p + "::pg_catalog.text"};
    case PgTextKind::Enum:
      if (dt != "enum") return std::nullopt;
      return PushdownColumn{"CONVERT(" + m + " USING utf8mb4)", p + "::pg_catalog.text"};
    case PgTextKind::Bytea:
      if (!is_one_of(dt, {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"}))
        return std::nullopt;
      return PushdownColumn{"LOWER(HEX(" + m + "))", "pg_catalog.encode(" + p + ", 'hex')"};
    case PgTextKind::Date:
      if (dt != "date") return std::nullopt;
      return PushdownColumn{mysql_unless_zero_date(m, "DATE_FORMAT(" + m + ", '%Y-%m-%d')"),
                            "pg_catalog.to_char(" + p + ", 'YYYY-MM-DD')"};
    case PgTextKind::Timestamp:
      if (dt != "datetime") return std::nullopt;
      return PushdownColumn{
          mysql_unless_zero_date(m, "DATE_FORMAT(" + m + ", '%Y-%m-%d %H:%i:%s.%f')"),
          "pg_catalog.to_char(" + p + ", 'YYYY-MM-DD HH24:MI:SS.US')"};
    case PgTextKind::TimestampUtc:
      if (dt != "datetime" && dt != "timestamp") return std::nullopt;
      return PushdownColumn{
          mysql_unless_zero_date(m, "DATE_FORMAT(" + m + ", '%Y-%m-%d %H:%i:%s.%f')"),
          "pg_catalog.to_char(" + p + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"};
    case PgTextKind::Other:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string mysql_row_hash(const std::vector<PushdownColumn> &columns) {
  std::string parts;
  for (const PushdownColumn &c : columns) {
    const std::string v = "(" + c.mysql_expr + ")";
    parts += (parts.empty() ? "" : ", ") + std::string("IFNULL(CONCAT(LENGTH(") + v + "), ':', " +
             v + "), '~')";
  }
  return "CAST(CONV(LEFT(MD5(CONCAT(" + parts + ")), 15), 16, 10) AS UNSIGNED)";
}

std::string pg_row_hash(const std::vector<PushdownColumn> &columns) {
  std::string parts;
  for (const PushdownColumn &c : columns) {
    const std::string v = "(" + c.pg_expr + ")";
    parts += (parts.empty() ? "" : " || ") + std::string("COALESCE(pg_catalog.octet_length(") + v +
             ")::pg_catalog.text || ':' || " + v + ", '~')";
  }
  return "('x' || pg_catalog.left(pg_catalog.md5(" + parts +
         "), 15))::pg_catalog.bit(60)::pg_catalog.int8";
}

}  // namespace minibar

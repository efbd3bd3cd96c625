// pushdown_column: which (source, target) pairs are computed in SQL on both
// servers, and the shape of the expressions (quoted names, NULL handling).
#include <gtest/gtest.h>

#include "core/plan/checksum_sql.hpp"

namespace minibar {
namespace {

SourceColumn my(const std::string &name, const std::string &data_type) {
  SourceColumn c;
  c.name = name;
  c.mysql.data_type = data_type;
  c.mysql.column_type = data_type;
  return c;
}

TEST(ChecksumSql, EligiblePairs) {
  EXPECT_TRUE(pushdown_column(my("a", "int"), PgTextKind::Int, "a"));
  EXPECT_TRUE(pushdown_column(my("a", "bigint"), PgTextKind::Numeric, "a"));
  EXPECT_TRUE(pushdown_column(my("a", "decimal"), PgTextKind::Numeric, "a"));
  EXPECT_TRUE(pushdown_column(my("a", "tinyint"), PgTextKind::Bool, "a"));
  EXPECT_TRUE(pushdown_column(my("a", "varchar"), PgTextKind::Text, "a"));
  EXPECT_TRUE(pushdown_column(my("a", "longblob"), PgTextKind::Bytea, "a"));
  EXPECT_TRUE(pushdown_column(my("a", "date"), PgTextKind::Date, "a"));
  EXPECT_TRUE(pushdown_column(my("a", "datetime"), PgTextKind::Timestamp, "a"));
  EXPECT_TRUE(pushdown_column(my("a", "timestamp"), PgTextKind::TimestampUtc, "a"));
  EXPECT_TRUE(pushdown_column(my("a", "enum"), PgTextKind::Enum, "a"));
}

TEST(ChecksumSql, IneligiblePairsAreStreamed) {
  // Floats, JSON, TIME, SET, BIT... have no text both servers render alike.
  EXPECT_FALSE(pushdown_column(my("a", "double"), PgTextKind::Other, "a"));
  EXPECT_FALSE(pushdown_column(my("a", "double"), PgTextKind::Numeric, "a"));
  EXPECT_FALSE(pushdown_column(my("a", "longtext"), PgTextKind::Other, "a"));  // JSON -> jsonb
  EXPECT_FALSE(pushdown_column(my("a", "varchar"), PgTextKind::Int, "a"));
  EXPECT_FALSE(pushdown_column(my("a", "timestamp"), PgTextKind::Timestamp, "a"));
  EXPECT_FALSE(pushdown_column(my("a", "set"), PgTextKind::Text, "a"));
  EXPECT_FALSE(pushdown_column(my("a", "bit"), PgTextKind::Int, "a"));
}

TEST(ChecksumSql, ZeroDatesReadAsNullAndNamesAreQuoted) {
  auto d = pushdown_column(my("we`ird", "date"), PgTextKind::Date, "we\"ird");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->mysql_expr,
            "IF(MONTH(`we``ird`) = 0 OR DAYOFMONTH(`we``ird`) = 0, NULL, DATE_FORMAT(`we``ird`, "
            "'%Y-%m-%d'))");
  EXPECT_EQ(d->pg_expr, "pg_catalog.to_char(\"we\"\"ird\", 'YYYY-MM-DD')");
}

TEST(ChecksumSql, RowHashesAreLengthPrefixedWithANullMarker) {
  auto a = pushdown_column(my("a", "int"), PgTextKind::Int, "a");
  auto b = pushdown_column(my("b", "varchar"), PgTextKind::Text, "b");
  const std::string m = mysql_row_hash({*a, *b});
  const std::string p = pg_row_hash({*a, *b});
  EXPECT_EQ(
      m,
      "CAST(CONV(LEFT(MD5(CONCAT(IFNULL(CONCAT(LENGTH((CAST(`a` AS CHAR))), ':', (CAST(`a` AS "
      "CHAR))), '~'), IFNULL(CONCAT(LENGTH((CONVERT(`b` USING utf8mb4))), ':', (CONVERT(`b` "
      "USING utf8mb4))), '~'))), 15), 16, 10) AS UNSIGNED)");
  EXPECT_NE(p.find("pg_catalog.md5(COALESCE(pg_catalog.octet_length((\"a\"::pg_catalog.text))"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("::pg_catalog.bit(60)::pg_catalog.int8"), std::string::npos);
}

}  // namespace
}  // namespace minibar

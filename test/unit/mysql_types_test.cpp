// The default MySQL -> PostgreSQL type mapping used by IMPORT FOREIGN SCHEMA.
#include <gtest/gtest.h>

#include <cstring>

#include "core/mysql/types.hpp"

namespace minibar {
namespace {

std::string map(const char *data_type, const char *column_type, long long len = -1,
                long long p = -1, long long s = -1) {
  MysqlColumnInfo c;
  c.data_type = data_type;
  c.column_type = column_type;
  if (len >= 0) c.char_max_length = len;
  if (p >= 0) c.numeric_precision = p;
  if (s >= 0) c.numeric_scale = s;
  return mysql_to_pg_type(c).type;
}

TEST(UnquoteSqlString, OneLiteralOnly) {
  EXPECT_EQ(unquote_sql_string("'it''s'", true), "it's");
  EXPECT_EQ(unquote_sql_string("'a\\nb\\Zc\\qd'", true), std::string("a\nb\x1a"
                                                                     "cqd"));
  EXPECT_EQ(unquote_sql_string("'a\\nb'", false), "a\\nb");
  EXPECT_EQ(unquote_sql_string("'a'", true), "a");
  EXPECT_EQ(unquote_sql_string("''", true), "");
  EXPECT_FALSE(unquote_sql_string("'a' || 'b'", true));
  EXPECT_FALSE(unquote_sql_string("'a", true));
  EXPECT_FALSE(unquote_sql_string("'\\0'", true));  // NUL: not PostgreSQL text
  EXPECT_FALSE(unquote_sql_string("'a\\'", true));  // the closing quote escaped
}

// Integers, numbers, strings and times: the column's column_type (its data_type
// is the leading word) with its length, precision and scale when it has them,
// and the type it maps to.
struct TypeCase {
  const char *column_type;
  const char *want;
  long long len = -1, p = -1, s = -1;
};
const TypeCase kTypeCases[] = {
    {"tinyint(1)", "boolean"},
    {"tinyint(4)", "smallint"},
    {"tinyint(3) unsigned", "smallint"},
    {"smallint(5) unsigned", "integer"},
    {"mediumint(8) unsigned", "integer"},
    {"int(11)", "integer"},
    {"int(10) unsigned", "bigint"},
    {"bigint(20)", "bigint"},
    {"bigint(20) unsigned", "numeric(20,0)"},
    {"decimal(65,30)", "numeric(65,30)", -1, 65, 30},
    {"float", "real"},
    {"double", "double precision"},
    {"bit(1)", "boolean"},
    {"bit(10)", "bit varying(10)"},
    {"varchar(20)", "character varying(20)", 20},
    {"char(5)", "character varying(5)", 5},
    {"longtext", "text"},
    {"enum('a','b')", "text"},
    {"set('a','b')", "text[]"},
    {"datetime(6)", "timestamp with time zone"},
    {"timestamp", "timestamp with time zone"},
    {"time(6)", "interval"},
    {"year(4)", "smallint"},
    {"blob", "bytea"},
    {"point", "bytea"},
};

TEST(MysqlTypes, IntegersNumbersStringsAndTimes) {
  for (const TypeCase &c : kTypeCases) {
    std::string data_type(c.column_type, std::strcspn(c.column_type, "( "));
    EXPECT_EQ(map(data_type.c_str(), c.column_type, c.len, c.p, c.s), c.want) << c.column_type;
  }
}

TEST(MysqlTypes, Json) {
  MysqlColumnInfo json;
  json.data_type = "longtext";
  json.column_type = "longtext";
  json.is_json = true;
  EXPECT_EQ(mysql_to_pg_type(json).type, "jsonb");
}

TEST(MysqlTypes, UnknownTypesBecomeTextWithANotice) {
  MysqlColumnInfo c;
  c.data_type = "vector";
  c.column_type = "vector(3)";
  PgTypeChoice r = mysql_to_pg_type(c);
  EXPECT_EQ(r.type, "text");
  EXPECT_NE(r.notice.find("vector(3)"), std::string::npos);
}

TEST(MysqlTypes, Defaults) {
  EXPECT_EQ(mysql_default_to_pg("5", "integer"), "5");
  EXPECT_EQ(mysql_default_to_pg("-1.50", "numeric(10,2)"), "-1.50");
  EXPECT_EQ(mysql_default_to_pg("NULL", "integer"), std::nullopt);
  EXPECT_EQ(mysql_default_to_pg("'it''s'", "text"), "'it''s'");
  EXPECT_EQ(mysql_default_to_pg("'a\\\\b'", "text"), "E'a\\\\b'");
  EXPECT_EQ(mysql_default_to_pg("1", "boolean"), "true");
  EXPECT_EQ(mysql_default_to_pg("current_timestamp(6)", "timestamp with time zone"),
            "CURRENT_TIMESTAMP");
  EXPECT_EQ(mysql_default_to_pg("uuid()", "text"), std::nullopt);
  EXPECT_EQ(mysql_default_to_pg("1+1", "integer"), std::nullopt);
}

}  // namespace
}  // namespace minibar

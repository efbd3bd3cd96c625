// Deparsing of pushed-down SELECTs, and identifier quoting, per dialect.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/mysql/client.hpp"
#include "core/schema/quote.hpp"
#include "core/plan/remote_query.hpp"

namespace minibar {
namespace {

RemoteCond compare(const char *col, const char *op) {
  RemoteCond c;
  c.kind = RemoteCond::Kind::Compare;
  c.column = col;
  c.op = op;
  c.params = 1;
  return c;
}

// SELECT columns FROM table.
RemoteSelect select_from(const char *table, std::vector<std::string> columns = {}) {
  RemoteSelect q;
  q.table = table;
  q.columns = std::move(columns);
  return q;
}

// `col` IN (params placeholders).
RemoteCond in_list(const char *col, int params) {
  RemoteCond c;
  c.kind = RemoteCond::Kind::In;
  c.column = col;
  c.params = params;
  return c;
}

TEST(Quote, MysqlIdentifiersDoubleBackticks) {
  EXPECT_EQ(mysql_quote_ident("plain"), "`plain`");
  EXPECT_EQ(mysql_quote_ident("we`ird \"tab'le; ü"), "`we``ird \"tab'le; ü`");
}

TEST(Deparse, MysqlSelectWithConditionsAndLimit) {
  RemoteSelect q;
  q.schema = "db`x";
  q.table = "t;1";
  q.columns = {"id", "na`me"};
  RemoteCond in = in_list("id", 3);
  RemoteCond orc;
  orc.kind = RemoteCond::Kind::Or;
  orc.args = {compare("id", "<"), in};
  q.where = {compare("na`me", "="), orc};
  q.limit = 10;
  EXPECT_EQ(deparse_select(q, Dialect::Mysql),
            "SELECT `id`, `na``me` FROM `db``x`.`t;1` WHERE (`na``me` = ?) AND ((`id` < ?) OR "
            "(`id` IN (?, ?, ?))) LIMIT 10");
  EXPECT_EQ(count_params(q), 5);
}

TEST(Deparse, SqliteUsesDoubleQuotesAndNoColumnsSelectsNull) {
  RemoteSelect q = select_from("a\"b");
  EXPECT_EQ(deparse_select(q, Dialect::Sqlite), "SELECT NULL FROM \"a\"\"b\"");
}

TEST(Deparse, MysqlSampling) {
  RemoteSelect q = select_from("t", {"a"});
  q.sample_fraction = 0.25;
  EXPECT_EQ(deparse_select(q, Dialect::Mysql), "SELECT `a` FROM `t` WHERE RAND() < 0.250000");
  q.sample_fraction = 0;
  EXPECT_THROW(deparse_select(q, Dialect::Mysql), std::invalid_argument);
}

TEST(Deparse, RejectsUnknownOperators) {
  RemoteSelect q = select_from("t");
  q.where = {compare("a", "LIKE")};
  EXPECT_THROW(deparse_select(q, Dialect::Mysql), std::invalid_argument);
}

TEST(Deparse, FlagParameterComesFirst) {
  RemoteSelect q = select_from("t", {"a"});
  RemoteCond c = compare("a", ">");
  c.flag_param = true;
  q.where = {c, compare("b", "=")};
  EXPECT_EQ(deparse_select(q, Dialect::Mysql),
            "SELECT `a` FROM `t` WHERE (? OR `a` > ?) AND (`b` = ?)");
  EXPECT_EQ(count_params(q), 3);
  RemoteCond in = in_list("a", 2);
  in.flag_param = true;
  q.where = {in};
  EXPECT_THROW(deparse_select(q, Dialect::Mysql), std::invalid_argument);
}

TEST(Deparse, SqlitePassesTextStoredValues) {
  RemoteSelect q = select_from("t", {"r"});
  RemoteCond c = compare("r", "<");
  c.pass_text = true;
  c.flag_param = true;
  RemoteCond in = in_list("r\"x", 2);
  in.pass_text = true;
  q.where = {c, in};
  EXPECT_EQ(deparse_select(q, Dialect::Sqlite),
            "SELECT \"r\" FROM \"t\" WHERE (? OR \"r\" < ? OR typeof(\"r\") = 'text') AND "
            "(\"r\"\"x\" IN (?, ?) OR typeof(\"r\"\"x\") = 'text')");
  EXPECT_EQ(count_params(q), 4);
  // MySQL has no such storage classes.
  EXPECT_THROW(deparse_select(q, Dialect::Mysql), std::invalid_argument);
}

TEST(PushValues, FloatsOnlyWhenFinite) {
  EXPECT_TRUE(float_value_pushable(0.0));
  EXPECT_TRUE(float_value_pushable(-0.0));
  EXPECT_TRUE(float_value_pushable(-1.5e308));
  EXPECT_TRUE(float_value_pushable(4.9e-324));
  EXPECT_FALSE(float_value_pushable(std::nan("")));
  EXPECT_FALSE(float_value_pushable(HUGE_VAL));
  EXPECT_FALSE(float_value_pushable(-HUGE_VAL));
}

TEST(PushValues, MysqlDecimalsThatMysqlHoldsExactly) {
  EXPECT_TRUE(mysql_decimal_pushable("0"));
  EXPECT_TRUE(mysql_decimal_pushable("-12.50"));
  EXPECT_TRUE(mysql_decimal_pushable("18446744073709551615"));
  EXPECT_FALSE(mysql_decimal_pushable("NaN"));
  EXPECT_FALSE(mysql_decimal_pushable("Infinity"));
  EXPECT_FALSE(mysql_decimal_pushable("-Infinity"));
  EXPECT_FALSE(mysql_decimal_pushable(""));
  EXPECT_FALSE(mysql_decimal_pushable("-"));
  EXPECT_FALSE(mysql_decimal_pushable("1."));
  EXPECT_FALSE(mysql_decimal_pushable(".5"));
  EXPECT_FALSE(mysql_decimal_pushable("1e5"));
  EXPECT_FALSE(mysql_decimal_pushable("+1"));
  EXPECT_FALSE(mysql_decimal_pushable(" 1"));
  // 65 significant digits, at most 30 after the point.
  std::string digits65(65, '9');
  EXPECT_TRUE(mysql_decimal_pushable(digits65));
  EXPECT_TRUE(mysql_decimal_pushable("-" + digits65));
  EXPECT_FALSE(mysql_decimal_pushable("1" + digits65));
  EXPECT_FALSE(mysql_decimal_pushable("-1" + std::string(100, '0')));
  EXPECT_TRUE(mysql_decimal_pushable(std::string(35, '9') + "." + std::string(30, '9')));
  EXPECT_FALSE(mysql_decimal_pushable(std::string(36, '9') + "." + std::string(30, '9')));
  EXPECT_TRUE(mysql_decimal_pushable("0." + std::string(29, '0') + "1"));
  EXPECT_FALSE(mysql_decimal_pushable("0." + std::string(30, '0') + "1"));
  EXPECT_FALSE(mysql_decimal_pushable("1.5" + std::string(90, '0') + "1"));
  // Leading zeros and trailing fractional zeros are not significant.
  EXPECT_TRUE(mysql_decimal_pushable("000" + digits65 + "." + std::string(50, '0')));
  EXPECT_TRUE(mysql_decimal_pushable("1.5" + std::string(60, '0')));
}

TEST(PushValues, ParameterValuesPerDialect) {
  EXPECT_TRUE(param_value_pushable(SqlValue(), Dialect::Sqlite));
  EXPECT_TRUE(param_value_pushable(SqlValue(int64_t{-5}), Dialect::Mysql));
  EXPECT_TRUE(param_value_pushable(SqlValue(std::string("NaN")), Dialect::Mysql));
  EXPECT_TRUE(param_value_pushable(SqlValue(2.5), Dialect::Sqlite));
  EXPECT_FALSE(param_value_pushable(SqlValue(std::nan("")), Dialect::Sqlite));
  EXPECT_FALSE(param_value_pushable(SqlValue(-HUGE_VAL), Dialect::Mysql));
  EXPECT_TRUE(param_value_pushable(SqlValue(Decimal{"-1.25"}), Dialect::Mysql));
  EXPECT_FALSE(param_value_pushable(SqlValue(Decimal{"NaN"}), Dialect::Mysql));
  EXPECT_FALSE(param_value_pushable(SqlValue(Decimal{"-Infinity"}), Dialect::Mysql));
  // SQLite would compare a decimal as a double: never sent.
  EXPECT_FALSE(param_value_pushable(SqlValue(Decimal{"1.25"}), Dialect::Sqlite));
}

TEST(MysqlErrors, SqlstatesForCommonErrors) {
  EXPECT_STREQ(mysql_errno_sqlstate(1045), "28P01");
  EXPECT_STREQ(mysql_errno_sqlstate(1049), "3D000");
  EXPECT_STREQ(mysql_errno_sqlstate(1146), sqlstate::kFdwTableNotFound);
  EXPECT_STREQ(mysql_errno_sqlstate(1142), "42501");
  EXPECT_STREQ(mysql_errno_sqlstate(2003), "08001");
  EXPECT_STREQ(mysql_errno_sqlstate(2013), "08006");
  EXPECT_STREQ(mysql_errno_sqlstate(1317), sqlstate::kQueryCanceled);
  EXPECT_TRUE(mysql_errno_breaks_connection(2006));
  EXPECT_FALSE(mysql_errno_breaks_connection(1146));
}

}  // namespace
}  // namespace minibar

// Deparsing of pushed-down SELECTs, and identifier quoting, per dialect.
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/mysql_client.hpp"
#include "core/quote.hpp"
#include "core/remote_query.hpp"

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

TEST(Quote, MysqlIdentifiersDoubleBackticks) {
  EXPECT_EQ(mysql_quote_ident("plain"), "`plain`");
  EXPECT_EQ(mysql_quote_ident("we`ird \"tab'le; ü"), "`we``ird \"tab'le; ü`");
}

TEST(Deparse, MysqlSelectWithConditionsAndLimit) {
  RemoteSelect q;
  q.schema = "db`x";
  q.table = "t;1";
  q.columns = {"id", "na`me"};
  RemoteCond in;
  in.kind = RemoteCond::Kind::In;
  in.column = "id";
  in.params = 3;
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
  RemoteSelect q;
  q.table = "a\"b";
  EXPECT_EQ(deparse_select(q, Dialect::Sqlite), "SELECT NULL FROM \"a\"\"b\"");
}

TEST(Deparse, MysqlSampling) {
  RemoteSelect q;
  q.table = "t";
  q.columns = {"a"};
  q.sample_fraction = 0.25;
  EXPECT_EQ(deparse_select(q, Dialect::Mysql), "SELECT `a` FROM `t` WHERE RAND() < 0.250000");
  q.sample_fraction = 0;
  EXPECT_THROW(deparse_select(q, Dialect::Mysql), std::invalid_argument);
}

TEST(Deparse, RejectsUnknownOperators) {
  RemoteSelect q;
  q.table = "t";
  q.where = {compare("a", "LIKE")};
  EXPECT_THROW(deparse_select(q, Dialect::Mysql), std::invalid_argument);
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

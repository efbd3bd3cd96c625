#include "core/chunk_plan.hpp"
#include "core/quote.hpp"

#include <gtest/gtest.h>

#include <limits>

using minibar::Dialect;
using minibar::key_range_condition;
using minibar::KeyRange;
using minibar::pg_key_range_condition;
using minibar::split_key_range;

TEST(ChunkPlan, SplitsIntoOpenEndedRanges) {
  auto r = split_key_range("id", 1, 1000, 250, 100);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_FALSE(r[0].lo);
  EXPECT_EQ(*r[0].hi, 251);
  EXPECT_EQ(*r[1].lo, 251);
  EXPECT_EQ(*r[1].hi, 501);
  EXPECT_EQ(*r[3].lo, 751);
  EXPECT_FALSE(r[3].hi);
}

TEST(ChunkPlan, OneChunkWhenSmall) {
  auto r = split_key_range("id", 5, 5, 100, 10);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_FALSE(r[0].lo);
  EXPECT_FALSE(r[0].hi);
  EXPECT_EQ(key_range_condition(r[0], Dialect::Mysql), "");
}

TEST(ChunkPlan, CapsTheNumberOfChunks) {
  auto r = split_key_range("id", 0, 999999, 10, 8);
  ASSERT_EQ(r.size(), 8u);
  EXPECT_EQ(*r[0].hi, 125000);
  EXPECT_EQ(*r[7].lo, 875000);
}

TEST(ChunkPlan, WholeInt64RangeDoesNotOverflow) {
  const int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  auto r = split_key_range("k", lo, hi, std::numeric_limits<int64_t>::max(), 16);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_FALSE(r[0].lo);
  EXPECT_LT(*r[0].hi, *r[1].hi);
  EXPECT_FALSE(r[2].hi);
  // Adjacent ranges share their bound: no key falls between two chunks.
  EXPECT_EQ(*r[0].hi, *r[1].lo);
  EXPECT_EQ(*r[1].hi, *r[2].lo);
}

TEST(ChunkPlan, NegativeKeys) {
  auto r = split_key_range("id", -10, 9, 5, 100);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(*r[0].hi, -5);
  EXPECT_EQ(*r[2].lo, 0);
}

TEST(ChunkPlan, RejectsBadInput) {
  EXPECT_THROW(split_key_range("id", 2, 1, 10, 10), std::invalid_argument);
  EXPECT_THROW(split_key_range("id", 1, 2, 0, 10), std::invalid_argument);
}

TEST(ChunkPlan, ConditionsQuoteTheColumn) {
  KeyRange r{"we`ird\"", 10, 20};
  EXPECT_EQ(key_range_condition(r, Dialect::Mysql),
            " WHERE `we``ird\"` >= 10 AND `we``ird\"` < 20");
  EXPECT_EQ(key_range_condition(r, Dialect::Sqlite),
            " WHERE \"we`ird\"\"\" >= 10 AND \"we`ird\"\"\" < 20");
  KeyRange open_lo{"id", std::nullopt, -3};
  EXPECT_EQ(pg_key_range_condition("ID", open_lo), " WHERE \"ID\" < -3");
  EXPECT_EQ(key_range_condition(KeyRange{}, Dialect::Sqlite), "");
}

namespace {
minibar::SourceTable keyed(const std::string &data_type, const std::string &column_type,
                           bool auto_increment) {
  minibar::SourceTable t;
  t.name = "t";
  minibar::SourceColumn c;
  c.name = "id";
  c.mysql.data_type = data_type;
  c.mysql.column_type = column_type;
  c.auto_increment = auto_increment;
  t.columns.push_back(c);
  minibar::SourceIndex pk;
  pk.primary = true;
  pk.unique = true;
  pk.columns.push_back({"id"});
  t.indexes.push_back(pk);
  return t;
}
}  // namespace

TEST(ChunkPlan, ChunkKeyColumn) {
  using minibar::chunk_key_column;
  EXPECT_EQ(chunk_key_column(keyed("int", "int(11)", false), Dialect::Mysql), "id");
  EXPECT_EQ(chunk_key_column(keyed("bigint", "bigint(20)", true), Dialect::Mysql), "id");
  EXPECT_EQ(chunk_key_column(keyed("bigint", "bigint(20) unsigned", true), Dialect::Mysql), "");
  EXPECT_EQ(chunk_key_column(keyed("int", "int(10) unsigned", false), Dialect::Mysql), "id");
  EXPECT_EQ(chunk_key_column(keyed("varchar", "varchar(10)", false), Dialect::Mysql), "");
  EXPECT_EQ(chunk_key_column(keyed("", "", true), Dialect::Sqlite), "id");
  EXPECT_EQ(chunk_key_column(keyed("", "", false), Dialect::Sqlite), "");
  minibar::SourceTable two = keyed("int", "int(11)", false);
  two.indexes[0].columns.push_back({"other"});
  EXPECT_EQ(chunk_key_column(two, Dialect::Mysql), "");
  minibar::SourceTable none = keyed("int", "int(11)", false);
  none.indexes.clear();
  EXPECT_EQ(chunk_key_column(none, Dialect::Mysql), "");
}

TEST(ChunkPlan, TextArrayLiteralForColumnLists) {
  using minibar::pg_text_array_literal;
  EXPECT_EQ(pg_text_array_literal({}), "{}");
  EXPECT_EQ(pg_text_array_literal({"a", "B c"}), "{\"a\",\"B c\"}");
  EXPECT_EQ(pg_text_array_literal({"q\"uo\\te", "{x,y}", "NULL"}),
            "{\"q\\\"uo\\\\te\",\"{x,y}\",\"NULL\"}");
}

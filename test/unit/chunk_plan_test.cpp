#include "core/plan/chunk_plan.hpp"
#include "core/schema/quote.hpp"

#include <gtest/gtest.h>

#include <limits>

using minibar::chunk_count;
using minibar::Dialect;
using minibar::key_range_condition;
using minibar::KeyRange;
using minibar::pg_key_range_condition;
using minibar::split_key_range;

TEST(ChunkPlan, SplitsIntoOpenEndedRanges) {
  auto r = split_key_range("id", 1, 1000, chunk_count(1000, 1, 1000, 250, 100));
  ASSERT_EQ(r.size(), 4u);
  EXPECT_FALSE(r[0].lo);
  EXPECT_EQ(*r[0].hi, 251);
  EXPECT_EQ(*r[1].lo, 251);
  EXPECT_EQ(*r[1].hi, 501);
  EXPECT_EQ(*r[3].lo, 751);
  EXPECT_FALSE(r[3].hi);
}

TEST(ChunkPlan, OneChunkWhenSmall) {
  auto r = split_key_range("id", 5, 5, chunk_count(1, 5, 5, 100, 10));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_FALSE(r[0].lo);
  EXPECT_FALSE(r[0].hi);
  EXPECT_EQ(key_range_condition(r[0], Dialect::Mysql), "");
}

TEST(ChunkPlan, CapsTheNumberOfChunks) {
  EXPECT_EQ(chunk_count(1000000, 0, 999999, 10, 8), 8);
  EXPECT_EQ(chunk_count(-1, 0, 999999, 10, 8), 8);
  auto r = split_key_range("id", 0, 999999, 8);
  ASSERT_EQ(r.size(), 8u);
  EXPECT_EQ(*r[0].hi, 125000);
  EXPECT_EQ(*r[7].lo, 875000);
}

TEST(ChunkPlan, WholeInt64RangeDoesNotOverflow) {
  const int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  const int n = chunk_count(-1, lo, hi, std::numeric_limits<int64_t>::max(), 16);
  EXPECT_EQ(n, 3);  // 2^64 key values in chunks of 2^63 - 1
  auto r = split_key_range("k", lo, hi, n);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_FALSE(r[0].lo);
  EXPECT_LT(*r[0].hi, *r[1].hi);
  EXPECT_FALSE(r[2].hi);
  // Adjacent ranges share their bound: no key falls between two chunks.
  EXPECT_EQ(*r[0].hi, *r[1].lo);
  EXPECT_EQ(*r[1].hi, *r[2].lo);
}

TEST(ChunkPlan, NegativeKeys) {
  auto r = split_key_range("id", -10, 9, chunk_count(20, -10, 9, 5, 100));
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(*r[0].hi, -5);
  EXPECT_EQ(*r[2].lo, 0);
}

TEST(ChunkPlan, RejectsBadInput) {
  EXPECT_THROW(split_key_range("id", 2, 1, 10), std::invalid_argument);
  EXPECT_THROW(split_key_range("id", 1, 2, 0), std::invalid_argument);
  EXPECT_THROW(chunk_count(10, 2, 1, 10, 10), std::invalid_argument);
  EXPECT_THROW(chunk_count(10, 1, 2, 0, 10), std::invalid_argument);
  EXPECT_THROW(chunk_count(10, 1, 2, 10, 0), std::invalid_argument);
}

// Sparse keys: as many chunks as the rows need, each as wide as the key span
// divided among them (not thousands of nearly empty chunk_size-wide ranges).
TEST(ChunkPlan, SparseKeysChunkByRows) {
  EXPECT_EQ(chunk_count(1000, 1, 1000000000, 100, 10000), 10);
  auto r = split_key_range("id", 1, 1000000000, 10);
  ASSERT_EQ(r.size(), 10u);
  EXPECT_EQ(*r[0].hi, 100000001);
  EXPECT_EQ(*r[9].lo, 900000001);
}

// Never more chunks than key values, never fewer than one.
TEST(ChunkPlan, ChunkCountBounds) {
  EXPECT_EQ(chunk_count(1000000, 1, 3, 10, 10000), 3);
  EXPECT_EQ(chunk_count(0, 1, 1000, 10, 10000), 1);
  EXPECT_EQ(chunk_count(-1, 7, 7, 1, 10000), 1);
  EXPECT_EQ(chunk_count(250001, 1, 250001, 250000, 10000), 2);
  EXPECT_EQ(split_key_range("id", 1, 3, 5).size(), 3u);
}

// Every key in [min, max] falls in exactly one range, whatever the count.
TEST(ChunkPlan, RangesTileTheSpan) {
  for (int chunks = 1; chunks <= 13; chunks++) {
    auto r = split_key_range("id", -7, 29, chunks);
    for (int64_t k = -7; k <= 29; k++) {
      int hits = 0;
      for (const KeyRange &x : r)
        if ((!x.lo || k >= *x.lo) && (!x.hi || k < *x.hi)) hits++;
      EXPECT_EQ(hits, 1) << "key " << k << " with " << chunks << " chunks";
    }
    for (size_t i = 0; i + 1 < r.size(); i++) EXPECT_LT(r[i].lo.value_or(-100), *r[i].hi);
  }
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

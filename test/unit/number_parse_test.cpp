#include "core/number_parse.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace minibar;

TEST(NumberParse, Int64Bounds) {
  EXPECT_EQ(parse_int64("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse_int64("-9223372036854775808"), INT64_MIN);
  EXPECT_FALSE(parse_int64("9223372036854775808"));
  EXPECT_FALSE(parse_int64("10000000000000000000"));
  EXPECT_FALSE(parse_int64(""));
  EXPECT_FALSE(parse_int64(" 1"));
  EXPECT_FALSE(parse_int64("1x"));
  EXPECT_FALSE(parse_int64("-"));
}

TEST(NumberParse, Uint64Bounds) {
  EXPECT_EQ(parse_uint64("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(parse_uint64("10000000000000000000"), 10000000000000000000ULL);
  EXPECT_FALSE(parse_uint64("18446744073709551616"));
  EXPECT_FALSE(parse_uint64("-1"));
}

TEST(NumberParse, CheckedThrowsClearErrors) {
  try {
    to_int64("10000000000000000000", "AUTO_INCREMENT");
    FAIL();
  } catch (const Error &e) {
    EXPECT_EQ(e.sqlstate(), "22003");
    EXPECT_NE(std::string(e.what()).find("AUTO_INCREMENT"), std::string::npos);
  }
  try {
    to_int("abc");
    FAIL();
  } catch (const Error &e) {
    EXPECT_EQ(e.sqlstate(), "22P02");
  }
  EXPECT_THROW(to_int("2147483648"), Error);
  EXPECT_THROW(to_uint32("4294967296"), Error);
  EXPECT_THROW(to_double("1.5 "), Error);
  EXPECT_DOUBLE_EQ(to_double("1.5e3"), 1500.0);
  EXPECT_THROW(to_double(std::string(5000, '1')), Error);
}

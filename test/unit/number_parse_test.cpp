#include "core/convert/number_parse.hpp"

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

#include "core/convert/json_text.hpp"

namespace {
std::string fake_digest(std::string_view s) {
  return "d" + std::to_string(s.size());
}
}  // namespace

TEST(JsonBounded, ShortValuesUnchangedLongOnesCut) {
  std::string out;
  json_append_string_bounded(out, "abc", 8, &fake_digest);
  EXPECT_EQ(out, "\"abc\"");
  out.clear();
  json_append_string_bounded(out, std::string(1000, 'a'), 8, &fake_digest);
  EXPECT_EQ(out, "{\"excerpt\": \"aaaaaaaa\", \"bytes\": 1000, \"md5\": \"d1000\"}");
  out.clear();
  // never splits a UTF-8 sequence
  json_append_string_bounded(out, "aaaaaaa\xc3\xa9zzzz", 8, nullptr);
  EXPECT_EQ(out, "{\"excerpt\": \"aaaaaaa\", \"bytes\": 13}");
  out.clear();
  json_append_hex_bounded(out, std::string(3, 'x'), 8, nullptr);
  EXPECT_EQ(out, "\"\\\\x787878\"");
  out.clear();
  json_append_hex_bounded(out, std::string(30000000, 'x'), 8, &fake_digest);
  EXPECT_EQ(out, "{\"excerpt\": \"\\\\x78787878\", \"bytes\": 30000000, \"md5\": \"d30000000\"}");
}

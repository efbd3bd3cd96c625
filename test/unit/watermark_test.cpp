#include "core/plan/watermark.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace minibar {
namespace {

// Watermarks as the state keeps them: kind name and value text.
using KindsAndValues = std::vector<std::pair<std::string, std::string>>;

TargetMax timestamp_max(int64_t unix_us) {
  TargetMax m;
  m.type = TargetMax::Type::Timestamp;
  m.unix_us = unix_us;
  return m;
}

TEST(Watermark, RoundTripsThroughKindAndText) {
  const KindsAndValues valid = {
      {"integer", "-9223372036854775808"}, {"integer", "42"},
      {"real", "1700000000.25"},           {"real", "0.10000000000000001"},
      {"text", "2024-02-29 23:59:59.5"},   {"text", ""}};
  for (const auto &[kind, value] : valid) {
    Watermark w = Watermark::parse(kind, value);
    EXPECT_EQ(w.kind_name(), kind);
    Watermark again = Watermark::parse(w.kind_name(), w.value_text());
    EXPECT_EQ(again.value_text(), w.value_text()) << kind << " " << value;
  }
  EXPECT_EQ(std::get<int64_t>(Watermark::parse("integer", "7").sql_value()), 7);
  EXPECT_EQ(std::get<double>(Watermark::parse("real", "0.5").sql_value()), 0.5);
  EXPECT_EQ(std::get<std::string>(Watermark::parse("text", "b").sql_value()), "b");
}

TEST(Watermark, RejectsBadStateWith22023) {
  const KindsAndValues bad = {
      {"integer", ""}, {"integer", "12x"}, {"integer", "99999999999999999999"},
      {"real", "nan"}, {"real", "inf"},    {"blob", "00"}};
  for (const auto &[kind, value] : bad) {
    try {
      Watermark::parse(kind, value);
      ADD_FAILURE() << kind << " " << value << " was accepted";
    } catch (const Error &e) {
      EXPECT_EQ(e.sqlstate(), "22023");
    }
  }
}

TEST(Watermark, OfCellKeepsTheStorageClass) {
  Cell c;
  c.storage = StorageClass::Integer;
  c.i = -3;
  EXPECT_EQ(Watermark::of_cell(c).value_text(), "-3");
  c.storage = StorageClass::Float;
  c.d = 2.5;
  EXPECT_EQ(Watermark::of_cell(c).kind_name(), std::string("real"));
  c.storage = StorageClass::Text;
  c.bytes = "2024-01-01T00:00:00Z";
  EXPECT_EQ(Watermark::of_cell(c).value_text(), "2024-01-01T00:00:00Z");
  c.storage = StorageClass::Null;
  EXPECT_THROW(Watermark::of_cell(c), Error);
  c.storage = StorageClass::Blob;
  EXPECT_THROW(Watermark::of_cell(c), Error);
}

TEST(Watermark, IsoDaysAcrossEras) {
  EXPECT_EQ(unix_days_to_iso(0), "1970-01-01");
  EXPECT_EQ(unix_days_to_iso(-1), "1969-12-31");
  EXPECT_EQ(unix_days_to_iso(19782), "2024-02-29");
  EXPECT_EQ(unix_days_to_iso(10957), "2000-01-01");
  EXPECT_EQ(unix_days_to_iso(-719162), "0001-01-01");
  EXPECT_EQ(unix_days_to_iso(2932896), "9999-12-31");
}

TEST(FirstWatermark, TimestampOneSecondEarlyInTheSourcesForm) {
  // 2024-02-29 00:00:00.25 UTC
  const int64_t us = 1709164800LL * 1000000 + 250000;
  EXPECT_EQ(
      first_watermark(timestamp_max(us), StorageClass::Text, "2024-03-01 10:00:00").value_text(),
      "2024-02-28 23:59:59");
  EXPECT_EQ(first_watermark(timestamp_max(us), StorageClass::Text, "2024-03-01T10:00:00.123")
                .value_text(),
            "2024-02-28T23:59:59");
  Watermark i = first_watermark(timestamp_max(us), StorageClass::Integer, "");
  EXPECT_EQ(i.kind_name(), std::string("integer"));
  EXPECT_EQ(i.i, 1709164799);
  Watermark r = first_watermark(timestamp_max(us), StorageClass::Float, "");
  EXPECT_EQ(r.kind_name(), std::string("real"));
  EXPECT_EQ(r.d, 1709164799.0);
  // Before 1970: floor, not truncation.
  EXPECT_EQ(first_watermark(timestamp_max(-1500000), StorageClass::Text, "x").value_text(),
            "1969-12-31 23:59:57");
}

TEST(FirstWatermark, TextStartsAtOrBelowEveryFormOfTheSameInstant) {
  // Whatever digits the source keeps, the start sorts before the value itself.
  const int64_t us = 1700000000LL * 1000000 + 500000;
  const std::string start =
      first_watermark(timestamp_max(us), StorageClass::Text, "2023-11-14 22:13:20").text;
  for (const char *stored :
       {"2023-11-14 22:13:20", "2023-11-14 22:13:20.5", "2023-11-14 22:13:20.500000",
        "2023-11-14 22:13:20Z", "2023-11-14 22:13:21"})
    EXPECT_LE(start, std::string(stored)) << stored;
}

TEST(FirstWatermark, NumbersTextAndDates) {
  TargetMax m;
  m.type = TargetMax::Type::Integer;
  m.text = "1000";
  EXPECT_EQ(first_watermark(m, StorageClass::Integer, "1000").value_text(), "1000");
  EXPECT_EQ(first_watermark(m, StorageClass::Float, "1000.0").kind_name(), std::string("real"));
  m.type = TargetMax::Type::Float;
  m.text = "2.5";
  EXPECT_EQ(first_watermark(m, StorageClass::Float, "").d, 2.5);
  m.type = TargetMax::Type::Text;
  m.text = "v0042";
  EXPECT_EQ(first_watermark(m, StorageClass::Text, "v0050").text, "v0042");
  TargetMax d;
  d.type = TargetMax::Type::Date;
  d.unix_days = 19782;  // 2024-02-29
  EXPECT_EQ(first_watermark(d, StorageClass::Text, "2024-03-01").text, "2024-02-28");
  EXPECT_EQ(first_watermark(d, StorageClass::Integer, "").i, 19781LL * 86400);
}

}  // namespace
}  // namespace minibar

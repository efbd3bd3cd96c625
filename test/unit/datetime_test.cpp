// Tests for ISO 8601 parsing into PostgreSQL's internal date/time integers.
//
// Expected day and microsecond counts were computed independently with
// python3's datetime module, e.g.
//   (date(2024,2,29) - date(2000,1,1)).days                       -> 8825
//   datetime(2024,2,29,12,34,56,789012,tzinfo=timezone(timedelta(hours=3)))
//     - datetime(2000,1,1,tzinfo=timezone.utc)  (as microseconds) -> 762514496789012
// and cross-checked with the sqlite3 CLI (julianday differences).
#include "core/convert/datetime.hpp"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace minibar {
namespace {

constexpr int64_t kUs = kMicrosPerSecond;
constexpr int64_t kDay = kMicrosPerDay;

// Each of the texts parses to want (std::nullopt: is rejected).
void expect_date(std::optional<int32_t> want, std::initializer_list<std::string_view> texts) {
  for (std::string_view t : texts) EXPECT_EQ(parse_iso_date(t), want) << '"' << t << '"';
}
void expect_timestamp(std::optional<int64_t> want, std::initializer_list<std::string_view> texts) {
  for (std::string_view t : texts) EXPECT_EQ(parse_iso_timestamp(t), want) << '"' << t << '"';
}
void expect_time(std::optional<int64_t> want, std::initializer_list<std::string_view> texts) {
  for (std::string_view t : texts) EXPECT_EQ(parse_iso_time(t), want) << '"' << t << '"';
}

// ---- parse_iso_date ---------------------------------------------------------

TEST(ParseIsoDate, EpochValues) {
  EXPECT_EQ(parse_iso_date("2000-01-01"), 0);
  EXPECT_EQ(parse_iso_date("1970-01-01"), -10957);
  EXPECT_EQ(parse_iso_date("1970-01-01"), -kPgEpochUnixDays);
  EXPECT_EQ(parse_iso_date("1999-12-31"), -1);
  EXPECT_EQ(parse_iso_date("2000-01-02"), 1);
}

TEST(ParseIsoDate, Extremes) {
  EXPECT_EQ(parse_iso_date("0001-01-01"), -730119);  // python3: (date(1,1,1)-date(2000,1,1)).days
  EXPECT_EQ(parse_iso_date("9999-12-31"), 2921939);  // python3
  expect_date(std::nullopt,
              {"0000-01-01", "0000-12-31", "10000-01-01", "-0001-01-01", "999-01-01"});
}

TEST(ParseIsoDate, LeapYears) {
  EXPECT_EQ(parse_iso_date("2000-02-29"), 59);      // divisible by 400: leap
  EXPECT_EQ(parse_iso_date("2024-02-29"), 8825);    // python3
  EXPECT_EQ(parse_iso_date("2024-03-01"), 8826);    // python3
  EXPECT_EQ(parse_iso_date("1900-02-28"), -36466);  // python3
  EXPECT_EQ(parse_iso_date("1900-03-01"), -36465);  // 1900 is not leap: consecutive
  expect_date(std::nullopt, {"1900-02-29", "2023-02-29", "2100-02-29"});
  EXPECT_TRUE(parse_iso_date("2400-02-29").has_value());
  EXPECT_TRUE(parse_iso_date("0004-02-29").has_value());
}

TEST(ParseIsoDate, InvalidFields) {
  expect_date(std::nullopt, {"2024-00-10", "2024-13-01", "2024-01-00", "2024-01-32", "2024-04-31",
                             "2024-06-31", "2024-09-31", "2024-11-31"});
  EXPECT_TRUE(parse_iso_date("2024-12-31").has_value());
  EXPECT_TRUE(parse_iso_date("2024-07-31").has_value());
}

TEST(ParseIsoDate, Garbage) {
  expect_date(std::nullopt, {"", "   ", "abc", "2024-1-5", "2024/01/05", "20240105", "2024-01-05x",
                             "2024-01-05 junk", "2024-01-0", "2024-01-"});
  EXPECT_EQ(parse_iso_date("0000-00-00"), std::nullopt);  // MySQL's zero date
  expect_date(std::nullopt, {"2024-01-05T", "2024-01-05  00:00:00", "+2024-01-05"});
  EXPECT_EQ(parse_iso_date(std::string_view("2024-01-05\0", 11)), std::nullopt);
}

TEST(ParseIsoDate, Whitespace) {
  EXPECT_EQ(parse_iso_date("  2000-01-02  "), 1);
  EXPECT_EQ(parse_iso_date("\t2000-01-02\n"), 1);
}

TEST(ParseIsoDate, MidnightTimeAccepted) {
  expect_date(1, {"2000-01-02 00:00:00", "2000-01-02T00:00:00", "2000-01-02t00:00",
                  "2000-01-02T00:00:00.000", "2000-01-02T00:00:00.000Z", "2000-01-02 00:00:00z",
                  "2000-01-02 00:00:00 Z", "2000-01-02 00:00:00+00:00", "2000-01-02Z"});
  // Rounds to zero microseconds.
  EXPECT_EQ(parse_iso_date("2000-01-02 00:00:00.0000004"), 1);
}

TEST(ParseIsoDate, NonMidnightRejected) {
  expect_date(std::nullopt,
              {"2000-01-02 00:00:01", "2000-01-02 12:00", "2000-01-02 00:00:00.000001",
               "2000-01-02 00:00:00.0000005", "2000-01-02 23:59:59.9999999"});
  // Midnight in another zone is not midnight UTC.
  expect_date(std::nullopt,
              {"2000-01-02 00:00:00+03:00", "2000-01-02 03:00:00+03:00", "2000-01-02 24:00:00"});
}

// ---- parse_iso_timestamp ----------------------------------------------------

TEST(ParseIsoTimestamp, Epoch) {
  bool had_zone = true;
  EXPECT_EQ(parse_iso_timestamp("2000-01-01", &had_zone), 0);
  EXPECT_FALSE(had_zone);
  EXPECT_EQ(parse_iso_timestamp("2000-01-01 00:00:00"), 0);
  EXPECT_EQ(parse_iso_timestamp("2000-01-01 00:00:01"), kUs);
  EXPECT_EQ(parse_iso_timestamp("1999-12-31 23:59:59"), -kUs);
  EXPECT_EQ(parse_iso_timestamp("1970-01-01 00:00:00"), -10957 * kDay);
}

TEST(ParseIsoTimestamp, ZonedValue) {
  bool had_zone = false;
  // python3: 2024-02-29 12:34:56.789012+03:00 = 09:34:56.789012 UTC.
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.789012+03:00", &had_zone), 762514496789012);
  EXPECT_TRUE(had_zone);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29T09:34:56.789012Z"), 762514496789012);
  // Unzoned: the wall clock as is.
  had_zone = true;
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.789012", &had_zone), 762525296789012);
  EXPECT_FALSE(had_zone);
}

TEST(ParseIsoTimestamp, ZoneForms) {
  const int64_t noon_utc = 8825 * kDay + 12 * 3600 * kUs;  // 2024-02-29 12:00 UTC
  expect_timestamp(
      noon_utc, {"2024-02-29 12:00:00Z", "2024-02-29 12:00:00z", "2024-02-29 12:00:00 Z",
                 "2024-02-29 15:00:00+03", "2024-02-29 15:00:00+0300", "2024-02-29 15:00:00+03:00",
                 "2024-02-29 15:00:00 +03:00", "2024-02-29T06:30:00-05:30", "2024-02-29T06:30-0530",
                 "2024-02-29 12:00:00+00", "2024-02-29 12:00:00-00:00", "2024-03-01 03:59:00+15:59",
                 "2024-02-28 20:01:00-15:59"});
  // -05:30 crossing midnight: python3 gives 757402200000000.
  EXPECT_EQ(parse_iso_timestamp("2024-01-01 00:00:00-05:30"), 757402200000000);
  // A zone directly after the date.
  EXPECT_EQ(parse_iso_timestamp("2024-02-29Z"), 8825 * kDay);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29+01:00"), 8825 * kDay - 3600 * kUs);
}

TEST(ParseIsoTimestamp, BadZones) {
  expect_timestamp(
      std::nullopt,
      {"2024-02-29 12:00:00+16", "2024-02-29 12:00:00+15:60", "2024-02-29 12:00:00+3",
       "2024-02-29 12:00:00+030", "2024-02-29 12:00:00+03:0", "2024-02-29 12:00:00+03:00:00",
       "2024-02-29 12:00:00+", "2024-02-29 12:00:00 UTC", "2024-02-29 12:00:00ZZ",
       "2024-02-29 12:00:00  Z", "2024-02-29 12:00:00Z+01"});
}

TEST(ParseIsoTimestamp, Separators) {
  const int64_t v = 8825 * kDay + (12 * 3600 + 34 * 60) * kUs;
  expect_timestamp(
      v, {"2024-02-29 12:34", "2024-02-29T12:34", "2024-02-29t12:34", "  2024-02-29T12:34:00  "});
  expect_timestamp(std::nullopt, {"2024-02-29_12:34", "2024-02-29  12:34", "2024-02-29T 12:34"});
}

TEST(ParseIsoTimestamp, Fractions) {
  const int64_t base = 8825 * kDay + (12 * 3600 + 34 * 60 + 56) * kUs;
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.7"), base + 700000);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.78"), base + 780000);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.789"), base + 789000);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.7890"), base + 789000);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.78901"), base + 789010);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.789012"), base + 789012);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.7890124"), base + 789012);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.7890125"), base + 789013);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.78901249999"), base + 789012);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:34:56.789012500"), base + 789013);
  expect_timestamp(base, {"2024-02-29 12:34:56.000000", "2024-02-29 12:34:56.0000001",
                          "2024-02-29 12:34:56.000000000000000000000000001"});
  expect_timestamp(std::nullopt, {"2024-02-29 12:34:56.", "2024-02-29 12:34:56.x",
                                  "2024-02-29 12:34:56,5", "2024-02-29 12:34.5"});
}

TEST(ParseIsoTimestamp, RoundingCarries) {
  // Into the next second.
  EXPECT_EQ(parse_iso_timestamp("2000-01-01 00:00:00.9999995"), kUs);
  EXPECT_EQ(parse_iso_timestamp("2000-01-01 00:00:00.9999994"), kUs - 1);
  // Into the next day, month and year (python3: 2024-01-01 00:00 UTC).
  EXPECT_EQ(parse_iso_timestamp("2023-12-31 23:59:59.9999995"), 757382400000000);
  EXPECT_EQ(parse_iso_timestamp("2023-12-31 23:59:59.99999949"), 757382399999999);
  // Into Feb 29 / Mar 1.
  EXPECT_EQ(parse_iso_timestamp("2024-02-28 23:59:59.9999999"), 8825 * kDay);
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 23:59:59.9999999"), 8826 * kDay);
}

TEST(ParseIsoTimestamp, TimeFieldRanges) {
  EXPECT_TRUE(parse_iso_timestamp("2024-02-29 23:59:59").has_value());
  expect_timestamp(std::nullopt,
                   {"2024-02-29 24:00:00", "2024-02-29 25:00:00", "2024-02-29 12:60:00"});
  EXPECT_EQ(parse_iso_timestamp("2024-02-29 12:00:60"), std::nullopt);  // no leap seconds
  expect_timestamp(std::nullopt, {"2024-02-29 1:00:00", "2024-02-29 12:0:00", "2024-02-29 12:00:0",
                                  "2024-02-29 12", "2024-02-29 12:", "2024-02-29 12:00:"});
}

TEST(ParseIsoTimestamp, Extremes) {
  // python3: 0001-01-01 00:00 UTC and 9999-12-31 23:59:59.999999 UTC.
  EXPECT_EQ(parse_iso_timestamp("0001-01-01 00:00:00"), -63082281600000000);
  EXPECT_EQ(parse_iso_timestamp("9999-12-31 23:59:59.999999"), 252455615999999999);
  // Rounding past 9999 and zones crossing year 1 stay inside PostgreSQL's range.
  EXPECT_EQ(parse_iso_timestamp("9999-12-31 23:59:59.9999999"), 252455616000000000);
  EXPECT_EQ(parse_iso_timestamp("0001-01-01 00:00:00+01:00"), -63082281600000000 - 3600 * kUs);
  EXPECT_EQ(parse_iso_timestamp("0000-01-01 00:00:00"), std::nullopt);
}

TEST(ParseIsoTimestamp, Garbage) {
  expect_timestamp(std::nullopt,
                   {"", " ", "now", "infinity", "1700000000", "12:34:56", "2024-02-30 12:00:00",
                    "2024-02-29 12:00:00 junk", "2024-02-29 12:00:00x", "2024-02-29 12:00:00.5.5",
                    "0000-00-00 00:00:00"});
}

TEST(ParseIsoTimestamp, HadZoneUntouchedOnFailure) {
  bool had_zone = true;
  EXPECT_EQ(parse_iso_timestamp("garbage+03:00", &had_zone), std::nullopt);
  EXPECT_TRUE(had_zone);
}

// ---- parse_iso_time ---------------------------------------------------------

TEST(ParseIsoTime, Values) {
  EXPECT_EQ(parse_iso_time("00:00"), 0);
  EXPECT_EQ(parse_iso_time("00:00:00"), 0);
  EXPECT_EQ(parse_iso_time("12:34"), (12 * 3600 + 34 * 60) * kUs);
  EXPECT_EQ(parse_iso_time("12:34:56"), (12 * 3600 + 34 * 60 + 56) * kUs);
  EXPECT_EQ(parse_iso_time("12:34:56.5"), (12 * 3600 + 34 * 60 + 56) * kUs + 500000);
  EXPECT_EQ(parse_iso_time("23:59:59.999999"), kDay - 1);
  EXPECT_EQ(parse_iso_time("  01:02:03  "), (3600 + 120 + 3) * kUs);
}

TEST(ParseIsoTime, TwentyFour) {
  expect_time(kDay, {"24:00:00", "24:00", "24:00:00.000", "24:00:00.0000004"});
  expect_time(std::nullopt, {"24:00:00.0000005", "24:00:01", "24:01", "25:00"});
  // Rounding up to 24:00:00, as PostgreSQL's time input does.
  EXPECT_EQ(parse_iso_time("23:59:59.9999995"), kDay);
}

TEST(ParseIsoTime, Invalid) {
  expect_time(std::nullopt, {"", "12", "12:60", "12:00:60", "1:00", "12:00:00Z", "12:00:00+03",
                             "12:00:00.", "T12:00:00", "2024-01-01 12:00:00", "noon", "-1:00"});
}

// ---- unix_seconds_to_pg_micros ------------------------------------------------

TEST(UnixSeconds, Integer) {
  EXPECT_EQ(unix_seconds_to_pg_micros(int64_t{0}), -10957 * kDay);
  EXPECT_EQ(unix_seconds_to_pg_micros(int64_t{946684800}), 0);
  // python3: (1700000000 - 946684800) * 10**6
  EXPECT_EQ(unix_seconds_to_pg_micros(int64_t{1700000000}), 753315200000000);
  EXPECT_EQ(unix_seconds_to_pg_micros(int64_t{-1}), -10957 * kDay - kUs);
}

TEST(UnixSeconds, IntegerRange) {
  // PostgreSQL: to_timestamp(-210866803200) = 4714-11-24 00:00:00+00 BC, the minimum.
  EXPECT_EQ(unix_seconds_to_pg_micros(int64_t{-210866803200}), -211813488000000000);
  EXPECT_EQ(unix_seconds_to_pg_micros(int64_t{-210866803201}), std::nullopt);
  // 294277-01-01 00:00:00 UTC (exclusive end) is Unix 9224318016000.
  EXPECT_EQ(unix_seconds_to_pg_micros(int64_t{9224318015999}), (9224318015999 - 946684800) * kUs);
  EXPECT_EQ(unix_seconds_to_pg_micros(int64_t{9224318016000}), std::nullopt);
  EXPECT_EQ(unix_seconds_to_pg_micros(std::numeric_limits<int64_t>::max()), std::nullopt);
  EXPECT_EQ(unix_seconds_to_pg_micros(std::numeric_limits<int64_t>::min()), std::nullopt);
}

TEST(UnixSeconds, Double) {
  EXPECT_EQ(unix_seconds_to_pg_micros(0.0), -10957 * kDay);
  EXPECT_EQ(unix_seconds_to_pg_micros(946684800.0), 0);
  EXPECT_EQ(unix_seconds_to_pg_micros(946684800.5), 500000);
  EXPECT_EQ(unix_seconds_to_pg_micros(946684799.5), -500000);
  EXPECT_EQ(unix_seconds_to_pg_micros(1700000000.123456), 753315200123456);
  EXPECT_EQ(unix_seconds_to_pg_micros(-0.25), -10957 * kDay - 250000);
  EXPECT_EQ(unix_seconds_to_pg_micros(-210866803200.0), -211813488000000000);
  EXPECT_EQ(unix_seconds_to_pg_micros(-210866803200.5), std::nullopt);
  EXPECT_EQ(unix_seconds_to_pg_micros(9224318016000.0), std::nullopt);
  EXPECT_TRUE(unix_seconds_to_pg_micros(9224318015999.0).has_value());
  EXPECT_EQ(unix_seconds_to_pg_micros(1e300), std::nullopt);
  EXPECT_EQ(unix_seconds_to_pg_micros(-1e300), std::nullopt);
  EXPECT_EQ(unix_seconds_to_pg_micros(std::numeric_limits<double>::infinity()), std::nullopt);
  EXPECT_EQ(unix_seconds_to_pg_micros(-std::numeric_limits<double>::infinity()), std::nullopt);
  EXPECT_EQ(unix_seconds_to_pg_micros(std::nan("")), std::nullopt);
}

}  // namespace
}  // namespace minibar

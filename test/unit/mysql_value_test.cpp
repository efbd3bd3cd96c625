// Conversion of MySQL binary-protocol values to PostgreSQL column targets.
#include <gtest/gtest.h>

#include <cstring>

#include "core/convert/datetime.hpp"
#include "core/error.hpp"
#include "core/mysql/value.hpp"

namespace minibar {
namespace {

using Kind = Converted::Kind;

// A non-NULL cell of the type; the makers below set its value.
MyCell cell_of(MyType type) {
  MyCell c;
  c.type = type;
  c.is_null = false;
  return c;
}

MyCell int_cell(int64_t v) {
  MyCell c = cell_of(MyType::Int);
  c.i = v;
  return c;
}

MyCell uint_cell(uint64_t v) {
  MyCell c = cell_of(MyType::UInt);
  c.u = v;
  return c;
}

MyCell time_cell(MyType type, MyTime t) {
  MyCell c = cell_of(type);
  c.t = t;
  return c;
}

MyCell bytes_cell(MyType type, std::string_view bytes) {
  MyCell c = cell_of(type);
  c.bytes = bytes;
  return c;
}

Converted conv(const MyCell &c, TargetKind t, bool zero_error = false) {
  static MyScratch scratch;
  MyConvertOptions o;
  o.zero_date_is_error = zero_error;
  return convert_mysql_cell(c, t, o, scratch);
}

TEST(MysqlValue, NullIsNullForEveryTarget) {
  MyCell c;  // is_null by default
  for (TargetKind t : {TargetKind::Bool, TargetKind::Int4, TargetKind::Text, TargetKind::Date,
                       TargetKind::TextArray, TargetKind::Other})
    EXPECT_EQ(conv(c, t).kind, Kind::Null);
}

TEST(MysqlValue, IntegersAreRangeChecked) {
  EXPECT_EQ(conv(int_cell(32767), TargetKind::Int2).i, 32767);
  EXPECT_EQ(conv(int_cell(32768), TargetKind::Int2).kind, Kind::Error);
  EXPECT_STREQ(conv(int_cell(32768), TargetKind::Int2).sqlstate, sqlstate::kNumericOutOfRange);
  EXPECT_EQ(conv(int_cell(INT64_MIN), TargetKind::Int8).i, INT64_MIN);
  EXPECT_EQ(conv(int_cell(-5), TargetKind::Numeric).kind, Kind::Int);
}

TEST(MysqlValue, UnsignedBigintExtremesGoToNumericExactly) {
  Converted r = conv(uint_cell(18446744073709551615ULL), TargetKind::Numeric);
  ASSERT_EQ(r.kind, Kind::InputText);
  EXPECT_EQ(r.bytes, "18446744073709551615");
  EXPECT_EQ(conv(uint_cell(18446744073709551615ULL), TargetKind::Text).bytes,
            "18446744073709551615");
  EXPECT_EQ(conv(uint_cell(18446744073709551615ULL), TargetKind::Int8).kind, Kind::Error);
  Converted small = conv(uint_cell(4294967295ULL), TargetKind::Int8);
  EXPECT_EQ(small.kind, Kind::Int);
  EXPECT_EQ(small.i, 4294967295LL);
}

TEST(MysqlValue, BooleansFromTinyintAreZeroOrOne) {
  EXPECT_FALSE(conv(int_cell(0), TargetKind::Bool).b);
  EXPECT_TRUE(conv(int_cell(1), TargetKind::Bool).b);
  EXPECT_EQ(conv(int_cell(2), TargetKind::Bool).kind, Kind::Error);
}

TEST(MysqlValue, FloatsKeepTheirExactValue) {
  MyCell f;
  f.type = MyType::Float;
  f.is_null = false;
  f.d = static_cast<double>(0.1f);
  Converted r = conv(f, TargetKind::Float4);
  ASSERT_EQ(r.kind, Kind::Float);
  EXPECT_EQ(static_cast<float>(r.d), 0.1f);
  EXPECT_EQ(conv(f, TargetKind::Text).bytes, "0.1");  // the float's own shortest text
  f.d = static_cast<double>(16777216.0f);
  EXPECT_EQ(conv(f, TargetKind::Text).bytes, "16777216");
  MyCell d;
  d.type = MyType::Double;
  d.is_null = false;
  d.d = -2.2250738585072014e-308;
  EXPECT_EQ(conv(d, TargetKind::Float8).d, -2.2250738585072014e-308);
  EXPECT_EQ(conv(d, TargetKind::Text).bytes, "-2.2250738585072014e-308");
}

TEST(MysqlValue, LongDecimalTextGoesToNumericInput) {
  MyCell c = bytes_cell(MyType::Decimal, "-12345678901234567890.123456789012345678901234567890");
  Converted r = conv(c, TargetKind::Numeric);
  ASSERT_EQ(r.kind, Kind::InputText);
  EXPECT_EQ(r.bytes, c.bytes);
}

TEST(MysqlValue, ShortDecimalIsDecodedExactly) {
  Converted r = conv(bytes_cell(MyType::Decimal, "-1234.50"), TargetKind::Numeric);
  ASSERT_EQ(r.kind, Kind::Decimal);
  EXPECT_EQ(r.i, -123450);
  EXPECT_EQ(r.scale, 2);
  // A text target keeps MySQL's own text.
  Converted t = conv(bytes_cell(MyType::Decimal, "-1234.50"), TargetKind::Text);
  ASSERT_EQ(t.kind, Kind::Bytes);
  EXPECT_EQ(t.bytes, "-1234.50");
}

TEST(MysqlValue, DatesAndTimestamps) {
  MyTime t;
  t.year = 2000;
  t.month = 1;
  t.day = 2;
  EXPECT_EQ(conv(time_cell(MyType::Date, t), TargetKind::Date).i, 1);
  t.hour = 1;
  t.micro = 5;
  Converted dt = conv(time_cell(MyType::DateTime, t), TargetKind::TimestampTz);
  ASSERT_EQ(dt.kind, Kind::Timestamp);
  EXPECT_EQ(dt.i, kMicrosPerDay + 3600 * kMicrosPerSecond + 5);
  EXPECT_TRUE(dt.local_time);  // DATETIME: shifted from source_timezone by the caller
  Converted ts = conv(time_cell(MyType::Timestamp, t), TargetKind::TimestampTz);
  EXPECT_FALSE(ts.local_time);  // TIMESTAMP: already UTC
  EXPECT_EQ(conv(time_cell(MyType::DateTime, t), TargetKind::Date).kind, Kind::Error);
  EXPECT_EQ(conv(time_cell(MyType::DateTime, t), TargetKind::Text).bytes,
            "2000-01-02 01:00:00.000005");
  EXPECT_EQ(conv(time_cell(MyType::Timestamp, t), TargetKind::Text).bytes,
            "2000-01-02 01:00:00.000005+00");
  MyTime lo;
  lo.year = 1000;
  lo.month = 1;
  lo.day = 1;
  EXPECT_EQ(conv(time_cell(MyType::Date, lo), TargetKind::Date).i, civil_to_pg_days(1000, 1, 1));
}

TEST(MysqlValue, ZeroDatesAreNullOrAnError) {
  MyTime zero;  // 0000-00-00
  EXPECT_EQ(conv(time_cell(MyType::Date, zero), TargetKind::Date).kind, Kind::Null);
  Converted e = conv(time_cell(MyType::DateTime, zero), TargetKind::TimestampTz, true);
  EXPECT_EQ(e.kind, Kind::Error);
  EXPECT_STREQ(e.sqlstate, sqlstate::kDatetimeOverflow);
  MyTime zero_in_date;  // 2020-00-15
  zero_in_date.year = 2020;
  zero_in_date.day = 15;
  EXPECT_TRUE(is_zero_date(time_cell(MyType::Date, zero_in_date)));
  EXPECT_EQ(conv(time_cell(MyType::Date, zero_in_date), TargetKind::Date).kind, Kind::Null);
}

TEST(MysqlValue, InvalidCalendarDatesAreErrorsNotShifted) {
  MyTime feb30;  // 2020-02-30, storable with ALLOW_INVALID_DATES
  feb30.year = 2020;
  feb30.month = 2;
  feb30.day = 30;
  Converted r = conv(time_cell(MyType::Date, feb30), TargetKind::Date);
  EXPECT_EQ(r.kind, Kind::Error);
  EXPECT_STREQ(r.sqlstate, sqlstate::kDatetimeOverflow);
  MyTime leap;
  leap.year = 2020;
  leap.month = 2;
  leap.day = 29;
  EXPECT_EQ(conv(time_cell(MyType::Date, leap), TargetKind::Date).kind, Kind::Date);
}

TEST(MysqlValue, TimeBeyondADayAndNegative) {
  MyTime t;
  t.hour = 838;
  t.minute = 59;
  t.second = 59;
  EXPECT_EQ(conv(time_cell(MyType::Time, t), TargetKind::Other).bytes, "838:59:59");
  EXPECT_EQ(conv(time_cell(MyType::Time, t), TargetKind::Time).kind, Kind::Error);
  t.neg = true;
  EXPECT_EQ(conv(time_cell(MyType::Time, t), TargetKind::Other).bytes, "-838:59:59");
  MyTime half;
  half.neg = true;
  half.second = 1;
  half.micro = 500000;
  EXPECT_EQ(conv(time_cell(MyType::Time, half), TargetKind::Other).bytes, "-00:00:01.500000");
  MyTime noon;
  noon.hour = 12;
  noon.minute = 34;
  noon.second = 56;
  noon.micro = 789000;
  Converted r = conv(time_cell(MyType::Time, noon), TargetKind::Time);
  ASSERT_EQ(r.kind, Kind::Time);
  EXPECT_EQ(r.i, (12 * 3600 + 34 * 60 + 56) * kMicrosPerSecond + 789000);
}

TEST(MysqlValue, Bits) {
  const char one[] = {1};
  MyCell b1 = bytes_cell(MyType::Bit, std::string_view(one, 1));
  b1.bits = 1;
  EXPECT_TRUE(conv(b1, TargetKind::Bool).b);
  const char ten[] = {0x02, static_cast<char>(0xAA)};  // b'1010101010'
  MyCell b10 = bytes_cell(MyType::Bit, std::string_view(ten, 2));
  b10.bits = 10;
  EXPECT_EQ(conv(b10, TargetKind::Other).bytes, "1010101010");
  EXPECT_EQ(conv(b10, TargetKind::Int4).i, 682);
  EXPECT_EQ(conv(b10, TargetKind::Bool).kind, Kind::Error);
}

TEST(MysqlValue, StringsBinariesAndSets) {
  EXPECT_EQ(conv(bytes_cell(MyType::String, "ğüş 😀"), TargetKind::Text).bytes, "ğüş 😀");
  EXPECT_EQ(conv(bytes_cell(MyType::String, std::string_view("a\0b", 3)), TargetKind::Text).kind,
            Kind::Error);
  EXPECT_EQ(conv(bytes_cell(MyType::Binary, std::string_view("a\0b", 3)), TargetKind::Bytea).bytes,
            std::string_view("a\0b", 3));
  EXPECT_EQ(conv(bytes_cell(MyType::Set, "a,c"), TargetKind::TextArray).bytes, "{\"a\",\"c\"}");
  EXPECT_EQ(conv(bytes_cell(MyType::Set, ""), TargetKind::TextArray).bytes, "{}");
  EXPECT_EQ(conv(bytes_cell(MyType::Set, "a,c"), TargetKind::Text).bytes, "a,c");
  EXPECT_EQ(conv(bytes_cell(MyType::Enum, "large"), TargetKind::Other).kind, Kind::InputText);
}

TEST(MysqlValue, GeometryDropsTheSrid) {
  const char g[] = {0, 0, 0, 0, 1, 1, 0, 0, 0};
  MyCell c = bytes_cell(MyType::Geometry, std::string_view(g, sizeof g));
  Converted r = conv(c, TargetKind::Bytea);
  EXPECT_EQ(r.bytes, std::string_view(g + 4, 5));
  EXPECT_EQ(conv(c, TargetKind::Other).bytes, "0101000000");
  EXPECT_EQ(conv(bytes_cell(MyType::Geometry, "ab"), TargetKind::Bytea).kind, Kind::Error);
}

}  // namespace
}  // namespace minibar

// Tests for converting SQLite cells to PostgreSQL target representations.
#include "core/convert/cell_convert.hpp"

#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "core/convert/datetime.hpp"
#include "core/error.hpp"

namespace minibar {
namespace {

using Kind = Converted::Kind;
using T = TargetKind;
using namespace std::string_view_literals;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr double kInf = std::numeric_limits<double>::infinity();

Cell null_cell() {
  return Cell{};
}

Cell int_cell(int64_t v) {
  return Cell{StorageClass::Integer, v, 0, {}};
}

Cell float_cell(double v) {
  return Cell{StorageClass::Float, 0, v, {}};
}

Cell text_cell(std::string_view v) {
  return Cell{StorageClass::Text, 0, 0, v};
}

Cell blob_cell(std::string_view v) {
  return Cell{StorageClass::Blob, 0, 0, v};
}

// Keeps the scratch alongside the result so views into it stay valid.
struct Conv {
  CellScratch scratch;
  Converted r;
  Conv(const Cell &cell, TargetKind target) { r = convert_cell(cell, target, scratch); }
  Conv(const Conv &) = delete;
  Conv &operator=(const Conv &) = delete;
  std::string bytes() const { return std::string(r.bytes); }
};

std::string shortest(double v) {
  CellScratch s;
  return std::string(format_double_shortest(v, s));
}

const TargetKind kAllTargets[] = {T::Bool,   T::Int2,      T::Int4,        T::Int8,  T::Float4,
                                  T::Float8, T::Numeric,   T::Text,        T::Bytea, T::Date,
                                  T::Time,   T::Timestamp, T::TimestampTz, T::Other};

// Expects an error with the given SQLSTATE and (when non-null) reason.
::testing::AssertionResult IsError(const Cell &cell, TargetKind target, const char *state,
                                   const char *reason = nullptr) {
  Conv c(cell, target);
  if (c.r.kind != Kind::Error) {
    return ::testing::AssertionFailure()
           << "kind " << static_cast<int>(c.r.kind) << " instead of Error";
  }
  if (c.r.sqlstate == nullptr || c.r.reason == nullptr) {
    return ::testing::AssertionFailure() << "missing sqlstate or reason";
  }
  if (std::strcmp(c.r.sqlstate, state) != 0) {
    return ::testing::AssertionFailure()
           << "sqlstate " << c.r.sqlstate << " instead of " << state << " (" << c.r.reason << ")";
  }
  if (reason != nullptr && std::strcmp(c.r.reason, reason) != 0) {
    return ::testing::AssertionFailure()
           << "reason \"" << c.r.reason << "\" instead of \"" << reason << "\"";
  }
  return ::testing::AssertionSuccess();
}

// The failure of a result that is not of kind want (with the error's reason).
::testing::AssertionResult WrongKind(const Conv &c, const char *want) {
  return ::testing::AssertionFailure()
         << "kind " << static_cast<int>(c.r.kind) << " instead of " << want
         << (c.r.reason ? std::string(" (") + c.r.reason + ")" : std::string());
}

::testing::AssertionResult IsInt(const Cell &cell, TargetKind target, int64_t expected) {
  Conv c(cell, target);
  if (c.r.kind != Kind::Int) return WrongKind(c, "Int");
  if (c.r.i != expected) return ::testing::AssertionFailure() << c.r.i << " != " << expected;
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsBool(const Cell &cell, bool expected) {
  Conv c(cell, T::Bool);
  if (c.r.kind != Kind::Bool) return WrongKind(c, "Bool");
  if (c.r.b != expected) return ::testing::AssertionFailure() << "wrong boolean value";
  return ::testing::AssertionSuccess();
}

// Float result compared bit for bit (so -0.0 and NaN are checked exactly).
::testing::AssertionResult IsFloat(const Cell &cell, TargetKind target, double expected) {
  Conv c(cell, target);
  if (c.r.kind != Kind::Float) return WrongKind(c, "Float");
  if (std::isnan(expected) && std::isnan(c.r.d)) return ::testing::AssertionSuccess();
  if (std::memcmp(&c.r.d, &expected, sizeof(double)) != 0) {
    return ::testing::AssertionFailure() << c.r.d << " != " << expected;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsBytes(const Cell &cell, TargetKind target, Kind kind,
                                   std::string_view expected) {
  Conv c(cell, target);
  if (c.r.kind != kind) {
    return ::testing::AssertionFailure()
           << "kind " << static_cast<int>(c.r.kind) << " instead of " << static_cast<int>(kind)
           << (c.r.reason ? std::string(" (") + c.r.reason + ")" : std::string());
  }
  if (c.r.bytes != expected) {
    return ::testing::AssertionFailure() << "\"" << c.bytes() << "\" != \"" << expected << "\"";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsKindI(const Cell &cell, TargetKind target, Kind kind,
                                   int64_t expected) {
  Conv c(cell, target);
  if (c.r.kind != kind) {
    return ::testing::AssertionFailure()
           << "kind " << static_cast<int>(c.r.kind) << " instead of " << static_cast<int>(kind)
           << (c.r.reason ? std::string(" (") + c.r.reason + ")" : std::string());
  }
  if (c.r.i != expected) return ::testing::AssertionFailure() << c.r.i << " != " << expected;
  return ::testing::AssertionSuccess();
}

// ---- NULL and general invariants --------------------------------------------

TEST(ConvertCell, NullForEveryTarget) {
  for (TargetKind t : kAllTargets) {
    CellScratch s;
    Converted r = convert_cell(null_cell(), t, s);
    EXPECT_EQ(r.kind, Kind::Null) << static_cast<int>(t);
    EXPECT_EQ(r.sqlstate, nullptr);
    EXPECT_EQ(r.reason, nullptr);
  }
  // Stale payload in a NULL cell is ignored.
  Cell c = int_cell(5);
  c.storage = StorageClass::Null;
  c.bytes = "abc";
  for (TargetKind t : kAllTargets) EXPECT_EQ(Conv(c, t).r.kind, Kind::Null);
}

TEST(ConvertCell, ErrorsAlwaysCarryStateAndReason) {
  const Cell cells[] = {int_cell(7),
                        int_cell(kInt64Min),
                        float_cell(0.5),
                        float_cell(std::nan("")),
                        float_cell(-kInf),
                        text_cell("zzz"),
                        text_cell("\xc0\x80"),
                        text_cell("a\0b"sv),
                        blob_cell("\xff\x00"sv),
                        blob_cell("")};
  for (const Cell &cell : cells) {
    for (TargetKind t : kAllTargets) {
      Conv c(cell, t);
      if (c.r.kind == Kind::Error) {
        EXPECT_NE(c.r.sqlstate, nullptr);
        ASSERT_NE(c.r.reason, nullptr);
        EXPECT_GT(std::strlen(c.r.reason), 0u);
        EXPECT_EQ(std::strlen(c.r.sqlstate), 5u);
      } else {
        EXPECT_EQ(c.r.sqlstate, nullptr);
        EXPECT_EQ(c.r.reason, nullptr);
      }
    }
  }
}

// ---- Bool -----------------------------------------------------------------

TEST(ConvertCellBool, FromInteger) {
  EXPECT_TRUE(IsBool(int_cell(1), true));
  EXPECT_TRUE(IsBool(int_cell(0), false));
  EXPECT_TRUE(
      IsError(int_cell(2), T::Bool, sqlstate::kInvalidText, "boolean value must be 0 or 1"));
  EXPECT_TRUE(
      IsError(int_cell(-1), T::Bool, sqlstate::kInvalidText, "boolean value must be 0 or 1"));
  EXPECT_TRUE(IsError(int_cell(kInt64Max), T::Bool, sqlstate::kInvalidText));
  EXPECT_TRUE(IsError(int_cell(kInt64Min), T::Bool, sqlstate::kInvalidText));
}

TEST(ConvertCellBool, FromFloat) {
  EXPECT_TRUE(IsBool(float_cell(1.0), true));
  EXPECT_TRUE(IsBool(float_cell(0.0), false));
  EXPECT_TRUE(IsBool(float_cell(-0.0), false));
  EXPECT_TRUE(
      IsError(float_cell(0.5), T::Bool, sqlstate::kInvalidText, "boolean value must be 0 or 1"));
  EXPECT_TRUE(IsError(float_cell(2.0), T::Bool, sqlstate::kInvalidText));
  EXPECT_TRUE(IsError(float_cell(std::nan("")), T::Bool, sqlstate::kInvalidText));
  EXPECT_TRUE(IsError(float_cell(kInf), T::Bool, sqlstate::kInvalidText));
}

TEST(ConvertCellBool, FromText) {
  for (const char *s : {"true", "TRUE", "True", "t", "T", "tru", "yes", "YES", "y", "Y", "ye", "on",
                        "On", "1", " true ", "\ttrue\n"}) {
    EXPECT_TRUE(IsBool(text_cell(s), true)) << s;
  }
  // What PostgreSQL's boolin accepts (SELECT 'y'::boolean, 'of'::boolean, 'fa'::boolean).
  for (const char *s :
       {"false", "FALSE", "f", "F", "fa", "no", "No", "n", "N", "of", "off", "OFF", "0", "  0  "}) {
    EXPECT_TRUE(IsBool(text_cell(s), false)) << s;
  }
  for (const char *s : {"", " ", "2", "-1", "00", "01", "1.0", "o", "truee", "yess", "noo", "onn",
                        "yes please", "t rue", "null", "\xff"}) {
    EXPECT_TRUE(IsError(text_cell(s), T::Bool, sqlstate::kInvalidText)) << s;
  }
  EXPECT_TRUE(IsError(text_cell("t\0"sv), T::Bool, sqlstate::kInvalidText));
}

TEST(ConvertCellBool, FromBlob) {
  EXPECT_TRUE(IsError(blob_cell("1"), T::Bool, sqlstate::kInvalidText));
  EXPECT_TRUE(IsError(blob_cell("\x01"), T::Bool, sqlstate::kInvalidText));
  EXPECT_TRUE(IsError(blob_cell(""), T::Bool, sqlstate::kInvalidText));
}

// ---- Integers -------------------------------------------------------------

TEST(ConvertCellInt, FromIntegerRanges) {
  EXPECT_TRUE(IsInt(int_cell(0), T::Int2, 0));
  EXPECT_TRUE(IsInt(int_cell(32767), T::Int2, 32767));
  EXPECT_TRUE(IsInt(int_cell(-32768), T::Int2, -32768));
  EXPECT_TRUE(IsError(int_cell(32768), T::Int2, sqlstate::kNumericOutOfRange,
                      "value out of range for smallint"));
  EXPECT_TRUE(IsError(int_cell(-32769), T::Int2, sqlstate::kNumericOutOfRange,
                      "value out of range for smallint"));

  EXPECT_TRUE(IsInt(int_cell(2147483647), T::Int4, 2147483647));
  EXPECT_TRUE(IsInt(int_cell(-2147483648LL), T::Int4, -2147483648LL));
  EXPECT_TRUE(IsError(int_cell(2147483648LL), T::Int4, sqlstate::kNumericOutOfRange,
                      "value out of range for integer"));
  EXPECT_TRUE(IsError(int_cell(-2147483649LL), T::Int4, sqlstate::kNumericOutOfRange,
                      "value out of range for integer"));

  EXPECT_TRUE(IsInt(int_cell(kInt64Max), T::Int8, kInt64Max));
  EXPECT_TRUE(IsInt(int_cell(kInt64Min), T::Int8, kInt64Min));
  EXPECT_TRUE(IsError(int_cell(kInt64Min), T::Int4, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(int_cell(kInt64Max), T::Int2, sqlstate::kNumericOutOfRange));
}

TEST(ConvertCellInt, FromText) {
  EXPECT_TRUE(IsInt(text_cell("42"), T::Int8, 42));
  EXPECT_TRUE(IsInt(text_cell("+42"), T::Int8, 42));
  EXPECT_TRUE(IsInt(text_cell("-42"), T::Int8, -42));
  EXPECT_TRUE(IsInt(text_cell("  42  "), T::Int8, 42));
  EXPECT_TRUE(IsInt(text_cell("\t-7\n"), T::Int4, -7));
  EXPECT_TRUE(IsInt(text_cell("007"), T::Int2, 7));
  EXPECT_TRUE(IsInt(text_cell("-0"), T::Int8, 0));
  EXPECT_TRUE(IsInt(text_cell("000000000000000000000000000000000001"), T::Int8, 1));
  EXPECT_TRUE(IsInt(text_cell("9223372036854775807"), T::Int8, kInt64Max));
  EXPECT_TRUE(IsInt(text_cell("-9223372036854775808"), T::Int8, kInt64Min));
  EXPECT_TRUE(IsInt(text_cell("32767"), T::Int2, 32767));
  EXPECT_TRUE(IsInt(text_cell("-32768"), T::Int2, -32768));
  EXPECT_TRUE(IsInt(text_cell("2147483647"), T::Int4, 2147483647));
  EXPECT_TRUE(IsInt(text_cell("-2147483648"), T::Int4, -2147483648LL));
}

TEST(ConvertCellInt, FromTextOutOfRange) {
  // 2^63.
  EXPECT_TRUE(IsError(text_cell("9223372036854775808"), T::Int8, sqlstate::kNumericOutOfRange,
                      "value out of range for bigint"));
  EXPECT_TRUE(IsError(text_cell("-9223372036854775809"), T::Int8, sqlstate::kNumericOutOfRange,
                      "value out of range for bigint"));
  EXPECT_TRUE(IsError(text_cell("18446744073709551616"), T::Int8, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(
      IsError(text_cell("99999999999999999999999999999"), T::Int8, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(text_cell("32768"), T::Int2, sqlstate::kNumericOutOfRange,
                      "value out of range for smallint"));
  EXPECT_TRUE(IsError(text_cell("-32769"), T::Int2, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(text_cell("2147483648"), T::Int4, sqlstate::kNumericOutOfRange,
                      "value out of range for integer"));
  EXPECT_TRUE(IsError(text_cell("-2147483649"), T::Int4, sqlstate::kNumericOutOfRange));
  // Overflow does not hide trailing garbage.
  EXPECT_TRUE(IsError(text_cell("99999999999999999999x"), T::Int8, sqlstate::kInvalidText));
}

TEST(ConvertCellInt, FromTextInvalid) {
  for (const char *s :
       {"",     " ",   "+",   "-",   "+-1", "--1", "1.0", "1.",       ".5",    "1e3",
        "0x10", "12a", "a12", "1 2", "１",  "abc", "NaN", "Infinity", "1_000", "1,000"}) {
    EXPECT_TRUE(IsError(text_cell(s), T::Int8, sqlstate::kInvalidText, "not an integer")) << s;
    EXPECT_TRUE(IsError(text_cell(s), T::Int2, sqlstate::kInvalidText, "not an integer")) << s;
  }
  EXPECT_TRUE(IsError(text_cell("1\0"sv), T::Int8, sqlstate::kInvalidText));
  EXPECT_TRUE(IsError(text_cell("\xff"), T::Int4, sqlstate::kInvalidText));
}

TEST(ConvertCellInt, FromFloat) {
  EXPECT_TRUE(IsInt(float_cell(3.0), T::Int8, 3));
  EXPECT_TRUE(IsInt(float_cell(-3.0), T::Int4, -3));
  EXPECT_TRUE(IsInt(float_cell(-0.0), T::Int2, 0));
  EXPECT_TRUE(IsInt(float_cell(32767.0), T::Int2, 32767));
  EXPECT_TRUE(IsInt(float_cell(-32768.0), T::Int2, -32768));
  EXPECT_TRUE(IsInt(float_cell(1e18), T::Int8, 1000000000000000000LL));
  EXPECT_TRUE(IsInt(float_cell(-9223372036854775808.0), T::Int8, kInt64Min));
  // The largest double below 2^63.
  EXPECT_TRUE(IsInt(float_cell(9223372036854774784.0), T::Int8, 9223372036854774784LL));

  EXPECT_TRUE(IsError(float_cell(0.5), T::Int8, sqlstate::kInvalidText,
                      "not an integer (has a fractional part)"));
  EXPECT_TRUE(IsError(float_cell(-1.25), T::Int2, sqlstate::kInvalidText,
                      "not an integer (has a fractional part)"));
  EXPECT_TRUE(IsError(float_cell(5e-324), T::Int4, sqlstate::kInvalidText));

  EXPECT_TRUE(IsError(float_cell(32768.0), T::Int2, sqlstate::kNumericOutOfRange,
                      "value out of range for smallint"));
  EXPECT_TRUE(IsError(float_cell(-32769.0), T::Int2, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(float_cell(2147483648.0), T::Int4, sqlstate::kNumericOutOfRange,
                      "value out of range for integer"));
  EXPECT_TRUE(IsError(float_cell(9223372036854775808.0), T::Int8, sqlstate::kNumericOutOfRange,
                      "value out of range for bigint"));
  EXPECT_TRUE(IsError(float_cell(1e300), T::Int8, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(float_cell(-1e300), T::Int8, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(float_cell(kInf), T::Int8, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(float_cell(-kInf), T::Int4, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(float_cell(std::nan("")), T::Int8, sqlstate::kNumericOutOfRange));
}

TEST(ConvertCellInt, FromBlob) {
  EXPECT_TRUE(IsError(blob_cell("42"), T::Int8, sqlstate::kInvalidText));
  EXPECT_TRUE(IsError(blob_cell("\x2a"), T::Int2, sqlstate::kInvalidText));
}

// ---- Floats ---------------------------------------------------------------

TEST(ConvertCellFloat, FromInteger) {
  EXPECT_TRUE(IsFloat(int_cell(42), T::Float8, 42.0));
  EXPECT_TRUE(IsFloat(int_cell(-42), T::Float4, -42.0));
  EXPECT_TRUE(IsFloat(int_cell(kInt64Max), T::Float8, 9223372036854775808.0));
  EXPECT_TRUE(IsFloat(int_cell(kInt64Min), T::Float4, -9223372036854775808.0));
}

TEST(ConvertCellFloat, FromFloat) {
  EXPECT_TRUE(IsFloat(float_cell(0.1), T::Float8, 0.1));
  EXPECT_TRUE(IsFloat(float_cell(-0.0), T::Float8, -0.0));
  EXPECT_TRUE(IsFloat(float_cell(-0.0), T::Float4, -0.0));
  EXPECT_TRUE(IsFloat(float_cell(1e300), T::Float8, 1e300));
  EXPECT_TRUE(IsFloat(float_cell(5e-324), T::Float8, 5e-324));
  EXPECT_TRUE(IsFloat(float_cell(kInf), T::Float8, kInf));
  EXPECT_TRUE(IsFloat(float_cell(-kInf), T::Float4, -kInf));
  EXPECT_TRUE(IsFloat(float_cell(std::nan("")), T::Float4, std::nan("")));
  EXPECT_TRUE(IsFloat(float_cell(0.1), T::Float4, 0.1));
  EXPECT_TRUE(
      IsFloat(float_cell(static_cast<double>(FLT_MAX)), T::Float4, static_cast<double>(FLT_MAX)));
  EXPECT_TRUE(IsFloat(float_cell(1e-40), T::Float4, 1e-40));  // float subnormal
}

TEST(ConvertCellFloat, Float4Range) {
  EXPECT_TRUE(IsError(float_cell(1e300), T::Float4, sqlstate::kNumericOutOfRange,
                      "value out of range for real"));
  EXPECT_TRUE(IsError(float_cell(-1e300), T::Float4, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(float_cell(std::nextafter(static_cast<double>(FLT_MAX), kInf)), T::Float4,
                      sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(float_cell(3.5e38), T::Float4, sqlstate::kNumericOutOfRange));
  // Underflow to zero, as PostgreSQL's float8-to-float4 cast rejects it.
  EXPECT_TRUE(IsError(float_cell(1e-50), T::Float4, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(float_cell(5e-324), T::Float4, sqlstate::kNumericOutOfRange));
}

TEST(ConvertCellFloat, FromText) {
  EXPECT_TRUE(IsFloat(text_cell("0.1"), T::Float8, 0.1));
  EXPECT_TRUE(IsFloat(text_cell("  -1.5e3  "), T::Float8, -1500.0));
  EXPECT_TRUE(IsFloat(text_cell("+2"), T::Float8, 2.0));
  EXPECT_TRUE(IsFloat(text_cell(".5"), T::Float8, 0.5));
  EXPECT_TRUE(IsFloat(text_cell("5."), T::Float8, 5.0));
  EXPECT_TRUE(IsFloat(text_cell("1E+2"), T::Float8, 100.0));
  EXPECT_TRUE(IsFloat(text_cell("-0"), T::Float8, -0.0));
  EXPECT_TRUE(IsFloat(text_cell("1e-310"), T::Float8, 1e-310));  // subnormal double is fine
  EXPECT_TRUE(IsFloat(text_cell("1.7976931348623157e308"), T::Float8, DBL_MAX));
  EXPECT_TRUE(IsFloat(text_cell("0.1000000000000000055511151231257827021181583404541015625"),
                      T::Float8, 0.1));
  // Float4 parses at float precision: the value is exactly the float nearest.
  EXPECT_TRUE(IsFloat(text_cell("0.1"), T::Float4, static_cast<double>(0.1f)));
  EXPECT_TRUE(IsFloat(text_cell("3.4e38"), T::Float4, static_cast<double>(3.4e38f)));
}

TEST(ConvertCellFloat, FromTextSpecial) {
  for (const char *s : {"NaN", "nan", "NAN", " nan ", "-NaN", "+nan"}) {
    EXPECT_TRUE(IsFloat(text_cell(s), T::Float8, std::nan(""))) << s;
    EXPECT_TRUE(IsFloat(text_cell(s), T::Float4, std::nan(""))) << s;
  }
  for (const char *s : {"Infinity", "infinity", "INFINITY", "inf", "Inf", "+Infinity", " inf "}) {
    EXPECT_TRUE(IsFloat(text_cell(s), T::Float8, kInf)) << s;
    EXPECT_TRUE(IsFloat(text_cell(s), T::Float4, kInf)) << s;
  }
  for (const char *s : {"-Infinity", "-infinity", "-INF", " -inf"}) {
    EXPECT_TRUE(IsFloat(text_cell(s), T::Float8, -kInf)) << s;
  }
}

TEST(ConvertCellFloat, FromTextInvalid) {
  for (const char *s : {"",       " ",       "+",         "-",    ".",   "e5",  "1e",  "1e+",
                        "1.2.3",  "0x10",    "1,5",       "abc",  "--1", "+-1", "- 1", "1 2",
                        "nan(1)", "infinit", "infinityy", "1.5f", "1d",  "Inf1"}) {
    EXPECT_TRUE(IsError(text_cell(s), T::Float8, sqlstate::kInvalidText,
                        "not a valid floating-point number"))
        << s;
    EXPECT_TRUE(IsError(text_cell(s), T::Float4, sqlstate::kInvalidText)) << s;
  }
  EXPECT_TRUE(IsError(text_cell("1\0"sv), T::Float8, sqlstate::kInvalidText));
}

TEST(ConvertCellFloat, FromTextOutOfRange) {
  EXPECT_TRUE(IsError(text_cell("1e400"), T::Float8, sqlstate::kNumericOutOfRange,
                      "value out of range for double precision"));
  EXPECT_TRUE(IsError(text_cell("-1e400"), T::Float8, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(text_cell("1e-400"), T::Float8, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsError(text_cell("1e39"), T::Float4, sqlstate::kNumericOutOfRange,
                      "value out of range for real"));
  EXPECT_TRUE(IsError(text_cell("1e-50"), T::Float4, sqlstate::kNumericOutOfRange));
  EXPECT_TRUE(IsFloat(text_cell("1e39"), T::Float8, 1e39));
}

TEST(ConvertCellFloat, FromBlob) {
  EXPECT_TRUE(IsError(blob_cell("1.5"), T::Float8, sqlstate::kInvalidText));
  EXPECT_TRUE(IsError(blob_cell("1.5"), T::Float4, sqlstate::kInvalidText));
}

// ---- Numeric --------------------------------------------------------------

struct Dec {
  bool ok;
  int64_t unscaled;
  int scale;
};

Dec dec(std::string_view text) {
  Dec d{false, 0, 0};
  d.ok = parse_plain_decimal(text, &d.unscaled, &d.scale);
  return d;
}

TEST(ParsePlainDecimal, Accepts) {
  Dec d = dec("-123.450");
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(d.unscaled, -123450);
  EXPECT_EQ(d.scale, 3);
  d = dec("+7");
  EXPECT_TRUE(d.ok && d.unscaled == 7 && d.scale == 0);
  d = dec("0.00");
  EXPECT_TRUE(d.ok && d.unscaled == 0 && d.scale == 2);
  d = dec("-0.05");
  EXPECT_TRUE(d.ok && d.unscaled == -5 && d.scale == 2);
  d = dec(".5");
  EXPECT_TRUE(d.ok && d.unscaled == 5 && d.scale == 1);
  d = dec("1.");
  EXPECT_TRUE(d.ok && d.unscaled == 1 && d.scale == 0);
  d = dec("999999999999999999");  // 18 digits: the most that always fit
  EXPECT_TRUE(d.ok && d.unscaled == 999999999999999999LL && d.scale == 0);
  d = dec("-0.99999999999999999");
  EXPECT_TRUE(d.ok && d.unscaled == -99999999999999999LL && d.scale == 17);
}

TEST(ParsePlainDecimal, LeavesTheRestToNumericInput) {
  for (std::string_view t :
       {""sv, "-"sv, "."sv, "-."sv, "1e5"sv, " 1"sv, "1 "sv, "1.2.3"sv, "--1"sv, "NaN"sv,
        "Infinity"sv, "0x10"sv, "1,5"sv, "1234567890123456789"sv, "0.0000000000000000001"sv})
    EXPECT_FALSE(dec(t).ok) << t;
}

// The decimal numeric_in reads from format_double_shortest's text ("1.37",
// "1.234e-05", "1e+15"): unscaled digits and display scale, or nothing when it
// has more than 15 significant digits or a positive exponent.
std::optional<std::pair<int64_t, int>> shortest_as_decimal(double v) {
  CellScratch s;
  std::string t(format_double_shortest(v, s));
  int exp10 = 0;
  if (size_t e = t.find('e'); e != std::string::npos) {
    exp10 = std::atoi(t.c_str() + e + 1);
    t.resize(e);
  }
  int64_t m = 0;
  int scale = 0;
  if (!parse_plain_decimal(t, &m, &scale)) return std::nullopt;
  scale -= exp10;
  if (scale < 0 || scale > 15 || std::llabs(m) >= 1000000000000000LL) return std::nullopt;
  return std::make_pair(m, scale);
}

void expect_same_decimal(double v) {
  int64_t m = 0;
  int scale = 0;
  bool ok = double_as_decimal(v, &m, &scale);
  auto want = shortest_as_decimal(v);
  ASSERT_EQ(ok, want.has_value()) << "v = " << v;
  if (ok) {
    EXPECT_EQ(m, want->first) << "v = " << v;
    EXPECT_EQ(scale, want->second) << "v = " << v;
  }
}

TEST(DoubleAsDecimal, Examples) {
  int64_t m = 0;
  int scale = 0;
  ASSERT_TRUE(double_as_decimal(1.37, &m, &scale));
  EXPECT_EQ(m, 137);
  EXPECT_EQ(scale, 2);
  ASSERT_TRUE(double_as_decimal(-0.0, &m, &scale));
  EXPECT_EQ(m, 0);
  EXPECT_EQ(scale, 0);
  ASSERT_TRUE(double_as_decimal(1200.0, &m, &scale));
  EXPECT_EQ(m, 1200);
  EXPECT_EQ(scale, 0);
  ASSERT_TRUE(double_as_decimal(1.234e-5, &m, &scale));
  EXPECT_EQ(m, 1234);
  EXPECT_EQ(scale, 8);
  EXPECT_FALSE(double_as_decimal(0.1 + 0.2, &m, &scale));  // 0.30000000000000004: 17 digits
  EXPECT_FALSE(double_as_decimal(1e15, &m, &scale));
  EXPECT_FALSE(double_as_decimal(1e-16, &m, &scale));
  EXPECT_FALSE(double_as_decimal(std::nan(""), &m, &scale));
  EXPECT_FALSE(double_as_decimal(kInf, &m, &scale));
  for (double v : {0.1, 0.5, 2.675, -99999999.99, 123456789012345.0, 0.000001, 1e-15, 9.99e14, 4.35,
                   1.005, 1e14 + 0.5, DBL_MIN, 5e-324, -1234.5678})
    expect_same_decimal(v);
}

// Random decimals (1..15 digits, scale 0..15) and random bit patterns: the
// fast path gives exactly the digits and scale of format_double_shortest's
// text whenever that text is such a decimal, and declines otherwise.
TEST(DoubleAsDecimal, AgreesWithShortestText) {
  std::mt19937_64 rng(20261122);
  for (int i = 0; i < 200000; i++) {
    int digits = 1 + static_cast<int>(rng() % 15);
    int64_t limit = 1;
    for (int d = 0; d < digits; d++) limit *= 10;
    auto m = static_cast<int64_t>(rng() % static_cast<uint64_t>(limit));
    if (rng() % 2) m = -m;
    int scale = static_cast<int>(rng() % 16);
    expect_same_decimal(static_cast<double>(m) / std::pow(10.0, scale));
    uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    expect_same_decimal(v);
    if (HasFailure()) break;
  }
}

TEST(ConvertCellNumeric, FromEachStorage) {
  EXPECT_TRUE(IsInt(int_cell(kInt64Min), T::Numeric, kInt64Min));
  EXPECT_TRUE(IsInt(int_cell(kInt64Max), T::Numeric, kInt64Max));
  EXPECT_TRUE(IsBytes(float_cell(0.1 + 0.2), T::Numeric, Kind::InputText, "0.30000000000000004"));
  EXPECT_TRUE(IsBytes(float_cell(1e100), T::Numeric, Kind::InputText, "1e+100"));
  EXPECT_TRUE(IsBytes(float_cell(std::nan("")), T::Numeric, Kind::InputText, "NaN"));
  EXPECT_TRUE(IsBytes(float_cell(-kInf), T::Numeric, Kind::InputText, "-Infinity"));
  // Plain decimal text is decoded; other text goes to numeric's input function
  // unvalidated as a number.
  {
    Conv c(float_cell(4.35), T::Numeric);
    EXPECT_EQ(c.r.kind, Kind::Decimal);
    EXPECT_EQ(c.r.i, 435);
    EXPECT_EQ(c.r.scale, 2);
  }
  {
    Conv c(text_cell("123.4500"), T::Numeric);
    EXPECT_EQ(c.r.kind, Kind::Decimal);
    EXPECT_EQ(c.r.i, 1234500);
    EXPECT_EQ(c.r.scale, 4);
  }
  EXPECT_TRUE(IsBytes(text_cell("1.5e3"), T::Numeric, Kind::InputText, "1.5e3"));
  EXPECT_TRUE(IsBytes(text_cell(" 1.5"), T::Numeric, Kind::InputText, " 1.5"));
  EXPECT_TRUE(IsBytes(text_cell("abc"), T::Numeric, Kind::InputText, "abc"));
  EXPECT_TRUE(IsError(text_cell("\xc3"), T::Numeric, sqlstate::kCharacterNotInRepertoire,
                      "invalid UTF-8 byte sequence"));
  EXPECT_TRUE(IsError(text_cell("1\0"sv), T::Numeric, sqlstate::kUntranslatable));
  EXPECT_TRUE(IsError(blob_cell("1"), T::Numeric, sqlstate::kInvalidText));
}

// ---- Text and Other -------------------------------------------------------

TEST(ConvertCellText, FromInteger) {
  EXPECT_TRUE(IsBytes(int_cell(0), T::Text, Kind::Bytes, "0"));
  EXPECT_TRUE(IsBytes(int_cell(-17), T::Text, Kind::Bytes, "-17"));
  EXPECT_TRUE(IsBytes(int_cell(kInt64Max), T::Text, Kind::Bytes, "9223372036854775807"));
  EXPECT_TRUE(IsBytes(int_cell(kInt64Min), T::Text, Kind::Bytes, "-9223372036854775808"));
  EXPECT_TRUE(IsBytes(int_cell(kInt64Min), T::Other, Kind::InputText, "-9223372036854775808"));
}

TEST(ConvertCellText, FromFloat) {
  EXPECT_TRUE(IsBytes(float_cell(0.1), T::Text, Kind::Bytes, "0.1"));
  EXPECT_TRUE(IsBytes(float_cell(1.0), T::Text, Kind::Bytes, "1"));
  EXPECT_TRUE(IsBytes(float_cell(-0.0), T::Text, Kind::Bytes, "-0"));
  EXPECT_TRUE(IsBytes(float_cell(kInf), T::Text, Kind::Bytes, "Infinity"));
  EXPECT_TRUE(IsBytes(float_cell(std::nan("")), T::Other, Kind::InputText, "NaN"));
  EXPECT_TRUE(IsBytes(float_cell(5e-324), T::Other, Kind::InputText, "5e-324"));
}

TEST(ConvertCellText, FromText) {
  EXPECT_TRUE(IsBytes(text_cell("hello"), T::Text, Kind::Bytes, "hello"));
  EXPECT_TRUE(IsBytes(text_cell(""), T::Text, Kind::Bytes, ""));
  EXPECT_TRUE(IsBytes(text_cell("  spaces kept  "), T::Text, Kind::Bytes, "  spaces kept  "));
  EXPECT_TRUE(IsBytes(text_cell("İğüşöç"), T::Text, Kind::Bytes, "İğüşöç"));
  EXPECT_TRUE(IsBytes(text_cell("日本語 🎉"), T::Other, Kind::InputText, "日本語 🎉"));
  EXPECT_TRUE(IsBytes(text_cell("{\"a\": 1}"), T::Other, Kind::InputText, "{\"a\": 1}"));
  // The result views the cell's own bytes (no copy).
  const std::string_view src = "no copy please";
  Conv c(text_cell(src), T::Text);
  EXPECT_EQ(c.r.bytes.data(), src.data());
}

TEST(ConvertCellText, InvalidUtf8) {
  const std::string_view bad[] = {
      "\xc0\x80"sv,          // overlong NUL
      "\xc1\xbf"sv,          // overlong
      "\xe0\x80\xaf"sv,      // overlong '/'
      "\xf0\x80\x80\xaf"sv,  // overlong
      "\xed\xa0\x80"sv,      // surrogate U+D800
      "\xed\xbf\xbf"sv,      // surrogate U+DFFF
      "\xf4\x90\x80\x80"sv,  // U+110000
      "\xf5\x80\x80\x80"sv,  // F5 lead
      "\xff"sv,
      "\xfe"sv,
      "\x80"sv,  // lone continuation
      "abc\xbf"sv,
      "\xc3"sv,          // truncated 2-byte
      "\xe2\x82"sv,      // truncated 3-byte
      "\xf0\x9f\x8e"sv,  // truncated 4-byte
      "\xc3(x"sv,        // bad continuation
      "\xe2\x28\xa1"sv,
      "\xf0\x9f\x8e\x28"sv,
      "ok ok ok ok ok ok \xe9t\xe9"sv,  // Latin-1 after a long ASCII run
  };
  for (std::string_view s : bad) {
    EXPECT_TRUE(IsError(text_cell(s), T::Text, sqlstate::kCharacterNotInRepertoire,
                        "invalid UTF-8 byte sequence"));
    EXPECT_TRUE(IsError(text_cell(s), T::Other, sqlstate::kCharacterNotInRepertoire));
    EXPECT_TRUE(IsError(blob_cell(s), T::Text, sqlstate::kCharacterNotInRepertoire));
    EXPECT_FALSE(is_valid_utf8(s));
  }
}

TEST(ConvertCellText, Nul) {
  const char *reason = "text contains a NUL byte (PostgreSQL text cannot hold it)";
  EXPECT_TRUE(IsError(text_cell("a\0b"sv), T::Text, sqlstate::kUntranslatable, reason));
  EXPECT_TRUE(IsError(text_cell("\0"sv), T::Text, sqlstate::kUntranslatable, reason));
  EXPECT_TRUE(IsError(text_cell("abc\0"sv), T::Other, sqlstate::kUntranslatable, reason));
  // NUL found by the eight-byte ASCII fast path, at each position.
  for (size_t pos = 0; pos < 24; ++pos) {
    std::string s(24, 'x');
    s[pos] = '\0';
    EXPECT_TRUE(IsError(text_cell(s), T::Text, sqlstate::kUntranslatable)) << pos;
  }
  // Invalid UTF-8 is reported in preference to a NUL.
  EXPECT_TRUE(IsError(text_cell("\0\xff"sv), T::Text, sqlstate::kCharacterNotInRepertoire));
}

TEST(ConvertCellText, FromBlob) {
  EXPECT_TRUE(IsBytes(blob_cell("plain"), T::Text, Kind::Bytes, "plain"));
  EXPECT_TRUE(IsBytes(blob_cell("İğüşöç"), T::Other, Kind::InputText, "İğüşöç"));
  EXPECT_TRUE(IsBytes(blob_cell(""), T::Text, Kind::Bytes, ""));
  EXPECT_TRUE(
      IsError(blob_cell("\x89PNG\r\n\x1a\n"sv), T::Text, sqlstate::kCharacterNotInRepertoire));
  EXPECT_TRUE(IsError(blob_cell("a\0b"sv), T::Text, sqlstate::kUntranslatable));
  EXPECT_TRUE(IsError(blob_cell("a\0b"sv), T::Other, sqlstate::kUntranslatable));
}

// ---- Bytea ----------------------------------------------------------------

TEST(ConvertCellBytea, FromEachStorage) {
  EXPECT_TRUE(IsBytes(blob_cell("a\0b\xff"sv), T::Bytea, Kind::Bytes, "a\0b\xff"sv));
  EXPECT_TRUE(IsBytes(blob_cell(""), T::Bytea, Kind::Bytes, ""));
  // Text goes in as its bytes, even when it is not UTF-8 or holds NUL.
  EXPECT_TRUE(IsBytes(text_cell("\xc0\x80\0"sv), T::Bytea, Kind::Bytes, "\xc0\x80\0"sv));
  EXPECT_TRUE(IsBytes(text_cell("İ"), T::Bytea, Kind::Bytes, "\xc4\xb0"));
  EXPECT_TRUE(IsBytes(int_cell(-5), T::Bytea, Kind::Bytes, "-5"));
  EXPECT_TRUE(IsBytes(float_cell(0.25), T::Bytea, Kind::Bytes, "0.25"));
  const std::string_view src = "raw\0bytes"sv;
  Conv c(blob_cell(src), T::Bytea);
  EXPECT_EQ(c.r.bytes.data(), src.data());
  EXPECT_EQ(c.r.bytes.size(), 9u);
}

// ---- Date -----------------------------------------------------------------

TEST(ConvertCellDate, FromText) {
  EXPECT_TRUE(IsKindI(text_cell("2000-01-01"), T::Date, Kind::Date, 0));
  EXPECT_TRUE(IsKindI(text_cell("1970-01-01"), T::Date, Kind::Date, -10957));
  EXPECT_TRUE(IsKindI(text_cell("2024-02-29 00:00:00"), T::Date, Kind::Date, 8825));
  const char *reason = "not a valid ISO date (YYYY-MM-DD)";
  // Well-formed but no such day: PostgreSQL's 22008, as '2024-02-30'::date gives.
  EXPECT_TRUE(IsError(text_cell("2024-02-30"), T::Date, sqlstate::kDatetimeOverflow,
                      "date/time field value out of range (no such day)"));
  EXPECT_TRUE(IsError(text_cell("0000-00-00"), T::Date, sqlstate::kDatetimeOverflow,
                      "date/time field value out of range (no such day)"));
  EXPECT_TRUE(IsError(text_cell("2023-13-01 10:00:00"), T::Timestamp, sqlstate::kDatetimeOverflow,
                      "date/time field value out of range (no such day)"));
  EXPECT_TRUE(IsError(text_cell("2024-02-30x"), T::Date, sqlstate::kDatetimeFormat, reason));
  EXPECT_TRUE(IsError(text_cell("2024-2-30"), T::Date, sqlstate::kDatetimeFormat, reason));
  EXPECT_TRUE(IsError(text_cell("2024-02-29 12:00"), T::Date, sqlstate::kDatetimeFormat, reason));
  EXPECT_TRUE(IsError(text_cell(""), T::Date, sqlstate::kDatetimeFormat, reason));
  EXPECT_TRUE(IsError(text_cell("yesterday"), T::Date, sqlstate::kDatetimeFormat, reason));
}

TEST(ConvertCellDate, FromInteger) {
  EXPECT_TRUE(IsKindI(int_cell(0), T::Date, Kind::Date, -10957));
  EXPECT_TRUE(IsKindI(int_cell(946684800), T::Date, Kind::Date, 0));
  EXPECT_TRUE(IsKindI(int_cell(-86400), T::Date, Kind::Date, -10958));
  // python3: (date(2024,2,29) - date(1970,1,1)).days * 86400 = 1709164800
  EXPECT_TRUE(IsKindI(int_cell(1709164800), T::Date, Kind::Date, 8825));
  EXPECT_TRUE(IsError(int_cell(1709164801), T::Date, sqlstate::kDatetimeFormat));
  EXPECT_TRUE(IsError(int_cell(-1), T::Date, sqlstate::kDatetimeFormat));
  EXPECT_TRUE(IsError(int_cell(kInt64Max), T::Date, sqlstate::kDatetimeOverflow));
  // Epoch milliseconds at midnight are not read as seconds (the year 55840).
  EXPECT_TRUE(IsError(int_cell(1709164800000), T::Date, sqlstate::kDatetimeOverflow));
  // Midnight but beyond PostgreSQL's date range.
  const int64_t far = (kInt64Max / 86400) * 86400;
  EXPECT_TRUE(IsError(int_cell(far), T::Date, sqlstate::kDatetimeOverflow));
  EXPECT_TRUE(IsError(int_cell(-far), T::Date, sqlstate::kDatetimeOverflow));
}

TEST(ConvertCellDate, FromFloatOrBlob) {
  EXPECT_TRUE(IsError(float_cell(0.0), T::Date, sqlstate::kDatetimeFormat));
  EXPECT_TRUE(IsError(float_cell(946684800.0), T::Date, sqlstate::kDatetimeFormat));
  EXPECT_TRUE(IsError(blob_cell("2000-01-01"), T::Date, sqlstate::kInvalidText));
}

// ---- Time -----------------------------------------------------------------

TEST(ConvertCellTime, FromEachStorage) {
  EXPECT_TRUE(IsKindI(text_cell("12:34:56.5"), T::Time, Kind::Time,
                      (12 * 3600 + 34 * 60 + 56) * kMicrosPerSecond + 500000));
  EXPECT_TRUE(IsKindI(text_cell("24:00:00"), T::Time, Kind::Time, kMicrosPerDay));
  EXPECT_TRUE(IsError(text_cell("25:00"), T::Time, sqlstate::kDatetimeFormat));
  EXPECT_TRUE(IsError(text_cell("noon"), T::Time, sqlstate::kDatetimeFormat));
  EXPECT_TRUE(IsError(int_cell(3600), T::Time, sqlstate::kDatetimeFormat));
  EXPECT_TRUE(IsError(float_cell(0.5), T::Time, sqlstate::kDatetimeFormat));
  EXPECT_TRUE(IsError(blob_cell("12:00"), T::Time, sqlstate::kInvalidText));
}

// ---- Timestamps -----------------------------------------------------------

TEST(ConvertCellTimestamp, FromText) {
  for (TargetKind t : {T::Timestamp, T::TimestampTz}) {
    // python3 (see datetime_test.cpp).
    EXPECT_TRUE(IsKindI(text_cell("2024-02-29 12:34:56.789012+03:00"), t, Kind::Timestamp,
                        762514496789012));
    EXPECT_TRUE(IsKindI(text_cell("2000-01-01T00:00:00Z"), t, Kind::Timestamp, 0));
    EXPECT_TRUE(IsKindI(text_cell("2000-01-01"), t, Kind::Timestamp, 0));
    EXPECT_TRUE(IsError(text_cell("2024-13-01 00:00:00"), t, sqlstate::kDatetimeOverflow,
                        "date/time field value out of range (no such day)"));
    EXPECT_TRUE(IsError(text_cell("0000-00-00 00:00:00"), t, sqlstate::kDatetimeOverflow,
                        "date/time field value out of range (no such day)"));
    EXPECT_TRUE(IsError(text_cell("2024-01-01 24:61:00"), t, sqlstate::kDatetimeFormat,
                        "not a valid ISO timestamp"));
    EXPECT_TRUE(IsError(text_cell("now"), t, sqlstate::kDatetimeFormat));
  }
}

TEST(ConvertCellTimestamp, FromUnixTime) {
  for (TargetKind t : {T::Timestamp, T::TimestampTz}) {
    EXPECT_TRUE(IsKindI(int_cell(946684800), t, Kind::Timestamp, 0));
    EXPECT_TRUE(IsKindI(int_cell(0), t, Kind::Timestamp, -10957 * kMicrosPerDay));
    // python3: (1700000000 - 946684800) * 10**6
    EXPECT_TRUE(IsKindI(int_cell(1700000000), t, Kind::Timestamp, 753315200000000));
    EXPECT_TRUE(IsKindI(float_cell(946684800.25), t, Kind::Timestamp, 250000));
    EXPECT_TRUE(IsKindI(float_cell(1700000000.123456), t, Kind::Timestamp, 753315200123456));
    EXPECT_TRUE(IsError(int_cell(kInt64Max), t, sqlstate::kDatetimeOverflow));
    // Epoch milliseconds are never read as seconds (the year 55840): rejected with a reason.
    EXPECT_TRUE(IsError(int_cell(1700000000123), t, sqlstate::kDatetimeOverflow,
                        "Unix time beyond the year 9999: the number looks like milliseconds or "
                        "microseconds since 1970, not seconds; not converted"));
    EXPECT_TRUE(IsError(float_cell(1700000000123.0), t, sqlstate::kDatetimeOverflow));
    // 9999-12-31 23:59:59 is still seconds.
    EXPECT_TRUE(IsKindI(int_cell(253402300799), t, Kind::Timestamp,
                        (253402300799 - 946684800) * kMicrosPerSecond));
    EXPECT_TRUE(IsError(int_cell(kInt64Min), t, sqlstate::kDatetimeOverflow));
    EXPECT_TRUE(IsError(float_cell(1e300), t, sqlstate::kDatetimeOverflow));
    EXPECT_TRUE(IsError(float_cell(kInf), t, sqlstate::kDatetimeOverflow));
    EXPECT_TRUE(IsError(float_cell(-kInf), t, sqlstate::kDatetimeOverflow));
    EXPECT_TRUE(IsError(float_cell(std::nan("")), t, sqlstate::kDatetimeFormat));
    EXPECT_TRUE(IsError(blob_cell("2000-01-01"), t, sqlstate::kInvalidText));
  }
}

// ---- format_double_shortest -------------------------------------------------

TEST(FormatDoubleShortest, Values) {
  EXPECT_EQ(shortest(0.1), "0.1");
  EXPECT_EQ(shortest(0.0), "0");
  EXPECT_EQ(shortest(-0.0), "-0");
  EXPECT_EQ(shortest(1.0), "1");
  EXPECT_EQ(shortest(-2.5), "-2.5");
  EXPECT_EQ(shortest(1e100), "1e+100");
  EXPECT_EQ(shortest(1e-7), "1e-07");
  EXPECT_EQ(shortest(123456.0), "123456");
  EXPECT_EQ(shortest(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(shortest(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(shortest(2.0 / 3.0), "0.6666666666666666");
  EXPECT_EQ(shortest(5e-324), "5e-324");
  EXPECT_EQ(shortest(-5e-324), "-5e-324");
  EXPECT_EQ(shortest(DBL_MAX), "1.7976931348623157e+308");
  EXPECT_EQ(shortest(DBL_MIN), "2.2250738585072014e-308");
  EXPECT_EQ(shortest(9007199254740993.0), "9007199254740992");
  EXPECT_EQ(shortest(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(shortest(kInf), "Infinity");
  EXPECT_EQ(shortest(-kInf), "-Infinity");
}

TEST(FormatDoubleShortest, RoundTrips) {
  const double values[] = {0.1,
                           1.0 / 3.0,
                           5e-324,
                           1e-310,
                           2.2250738585072009e-308,
                           1e300,
                           DBL_MAX,
                           -DBL_MAX,
                           123.456,
                           3.141592653589793,
                           1e15,
                           1e16,
                           1e17,
                           1234567890123456.7,
                           0.000123456789};
  for (double v : values) {
    CellScratch s;
    std::string text(format_double_shortest(v, s));
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
    EXPECT_LE(text.size(), 24u) << text;
  }
}

TEST(FormatDoubleShortest, WritesIntoScratch) {
  CellScratch s;
  std::string_view v = format_double_shortest(0.5, s);
  EXPECT_EQ(v.data(), s.buf);
  std::string_view n = format_double_shortest(std::nan(""), s);
  EXPECT_EQ(n.data(), s.buf);
  EXPECT_EQ(n, "NaN");
}

// ---- is_valid_utf8 ----------------------------------------------------------

TEST(IsValidUtf8, Valid) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii, longer than eight bytes"));
  EXPECT_TRUE(is_valid_utf8("İğüşöç"));
  EXPECT_TRUE(is_valid_utf8("\0"sv));  // U+0000 is well-formed UTF-8
  EXPECT_TRUE(is_valid_utf8("\x7f"));
  EXPECT_TRUE(is_valid_utf8("\xc2\x80"));          // U+0080
  EXPECT_TRUE(is_valid_utf8("\xdf\xbf"));          // U+07FF
  EXPECT_TRUE(is_valid_utf8("\xe0\xa0\x80"));      // U+0800
  EXPECT_TRUE(is_valid_utf8("\xed\x9f\xbf"));      // U+D7FF
  EXPECT_TRUE(is_valid_utf8("\xee\x80\x80"));      // U+E000
  EXPECT_TRUE(is_valid_utf8("\xef\xbf\xbf"));      // U+FFFF
  EXPECT_TRUE(is_valid_utf8("\xf0\x90\x80\x80"));  // U+10000
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_TRUE(is_valid_utf8("\xef\xbb\xbftext with BOM"));
  // Multi-byte characters straddling the eight-byte chunks.
  for (size_t pos = 0; pos < 16; ++pos) {
    std::string s(pos, 'a');
    s += "\xf0\x9f\x8e\x89";
    s += std::string(10, 'b');
    EXPECT_TRUE(is_valid_utf8(s)) << pos;
    s.resize(pos + 3);  // truncated at the end
    EXPECT_FALSE(is_valid_utf8(s)) << pos;
  }
}

TEST(IsValidUtf8, Invalid) {
  EXPECT_FALSE(is_valid_utf8("\xc0\x80"));
  EXPECT_FALSE(is_valid_utf8("\xc1\x81"));
  EXPECT_FALSE(is_valid_utf8("\xe0\x9f\xbf"));      // overlong U+07FF
  EXPECT_FALSE(is_valid_utf8("\xf0\x8f\xbf\xbf"));  // overlong U+FFFF
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));
  EXPECT_FALSE(is_valid_utf8("\xed\xb0\x80"));
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\xbd\xed\xb8\x80"));  // CESU-8 surrogate pair
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));
  for (int b = 0xf5; b <= 0xff; ++b) {
    std::string s = "\x01\x80\x80\x80";
    s[0] = static_cast<char>(b);
    EXPECT_FALSE(is_valid_utf8(s)) << b;
  }
  for (int b = 0x80; b <= 0xbf; ++b) {
    std::string s(1, static_cast<char>(b));
    EXPECT_FALSE(is_valid_utf8(s)) << b;
  }
  EXPECT_FALSE(is_valid_utf8("\xc3"));
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));
  EXPECT_FALSE(is_valid_utf8("\xf0\x9f\x8e"));
  EXPECT_FALSE(is_valid_utf8("\xe2\x82\x41"));
  EXPECT_FALSE(is_valid_utf8("\xf0\x9f\x8e\xc0"));
}

}  // namespace
}  // namespace minibar

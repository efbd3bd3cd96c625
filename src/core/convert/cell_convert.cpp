// Conversion of one SQLite value to what a PostgreSQL column needs. Called once
// per value on large tables: no heap allocation anywhere on these paths.
#include "core/convert/cell_convert.hpp"

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "core/convert/datetime.hpp"
#include "core/error.hpp"

namespace minibar {

namespace {

using Kind = Converted::Kind;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// a equals lower (which is lower case), ignoring ASCII case.
bool equals_ci(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != lower[i]) return false;
  }
  return true;
}

Converted make_float(double v) {
  Converted r;
  r.kind = Kind::Float;
  r.d = v;
  return r;
}

Converted make_bool(bool v) {
  Converted r;
  r.kind = Kind::Bool;
  r.b = v;
  return r;
}

Converted make_i(Kind kind, int64_t v) {
  Converted r;
  r.kind = kind;
  r.i = v;
  return r;
}

// ---- UTF-8 ----------------------------------------------------------------

enum class TextCheck { Ok, BadUtf8, HasNul };

constexpr uint64_t kHighBits = 0x8080808080808080ULL;
constexpr uint64_t kLowBits = 0x0101010101010101ULL;

// Well-formed UTF-8 per the Unicode standard, table 3-7. Also notes NUL bytes;
// invalid UTF-8 is reported in preference to a NUL byte.
TextCheck check_utf8(std::string_view bytes, bool want_nul) {
  const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  bool saw_nul = false;
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & kHighBits) != 0) break;
      if (want_nul && ((w - kLowBits) & ~w & kHighBits) != 0) saw_nul = true;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      if (c == 0) saw_nul = true;
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlongs
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlongs
      if (c == 0xF4) hi = 0x8F;  // <= U+10FFFF
    } else {
      return TextCheck::BadUtf8;  // 80..C1 (continuation, overlong lead), F5..FF
    }
    if (n - i < len) return TextCheck::BadUtf8;
    if (p[i + 1] < lo || p[i + 1] > hi) return TextCheck::BadUtf8;
    for (size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return TextCheck::BadUtf8;
    }
    i += len;
  }
  return saw_nul ? TextCheck::HasNul : TextCheck::Ok;
}

constexpr const char *kReasonBadUtf8 = "invalid UTF-8 byte sequence";
constexpr const char *kReasonNul = "text contains a NUL byte (PostgreSQL text cannot hold it)";

// Text for a text column or an input function: valid UTF-8 without NUL.
Converted text_result(std::string_view bytes, Kind kind) {
  switch (check_utf8(bytes, true)) {
    case TextCheck::Ok:
      return converted_bytes(kind, bytes);
    case TextCheck::BadUtf8:
      return conversion_error(sqlstate::kCharacterNotInRepertoire, kReasonBadUtf8);
    case TextCheck::HasNul:
      return conversion_error(sqlstate::kUntranslatable, kReasonNul);
  }
  return conversion_error(sqlstate::kInternal, "unreachable");
}

// ---- numbers ----------------------------------------------------------------

std::string_view format_int(int64_t v, CellScratch &scratch) {
  auto res = std::to_chars(scratch.buf, scratch.buf + sizeof scratch.buf, v);
  return std::string_view(scratch.buf, static_cast<size_t>(res.ptr - scratch.buf));
}

std::string_view copy_literal(std::string_view lit, CellScratch &scratch) {
  std::memcpy(scratch.buf, lit.data(), lit.size());
  return std::string_view(scratch.buf, lit.size());
}

struct IntTarget {
  int64_t min;
  int64_t max;
  const char *out_of_range;
};

IntTarget int_target(TargetKind target) {
  switch (target) {
    case TargetKind::Int2:
      return {-32768, 32767, "value out of range for smallint"};
    case TargetKind::Int4:
      return {INT32_MIN, INT32_MAX, "value out of range for integer"};
    default:
      return {INT64_MIN, INT64_MAX, "value out of range for bigint"};
  }
}

constexpr const char *kReasonNotInteger = "not an integer";

// Optional surrounding whitespace, optional sign, decimal digits only.
Converted parse_int_text(std::string_view text, const IntTarget &t) {
  std::string_view s = trim(text);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return conversion_error(sqlstate::kInvalidText, kReasonNotInteger);
  // Accumulate the magnitude as unsigned so INT64_MIN's magnitude fits.
  const uint64_t limit =
      negative ? static_cast<uint64_t>(-(t.min + 1)) + 1u : static_cast<uint64_t>(t.max);
  uint64_t mag = 0;
  bool overflow = false;
  for (char c : s) {
    if (!is_digit(c)) return conversion_error(sqlstate::kInvalidText, kReasonNotInteger);
    if (overflow) continue;  // keep checking the rest is digits
    const auto digit = static_cast<uint64_t>(c - '0');
    if (mag > (limit - digit) / 10) {
      overflow = true;
    } else {
      mag = mag * 10 + digit;
    }
  }
  if (overflow) return conversion_error(sqlstate::kNumericOutOfRange, t.out_of_range);
  if (!negative) return make_i(Kind::Int, static_cast<int64_t>(mag));
  // -mag without overflow: mag <= 2^63.
  if (mag == 0) return make_i(Kind::Int, 0);
  return make_i(Kind::Int, -static_cast<int64_t>(mag - 1) - 1);
}

Converted int_from_double(double d, const IntTarget &t) {
  if (std::isnan(d) || std::isinf(d)) {
    return conversion_error(sqlstate::kNumericOutOfRange, t.out_of_range);
  }
  if (std::trunc(d) != d) {
    return conversion_error(sqlstate::kInvalidText, "not an integer (has a fractional part)");
  }
  // t.min is a power of two (or its negation), exact as a double; t.max + 1 too.
  const double lo = static_cast<double>(t.min);
  const double hi_excl = -lo;
  if (d < lo || d >= hi_excl) return conversion_error(sqlstate::kNumericOutOfRange, t.out_of_range);
  return make_i(Kind::Int, static_cast<int64_t>(d));
}

Converted int_from_int(int64_t v, const IntTarget &t) {
  if (v < t.min || v > t.max) return conversion_error(sqlstate::kNumericOutOfRange, t.out_of_range);
  return make_i(Kind::Int, v);
}

constexpr const char *kReasonRealOutOfRange = "value out of range for real";
constexpr const char *kReasonDoubleOutOfRange = "value out of range for double precision";
constexpr const char *kReasonNotFloat = "not a valid floating-point number";

// float4 from a double, with PostgreSQL's float8-to-float4 checks: overflow
// (beyond FLT_MAX) and underflow (a non-zero value that becomes zero).
Converted float4_from_double(double d) {
  if (std::isfinite(d)) {
    if (std::fabs(d) > static_cast<double>(FLT_MAX)) {
      return conversion_error(sqlstate::kNumericOutOfRange, kReasonRealOutOfRange);
    }
    if (d != 0 && static_cast<float>(d) == 0.0f) {
      return conversion_error(sqlstate::kNumericOutOfRange, kReasonRealOutOfRange);
    }
  }
  return make_float(d);
}

// Strict text to float: optional surrounding whitespace, optional sign, a
// decimal number (digits, optional point, optional exponent) consumed entirely,
// or NaN/Inf/Infinity in any case. as_float4 parses at float precision (so the
// value is not rounded twice) and applies real's range.
Converted float_from_text(std::string_view text, bool as_float4) {
  std::string_view s = trim(text);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return conversion_error(sqlstate::kInvalidText, kReasonNotFloat);
  if (equals_ci(s, "nan")) {
    // PostgreSQL accepts "-NaN" and "+NaN" as NaN too.
    return make_float(std::nan(""));
  }
  if (equals_ci(s, "inf") || equals_ci(s, "infinity")) {
    return make_float(negative ? -HUGE_VAL : HUGE_VAL);
  }
  if (!is_digit(s.front()) && s.front() != '.') {
    return conversion_error(sqlstate::kInvalidText, kReasonNotFloat);
  }
  const char *first = s.data();
  const char *last = s.data() + s.size();
  double value;
  std::from_chars_result res;
  if (as_float4) {
    float f = 0;
    res = std::from_chars(first, last, f, std::chars_format::general);
    value = static_cast<double>(f);
  } else {
    res = std::from_chars(first, last, value, std::chars_format::general);
  }
  if (res.ec == std::errc::invalid_argument || res.ptr != last) {
    return conversion_error(sqlstate::kInvalidText, kReasonNotFloat);
  }
  if (res.ec == std::errc::result_out_of_range) {
    return conversion_error(sqlstate::kNumericOutOfRange,
                            as_float4 ? kReasonRealOutOfRange : kReasonDoubleOutOfRange);
  }
  return make_float(negative ? -value : value);
}

// ---- booleans ---------------------------------------------------------------

constexpr const char *kReasonBool01 = "boolean value must be 0 or 1";

// Exactly what PostgreSQL's boolin accepts: after trimming whitespace, a
// case-insensitive prefix of true/false/yes/no (at least one letter), on,
// of/off (at least two letters), or 1/0.
Converted bool_from_text(std::string_view text) {
  std::string_view s = trim(text);
  auto prefix_of = [&](std::string_view word, size_t min_len) {
    return s.size() >= min_len && s.size() <= word.size() && equals_ci(s, word.substr(0, s.size()));
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || equals_ci(s, "on") || equals_ci(s, "1"))
    return make_bool(true);
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || equals_ci(s, "0"))
    return make_bool(false);
  return conversion_error(
      sqlstate::kInvalidText,
      "not a valid boolean (PostgreSQL accepts true/false, yes/no, on/off, 1/0 and "
      "their prefixes such as t, y, n, f)");
}

// 10000-01-01 00:00:00 UTC in Unix seconds. A number of seconds this big is
// not a date anyone stored: it is milliseconds or microseconds since 1970
// (1700000000123 would be the year 55840). Never converted silently.
constexpr int64_t kUnixYear10000 = 253402300800;

Converted epoch_units_error() {
  return conversion_error(sqlstate::kDatetimeOverflow,
                          "Unix time beyond the year 9999: the number looks like milliseconds or "
                          "microseconds since 1970, not seconds; not converted");
}

// ---- per target -----------------------------------------------------------

Converted to_bool(const Cell &cell) {
  switch (cell.storage) {
    case StorageClass::Integer:
      if (cell.i == 0 || cell.i == 1) return make_bool(cell.i == 1);
      return conversion_error(sqlstate::kInvalidText, kReasonBool01);
    case StorageClass::Float:
      if (cell.d == 0.0 || cell.d == 1.0) return make_bool(cell.d == 1.0);
      return conversion_error(sqlstate::kInvalidText, kReasonBool01);
    case StorageClass::Text:
      return bool_from_text(cell.bytes);
    default:
      return conversion_error(sqlstate::kInvalidText, "a blob cannot be converted to boolean");
  }
}

Converted to_int(const Cell &cell, TargetKind target) {
  const IntTarget t = int_target(target);
  switch (cell.storage) {
    case StorageClass::Integer:
      return int_from_int(cell.i, t);
    case StorageClass::Float:
      return int_from_double(cell.d, t);
    case StorageClass::Text: {
      Converted r = parse_int_text(cell.bytes, t);
      if (r.kind == Kind::Int) return int_from_int(r.i, t);
      return r;
    }
    default:
      return conversion_error(sqlstate::kInvalidText, "a blob cannot be converted to an integer");
  }
}

Converted to_float(const Cell &cell, bool float4) {
  switch (cell.storage) {
    case StorageClass::Integer:
      // Every int64 is within real's range (only precision is lost).
      return make_float(static_cast<double>(cell.i));
    case StorageClass::Float:
      return float4 ? float4_from_double(cell.d) : make_float(cell.d);
    case StorageClass::Text:
      return float_from_text(cell.bytes, float4);
    default:
      return conversion_error(sqlstate::kInvalidText,
                              "a blob cannot be converted to a floating-point number");
  }
}

Converted to_numeric(const Cell &cell, CellScratch &scratch) {
  switch (cell.storage) {
    case StorageClass::Integer:
      return make_i(Kind::Int, cell.i);
    case StorageClass::Float: {
      Converted c;
      if (double_as_decimal(cell.d, &c.i, &c.scale)) {
        c.kind = Kind::Decimal;
        return c;
      }
      return converted_bytes(Kind::InputText, format_double_shortest(cell.d, scratch));
    }
    case StorageClass::Text: {
      Converted c;
      if (parse_plain_decimal(cell.bytes, &c.i, &c.scale)) {
        c.kind = Kind::Decimal;
        return c;
      }
      return text_result(cell.bytes, Kind::InputText);
    }
    default:
      return conversion_error(sqlstate::kInvalidText, "a blob cannot be converted to numeric");
  }
}

// Text column (Kind::Bytes) or another type's input function (Kind::InputText).
Converted to_text(const Cell &cell, Kind kind, CellScratch &scratch) {
  switch (cell.storage) {
    case StorageClass::Integer:
      return converted_bytes(kind, format_int(cell.i, scratch));
    case StorageClass::Float:
      return converted_bytes(kind, format_double_shortest(cell.d, scratch));
    default:  // Text, Blob
      return text_result(cell.bytes, kind);
  }
}

Converted to_bytea(const Cell &cell, CellScratch &scratch) {
  switch (cell.storage) {
    case StorageClass::Integer:
      return converted_bytes(Kind::Bytes, format_int(cell.i, scratch));
    case StorageClass::Float:
      return converted_bytes(Kind::Bytes, format_double_shortest(cell.d, scratch));
    default:  // Text, Blob: the bytes as they are
      return converted_bytes(Kind::Bytes, cell.bytes);
  }
}

// PostgreSQL's date range in days since 2000-01-01: Julian day 0
// (4714-11-24 BC) to DATE_END_JULIAN (5874898-01-01) exclusive.
constexpr int64_t kMinDateDays = -2451545;
constexpr int64_t kEndDateDays = 2147483494 - 2451545;

// True when text starts with digits in the shape YYYY-MM-DD whose fields
// make no calendar date (2024-02-30, 0000-00-00): PostgreSQL calls that
// 22008 "date/time field value out of range", not a format error.
bool impossible_iso_date(std::string_view text) {
  if (text.size() < 10) return false;
  for (size_t i = 0; i < 10; i++) {
    const bool dash = i == 4 || i == 7;
    if (dash ? text[i] != '-' : (text[i] < '0' || text[i] > '9')) return false;
  }
  if (text.size() > 10 && text[10] != ' ' && text[10] != 'T') return false;
  return !parse_iso_date(text.substr(0, 10));
}

Converted impossible_date_error() {
  return conversion_error(sqlstate::kDatetimeOverflow,
                          "date/time field value out of range (no such day)");
}

Converted to_date(const Cell &cell) {
  switch (cell.storage) {
    case StorageClass::Text: {
      std::optional<int32_t> days = parse_iso_date(cell.bytes);
      if (!days) {
        if (impossible_iso_date(cell.bytes)) return impossible_date_error();
        return conversion_error(sqlstate::kDatetimeFormat, "not a valid ISO date (YYYY-MM-DD)");
      }
      return make_i(Kind::Date, *days);
    }
    case StorageClass::Integer: {
      constexpr int64_t kSecsPerDay = 86400;
      if (cell.i >= kUnixYear10000 || cell.i <= -kUnixYear10000) return epoch_units_error();
      if (cell.i % kSecsPerDay != 0) {
        return conversion_error(sqlstate::kDatetimeFormat,
                                "Unix time is not at midnight UTC (a date cannot hold the time)");
      }
      const int64_t days = cell.i / kSecsPerDay - kPgEpochUnixDays;
      if (days < kMinDateDays || days >= kEndDateDays) {
        return conversion_error(sqlstate::kDatetimeOverflow, "date out of range");
      }
      return make_i(Kind::Date, days);
    }
    case StorageClass::Float:
      return conversion_error(sqlstate::kDatetimeFormat,
                              "a real number cannot be converted to a date (use an ISO date)");
    default:
      return conversion_error(sqlstate::kInvalidText, "a blob cannot be converted to a date");
  }
}

Converted to_time(const Cell &cell) {
  switch (cell.storage) {
    case StorageClass::Text: {
      std::optional<int64_t> micros = parse_iso_time(cell.bytes);
      if (!micros)
        return conversion_error(sqlstate::kDatetimeFormat, "not a valid ISO time (HH:MM:SS)");
      return make_i(Kind::Time, *micros);
    }
    case StorageClass::Integer:
    case StorageClass::Float:
      return conversion_error(sqlstate::kDatetimeFormat,
                              "a number cannot be converted to a time (use an ISO time)");
    default:
      return conversion_error(sqlstate::kInvalidText, "a blob cannot be converted to a time");
  }
}

Converted to_timestamp(const Cell &cell) {
  std::optional<int64_t> micros;
  switch (cell.storage) {
    case StorageClass::Text:
      micros = parse_iso_timestamp(cell.bytes);
      if (!micros && impossible_iso_date(cell.bytes)) return impossible_date_error();
      if (!micros) return conversion_error(sqlstate::kDatetimeFormat, "not a valid ISO timestamp");
      break;
    case StorageClass::Integer:
      if (cell.i >= kUnixYear10000 || cell.i <= -kUnixYear10000) return epoch_units_error();
      micros = unix_seconds_to_pg_micros(cell.i);
      if (!micros) return conversion_error(sqlstate::kDatetimeOverflow, "timestamp out of range");
      break;
    case StorageClass::Float:
      if (std::isnan(cell.d)) {
        return conversion_error(sqlstate::kDatetimeFormat, "NaN is not a valid Unix time");
      }
      if (std::fabs(cell.d) >= static_cast<double>(kUnixYear10000)) return epoch_units_error();
      micros = unix_seconds_to_pg_micros(cell.d);
      if (!micros) return conversion_error(sqlstate::kDatetimeOverflow, "timestamp out of range");
      break;
    default:
      return conversion_error(sqlstate::kInvalidText, "a blob cannot be converted to a timestamp");
  }
  return make_i(Kind::Timestamp, *micros);
}

}  // namespace

Converted convert_cell(const Cell &cell, TargetKind target, CellScratch &scratch) {
  if (cell.storage == StorageClass::Null) return Converted{};
  switch (target) {
    case TargetKind::Bool:
      return to_bool(cell);
    case TargetKind::Int2:
    case TargetKind::Int4:
    case TargetKind::Int8:
      return to_int(cell, target);
    case TargetKind::Float4:
      return to_float(cell, true);
    case TargetKind::Float8:
      return to_float(cell, false);
    case TargetKind::Numeric:
      return to_numeric(cell, scratch);
    case TargetKind::Text:
      return to_text(cell, Kind::Bytes, scratch);
    case TargetKind::Bytea:
      return to_bytea(cell, scratch);
    case TargetKind::Date:
      return to_date(cell);
    case TargetKind::Time:
      return to_time(cell);
    case TargetKind::Timestamp:
    case TargetKind::TimestampTz:
      return to_timestamp(cell);
    case TargetKind::TextArray:
    case TargetKind::Other:
      return to_text(cell, Kind::InputText, scratch);
  }
  return conversion_error(sqlstate::kInternal, "unknown target kind");
}

bool parse_plain_decimal(std::string_view text, int64_t *unscaled, int *scale) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';
  int64_t value = 0;
  int digits = 0, after_point = 0;
  bool point = false;
  for (; pos < text.size(); pos++) {
    const char ch = text[pos];
    if (ch == '.' && !point) {
      point = true;
    } else if (ch >= '0' && ch <= '9') {
      if (++digits > 18) return false;
      value = value * 10 + (ch - '0');
      if (point) after_point++;
    } else {
      return false;
    }
  }
  if (digits == 0) return false;
  *unscaled = negative ? -value : value;
  *scale = after_point;
  return true;
}

bool double_as_decimal(double v, int64_t *unscaled, int *scale) {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (!std::isfinite(v)) return false;
  for (int k = 0; k <= 15; k++) {
    // |x| < 10^15: the product's rounding error (under 1/16) cannot move it
    // to another integer when v has a decimal form with k fractional digits.
    const double x = v * kPow10[k];
    if (!(std::fabs(x) < 1e15)) return false;
    const auto m = static_cast<int64_t>(std::nearbyint(x));
    if (static_cast<double>(m) / kPow10[k] == v) {
      *unscaled = m;
      *scale = k;
      return true;
    }
  }
  return false;
}

Converted conversion_error(const char *state, const char *reason) {
  Converted r;
  r.kind = Kind::Error;
  r.sqlstate = state;
  r.reason = reason;
  return r;
}

Converted converted_bytes(Kind kind, std::string_view bytes) {
  Converted r;
  r.kind = kind;
  r.bytes = bytes;
  return r;
}

std::string_view format_double_shortest(double v, CellScratch &scratch) {
  if (std::isnan(v)) return copy_literal("NaN", scratch);
  if (std::isinf(v)) return copy_literal(v > 0 ? "Infinity" : "-Infinity", scratch);
  // 15 significant digits always round-trip for decimal text of up to 15
  // digits (DBL_DIG), so for normal numbers the first of %.15g/%.16g/%.17g
  // that reads back is the shortest. Subnormals carry fewer digits of
  // precision ("5e-324"), so for them every precision is tried from 1.
  const bool subnormal = v != 0 && std::fabs(v) < DBL_MIN;
  for (int precision = subnormal ? 1 : 15; precision <= 17; ++precision) {
    int len = std::snprintf(scratch.buf, sizeof scratch.buf, "%.*g", precision, v);
    if (precision == 17 || std::strtod(scratch.buf, nullptr) == v) {
      return std::string_view(scratch.buf, static_cast<size_t>(len));
    }
  }
  return std::string_view(scratch.buf);  // unreachable: %.17g always round-trips
}

bool is_valid_utf8(std::string_view bytes) {
  return check_utf8(bytes, false) != TextCheck::BadUtf8;
}

}  // namespace minibar

// ISO 8601 date/time parsing into PostgreSQL's internal integer forms.
#include "core/convert/datetime.hpp"

#include <cmath>
#include <cstddef>

namespace minibar {

namespace {

// PostgreSQL's timestamp range in microseconds since 2000-01-01:
// MIN_TIMESTAMP (4714-11-24 00:00:00 BC, Julian day 0) inclusive and
// END_TIMESTAMP (294277-01-01 00:00:00, Julian day 109203528) exclusive.
constexpr int64_t kPgEpochJulian = 2451545;
constexpr int64_t kUnixEpochJulian = 2440588;
constexpr int64_t kTimestampEndJulian = 109203528;
constexpr int64_t kSecsPerDay = 86400;
constexpr int64_t kMinTimestamp = -kPgEpochJulian * kMicrosPerDay;  // -211813488000000000
constexpr int64_t kEndTimestamp =
    (kTimestampEndJulian - kPgEpochJulian) * kMicrosPerDay;  // 9223371331200000000
// The same bounds in Unix seconds.
constexpr int64_t kMinUnixSeconds = -kUnixEpochJulian * kSecsPerDay;
constexpr int64_t kEndUnixSeconds = (kTimestampEndJulian - kUnixEpochJulian) * kSecsPerDay;
constexpr int64_t kPgEpochUnixSeconds = kPgEpochUnixDays * kSecsPerDay;  // 946684800

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// A cursor over the text being parsed.
struct Cursor {
  std::string_view s;
  size_t pos = 0;

  bool at_end() const { return pos >= s.size(); }
  char peek() const { return at_end() ? '\0' : s[pos]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos;
    return true;
  }
  // Exactly n decimal digits.
  bool digits(int n, int &out) {
    if (s.size() - pos < static_cast<size_t>(n)) return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
      char c = s[pos + static_cast<size_t>(k)];
      if (!is_digit(c)) return false;
      v = v * 10 + (c - '0');
    }
    pos += static_cast<size_t>(n);
    out = v;
    return true;
  }
};

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && is_leap(y)) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                                    // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + doe - 719468;
}

// "YYYY-MM-DD" with 0001 <= YYYY <= 9999; days since 2000-01-01.
bool parse_date_part(Cursor &c, int64_t &days) {
  int y = 0, m = 0, d = 0;
  if (!c.digits(4, y) || !c.eat('-') || !c.digits(2, m) || !c.eat('-') || !c.digits(2, d)) {
    return false;
  }
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return false;
  days = days_from_civil(y, m, d) - kPgEpochUnixDays;
  return true;
}

// A time of day as parsed: fields plus the fraction rounded to microseconds
// (which may be 1000000 after rounding up, carried by the caller's arithmetic).
struct TimeFields {
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t micros = 0;
};

// "HH:MM[:SS[.fraction]]" with field ranges checked loosely (hour <= 24); the
// callers decide whether 24 is allowed.
bool parse_time_part(Cursor &c, TimeFields &t) {
  if (!c.digits(2, t.hour) || !c.eat(':') || !c.digits(2, t.minute)) return false;
  if (t.hour > 24 || t.minute > 59) return false;
  if (!c.eat(':')) return true;
  if (!c.digits(2, t.second) || t.second > 59) return false;
  if (!c.eat('.')) return true;
  // Any number of digits; round to microseconds, half away from zero.
  size_t start = c.pos;
  int64_t micros = 0;
  int n = 0;
  bool round_up = false;
  while (!c.at_end() && is_digit(c.peek())) {
    int digit = c.peek() - '0';
    if (n < 6) {
      micros = micros * 10 + digit;
    } else if (n == 6) {
      round_up = digit >= 5;
    }
    ++n;
    ++c.pos;
  }
  if (c.pos == start) return false;  // "." without digits
  for (int k = n; k < 6; ++k) micros *= 10;
  if (round_up) ++micros;
  t.micros = micros;
  return true;
}

int64_t time_fields_micros(const TimeFields &t) {
  return ((static_cast<int64_t>(t.hour) * 60 + t.minute) * 60 + t.second) * kMicrosPerSecond +
         t.micros;
}

// "Z", "+HH", "+HHMM", "+HH:MM" (or "-..."), hours <= 15, minutes <= 59.
// offset_seconds is what is added to UTC to get local time.
bool parse_zone(Cursor &c, int64_t &offset_seconds) {
  char ch = c.peek();
  if (ch == 'Z' || ch == 'z') {
    ++c.pos;
    offset_seconds = 0;
    return true;
  }
  if (ch != '+' && ch != '-') return false;
  ++c.pos;
  int hh = 0, mm = 0;
  if (!c.digits(2, hh)) return false;
  if (c.eat(':')) {
    if (!c.digits(2, mm)) return false;
  } else if (!c.at_end() && is_digit(c.peek())) {
    if (!c.digits(2, mm)) return false;
  }
  if (hh > 15 || mm > 59) return false;
  offset_seconds = (static_cast<int64_t>(hh) * 60 + mm) * 60;
  if (ch == '-') offset_seconds = -offset_seconds;
  return true;
}

struct TimestampParts {
  int64_t days = 0;  // since 2000-01-01
  bool has_time = false;
  TimeFields time;
  bool has_zone = false;
  int64_t offset_seconds = 0;
};

bool parse_timestamp_parts(std::string_view text, TimestampParts &p) {
  Cursor c{trim(text)};
  if (!parse_date_part(c, p.days)) return false;
  // The time, after a single ' ' or 'T'. A ' ' may instead introduce the zone.
  if (c.peek() == 'T' || c.peek() == 't' ||
      (c.peek() == ' ' && c.pos + 1 < c.s.size() && is_digit(c.s[c.pos + 1]))) {
    ++c.pos;
    if (!parse_time_part(c, p.time) || p.time.hour > 23) return false;
    p.has_time = true;
  }
  if (!c.at_end()) {
    c.eat(' ');
    if (!parse_zone(c, p.offset_seconds)) return false;
    p.has_zone = true;
  }
  return c.at_end();
}

}  // namespace

bool is_valid_civil_date(int64_t year, int64_t month, int64_t day) {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= days_in_month(static_cast<int>(year), static_cast<int>(month));
}

int64_t civil_to_pg_days(int64_t year, int64_t month, int64_t day) {
  return days_from_civil(year, month, day) - kPgEpochUnixDays;
}

std::optional<int32_t> parse_iso_date(std::string_view text) {
  TimestampParts p;
  if (!parse_timestamp_parts(text, p)) return std::nullopt;
  // Only a midnight time in UTC (or an unzoned one) can be dropped losslessly.
  if (p.has_time && time_fields_micros(p.time) != 0) return std::nullopt;
  if (p.has_zone && p.offset_seconds != 0) return std::nullopt;
  return static_cast<int32_t>(p.days);
}

std::optional<int64_t> parse_iso_timestamp(std::string_view text, bool *had_zone) {
  TimestampParts p;
  if (!parse_timestamp_parts(text, p)) return std::nullopt;
  int64_t micros =
      p.days * kMicrosPerDay + time_fields_micros(p.time) - p.offset_seconds * kMicrosPerSecond;
  // Years 0001..9999 with offsets of at most 16 hours are always within
  // PostgreSQL's range; kept as a guard.
  if (micros < kMinTimestamp || micros >= kEndTimestamp) return std::nullopt;
  if (had_zone != nullptr) *had_zone = p.has_zone;
  return micros;
}

std::optional<int64_t> parse_iso_time(std::string_view text) {
  Cursor c{trim(text)};
  TimeFields t;
  if (!parse_time_part(c, t) || !c.at_end()) return std::nullopt;
  int64_t micros = time_fields_micros(t);
  // 24:00:00 exactly (a fraction that rounds to zero microseconds included);
  // a fraction rounding up to 24:00:00 is allowed as PostgreSQL does.
  if (t.hour == 24 && micros != kMicrosPerDay) return std::nullopt;
  return micros;
}

std::optional<int64_t> unix_seconds_to_pg_micros(double seconds) {
  if (!std::isfinite(seconds)) return std::nullopt;
  // As PostgreSQL's to_timestamp(double precision): range check in seconds,
  // shift to the PostgreSQL epoch, then round to microseconds (rint).
  if (seconds < static_cast<double>(kMinUnixSeconds) ||
      seconds >= static_cast<double>(kEndUnixSeconds)) {
    return std::nullopt;
  }
  double shifted = seconds - static_cast<double>(kPgEpochUnixSeconds);
  double micros = std::rint(shifted * static_cast<double>(kMicrosPerSecond));
  // micros is within about +/-9.3e18 here; the bounds check below is on values
  // exactly representable as doubles.
  if (micros < static_cast<double>(kMinTimestamp) || micros >= static_cast<double>(kEndTimestamp)) {
    return std::nullopt;
  }
  return static_cast<int64_t>(micros);
}

std::optional<int64_t> unix_seconds_to_pg_micros(int64_t seconds) {
  if (seconds < kMinUnixSeconds || seconds >= kEndUnixSeconds) return std::nullopt;
  return (seconds - kPgEpochUnixSeconds) * kMicrosPerSecond;
}

}  // namespace minibar

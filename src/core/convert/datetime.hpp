// ISO 8601 date/time text as SQLite applications store it, parsed into the
// integer forms PostgreSQL uses internally (days or microseconds relative to
// 2000-01-01), so the PostgreSQL layer builds Datums without a text round-trip.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace minibar {

// Days from 1970-01-01 to 2000-01-01 (PostgreSQL's epoch).
inline constexpr int64_t kPgEpochUnixDays = 10957;
inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerDay = 86400LL * kMicrosPerSecond;

// Days since 2000-01-01 of a proleptic Gregorian calendar date (no range or
// validity check: callers validate month and day).
int64_t civil_to_pg_days(int64_t year, int64_t month, int64_t day);

// True for a real calendar date (month 1..12, day within the month).
bool is_valid_civil_date(int64_t year, int64_t month, int64_t day);

// "YYYY-MM-DD", optionally followed by a midnight time ("YYYY-MM-DD 00:00:00",
// "...T00:00:00.000", with or without zone "Z"). Returns days since 2000-01-01,
// or nullopt when malformed, out of range, or carrying a non-midnight time
// (which a date cannot hold without losing it).
std::optional<int32_t> parse_iso_date(std::string_view text);

// "YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][zone]" where zone is "Z", "+HH",
// "+HHMM" or "+HH:MM" (or "-..."), optionally preceded by a space. The fraction
// may have any number of digits; it is rounded to microseconds (half away from
// zero). Returns microseconds since 2000-01-01 00:00:00; when a zone is present
// the result is converted to UTC and *had_zone set true, otherwise the
// wall-clock value is returned as is (callers treat it as UTC).
std::optional<int64_t> parse_iso_timestamp(std::string_view text, bool *had_zone = nullptr);

// "HH:MM[:SS[.fraction]]" with 0 <= HH <= 23 (or exactly 24:00:00). Returns
// microseconds since midnight.
std::optional<int64_t> parse_iso_time(std::string_view text);

// Unix time (seconds since 1970-01-01 UTC, possibly fractional) to
// microseconds since 2000-01-01 UTC; nullopt when beyond PostgreSQL's
// timestamp range (4714-11-24 BC .. 294276 AD) or not finite.
std::optional<int64_t> unix_seconds_to_pg_micros(double seconds);
std::optional<int64_t> unix_seconds_to_pg_micros(int64_t seconds);

}  // namespace minibar

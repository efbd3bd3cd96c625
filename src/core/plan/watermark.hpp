// The watermark of a SQLite catch-up (sync_table): the largest value of an
// increasing column (updated_at, or a key) read so far, kept as SQLite stored
// it, so that the next call asks SQLite for "column >= watermark" in SQLite's
// own ordering. Also the first watermark, from the largest value the target
// already holds. Pure C++.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/convert/cell_convert.hpp"
#include "core/value.hpp"

namespace minibar {

struct Watermark {
  enum class Kind { Integer, Real, Text };
  Kind kind = Kind::Integer;
  int64_t i = 0;
  double d = 0;
  std::string text;

  // The value to bind to "column >= ?".
  SqlValue sql_value() const;
  // "integer" / "real" / "text", and the value as text (exact: a real with
  // 17 significant digits), for the state table and the report.
  const char *kind_name() const;
  std::string value_text() const;
  // The inverse of kind_name/value_text; throws Error 22023 on a bad pair.
  static Watermark parse(std::string_view kind, std::string_view value);
  // A SQLite value (Integer, Float or Text storage) as a watermark; throws
  // Error 22023 for NULL and blobs.
  static Watermark of_cell(const Cell &cell);
};

// The largest value of the target's watermark column, read by PostgreSQL.
struct TargetMax {
  enum class Type { Integer, Float, Text, Timestamp, Date };
  Type type = Type::Integer;
  std::string text;       // Integer, Float, Text: the value as PostgreSQL prints it
  int64_t unix_us = 0;    // Timestamp: microseconds since 1970-01-01 UTC
  int64_t unix_days = 0;  // Date: days since 1970-01-01
};

// Where the first catch-up starts: the target's largest value written the
// way the source writes the column, as shown by its largest stored value
// (sample: storage class and text): a unix time for Integer/Float storage,
// ISO text with 'T' or ' ' between date and time for Text. Date-times start
// one second (dates one day) early, so that a value stored with another
// precision or form is read again; upserting it again changes nothing.
Watermark first_watermark(const TargetMax &max, StorageClass sample, std::string_view sample_text);

// "YYYY-MM-DD" of days since 1970-01-01 (proleptic Gregorian).
std::string unix_days_to_iso(int64_t days);

}  // namespace minibar

// Conversion of one SQLite value (a "cell") to the representation the
// PostgreSQL layer needs for a column's target type. Pure C++: the result is a
// small tagged value (no allocation) that the PostgreSQL layer turns into a
// Datum directly, or an error reason it reports with the table, column, rowid
// and value.
#pragma once

#include <cstdint>
#include <string_view>

namespace minibar {

// SQLite's fundamental storage classes (values equal SQLITE_INTEGER etc.).
enum class StorageClass : uint8_t { Integer = 1, Float = 2, Text = 3, Blob = 4, Null = 5 };

// What the target PostgreSQL column is, as far as conversion cares. Other: the
// value's text goes through the type's input function (numeric with typmod,
// varchar(n), jsonb, uuid, enums, ...).
enum class TargetKind : uint8_t {
  Bool,
  Int2,
  Int4,
  Int8,
  Float4,
  Float8,
  Numeric,
  Text,
  Bytea,
  Date,
  Time,
  Timestamp,
  TimestampTz,
  TextArray,  // text[] (MySQL SET); through array_in like Other
  Other
};

struct Cell {
  StorageClass storage = StorageClass::Null;
  int64_t i = 0;           // Integer
  double d = 0;            // Float
  std::string_view bytes;  // Text (UTF-8 from SQLite, not NUL-terminated) or Blob
};

struct Converted {
  enum class Kind : uint8_t {
    Null,
    Bool,       // b
    Int,        // i (for Int2/Int4/Int8 already range-checked; for Numeric: int64_to_numeric)
    Float,      // d (for Float4 already range-checked)
    Bytes,      // bytes: text (valid UTF-8, no NUL) for Text, raw bytes for Bytea
    Date,       // i = days since 2000-01-01
    Time,       // i = microseconds since midnight
    Timestamp,  // i = microseconds since 2000-01-01 (UTC)
    InputText,  // bytes: text for the type's input function (valid UTF-8, no NUL)
    Decimal,    // Numeric target: i / 10^scale, exactly (plain decimal text of <= 18 digits)
    Error       // sqlstate + reason
  };
  Kind kind = Kind::Null;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string_view bytes;
  const char *sqlstate = nullptr;  // Error: a SQLSTATE from error.hpp
  const char *reason = nullptr;    // Error: static text, e.g. "not an integer"
  bool local_time = false;         // Timestamp: wall-clock time in the source's zone, not UTC
  int scale = 0;                   // Decimal: digits after the decimal point
};

// A conversion's failure: state a SQLSTATE from error.hpp, reason static text.
Converted conversion_error(const char *state, const char *reason);
// A result of kind carrying bytes (Bytes, InputText...).
Converted converted_bytes(Converted::Kind kind, std::string_view bytes);

// Scratch space a conversion may format a number into; Converted::bytes may
// point into it, so it must outlive the use of the result.
struct CellScratch {
  char buf[64];
};

// Rules (docs/migration.md): integers range-checked (a REAL with a fractional part is an
// error for an integer column; text is parsed strictly); booleans from 0/1 and
// from 'true'/'false'/'t'/'f'/'yes'/'no'/'on'/'off'/'1'/'0' (case-insensitive),
// anything else is an error; floats from integers, reals or numeric text (also
// NaN/Infinity); text must be valid UTF-8 without NUL bytes (integers and reals
// are rendered in their shortest round-trip form); blobs go to bytea as is;
// date/time/timestamp from ISO text (core/convert/datetime.hpp) or, for timestamps, from
// integer or real Unix time; Numeric from integers (Int), reals (Decimal when
// their shortest round-trip text has at most 15 digits, else InputText of that
// text), plain decimal text such as MySQL's DECIMAL (Decimal) or other text
// (InputText). A NULL cell is Null for any target.
Converted convert_cell(const Cell &cell, TargetKind target, CellScratch &scratch);

// Shortest decimal text that reads back as the same double ("0.1", "1e+100",
// "Infinity", "-Infinity", "NaN"). Writes into scratch, returns a view of it.
std::string_view format_double_shortest(double v, CellScratch &scratch);

// "-123.450" -> unscaled -123450, scale 3: only an optional sign, digits and
// at most one decimal point, with 1 to 18 digits in all (so that the unscaled
// value fits in an int64). Anything else (exponents, spaces, NaN, more
// digits) returns false and is left to numeric's input function.
bool parse_plain_decimal(std::string_view text, int64_t *unscaled, int *scale);

// v as unscaled / 10^scale, exactly the decimal format_double_shortest gives
// (the same digits, so numeric_in would give the same value and display
// scale): the smallest scale 0..15 at which a decimal of at most 15
// significant digits reads back as v. False for NaN, infinities and values
// that need more digits or an exponent beyond that (left to numeric_in).
bool double_as_decimal(double v, int64_t *unscaled, int *scale);

// True when bytes are well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

}  // namespace minibar

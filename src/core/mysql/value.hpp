// One value fetched from MySQL/MariaDB over the binary protocol (a prepared
// statement), and its conversion to what a PostgreSQL column needs. Pure C++:
// no libmariadb or PostgreSQL types appear here, so the rules are unit-tested
// on their own; core/mysql/client.cpp fills MyCell from the wire.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/convert/cell_convert.hpp"

namespace minibar {

// The source type family of a result column, from the field metadata.
enum class MyType : uint8_t {
  Int,        // TINYINT..BIGINT, signed: i
  UInt,       // TINYINT..BIGINT UNSIGNED: u
  Year,       // YEAR: i (0 for the zero year)
  Float,      // FLOAT: d (exact float value widened)
  Double,     // DOUBLE: d
  Decimal,    // DECIMAL: bytes (decimal text)
  Date,       // DATE: t
  DateTime,   // DATETIME: t (wall clock in the server's source_timezone)
  Timestamp,  // TIMESTAMP: t (UTC: the session runs with time_zone '+00:00')
  Time,       // TIME: t (hour up to 838, neg)
  Bit,        // BIT(n): bytes, big-endian, ceil(n/8) bytes; bits = n
  String,     // CHAR/VARCHAR/TEXT (utf8mb4 after SET NAMES): bytes
  Binary,     // BINARY/VARBINARY/BLOB (binary charset): bytes
  Enum,       // ENUM: bytes (the label)
  Set,        // SET: bytes ("a,c")
  Json,       // JSON: bytes
  Geometry    // GEOMETRY family: bytes (4-byte little-endian SRID + WKB)
};

// MySQL's column type codes (enum_field_types, MYSQL_TYPE_*), as a result's
// field metadata and a binlog table map give them.
namespace my_field {
enum : uint8_t {
  kDecimalOld = 0,
  kTiny = 1,
  kShort = 2,
  kLong = 3,
  kFloat = 4,
  kDouble = 5,
  kNull = 6,
  kTimestamp = 7,
  kLongLong = 8,
  kInt24 = 9,
  kDate = 10,
  kTime = 11,
  kDateTime = 12,
  kYear = 13,
  kNewDate = 14,
  kVarchar = 15,
  kBit = 16,
  kTimestamp2 = 17,
  kDateTime2 = 18,
  kTime2 = 19,
  kJson = 245,
  kNewDecimal = 246,
  kEnum = 247,
  kSet = 248,
  kTinyBlob = 249,
  kMediumBlob = 250,
  kLongBlob = 251,
  kBlob = 252,
  kVarString = 253,
  kString = 254,
  kGeometry = 255,
};
}  // namespace my_field

// The MyType of a column: type a my_field code, is_unsigned for integers; the
// string family told apart by is_enum, is_set and binary (binary charset).
MyType my_type_of_field(uint8_t type, bool is_unsigned, bool is_enum, bool is_set, bool binary);

struct MyTime {
  int32_t year = 0, month = 0, day = 0;
  int32_t hour = 0, minute = 0, second = 0;
  int32_t micro = 0;
  bool neg = false;  // TIME only
};

struct MyCell {
  MyType type = MyType::String;
  bool is_null = true;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  MyTime t;
  std::string_view bytes;
  uint32_t bits = 0;  // Bit: declared width
};

struct MyConvertOptions {
  // Zero dates ('0000-00-00') and zero-in-date values ('2020-00-15'): NULL
  // (the default, counted by the caller) or an error.
  bool zero_date_is_error = false;
};

// Scratch a conversion may format into; Converted::bytes may point into it.
struct MyScratch {
  CellScratch cell;
  std::string text;
};

// True when a date-bearing cell holds a zero date or a zero-in-date value.
bool is_zero_date(const MyCell &cell);

// Rules: integers are range-checked for smaller targets (UNSIGNED extremes go
// to numeric exactly); FLOAT/DOUBLE keep their exact binary value; DECIMAL
// text goes to numeric's input (exact); DATE/DATETIME/TIMESTAMP become
// PostgreSQL's integer forms (DATETIME flagged local_time, to be shifted from
// source_timezone by the caller); TIME goes to time only within 00:00:00 ..
// 24:00:00, and as text "[-]HHH:MM:SS[.ffffff]" to interval or text; zero
// dates are NULL or an error (22008); BIT(n) becomes a bool (n = 1 or value 0/1),
// an integer, or bit text "0101..." for bit varying; SET becomes a text[]
// literal for text[] targets; GEOMETRY becomes WKB (SRID stripped) for bytea
// and hex WKB text for other types (PostGIS reads it); strings and binaries
// follow convert_cell's text/blob rules (UTF-8 checked, no NUL in text).
Converted convert_mysql_cell(const MyCell &cell, TargetKind target, const MyConvertOptions &opts,
                             MyScratch &scratch);

// "[-]H:MM:SS[.ffffff]" (at least two hour digits), as MySQL prints TIME.
std::string_view format_mysql_time(const MyTime &t, std::string &out);

}  // namespace minibar

#include "core/mysql/value.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/convert/datetime.hpp"
#include "core/error.hpp"

namespace minibar {

namespace {

using Kind = Converted::Kind;

Converted input_text(TargetKind target, std::string_view text) {
  return converted_bytes(target == TargetKind::Text ? Kind::Bytes : Kind::InputText, text);
}

bool wants_text(TargetKind target) {
  return target == TargetKind::Text || target == TargetKind::Other ||
         target == TargetKind::TextArray;
}

Converted from_int(int64_t v, TargetKind target, MyScratch &s) {
  Cell cell;
  cell.storage = StorageClass::Integer;
  cell.i = v;
  return convert_cell(cell, target, s.cell);
}

Converted from_uint(uint64_t v, TargetKind target, MyScratch &s) {
  if (v <= static_cast<uint64_t>(INT64_MAX)) return from_int(static_cast<int64_t>(v), target, s);
  switch (target) {
    case TargetKind::Float4:
    case TargetKind::Float8: {
      Cell cell;
      cell.storage = StorageClass::Float;
      cell.d = static_cast<double>(v);
      return convert_cell(cell, target, s.cell);
    }
    case TargetKind::Numeric:
    case TargetKind::Text:
    case TargetKind::Other: {
      int n =
          std::snprintf(s.cell.buf, sizeof s.cell.buf, "%llu", static_cast<unsigned long long>(v));
      std::string_view text(s.cell.buf, static_cast<size_t>(n));
      return input_text(target, text);
    }
    default:
      return conversion_error(sqlstate::kNumericOutOfRange,
                              "value out of range for the column's type");
  }
}

// Shortest decimal text that reads back as the same float.
std::string_view format_float_shortest(float f, CellScratch &scratch) {
  if (std::isnan(f) || std::isinf(f)) return format_double_shortest(f, scratch);
  for (int precision = 6; precision <= 9; precision++) {
    int n =
        std::snprintf(scratch.buf, sizeof scratch.buf, "%.*g", precision, static_cast<double>(f));
    if (std::strtof(scratch.buf, nullptr) == f || precision == 9)
      return std::string_view(scratch.buf, static_cast<size_t>(n));
  }
  return {};
}

Converted from_float(const MyCell &c, TargetKind target, MyScratch &s) {
  if (c.type == MyType::Float && (target == TargetKind::Text || target == TargetKind::Numeric ||
                                  target == TargetKind::Other)) {
    // A FLOAT's own shortest text ("0.1"), not its double widening ("0.100000001...").
    return input_text(target, format_float_shortest(static_cast<float>(c.d), s.cell));
  }
  Cell cell;
  cell.storage = StorageClass::Float;
  cell.d = c.d;
  return convert_cell(cell, target, s.cell);
}

Converted from_bytes(StorageClass storage, std::string_view bytes, TargetKind target,
                     MyScratch &s) {
  Cell cell;
  cell.storage = storage;
  cell.bytes = bytes;
  return convert_cell(cell, target, s.cell);
}

bool has_time_of_day(const MyTime &t) {
  return t.hour != 0 || t.minute != 0 || t.second != 0 || t.micro != 0;
}

int64_t time_of_day_micros(const MyTime &t) {
  return ((static_cast<int64_t>(t.hour) * 60 + t.minute) * 60 + t.second) * kMicrosPerSecond +
         t.micro;
}

void append_2(std::string &out, int v) {
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void append_fraction(std::string &out, int micro) {
  if (micro == 0) return;
  char buf[8];
  std::snprintf(buf, sizeof buf, ".%06d", micro);
  out += buf;
}

std::string_view format_datetime(const MyCell &c, std::string &out) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-", c.t.year);
  out = buf;
  append_2(out, c.t.month);
  out.push_back('-');
  append_2(out, c.t.day);
  if (c.type == MyType::Date) return out;
  out.push_back(' ');
  append_2(out, c.t.hour);
  out.push_back(':');
  append_2(out, c.t.minute);
  out.push_back(':');
  append_2(out, c.t.second);
  append_fraction(out, c.t.micro);
  if (c.type == MyType::Timestamp) out += "+00";
  return out;
}

Converted from_date(const MyCell &c, TargetKind target, const MyConvertOptions &opts,
                    MyScratch &s) {
  if (is_zero_date(c)) {
    if (opts.zero_date_is_error)
      return conversion_error(
          sqlstate::kDatetimeOverflow,
          "zero date or zero-in-date value (the server option zero_dates is 'error')");
    return Converted{};
  }
  if (!is_valid_civil_date(c.t.year, c.t.month, c.t.day))
    return conversion_error(sqlstate::kDatetimeOverflow,
                            "not a calendar date (MySQL's ALLOW_INVALID_DATES stored it)");
  int64_t days = civil_to_pg_days(c.t.year, c.t.month, c.t.day);
  Converted r;
  switch (target) {
    case TargetKind::Date:
      if (has_time_of_day(c.t))
        return conversion_error(sqlstate::kDatetimeFormat,
                                "value has a time of day that a date cannot hold");
      r.kind = Kind::Date;
      r.i = days;
      return r;
    case TargetKind::Timestamp:
    case TargetKind::TimestampTz:
      r.kind = Kind::Timestamp;
      r.i = days * kMicrosPerDay + time_of_day_micros(c.t);
      r.local_time = c.type != MyType::Timestamp;
      return r;
    default:
      if (wants_text(target)) return input_text(target, format_datetime(c, s.text));
      return conversion_error(sqlstate::kInvalidText,
                              "a date/time value cannot be converted to this type");
  }
}

Converted from_time(const MyCell &c, TargetKind target, MyScratch &s) {
  if (target == TargetKind::Time) {
    bool zero = !has_time_of_day(c.t);
    if (c.t.neg && !zero)
      return conversion_error(sqlstate::kDatetimeOverflow,
                              "negative TIME value does not fit type time (use interval)");
    int64_t micros = time_of_day_micros(c.t);
    if (micros > kMicrosPerDay)
      return conversion_error(sqlstate::kDatetimeOverflow,
                              "TIME value beyond 24:00:00 does not fit type time (use interval)");
    Converted r;
    r.kind = Kind::Time;
    r.i = micros;
    return r;
  }
  if (wants_text(target)) return input_text(target, format_mysql_time(c.t, s.text));
  return conversion_error(sqlstate::kInvalidText, "a TIME value cannot be converted to this type");
}

uint64_t bit_value(std::string_view bytes) {
  uint64_t v = 0;
  for (char ch : bytes) v = (v << 8) | static_cast<unsigned char>(ch);
  return v;
}

Converted from_bit(const MyCell &c, TargetKind target, MyScratch &s) {
  if (c.bytes.size() > 8)
    return conversion_error(sqlstate::kInvalidText, "BIT value longer than 64 bits");
  uint64_t v = bit_value(c.bytes);
  switch (target) {
    case TargetKind::Bool: {
      if (v > 1) return conversion_error(sqlstate::kInvalidText, "BIT value is neither 0 nor 1");
      Converted r;
      r.kind = Kind::Bool;
      r.b = v == 1;
      return r;
    }
    case TargetKind::Bytea:
      return converted_bytes(Kind::Bytes, c.bytes);
    case TargetKind::Text:
    case TargetKind::Other: {
      uint32_t bits = c.bits ? c.bits : static_cast<uint32_t>(c.bytes.size() * 8);
      if (bits > 64) bits = 64;
      s.text.assign(bits, '0');
      for (uint32_t k = 0; k < bits; k++)
        if (v >> (bits - 1 - k) & 1) s.text[k] = '1';
      return input_text(target, s.text);
    }
    default:
      return from_uint(v, target, s);
  }
}

// "a,c" -> {"a","c"}; the empty set -> {}.
std::string_view set_to_array(std::string_view set, std::string &out) {
  out = "{";
  if (!set.empty()) {
    size_t start = 0;
    while (true) {
      size_t comma = set.find(',', start);
      std::string_view item =
          set.substr(start, comma == std::string_view::npos ? set.npos : comma - start);
      if (out.size() > 1) out.push_back(',');
      out.push_back('"');
      for (char ch : item) {
        if (ch == '"' || ch == '\\') out.push_back('\\');
        out.push_back(ch);
      }
      out.push_back('"');
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  out.push_back('}');
  return out;
}

Converted from_geometry(const MyCell &c, TargetKind target, MyScratch &s) {
  if (c.bytes.size() < 5)
    return conversion_error(sqlstate::kInvalidText, "not a MySQL geometry value");
  std::string_view wkb = c.bytes.substr(4);  // after the SRID
  if (target == TargetKind::Bytea) return converted_bytes(Kind::Bytes, wkb);
  if (target == TargetKind::Text || target == TargetKind::Other) {
    static const char kHex[] = "0123456789ABCDEF";
    s.text.clear();
    for (char ch : wkb) {
      auto b = static_cast<unsigned char>(ch);
      s.text.push_back(kHex[b >> 4]);
      s.text.push_back(kHex[b & 15]);
    }
    return input_text(target, s.text);
  }
  return conversion_error(sqlstate::kInvalidText,
                          "a GEOMETRY value cannot be converted to this type");
}

}  // namespace

bool is_zero_date(const MyCell &c) {
  if (c.type != MyType::Date && c.type != MyType::DateTime && c.type != MyType::Timestamp)
    return false;
  return c.t.month == 0 || c.t.day == 0;  // also catches 0000-00-00
}

std::string_view format_mysql_time(const MyTime &t, std::string &out) {
  out.clear();
  if (t.neg) out.push_back('-');
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:", t.hour);
  out += buf;
  append_2(out, t.minute);
  out.push_back(':');
  append_2(out, t.second);
  append_fraction(out, t.micro);
  return out;
}

MyType my_type_of_field(uint8_t type, bool is_unsigned, bool is_enum, bool is_set, bool binary) {
  using namespace my_field;
  switch (type) {
    case kTiny:
    case kShort:
    case kInt24:
    case kLong:
    case kLongLong:
      return is_unsigned ? MyType::UInt : MyType::Int;
    case kYear:
      return MyType::Year;
    case kFloat:
      return MyType::Float;
    case kDouble:
      return MyType::Double;
    case kDecimalOld:
    case kNewDecimal:
      return MyType::Decimal;
    case kDate:
    case kNewDate:
      return MyType::Date;
    case kDateTime:
    case kDateTime2:
      return MyType::DateTime;
    case kTimestamp:
    case kTimestamp2:
      return MyType::Timestamp;
    case kTime:
    case kTime2:
      return MyType::Time;
    case kBit:
      return MyType::Bit;
    case kJson:
      return MyType::Json;
    case kEnum:
      return MyType::Enum;
    case kSet:
      return MyType::Set;
    case kGeometry:
      return MyType::Geometry;
    default:  // CHAR, VARCHAR, the TEXT and BLOB families
      if (is_enum) return MyType::Enum;
      if (is_set) return MyType::Set;
      return binary ? MyType::Binary : MyType::String;
  }
}

Converted convert_mysql_cell(const MyCell &c, TargetKind target, const MyConvertOptions &opts,
                             MyScratch &s) {
  if (c.is_null) return Converted{};
  switch (c.type) {
    case MyType::Int:
    case MyType::Year:
      return from_int(c.i, target, s);
    case MyType::UInt:
      return from_uint(c.u, target, s);
    case MyType::Float:
    case MyType::Double:
      return from_float(c, target, s);
    case MyType::Decimal:
      return from_bytes(StorageClass::Text, c.bytes, target, s);
    case MyType::Date:
    case MyType::DateTime:
    case MyType::Timestamp:
      return from_date(c, target, opts, s);
    case MyType::Time:
      return from_time(c, target, s);
    case MyType::Bit:
      return from_bit(c, target, s);
    case MyType::Set:
      if (target == TargetKind::TextArray)
        return converted_bytes(Kind::InputText, set_to_array(c.bytes, s.text));
      return from_bytes(StorageClass::Text, c.bytes, target, s);
    case MyType::String:
    case MyType::Enum:
    case MyType::Json:
      return from_bytes(StorageClass::Text, c.bytes, target, s);
    case MyType::Binary:
      return from_bytes(StorageClass::Blob, c.bytes, target, s);
    case MyType::Geometry:
      return from_geometry(c, target, s);
  }
  return conversion_error(sqlstate::kInternal, "unknown MySQL value type");
}

}  // namespace minibar

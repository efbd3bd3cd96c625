#include "core/convert/describe.hpp"

#include <cmath>
#include <cstdio>

#include "core/convert/cell_convert.hpp"
#include "core/convert/json_text.hpp"
#include "core/mysql/value.hpp"

namespace minibar {

namespace {
constexpr size_t kMaxText = 64;
constexpr size_t kMaxBytes = 32;
}  // namespace

std::string describe_bytes(std::string_view bytes) {
  std::string out = "X'";
  for (size_t i = 0; i < bytes.size() && i < kMaxBytes; i++) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned char>(bytes[i]));
    out += hex;
  }
  out += bytes.size() > kMaxBytes ? "'..." : "'";
  return out;
}

std::string describe_text(std::string_view bytes) {
  // Show invalid text as bytes rather than pass broken UTF-8 on.
  if (!is_valid_utf8(bytes.substr(0, kMaxText))) return "text bytes " + describe_bytes(bytes);
  std::string out = "'";
  for (size_t i = 0; i < bytes.size() && i < kMaxText; i++) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += bytes.size() > kMaxText ? "'..." : "'";
  return out;
}

std::string describe_cell(const Cell &cell) {
  CellScratch scratch;
  switch (cell.storage) {
    case StorageClass::Null:
      return "NULL";
    case StorageClass::Integer:
      return std::to_string(cell.i);
    case StorageClass::Float:
      return std::string(format_double_shortest(cell.d, scratch));
    case StorageClass::Text:
      return describe_text(cell.bytes);
    case StorageClass::Blob:
      return describe_bytes(cell.bytes);
  }
  return "?";
}

std::string describe_mycell(const MyCell &c) {
  if (c.is_null) return "NULL";
  std::string out;
  switch (c.type) {
    case MyType::Int:
    case MyType::Year:
      return std::to_string(c.i);
    case MyType::UInt:
      return std::to_string(c.u);
    case MyType::Float:
    case MyType::Double: {
      CellScratch s;
      return std::string(format_double_shortest(c.d, s));
    }
    case MyType::Date:
    case MyType::DateTime:
    case MyType::Timestamp: {
      char buf[64];
      if (c.type == MyType::Date)
        snprintf(buf, sizeof buf, "'%04d-%02d-%02d'", c.t.year, c.t.month, c.t.day);
      else
        snprintf(buf, sizeof buf, "'%04d-%02d-%02d %02d:%02d:%02d.%06d'", c.t.year, c.t.month,
                 c.t.day, c.t.hour, c.t.minute, c.t.second, c.t.micro);
      return buf;
    }
    case MyType::Time:
      return "'" + std::string(format_mysql_time(c.t, out)) + "'";
    case MyType::Binary:
    case MyType::Bit:
    case MyType::Geometry:
      return describe_bytes(c.bytes);
    default:
      return describe_text(c.bytes);
  }
}

namespace {

void append_number_or_string(std::string &out, double d) {
  CellScratch s;
  std::string_view t = format_double_shortest(d, s);
  if (std::isfinite(d))
    out += t;
  else
    json_append_string(out, t);
}

}  // namespace

void json_append_cell(std::string &out, const Cell &cell, size_t limit, JsonDigest digest) {
  switch (cell.storage) {
    case StorageClass::Null:
      out += "null";
      return;
    case StorageClass::Integer:
      out += std::to_string(cell.i);
      return;
    case StorageClass::Float:
      append_number_or_string(out, cell.d);
      return;
    case StorageClass::Text:
      json_append_string_bounded(out, cell.bytes, limit, digest);
      return;
    case StorageClass::Blob:
      json_append_hex_bounded(out, cell.bytes, limit, digest);
      return;
  }
}

void json_append_mycell(std::string &out, const MyCell &c, size_t limit, JsonDigest digest) {
  if (c.is_null) {
    out += "null";
    return;
  }
  char buf[64];
  switch (c.type) {
    case MyType::Int:
    case MyType::Year:
      out += std::to_string(c.i);
      return;
    case MyType::UInt:
      out += std::to_string(c.u);
      return;
    case MyType::Float:
    case MyType::Double:
      append_number_or_string(out, c.d);
      return;
    case MyType::Decimal:
      out += c.bytes;
      return;
    case MyType::Date:
      snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.t.year, c.t.month, c.t.day);
      json_append_string(out, buf);
      return;
    case MyType::DateTime:
    case MyType::Timestamp:
      snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%06d", c.t.year, c.t.month, c.t.day,
               c.t.hour, c.t.minute, c.t.second, c.t.micro);
      json_append_string(out, buf);
      return;
    case MyType::Time: {
      std::string t;
      json_append_string(out, format_mysql_time(c.t, t));
      return;
    }
    case MyType::Binary:
    case MyType::Bit:
    case MyType::Geometry:
      json_append_hex_bounded(out, c.bytes, limit, digest);
      return;
    default:
      json_append_string_bounded(out, c.bytes, limit, digest);
  }
}

}  // namespace minibar

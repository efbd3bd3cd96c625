#include "core/plan/watermark.hpp"

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/error.hpp"

namespace minibar {

namespace {

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

[[noreturn]] void bad(std::string_view kind, std::string_view value) {
  throw Error(sqlstate::kInvalidParameterValue,
              "invalid watermark " + std::string(kind) + " '" + std::string(value) + "'",
              "A watermark is an integer, a real or a text value.");
}

}  // namespace

SqlValue Watermark::sql_value() const {
  switch (kind) {
    case Kind::Integer:
      return i;
    case Kind::Real:
      return d;
    case Kind::Text:
      break;
  }
  return text;
}

const char *Watermark::kind_name() const {
  switch (kind) {
    case Kind::Integer:
      return "integer";
    case Kind::Real:
      return "real";
    case Kind::Text:
      break;
  }
  return "text";
}

std::string Watermark::value_text() const {
  char buf[64];
  switch (kind) {
    case Kind::Integer:
      return std::to_string(i);
    case Kind::Real:
      std::snprintf(buf, sizeof buf, "%.17g", d);
      return buf;
    case Kind::Text:
      break;
  }
  return text;
}

Watermark Watermark::parse(std::string_view kind, std::string_view value) {
  Watermark w;
  std::string v(value);
  char *end = nullptr;
  if (kind == "integer") {
    w.kind = Kind::Integer;
    errno = 0;
    long long x = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE) bad(kind, value);
    w.i = x;
  } else if (kind == "real") {
    w.kind = Kind::Real;
    double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !std::isfinite(x)) bad(kind, value);
    w.d = x;
  } else if (kind == "text") {
    w.kind = Kind::Text;
    w.text = v;
  } else {
    bad(kind, value);
  }
  return w;
}

Watermark Watermark::of_cell(const Cell &cell) {
  Watermark w;
  switch (cell.storage) {
    case StorageClass::Integer:
      w.kind = Kind::Integer;
      w.i = cell.i;
      return w;
    case StorageClass::Float:
      w.kind = Kind::Real;
      w.d = cell.d;
      return w;
    case StorageClass::Text:
      w.kind = Kind::Text;
      w.text.assign(cell.bytes);
      return w;
    default:
      throw Error(sqlstate::kInvalidParameterValue,
                  "a watermark column must hold integers, reals or text",
                  "The largest value of the column is NULL or a blob.");
  }
}

std::string unix_days_to_iso(int64_t days) {
  // Howard Hinnant's civil_from_days.
  const int64_t z = days + 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04" PRId64 "-%02d-%02d", y, static_cast<int>(m),
                static_cast<int>(d));
  return buf;
}

Watermark first_watermark(const TargetMax &max, StorageClass sample, std::string_view sample_text) {
  Watermark w;
  switch (max.type) {
    case TargetMax::Type::Integer:
      w = Watermark::parse("integer", max.text);
      if (sample == StorageClass::Float) {
        w.kind = Watermark::Kind::Real;
        w.d = static_cast<double>(w.i);
      }
      return w;
    case TargetMax::Type::Float:
      return Watermark::parse("real", max.text);
    case TargetMax::Type::Text:
      return Watermark::parse("text", max.text);
    case TargetMax::Type::Timestamp: {
      const int64_t us = max.unix_us - 1000000;  // one second early
      const int64_t secs = floor_div(us, 1000000);
      if (sample == StorageClass::Integer) return Watermark::parse("integer", std::to_string(secs));
      if (sample == StorageClass::Float) {
        w.kind = Watermark::Kind::Real;
        w.d = static_cast<double>(secs);
        return w;
      }
      const int64_t day = floor_div(secs, 86400), sod = secs - day * 86400;
      const char sep = sample_text.size() > 10 && sample_text[10] == 'T' ? 'T' : ' ';
      char buf[16];
      std::snprintf(buf, sizeof buf, "%c%02d:%02d:%02d", sep, static_cast<int>(sod / 3600),
                    static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
      w.kind = Watermark::Kind::Text;
      w.text = unix_days_to_iso(day) + buf;
      return w;
    }
    case TargetMax::Type::Date: {
      const int64_t day = max.unix_days - 1;  // one day early
      if (sample == StorageClass::Integer)
        return Watermark::parse("integer", std::to_string(day * 86400));
      if (sample == StorageClass::Float) {
        w.kind = Watermark::Kind::Real;
        w.d = static_cast<double>(day * 86400);
        return w;
      }
      w.kind = Watermark::Kind::Text;
      w.text = unix_days_to_iso(day);
      return w;
    }
  }
  return w;
}

}  // namespace minibar

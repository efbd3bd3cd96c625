#include "core/convert/number_parse.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/error.hpp"

namespace minibar {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Magnitude of a digit string, nullopt past UINT64_MAX.
std::optional<uint64_t> magnitude(std::string_view d) {
  if (!all_digits(d)) return std::nullopt;
  uint64_t v = 0;
  for (char c : d) {
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - digit) / 10) return std::nullopt;
    v = v * 10 + digit;
  }
  return v;
}

std::string excerpt(std::string_view s) {
  if (s.size() <= 64) return std::string(s);
  return std::string(s.substr(0, 64)) + "... (" + std::to_string(s.size()) + " bytes)";
}

[[noreturn]] void fail(std::string_view s, std::string_view what, bool range) {
  throw Error(range ? sqlstate::kNumericOutOfRange : sqlstate::kInvalidText,
              range ? "value \"" + excerpt(s) + "\" is out of range for " + std::string(what)
                    : "expected " + std::string(what) + ", got \"" + excerpt(s) + "\"");
}

bool looks_integral(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return all_digits(s);
}

}  // namespace

std::optional<int64_t> parse_int64(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  std::optional<uint64_t> m = magnitude(s);
  if (!m) return std::nullopt;
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (neg) {
    if (*m > kMax + 1) return std::nullopt;
    return *m == kMax + 1 ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(*m);
  }
  if (*m > kMax) return std::nullopt;
  return static_cast<int64_t>(*m);
}

std::optional<uint64_t> parse_uint64(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  return magnitude(s);
}

std::optional<double> parse_double(std::string_view s) {
  if (s.empty() || s.size() > 4096) return std::nullopt;
  char first = s[0];
  if (first == ' ' || first == '\t' || first == '\n' || first == '\r' || first == '\f' ||
      first == '\v')
    return std::nullopt;
  std::string text(s);
  char *end = nullptr;
  errno = 0;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL)) return std::nullopt;
  return v;
}

int64_t to_int64(std::string_view s, std::string_view what) {
  if (auto v = parse_int64(s)) return *v;
  fail(s, what, looks_integral(s));
}

uint64_t to_uint64(std::string_view s, std::string_view what) {
  if (auto v = parse_uint64(s)) return *v;
  fail(s, what, looks_integral(s));
}

int to_int(std::string_view s, std::string_view what) {
  auto v = parse_int64(s);
  if (v && *v >= std::numeric_limits<int>::min() && *v <= std::numeric_limits<int>::max())
    return static_cast<int>(*v);
  fail(s, what, looks_integral(s));
}

uint32_t to_uint32(std::string_view s, std::string_view what) {
  auto v = parse_uint64(s);
  if (v && *v <= std::numeric_limits<uint32_t>::max()) return static_cast<uint32_t>(*v);
  fail(s, what, looks_integral(s));
}

double to_double(std::string_view s, std::string_view what) {
  if (auto v = parse_double(s)) return *v;
  fail(s, what, false);
}

}  // namespace minibar

#include "core/cell_describe.hpp"

#include <cstdio>

#include "core/cell_convert.hpp"

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

}  // namespace minibar

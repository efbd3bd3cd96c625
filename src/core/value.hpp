// A remote SQL value as the core binds it to a remote statement parameter.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace minibar {

struct Blob {
  std::string bytes;
  bool operator==(const Blob &o) const { return bytes == o.bytes; }
};

// An exact decimal number as text ("-12.50"), bound as a DECIMAL parameter.
struct Decimal {
  std::string text;
  bool operator==(const Decimal &o) const { return text == o.text; }
};

// monostate is SQL NULL.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string, Blob, Decimal>;

}  // namespace minibar

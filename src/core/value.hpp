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

// monostate is SQL NULL.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string, Blob>;

}  // namespace minibar

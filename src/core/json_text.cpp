#include "core/json_text.hpp"

#include "core/cell_convert.hpp"

namespace minibar {

void json_append_hex(std::string &out, std::string_view bytes) {
  static const char *hex = "0123456789abcdef";
  out += "\"\\\\x";
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  out += '"';
}

void json_append_string(std::string &out, std::string_view text) {
  if (!is_valid_utf8(text) || text.find('\0') != std::string_view::npos) {
    json_append_hex(out, text);
    return;
  }
  static const char *hex = "0123456789abcdef";
  out += '"';
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace minibar

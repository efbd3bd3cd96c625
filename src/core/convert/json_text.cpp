#include "core/convert/json_text.hpp"

#include "core/convert/cell_convert.hpp"

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

namespace {

// The longest prefix of at most n bytes that does not split a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, size_t n) {
  if (text.size() <= n) return text;
  size_t end = n;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) end--;
  return text.substr(0, end);
}

void append_cut(std::string &out, std::string_view whole, bool hex, size_t limit,
                JsonDigest digest) {
  out += "{\"excerpt\": ";
  if (hex)
    json_append_hex(out, whole.substr(0, limit / 2));
  else
    json_append_string(out, utf8_prefix(whole, limit));
  out += ", \"bytes\": " + std::to_string(whole.size());
  if (digest) {
    out += ", \"md5\": ";
    json_append_string(out, digest(whole));
  }
  out += '}';
}

}  // namespace

void json_append_string_bounded(std::string &out, std::string_view text, size_t limit,
                                JsonDigest digest) {
  if (text.size() <= limit) {
    json_append_string(out, text);
    return;
  }
  bool hex = text.find('\0') != std::string_view::npos || !is_valid_utf8(utf8_prefix(text, limit));
  append_cut(out, text, hex, limit, digest);
}

void json_append_hex_bounded(std::string &out, std::string_view bytes, size_t limit,
                             JsonDigest digest) {
  if (bytes.size() * 2 <= limit) {
    json_append_hex(out, bytes);
    return;
  }
  append_cut(out, bytes, true, limit, digest);
}

}  // namespace minibar

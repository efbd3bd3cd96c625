// Small JSON text writer for reject records (a row's key or values as a
// jsonb-valid object). Pure C++.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace minibar {

// Appends a JSON string. Text that is not valid UTF-8 or holds a NUL byte
// (neither fits jsonb) is written as its bytes in hex: "\\x00ff...".
void json_append_string(std::string &out, std::string_view text);
// Appends the bytes as a JSON string "\\x<hex>" (bytea's escape form).
void json_append_hex(std::string &out, std::string_view bytes);

// A value longer than this many bytes is cut in reject records.
inline constexpr size_t kJsonValueLimit = 256;
// The digest of a whole value (hex), given by the caller (the PostgreSQL layer
// uses MD5, which MySQL's MD5() and PostgreSQL's md5() compute as well).
using JsonDigest = std::string (*)(std::string_view);

// As json_append_string / json_append_hex when the value has at most limit
// bytes; else a JSON object {"excerpt": <its first bytes, as above>,
// "bytes": <its length>, "md5": <digest of the whole value>} ("md5" left
// out without a digest), so that a reject never holds more than a few
// hundred bytes per value and the row can still be found.
void json_append_string_bounded(std::string &out, std::string_view text, size_t limit,
                                JsonDigest digest);
void json_append_hex_bounded(std::string &out, std::string_view bytes, size_t limit,
                             JsonDigest digest);

}  // namespace minibar

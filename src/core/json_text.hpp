// Small JSON text writer for reject records (a row's key or values as a
// jsonb-valid object). Pure C++.
#pragma once

#include <string>
#include <string_view>

namespace minibar {

// Appends a JSON string. Text that is not valid UTF-8 or holds a NUL byte
// (neither fits jsonb) is written as its bytes in hex: "\\x00ff...".
void json_append_string(std::string &out, std::string_view text);
// Appends the bytes as a JSON string "\\x<hex>" (bytea's escape form).
void json_append_hex(std::string &out, std::string_view bytes);

}  // namespace minibar

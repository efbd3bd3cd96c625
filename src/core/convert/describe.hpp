// Short, printable renderings of remote values for error messages: text in
// quotes with control bytes escaped (invalid UTF-8 shown as bytes), binary as
// X'hex', both cut after a few dozen bytes.
#pragma once

#include <string>
#include <string_view>

#include <cstdint>

#include "core/convert/json_text.hpp"

namespace minibar {

std::string describe_text(std::string_view bytes);
std::string describe_bytes(std::string_view bytes);

struct Cell;
struct MyCell;

// A remote value for messages: NULL, numbers as they are (doubles
// shortest-exact, as format_double_shortest), dates and times quoted ISO text,
// text by describe_text and binary by describe_bytes.
std::string describe_cell(const Cell &cell);
std::string describe_mycell(const MyCell &cell);

// Appends a remote value as a JSON value (for reject records): numbers as
// numbers (non-finite ones as strings), text as a string, binary and text
// that jsonb cannot hold as "\\x<hex>", dates as ISO strings, NULL as null.
// Values longer than limit bytes are cut (json_append_string_bounded).
void json_append_cell(std::string &out, const Cell &cell, size_t limit = SIZE_MAX,
                      JsonDigest digest = nullptr);
void json_append_mycell(std::string &out, const MyCell &cell, size_t limit = SIZE_MAX,
                        JsonDigest digest = nullptr);

}  // namespace minibar

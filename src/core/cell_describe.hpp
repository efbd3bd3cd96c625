// Short, printable renderings of remote values for error messages: text in
// quotes with control bytes escaped (invalid UTF-8 shown as bytes), binary as
// X'hex', both cut after a few dozen bytes.
#pragma once

#include <string>
#include <string_view>

namespace minibar {

std::string describe_text(std::string_view bytes);
std::string describe_bytes(std::string_view bytes);

}  // namespace minibar

// Checked parsing of numbers read as text (from a source, from PostgreSQL, from
// options): the whole text must be the number, and a number out of range is
// an error that says so, never a C++ library exception ("stoll") and never a
// silently cut value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace minibar {

// Optional sign, then decimal digits only; nullopt when not a number or out
// of range.
std::optional<int64_t> parse_int64(std::string_view s);
// Optional '+', then decimal digits only (no '-').
std::optional<uint64_t> parse_uint64(std::string_view s);
// A finite or special (inf/nan, PostgreSQL's Infinity/NaN) double; the whole
// text must be consumed.
std::optional<double> parse_double(std::string_view s);

// The same, throwing minibar::Error (22P02 not a number, 22003 out of range)
// naming what was parsed and an excerpt of the text.
int64_t to_int64(std::string_view s, std::string_view what = "an integer");
uint64_t to_uint64(std::string_view s, std::string_view what = "an unsigned integer");
int to_int(std::string_view s, std::string_view what = "an integer");
uint32_t to_uint32(std::string_view s, std::string_view what = "an unsigned integer");
double to_double(std::string_view s, std::string_view what = "a number");

}  // namespace minibar

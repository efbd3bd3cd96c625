// The options jsonb of our SQL functions: its top-level entries, and checked
// booleans and integers. Wrong types and out-of-range values are 22023
// errors naming the option, the function and the docs page.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pg/pg.hpp"

namespace minibar::pg {

// PostgreSQL calls: argument `arg` (jsonb) of an SQL function as text; "{}"
// when it is NULL.
const char *options_arg(FunctionCallInfo fcinfo, int arg);

// What the options are for ("migration", "validation") and where they are
// documented, for the hint of error messages: the function and the docs
// page by its title (never a path: the docs are installed elsewhere).
struct OptionsKind {
  const char *what;
  const char *doc;
};

struct JsonOption {
  std::string key, type, value;  // type: jsonb_typeof; value: #>> '{}'
};

// The entries of the options object, sorted by key (SPI); 22023 when json
// is not an object.
std::vector<JsonOption> json_options(const std::string &json, const OptionsKind &kind);

[[noreturn]] void bad_option(const OptionsKind &kind, const std::string &key,
                             const std::string &why);
bool option_bool(const OptionsKind &kind, const JsonOption &o);
// "views": "skip" (false) or "materialize" (true).
bool option_views(const OptionsKind &kind, const JsonOption &o);
// An option that is an array of names ("tables", "exclude"): its elements
// (SPI on json, the whole options document).
std::vector<std::string> option_names(const OptionsKind &kind, const std::string &json,
                                      const JsonOption &o);
int64_t option_int(const OptionsKind &kind, const JsonOption &o, int64_t lo, int64_t hi);

}  // namespace minibar::pg

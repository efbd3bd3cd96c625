#include "core/number_parse.hpp"
#include "pg/json_options.hpp"

#include "core/error.hpp"
#include "pg/spi_util.hpp"

namespace minibar::pg {

namespace {
constexpr const char *kInvalid = "22023";  // invalid_parameter_value
}  // namespace

const char *options_arg(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) return "{}";
  Jsonb *jb = PG_GETARG_JSONB_P(arg);
  return JsonbToCString(nullptr, &jb->root, VARSIZE(jb));
}

void bad_option(const OptionsKind &kind, const std::string &key, const std::string &why) {
  throw Error(kInvalid, std::string("invalid ") + kind.what + " option \"" + key + "\": " + why, "",
              std::string("See ") + kind.doc + " for the options.");
}

std::vector<JsonOption> json_options(const std::string &json, const OptionsKind &kind) {
  auto rows = spi_rows(
      "SELECT key, jsonb_typeof(value), value #>> '{}' FROM "
      "pg_catalog.jsonb_each(CASE WHEN jsonb_typeof($1::pg_catalog.jsonb) = 'object' THEN "
      "$1::pg_catalog.jsonb ELSE '{\"\": null}'::pg_catalog.jsonb END) ORDER BY key",
      {json});
  std::vector<JsonOption> out;
  for (const auto &row : rows) {
    JsonOption o{row[0].value_or(""), row[1].value_or(""), row[2].value_or("")};
    if (o.key.empty())
      throw Error(kInvalid, std::string(kind.what) + " options must be a JSON object");
    out.push_back(std::move(o));
  }
  return out;
}

bool option_bool(const OptionsKind &kind, const JsonOption &o) {
  if (o.type != "boolean") bad_option(kind, o.key, "expected true or false");
  return o.value == "true";
}

std::vector<std::string> option_names(const OptionsKind &kind, const std::string &json,
                                      const JsonOption &o) {
  if (o.type != "array") bad_option(kind, o.key, "expected an array of table names");
  std::vector<std::string> out;
  for (const auto &r : spi_rows("SELECT pg_catalog.jsonb_array_elements_text(($1::"
                                "pg_catalog.jsonb) -> $2)",
                                {json, o.key}))
    out.push_back(r[0].value_or(""));
  return out;
}

int64_t option_int(const OptionsKind &kind, const JsonOption &o, int64_t lo, int64_t hi) {
  if (o.type != "number") bad_option(kind, o.key, "expected a number");
  std::optional<int64_t> parsed = parse_int64(o.value);
  if (!parsed) bad_option(kind, o.key, "expected an integer");
  int64_t n = *parsed;
  if (n < lo || n > hi)
    bad_option(kind, o.key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return n;
}

}  // namespace minibar::pg

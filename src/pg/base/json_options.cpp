#include "core/convert/number_parse.hpp"
#include "pg/base/json_options.hpp"

#include "core/error.hpp"
#include "pg/base/spi.hpp"

namespace minibar::pg {

namespace {
constexpr const char *kInvalid = sqlstate::kInvalidParameterValue;
}  // namespace

const char *options_arg(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) return "{}";
  Jsonb *jb = PG_GETARG_JSONB_P(arg);
  return JsonbToCString(nullptr, &jb->root, VARSIZE(jb));
}

void bad_option(const OptionsKind &kind, const std::string &key, const std::string &why) {
  throw Error(kInvalid, std::string("invalid ") + kind.what + " option \"" + key + "\": " + why, "",
              std::string("See ") + kind.doc + ".");
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

bool option_views(const OptionsKind &kind, const JsonOption &o) {
  if (o.type != "string" || (o.value != "skip" && o.value != "materialize"))
    bad_option(kind, o.key, "expected \"skip\" or \"materialize\"");
  return o.value == "materialize";
}

std::vector<std::string> option_names(const OptionsKind &kind, const std::string &json,
                                      const JsonOption &o) {
  if (o.type != "array") bad_option(kind, o.key, "expected an array of table names");
  std::vector<std::string> out;
  int64_t position = 0;
  for (const auto &r : spi_rows("SELECT pg_catalog.jsonb_typeof(e), e #>> '{}' FROM "
                                "pg_catalog.jsonb_array_elements(($1::pg_catalog.jsonb) -> $2) "
                                "WITH ORDINALITY AS a(e, n) ORDER BY n",
                                {json, o.key})) {
    position++;
    const std::string type = r[0].value_or("null");
    if (type != "string")
      bad_option(kind, o.key,
                 "element " + std::to_string(position) + " is " +
                     (type == "null" ? std::string("null") : "a JSON " + type) +
                     ", not a table name (a string)");
    if (r[1].value_or("").empty())
      bad_option(kind, o.key, "element " + std::to_string(position) + " is an empty name");
    out.push_back(r[1].value_or(""));
  }
  if (out.empty())
    bad_option(kind, o.key, "the array is empty; name at least one table, or leave the option out");
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

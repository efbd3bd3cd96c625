#include "pg/migrate_options.hpp"

#include "core/error.hpp"
#include "core/quote.hpp"
#include "pg/spi_util.hpp"

namespace minibar::pg {

namespace {

constexpr const char *kInvalid = "22023";  // invalid_parameter_value

[[noreturn]] void bad(const std::string &key, const std::string &why) {
  throw Error(kInvalid, "invalid migration option \"" + key + "\": " + why, "",
              "See docs/migration.md for the options.");
}

bool as_bool(const std::string &key, const std::string &type, const std::string &v) {
  if (type != "boolean") bad(key, "expected true or false");
  return v == "true";
}

int64_t as_int(const std::string &key, const std::string &type, const std::string &v, int64_t lo,
               int64_t hi) {
  if (type != "number") bad(key, "expected a number");
  size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(v, &used);
  } catch (const std::exception &) {
    bad(key, "expected an integer");
  }
  if (used != v.size()) bad(key, "expected an integer");
  if (n < lo || n > hi)
    bad(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return n;
}

}  // namespace

MigrateOptions parse_migrate_options(const std::string &json, bool database_level) {
  MigrateOptions o;
  o.json = json;
  auto top = spi_rows(
      "SELECT key, jsonb_typeof(value), value #>> '{}' FROM "
      "pg_catalog.jsonb_each(CASE WHEN jsonb_typeof($1::pg_catalog.jsonb) = 'object' THEN "
      "$1::pg_catalog.jsonb ELSE '{\"\": null}'::pg_catalog.jsonb END) ORDER BY key",
      {json});
  for (const auto &row : top) {
    std::string key = row[0].value_or(""), type = row[1].value_or(""), v = row[2].value_or("");
    if (key.empty()) throw Error(kInvalid, "migration options must be a JSON object");
    if (key == "batch_size") {
      o.batch_size = static_cast<int>(as_int(key, type, v, 1, 100000));
    } else if (key == "max_rejects") {
      o.max_rejects = as_int(key, type, v, -1, INT64_MAX);
    } else if (key == "keep_case") {
      o.rules.keep_case = as_bool(key, type, v);
    } else if (key == "ignore_missing_columns") {
      o.ignore_missing = as_bool(key, type, v);
    } else if (key == "ignore_extra_columns") {
      o.ignore_extra = as_bool(key, type, v);
    } else if (key == "analyze") {
      o.analyze = as_bool(key, type, v);
    } else if (key == "workers") {
      o.workers = static_cast<int>(as_int(key, type, v, 0, 64));
    } else if (key == "resume") {
      o.resume = as_bool(key, type, v);
    } else if (key == "chunk_size") {
      o.chunk_size = as_int(key, type, v, 1000, INT64_MAX);
    } else if (key == "progress_interval") {
      o.progress_interval = static_cast<int>(as_int(key, type, v, 0, 86400));
    } else if (key == "types" || key == "columns") {
      if (type != "object") bad(key, "expected an object of \"source\": \"PostgreSQL type\"");
      auto rules = spi_rows(
          "SELECT key, jsonb_typeof(value), value #>> '{}' FROM pg_catalog.jsonb_each(($1::"
          "pg_catalog.jsonb) -> $2)",
          {json, key});
      for (const auto &r : rules) {
        if (r[1].value_or("") != "string") bad(key, "each type must be a string");
        std::string k = r[0].value_or("");
        if (key == "types") {
          o.rules.types[ascii_lower(k)] = r[2].value_or("");
        } else {
          if (k.find('.') == std::string::npos) bad(key, "keys are \"table.column\"");
          o.rules.columns[k] = r[2].value_or("");
        }
      }
    } else if ((key == "tables" || key == "exclude") && database_level) {
      if (type != "array") bad(key, "expected an array of table names");
      auto names = spi_rows(
          "SELECT value FROM pg_catalog.jsonb_array_elements_text(($1::pg_catalog.jsonb) -> $2)",
          {json, key});
      for (const auto &r : names)
        (key == "tables" ? o.tables : o.exclude).push_back(r[0].value_or(""));
    } else {
      bad(key, "unknown option");
    }
  }
  return o;
}

}  // namespace minibar::pg

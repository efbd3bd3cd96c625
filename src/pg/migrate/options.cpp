#include "pg/migrate/options.hpp"

#include "core/error.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/json_options.hpp"
#include "pg/base/spi.hpp"

namespace minibar::pg {

namespace {

constexpr OptionsKind kMigration{"migration",
                                 "the options of migrate_database in the documentation page "
                                 "\"Migrating a database\" (migration.md)"};

[[noreturn]] void bad(const std::string &key, const std::string &why) {
  bad_option(kMigration, key, why);
}

}  // namespace

MigrateOptions parse_migrate_options(const std::string &json, bool database_level) {
  MigrateOptions o;
  for (const JsonOption &opt : json_options(json, kMigration)) {
    const std::string &key = opt.key, &type = opt.type;
    if (key == "batch_size") {
      o.batch_size = static_cast<int>(option_int(kMigration, opt, 1, 100000));
    } else if (key == "max_rejects") {
      o.max_rejects = option_int(kMigration, opt, -1, INT64_MAX);
    } else if (key == "keep_case") {
      o.rules.keep_case = option_bool(kMigration, opt);
    } else if (key == "ignore_missing_columns") {
      o.ignore_missing = option_bool(kMigration, opt);
    } else if (key == "ignore_extra_columns") {
      o.ignore_extra = option_bool(kMigration, opt);
    } else if (key == "analyze") {
      o.analyze = option_bool(kMigration, opt);
    } else if (key == "workers") {
      o.workers = static_cast<int>(option_int(kMigration, opt, 0, 64));
    } else if (key == "resume") {
      o.resume = option_bool(kMigration, opt);
    } else if (key == "chunk_size") {
      o.chunk_size = option_int(kMigration, opt, 1000, INT64_MAX);
    } else if (key == "progress") {
      o.progress = option_bool(kMigration, opt);
    } else if (key == "progress_interval") {
      o.progress_interval = static_cast<int>(option_int(kMigration, opt, 0, 86400));
    } else if (key == "trust_target") {
      o.trust_target = option_bool(kMigration, opt);
    } else if (key == "if_exists") {
      if (type != "string")
        bad(key, "expected \"append\", \"truncate\", \"recreate\" or \"error\"");
      o.if_exists = opt.value;
      if (o.if_exists != "append" && o.if_exists != "truncate" && o.if_exists != "recreate" &&
          o.if_exists != "error")
        bad(key, "\"" + o.if_exists +
                     "\" is not one of \"error\", \"append\", \"truncate\", \"recreate\"");
    } else if (key == "schema_only") {
      o.schema_only = option_bool(kMigration, opt);
    } else if (key == "data_only") {
      o.data_only = option_bool(kMigration, opt);
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
      (key == "tables" ? o.tables : o.exclude) = option_names(kMigration, json, opt);
    } else if (key == "views" && database_level) {
      o.views = option_views(kMigration, opt);
    } else {
      bad(key, "unknown option");
    }
  }
  if (o.schema_only && o.data_only)
    bad("data_only", "schema_only and data_only together would do nothing");
  if (o.data_only && o.if_exists == "recreate")
    bad("if_exists", "\"recreate\" creates tables, which data_only never does");
  return o;
}

}  // namespace minibar::pg

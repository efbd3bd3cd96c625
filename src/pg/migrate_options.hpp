// The options jsonb of migrate_table / migrate_database: SPEC's keys
// (batch_size, max_rejects, workers, resume, chunk_size) and ours (keep_case,
// types, columns, ignore_missing_columns, ignore_extra_columns, tables,
// exclude, analyze). Unknown keys and wrong types are errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/migrate_plan.hpp"

namespace minibar::pg {

struct MigrateOptions {
  MigrateRules rules;
  int batch_size = 1000;
  int64_t max_rejects = -1;  // -1: unlimited
  bool ignore_missing = false;
  bool ignore_extra = false;
  bool analyze = true;
  std::vector<std::string> tables;   // migrate_database: only these (source names)
  std::vector<std::string> exclude;  // migrate_database: not these
  std::string json;                  // as given, for the run record
};

// Parses options (jsonb text) with SPI; throws PgError / Error (22023).
MigrateOptions parse_migrate_options(const std::string &json, bool database_level);

}  // namespace minibar::pg

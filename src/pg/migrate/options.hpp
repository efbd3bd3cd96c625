// The options jsonb of migrate_table / migrate_database: the keys docs/migration.md lists
// (batch_size, max_rejects, workers, resume, chunk_size) and ours (keep_case,
// types, columns, ignore_missing_columns, ignore_extra_columns, tables,
// exclude, analyze, progress, progress_interval, trust_target, if_exists,
// schema_only, data_only). Unknown keys and wrong types are
// errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/plan/migrate_plan.hpp"

namespace minibar::pg {

struct MigrateOptions {
  MigrateRules rules;
  int batch_size = 1000;
  int64_t max_rejects = -1;  // -1: unlimited
  bool ignore_missing = false;
  bool ignore_extra = false;
  bool analyze = true;
  int workers = -1;             // -1: not given (see resolve_workers)
  bool resume = false;          // keep committed progress; continue an unfinished run
  int64_t chunk_size = 250000;  // key values per chunk of a big table (workers >= 1)
  bool progress = true;         // the caller's progress NOTICEs (pg/migrate/progress)
  int progress_interval = 10;   // seconds between interval NOTICEs (0: none)
  // Load into existing targets that pg/target_check would refuse (owned by
  // another role, in another role's schema, with triggers, with row-level
  // security): the caller vouches for their code.
  bool trust_target = false;
  // A target that exists: "" (not given: "error" when it holds rows),
  // "append", "truncate" or "recreate" (pg/migrate/rerun).
  std::string if_exists;
  bool schema_only = false;          // create the tables, keys, indexes, foreign keys; copy no row
  bool data_only = false;            // load existing tables only; create nothing
  std::vector<std::string> tables;   // migrate_database: only these (source names)
  std::vector<std::string> exclude;  // migrate_database: not these
  bool views = false;  // migrate_database: "views": "materialize" copies views into tables
};

// Parses options (jsonb text) with SPI; throws PgError / Error (22023).
MigrateOptions parse_migrate_options(const std::string &json, bool database_level);

}  // namespace minibar::pg

// validate_database: validate_checksums for every table of a source against
// a target schema, then every foreign key of the schema's tables checked for
// orphan rows; the whole is recorded in minibar_migrate.validations (and its
// per-table and per-key tables), so pg_cron can run it and
// minibar_migrate.validation_latest shows the last verdict per table. A table
// that cannot be validated (missing, columns that do not match, a source
// error) is recorded as failed and the others go on; a cancel stops it all.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pg/validate/table.hpp"

namespace minibar::pg {

struct ValidationRow {
  std::string kind;  // table, foreign_key
  std::string source_table, target_table;
  int64_t source_rows = -1, target_rows = -1;  // -1: unknown
  bool ok = false;
  int chunks_differing = 0;
  int64_t rows_differing = 0;
  double seconds = 0;
  std::string detail;
  std::string example;  // foreign_key: one orphan's key columns as JSON
};

// Runs and records it; returns its validation_id and rows.
int64_t validate_database(MigrationSource &src, const std::string &server,
                          const std::string &target_schema, const std::string &options_json,
                          const ValidateOptions &options, std::vector<ValidationRow> &out);

}  // namespace minibar::pg

// The record of a migration run in minibar_migrate.runs, run_tables and
// run_notes, written with SPI in the caller's transaction.
#pragma once

#include <cstdint>
#include <string>

#include "core/migrate_plan.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

struct TableResult {
  std::string source_table;
  Oid target = InvalidOid;
  std::string target_name;  // "schema"."table"
  bool created = false;
  int64_t rows_source = 0, rows_copied = 0, rows_rejected = 0, zero_dates = 0;
  double seconds = 0;
  std::vector<Note> notes;
};

int64_t run_begin(const char *kind, const std::string &server, const std::string &target_schema,
                  const std::string &options_json);
void run_record_table(int64_t run_id, const TableResult &t);
void run_record_note(int64_t run_id, const std::string &source_table, const Note &n);
void run_finish(int64_t run_id);

}  // namespace minibar::pg

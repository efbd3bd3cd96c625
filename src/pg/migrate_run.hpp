// The record of a migration run in minibar_migrate.runs, run_tables,
// run_tasks, run_objects and run_notes, written with SPI in the current
// transaction (the caller's, or a background worker's).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/migrate_plan.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

struct RunInfo {
  int64_t run_id = 0;
  std::string kind;  // "table" / "database"
  std::string server, target_schema, options, status;
  int workers = 0;
  bool resumable = false;
};

int64_t run_begin(const std::string &kind, const std::string &server,
                  const std::string &target_schema, const std::string &options_json, int workers,
                  bool resumable);
// The run as recorded (nullopt: no such run visible to the current user).
std::optional<RunInfo> run_load(int64_t run_id);

// A table of the run, recorded when the run is planned.
struct RunTable {
  std::string source_table, target_table;  // target: "schema"."table"
  bool created = false;
  int table_no = 0;
  int64_t rows_estimated = -1, rows_before = 0;
  int chunks = 1;
  std::string chunk_key;  // source column; empty: whole table
  std::vector<std::string> source_columns, target_columns, key_columns;
  std::string identity_column;  // created identity column, if any
};
void run_add_table(int64_t run_id, const RunTable &t);

// A step of the run (see run_tasks in the extension script).
struct RunTask {
  int task_no = 0;
  int phase = 0;
  std::string kind;
  std::string source_table;  // empty: run-wide
  bool table_scoped = true;
  std::optional<int64_t> key_lo, key_hi;
  std::string sql;
  std::string detail_json;  // empty: NULL
  int64_t rows_estimated = -1;
};
void run_add_task(int64_t run_id, const RunTask &t);

void run_record_note(int64_t run_id, const std::string &source_table, const Note &n);
// kind: schema / type / table; identity: quoted, schema-qualified name.
void run_record_object(int64_t run_id, const std::string &kind, const std::string &identity);
void run_finish(int64_t run_id);
void run_failed(int64_t run_id, const std::string &error);

}  // namespace minibar::pg

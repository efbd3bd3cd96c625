// The record of a migration run in minibar_migrate.runs, run_tables,
// run_tasks, run_objects and run_notes, written with SPI in the current
// transaction (the caller's, or a background worker's) through state_rows:
// the only code that writes them. What a task does is recorded as data; no
// SQL text is stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/plan/migrate_plan.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

struct RunInfo {
  int64_t run_id = 0;
  std::string kind;  // "table" / "database"
  std::string server, target_schema, options, status;
  int workers = 0;
  bool resumable = false;
  std::string started_by;
};

int64_t run_begin(const std::string &kind, const std::string &server,
                  const std::string &target_schema, const std::string &options_json, int workers,
                  bool resumable);
// The run as recorded (nullopt: no such run visible to the current user).
std::optional<RunInfo> run_load(int64_t run_id);

// A table of the run, recorded when the run is planned.
struct RunTable {
  std::string source_table, target_table;  // target: "schema"."table" (for display)
  Oid target_relid = InvalidOid;           // the target, by OID
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
  std::string detail_json;  // the plan entry of an index / foreign_key step; empty: NULL
  int64_t rows_estimated = -1;
};
void run_add_task(int64_t run_id, const RunTask &t);

void run_record_note(int64_t run_id, const std::string &source_table, const Note &n);
// An object the run created: kind schema / type / table, its OID and its
// quoted, qualified name (for display and for the check at rollback).
void run_record_object(int64_t run_id, const std::string &kind, Oid oid,
                       const std::string &identity);
void run_finish(int64_t run_id);
void run_failed(int64_t run_id, const std::string &error);

// Drops what the run created (see minibar_migrate.rollback in the extension
// script) and marks it rolled back with reason (empty: keep its error).
// Refuses a run the current user did not start (42501). lock_held: the
// caller of a background-worker run holds the run's lock on the worker's
// behalf; otherwise the lock is taken here and a run being run is refused
// (55006). Returns (kind, object) per object, the skipped ones with a note.
std::vector<std::pair<std::string, std::string>> rollback_run(int64_t run_id,
                                                              const std::string &reason,
                                                              bool lock_held);
// The lock a session running run_id holds (transaction advisory lock); false
// when another session holds it.
bool try_lock_run(int64_t run_id);

// Rows the run committed into tables that existed before it, per table:
// (qualified target, rows). Only a resumable run with workers has any.
std::vector<std::pair<std::string, int64_t>> rows_in_existing_targets(int64_t run_id);

}  // namespace minibar::pg

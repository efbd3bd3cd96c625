// The record of a migration run in minibar_migrate.runs, run_tables,
// run_tasks, run_objects and run_notes, written with SPI in the current
// transaction (the caller's, or a background worker's) through state_rows:
// the only code that writes them, and the only code with a statement on
// them. Rows come out as the structs below, their columns parsed here once
// (core/convert/number_parse). What a task does is recorded as data; no SQL
// text is stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/plan/migrate_plan.hpp"
#include "pg/migrate/load/bulk_load.hpp"
#include "pg/remote/source.hpp"
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

// The source position the copy starts from (p nullopt: none, for why).
void run_set_source_position(int64_t run_id, const std::optional<MigrationSource::Position> &p,
                             const std::string &why);
// A resumed run is running again; it has no single source position.
void run_resumed(int64_t run_id);
// The latest run of the same migration by the current user that background
// workers left unfinished (running or failed).
std::optional<int64_t> run_find_unfinished(const std::string &kind, const std::string &server,
                                           const std::string &target_schema,
                                           const std::string &remote_table);
// The latest run loading into schema now, as (run_id, started_by).
std::optional<std::pair<int64_t, std::string>> run_running_into(const std::string &schema);

// A table's outcome as recorded (NULL counts read as 0), for the result of
// migrate_table / migrate_database; in table_no order.
struct RunTableResult {
  std::string source_table;
  Oid target_relid = InvalidOid;
  int64_t rows_source = 0, rows_copied = 0, rows_rejected = 0, zero_dates = 0;
  double seconds = 0;
};
std::vector<RunTableResult> run_table_results(int64_t run_id);
// The run's notes in the order they were made (source_table nullopt: run-wide).
struct RunNote {
  std::optional<std::string> source_table;
  Note note;
};
std::vector<RunNote> run_notes(int64_t run_id);
// minibar_migrate.progress for every table of the run, as the text it shows
// (rows_per_second rounded, 0 when unknown; eta in whole seconds, -1 when
// unknown), in table_no order.
struct RunProgress {
  std::string source_table, state, rows_done, rows_estimated, rows_per_second, eta_seconds;
};
std::vector<RunProgress> run_progress(int64_t run_id);
// The tables whose copy steps are all done (only: that table; "" every
// table), in the order they finished: the sums of their copies, the time from
// the first copy's start to the last one's end, and that end (as text).
struct TableCopied {
  std::string source_table;
  int64_t rows_copied = 0, rows_rejected = 0;
  double seconds = 0;
  std::string finished_at;
  int64_t tables = 0;  // the run's tables
};
std::vector<TableCopied> run_tables_copied(int64_t run_id, const std::string &only);

// A table of the run as a step needs it.
struct RunTarget {
  Oid relid = InvalidOid;
  std::string name;  // as recorded: "schema"."table"
};
// Its target (a table the run does not have is an XX000 error).
RunTarget run_target(int64_t run_id, const std::string &source_table);
// Its chunk key ("" when copied whole), and its columns in order.
std::string run_table_chunk_key(int64_t run_id, const std::string &source_table);
struct RunColumns {
  std::vector<std::string> source, target;
};
RunColumns run_table_columns(int64_t run_id, const std::string &source_table);
std::vector<std::string> run_table_key_columns(int64_t run_id, const std::string &source_table);
// Its tables in table_no order: source table, chunk key ("" whole), created.
struct RunTableBrief {
  std::string source_table, chunk_key;
  bool created = false;
};
std::vector<RunTableBrief> run_tables_in_order(int64_t run_id);
// Tables the run created with an identity column: (source table, target as
// regclass text, column).
struct RunIdentity {
  std::string source_table, target, column;
};
std::vector<RunIdentity> run_identity_tables(int64_t run_id);
// minibar_migrate.reset_sequences(target_schema) on the run's tables: (source
// table, note) for each sequence with a note.
std::vector<std::pair<std::string, std::string>> run_reset_sequences(
    int64_t run_id, const std::string &target_schema);
// Every table done, its time from its first copy to its last index or check.
void run_tables_finished(int64_t run_id);

// A task claimed (FOR UPDATE SKIP LOCKED): the first pending one whose
// earlier phases are done.
struct TaskRow {
  int task_no = 0;
  std::string kind, source_table;
  std::optional<int64_t> key_lo, key_hi;
  int64_t rows_estimated = -1;
  std::string started_at;  // clock_timestamp() when claimed, as text
  // index / foreign_key: the plan entry, from run_tasks.detail
  std::string label, name, ref_table, on_delete, on_update, index_kind;
};
std::optional<TaskRow> run_claim_task(int64_t run_id);
// A text array of a task's plan entry, in order.
std::vector<std::string> run_task_detail_list(int64_t run_id, int task_no, const char *key);
int64_t run_tasks_pending(int64_t run_id);
// The task is done (counts: a copy's).
void run_task_done(int64_t run_id, const TaskRow &t, double seconds, const LoadCounts *counts);
// Rows the table's copies done so far rejected.
int64_t run_rows_rejected(int64_t run_id, const std::string &source_table);
// The sums of a table's copies, and its rows_before.
struct CopyTotals {
  int64_t rows_source = 0, rows_copied = 0, rows_rejected = 0, zero_dates = 0;
  bool general_path = false;
  int64_t rows_before = 0;
};
CopyTotals run_copy_totals(int64_t run_id, const std::string &source_table);
void run_table_set_counts(int64_t run_id, const std::string &source_table, const CopyTotals &t);
// A table's copies done, in task order.
struct DoneCopy {
  int task_no = 0;
  std::optional<int64_t> key_lo, key_hi;
  int64_t rows_rejected = 0;
};
std::vector<DoneCopy> run_done_copies(int64_t run_id, const std::string &source_table);
// Resume: the copy is to be done again, and its table's check and analyze.
void run_task_redo_copy(int64_t run_id, const std::string &source_table, int task_no);
// Resume's verdict on a committed copy step: stale with how it differs, or
// (empty) equal again.
void run_task_mark_stale(int64_t run_id, int task_no, const std::string &difference);
// The run_report lines of a run's stale chunks: source table and note.
std::vector<std::pair<std::string, std::string>> run_stale_lines(int64_t run_id);

// For sync_start: every table's latest finished copy from server into
// target_schema by the current user, with the source position of its run
// (file "" when none was recorded: position_note says why). Columns as JSON
// arrays of text, for sync_tables.
struct LatestCopy {
  std::string source_table, target_table;
  int64_t run_id = 0;
  std::string binlog_file;
  int64_t binlog_pos = 0;
  std::string position_note;
  std::string source_columns_json, target_columns_json;
  Oid target_relid = InvalidOid;
};
std::vector<LatestCopy> run_latest_copies(const std::string &server,
                                          const std::string &target_schema);

// Rows the run committed into tables that existed before it, per table:
// (qualified target, rows). Only a resumable run with workers has any.
std::vector<std::pair<std::string, int64_t>> rows_in_existing_targets(int64_t run_id);

}  // namespace minibar::pg

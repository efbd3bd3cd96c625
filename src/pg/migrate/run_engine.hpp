// A migration run as a list of steps: plan_run() reads the source schema,
// creates (or matches) every target and records the run's tables and tasks;
// run_next_task() claims one ready task (FOR UPDATE SKIP LOCKED) and does it.
// The caller's backend drives both in its own transaction (workers = 0), or
// background workers do, each task in a transaction of its own (run_workers).
#pragma once

#include <cstdint>
#include <string>

#include "pg/migrate/table_steps.hpp"
#include "pg/migrate/run_record.hpp"

namespace minibar::pg {

struct RunRequest {
  std::string kind;  // "table" / "database"
  std::string server;
  std::string target_schema;
  std::string remote_table;  // table runs
  std::string target_table;  // table runs: the target's name (empty: the folded remote name)
  std::string options_json;
  int workers = 0;
  bool resumable = false;
  // Why the copy's snapshots have no single binlog position (workers that
  // could not open theirs at one point); empty: the source's snapshot
  // position is recorded with the run.
  std::string position_note;
};

// Plans the run in the current transaction; returns its run_id. With
// chunked, a big table with an integer key is split into options.chunk_size
// key ranges.
int64_t plan_run(const RunRequest &req, const MigrateOptions &options, MigrationSource &source,
                 bool chunked);

// Progress parameters of a copy step beyond COPY's own (pgstat progress slots
// 10..12, read by the minibar_migrate.progress view).
constexpr int kProgressRunId = 10, kProgressTaskNo = 11, kProgressRowsEstimated = 12;

enum class TaskOutcome { Ran, NoneReady, AllDone };

// Claims and does one ready task of run_id in the current transaction.
TaskOutcome run_next_task(int64_t run_id, const RunInfo &run, const MigrateOptions &options,
                          MigrationSource &source);

// Resume: compares every committed copy step with the source as it is now
// (count and checksum per chunk). A changed chunk of a table the run created
// is deleted from the target and its step made pending again (with the
// table's check); one of a table that existed before is noted with a
// WARNING. Returns the number of steps to copy again.
int recheck_committed_copies(int64_t run_id, MigrationSource &source);

}  // namespace minibar::pg

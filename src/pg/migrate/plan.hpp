// Planning a migration run: plan_run() reads the source schema, creates (or
// matches) every target and records the run's tables and tasks (as data; see
// run_record.hpp). The tasks are then done by tasks.hpp's run_next_task(), in
// the caller's transaction (workers = 0) or by background workers (run.hpp).
#pragma once

#include <cstdint>
#include <string>

#include "pg/migrate/run_record.hpp"
#include "pg/migrate/table_steps.hpp"

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

}  // namespace minibar::pg

// Doing a run's tasks: run_next_task() claims one ready task (FOR UPDATE SKIP
// LOCKED) and does it in the current transaction; recheck_committed_copies()
// is resume's check of the chunks already copied.
#pragma once

#include <cstdint>

#include "pg/migrate/run_record.hpp"
#include "pg/migrate/table_steps.hpp"

namespace minibar::pg {
// Progress parameters of a copy step beyond COPY's own (pgstat progress slots
// 10..12, read by the minibar_migrate.progress view).
constexpr int kProgressRunId = 10, kProgressTaskNo = 11, kProgressRowsEstimated = 12;

enum class TaskOutcome { Ran, NoneReady, AllDone };

// Claims and does one ready task of run_id in the current transaction (done:
// the task, when one ran).
TaskOutcome run_next_task(int64_t run_id, const RunInfo &run, const MigrateOptions &options,
                          MigrationSource &source, TaskRow *done = nullptr);

// Resume: compares every committed copy step with the source as it is now
// (count and checksum per chunk). A changed chunk of a table the run created
// is deleted from the target and its step made pending again (with the
// table's check); one of a table that existed before is noted with a
// WARNING. Returns the number of steps to copy again.
int recheck_committed_copies(int64_t run_id, MigrationSource &source);

}  // namespace minibar::pg
